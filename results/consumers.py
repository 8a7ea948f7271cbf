from channels.db import database_sync_to_async

from liveblog.consumers import StreamConsumer
from liveblog.lookups import StreamLookup

from .models import Election


@database_sync_to_async
def _election_stream(slug: str) -> str | None:
    election = Election.objects.filter(slug=slug).only("pk").first()
    return election.stream_key if election else None


election_stream_for = StreamLookup(_election_stream)


class ResultsConsumer(StreamConsumer):
    async def find_stream(self) -> str | None:
        return await election_stream_for(self.scope["url_route"]["kwargs"]["slug"])
