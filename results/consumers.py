from channels.db import database_sync_to_async

from liveblog.consumers import StreamConsumer

from .models import Election


@database_sync_to_async
def _election_stream(slug: str) -> str | None:
    election = Election.objects.filter(slug=slug).only("pk").first()
    return election.stream_key if election else None


class ResultsConsumer(StreamConsumer):
    async def find_stream(self, slug: str) -> str | None:
        return await _election_stream(slug)
