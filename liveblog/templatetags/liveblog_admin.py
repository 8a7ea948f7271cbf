from django import template

from ..models import LiveBlog

register = template.Library()


@register.inclusion_tag("admin/liveblog/_post_shortcuts.html", takes_context=True)
def post_shortcuts(context):
    user = context["request"].user
    blogs = LiveBlog.objects.exclude(status=LiveBlog.Status.ENDED).live_first()
    return {"blogs": blogs if user.has_perm("liveblog.add_post") else []}
