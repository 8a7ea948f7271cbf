"""The reporters' desk socket: who else is writing in a blog, and who has a post open."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from streams.http import whole_number
from streams.presence import PresenceConsumer

from . import permissions
from .models import AuthorProfile, LiveBlog


@database_sync_to_async
def _desk_member(user, blog_id: int, post_id: int | None) -> tuple[str, dict] | None:
    if user is None or not user.is_authenticated or not user.is_staff:
        return None
    blog = LiveBlog.objects.filter(pk=blog_id).first()
    if blog is None or not permissions.can_add_post(user, blog):
        return None
    profile = AuthorProfile.objects.filter(user=user).first()
    name = profile.display_name if profile else (user.get_full_name() or user.get_username())
    return f"desk.{blog.pk}", {"name": name, "user": user.pk, "post": post_id}


class DeskPresenceConsumer(PresenceConsumer):
    async def identify(self):
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        post_id = whole_number((query.get("post") or [None])[0])
        return await _desk_member(self.scope.get("user"), self.scope["url_route"]["kwargs"]["blog_id"], post_id)
