from django import template

from .. import permissions
from ..models import LiveBlog, Post

register = template.Library()


@register.inclusion_tag("admin/liveblog/_post_shortcuts.html", takes_context=True)
def post_shortcuts(context):
    user = context["request"].user
    blogs = permissions.blogs_open_to(user, LiveBlog.objects.exclude(status=LiveBlog.Status.ENDED)).live_first()
    waiting = Post.objects.filter(status=Post.Status.SUBMITTED).count() if permissions.can_approve(user) else None
    return {"blogs": blogs, "waiting": waiting}
