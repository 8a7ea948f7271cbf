"""Reader sockets: read-only, resumable, and they only ever write bytes.

A reader sends one message, the resume handshake {"type": "resume", "after": <seq>}.
The server replays every later event of the stream from the database, then
forwards live frames in seq order, each exactly once per connection.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from . import events, frames
from .models import LiveBlog

POLICY_VIOLATION = 1008
NOT_FOUND = 4404
MAX_CLIENT_MESSAGE_BYTES = 256


def parse_resume(text: str | None) -> int | None:
    """Return the seq a resume handshake asks to start after, or None if it is not one."""
    if not text or len(text) > MAX_CLIENT_MESSAGE_BYTES:
        return None
    try:
        message = json.loads(text)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("type") != "resume":
        return None
    after = message.get("after")
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        return None
    return after


@database_sync_to_async
def _replay(stream_key: str, after: int) -> tuple[list[events.Frame], int]:
    """Frames after `after`, or a single reload frame when the gap exceeds the window."""
    window = settings.LIVEBLOG_REPLAY_WINDOW
    missed = events.events_after(stream_key, after, limit=window + 1)
    if len(missed) <= window:
        return missed, after
    latest = events.latest_seq(stream_key)
    return [events.Frame(seq=latest, text=frames.reload_frame(latest))], latest


class StreamConsumer(AsyncWebsocketConsumer):
    """Follows one event stream; subclasses say which, from the URL."""

    stream_key: str | None = None
    sent_seq: int | None = None  # None until the resume handshake

    async def find_stream(self) -> str | None:
        raise NotImplementedError

    async def connect(self):
        self.stream_key = await self.find_stream()
        if self.stream_key is None:
            await self.close(code=NOT_FOUND)
            return
        await self.channel_layer.group_add(events.group_name(self.stream_key), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.stream_key is not None:
            await self.channel_layer.group_discard(events.group_name(self.stream_key), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        after = parse_resume(text_data)
        if after is None:
            await self.close(code=POLICY_VIOLATION)
            return
        await self._send_from_database(after)

    async def stream_event(self, message):
        # Frames before the handshake are covered by its replay from the database,
        # and consumers handle one message at a time, so nothing slips between.
        seq = message["seq"]
        if self.sent_seq is None or seq <= self.sent_seq:
            return
        if seq > self.sent_seq + 1:
            # A frame went missing between processes; the database has it.
            await self._send_from_database(self.sent_seq)
            return
        await self.send(text_data=message["text"])
        self.sent_seq = seq

    async def _send_from_database(self, after: int) -> None:
        replay, baseline = await _replay(self.stream_key, after)
        self.sent_seq = baseline
        for frame in replay:
            await self.send(text_data=frame.text)
            self.sent_seq = frame.seq


@database_sync_to_async
def _public_blog_stream(slug: str) -> str | None:
    blog = LiveBlog.objects.public().filter(slug=slug).only("pk").first()
    return blog.stream_key if blog else None


class LiveBlogConsumer(StreamConsumer):
    async def find_stream(self) -> str | None:
        return await _public_blog_stream(self.scope["url_route"]["kwargs"]["slug"])
