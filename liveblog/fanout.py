"""One subscription per server process, fanning frames out to its local reader sockets.

The hub joins the channel layer once per stream that has local readers, on a
single channel, so Redis carries each frame to each process once, not once
per reader. It also sends a heartbeat with each stream's latest seq, read
from the database, so a reader who missed frames (a Redis restart, say) is
caught up even when nothing new is published.
"""

import asyncio
import logging
import os
import weakref

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from . import events, frames

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = float(os.environ.get("LIVEBLOG_HEARTBEAT_SECONDS", "10"))


@database_sync_to_async
def _latest_seqs(keys: list[str]) -> dict[str, int]:
    from .models import Stream

    return dict(Stream.objects.filter(key__in=keys).values_list("key", "last_seq"))


class Hub:
    def __init__(self):
        self.readers: dict[str, set] = {}
        self.layer = None
        self.channel: str | None = None
        self._tasks: list[asyncio.Task] = []

    async def join(self, stream_key: str, reader) -> None:
        if not self._tasks:
            await self._start()
        readers = self.readers.setdefault(stream_key, set())
        if not readers:
            await self.layer.group_add(events.group_name(stream_key), self.channel)
        readers.add(reader)

    async def leave(self, stream_key: str, reader) -> None:
        readers = self.readers.get(stream_key)
        if readers is None:
            return
        readers.discard(reader)
        if not readers:
            del self.readers[stream_key]
            try:
                await self.layer.group_discard(events.group_name(stream_key), self.channel)
            except Exception:
                logger.warning("Could not leave %s; it expires on its own", stream_key, exc_info=True)

    def dispatch(self, stream_key: str, seq: int, text: str) -> None:
        message = {"type": "websocket.send", "text": text}  # shared by every reader of this frame
        for reader in tuple(self.readers.get(stream_key, ())):
            reader.deliver(seq, message)

    async def _start(self) -> None:
        self.layer = get_channel_layer()
        self.channel = await self.layer.new_channel("hub.")
        self._tasks = [asyncio.ensure_future(self._receive()), asyncio.ensure_future(self._heartbeat())]

    async def _receive(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Channel layer receive failed; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            if message.get("type") == events.SOCKET_MESSAGE_TYPE:
                self.dispatch(message["stream"], message["seq"], message["text"])

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await self.beat()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Heartbeat failed", exc_info=True)

    async def beat(self) -> None:
        """Tell every local reader each stream's latest seq; readers behind it catch up."""
        keys = list(self.readers)
        if not keys:
            return
        latest = await _latest_seqs(keys)
        for key in keys:
            seq = latest.get(key, 0)
            message = {"type": "websocket.send", "text": frames.heartbeat_frame(seq)}
            for reader in tuple(self.readers.get(key, ())):
                reader.heartbeat(seq, message)
            # A restarted Redis forgets group membership; joining again is harmless.
            await self.layer.group_add(events.group_name(key), self.channel)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    """The hub of the running event loop: one per server process."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]
