"""The results page's reader socket: the engine's resumable stream, found by the election's slug."""

from channels.db import database_sync_to_async

from streams.consumers import StreamConsumer

from .models import Election


@database_sync_to_async
def _election_stream(slug: str) -> str | None:
    election = Election.objects.filter(slug=slug).only("pk").first()
    return election.stream_key if election else None


class ResultsConsumer(StreamConsumer):
    async def find_stream(self, slug: str) -> str | None:
        return await _election_stream(slug)
