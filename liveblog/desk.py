"""The reporters' desk socket: who else is writing in a blog, and who has a post open."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from streams.http import whole_number
from streams.presence import PresenceConsumer, Seat

from . import permissions
from .models import AuthorProfile, LiveBlog, Post


@database_sync_to_async
def _desk_seat(user, blog_id: int, post_id: int | None) -> Seat | None:
    """A seat at the blog's desk for those who may post to it; the post they have open, if theirs to edit.

    A post of another blog is a forged address and refuses the socket; a post the user may
    only look at is not claimed, so nobody is told they are editing it.
    """
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    blog = LiveBlog.objects.filter(pk=blog_id).first()
    if blog is None or not permissions.can_add_post(user, blog):
        return None
    post = Post.objects.filter(pk=post_id, blog=blog).first() if post_id is not None else None
    if post_id is not None and post is None:
        return None
    editing = post.pk if post is not None and permissions.can_edit_post(user, post) else None
    profile = AuthorProfile.objects.filter(user=user).first()
    name = profile.display_name if profile else (user.get_full_name() or user.get_username())
    return Seat(room=f"desk.{blog.pk}", person=user.pk, seen={"name": name, "user": user.pk, "post": editing})


class DeskPresenceConsumer(PresenceConsumer):
    async def identify(self):
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        post_id = whole_number((query.get("post") or [None])[0])
        return await _desk_seat(self.scope.get("user"), self.scope["url_route"]["kwargs"]["blog_id"], post_id)
