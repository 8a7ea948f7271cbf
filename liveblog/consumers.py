"""The live blog's reader socket: the engine's resumable stream, found by the blog's slug."""

from channels.db import database_sync_to_async

from streams.consumers import StreamConsumer

from .models import LiveBlog


@database_sync_to_async
def _public_blog_stream(slug: str) -> str | None:
    blog = LiveBlog.objects.public().filter(slug=slug).only("pk").first()
    return blog.stream_key if blog else None


class LiveBlogConsumer(StreamConsumer):
    async def find_stream(self, slug: str) -> str | None:
        return await _public_blog_stream(slug)
