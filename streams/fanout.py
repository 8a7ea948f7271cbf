"""One subscription per server process, fanning frames out to its local reader sockets.

The hub joins the channel layer once per stream that has local readers, on a
single channel, so Redis carries each frame to each process once, not once
per reader. It also sends a heartbeat with each stream's latest seq, read
from the database, so a reader who missed frames (a Redis restart, say) is
caught up even when nothing new is published. See docs/architecture.md.
"""

import asyncio
import contextlib
import contextvars
import logging
import time
import weakref
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from . import events, frames
from .models import Event, Stream

logger = logging.getLogger(__name__)

# Readers written to before the event loop serves anything else: a frame for ten
# thousand readers never holds up a reporter's request for more than a moment.
FAN_OUT_CHUNK = 64


class Reader(Protocol):
    """A local reader socket, as the hub calls it (streams.consumers.StreamConsumer is one)."""

    def deliver(self, frame: events.Frame) -> None:
        """A live frame of the stream, in the order the hub received them; may skip or catch up."""

    def heartbeat(self, heartbeat: events.Frame, *, write: bool = True) -> None:
        """The stream's latest seq; a reader behind it catches up, an up-to-date one writes it if `write`."""

    def end(self) -> None:
        """The stream is gone (deleted): close the socket."""


class PageKeeper(Protocol):
    """Keeps pages of streams (streams.memory.PageMemory is one); told when a stream is gone."""

    def forget(self, stream_key: str) -> None:
        """Drop every page of the stream."""


@database_sync_to_async
def _latest_seqs(keys: list[str]) -> dict[str, int]:
    return dict(Stream.objects.filter(key__in=keys).values_list("key", "last_seq"))


@database_sync_to_async
def _load_recent(stream_key: str, limit: int) -> list[events.Frame]:
    rows = Event.objects.filter(stream__key=stream_key).order_by("-seq").values_list("seq", "html", "kind")[:limit]
    return events.frames_of(reversed(rows))


class _Watcher:
    """A reader that reads nothing: it keeps a stream followed for pages kept in memory."""

    def deliver(self, frame: events.Frame) -> None:
        pass

    def heartbeat(self, heartbeat: events.Frame, *, write: bool = True) -> None:
        pass

    def end(self) -> None:
        pass


WATCHER = _Watcher()


class Hub:
    def __init__(self):
        self.readers: dict[str, set[Reader]] = {}
        self.layer = None
        self.channel: str | None = None
        self._tasks: list[asyncio.Task] = []
        self._started: asyncio.Future | None = None
        # The last frames of each stream with local readers: resumes are served from
        # here, so a reconnect storm costs one database read per stream, not one per reader.
        self.recent: dict[str, deque[events.Frame]] = {}
        self._running: dict[tuple, asyncio.Future] = {}
        self._known: dict[tuple, tuple[float, object]] = {}  # recall(): key -> (until, result)
        self._rewrites: Counter[str] = Counter()  # per stream: how often its stored events were rewritten
        # Streams that sent a frame since the last heartbeat: each frame already told
        # their readers the latest seq, so the heartbeat only checks them for gaps.
        self._sent_since_beat: set[str] = set()
        # Open reader sockets per client address, for LIVEBLOG_SOCKETS_PER_ADDRESS.
        self._sockets_by_address: Counter[str] = Counter()
        # The latest seq of each followed stream, from its frames and heartbeats: pages kept
        # in memory (streams.memory) are current while theirs matches.
        self.latest: dict[str, int] = {}
        # The last seq fanned out per stream: a frame written in this process reaches the hub
        # twice, directly (deliver_local) and through the channel layer; the second is skipped.
        self.dispatched: dict[str, int] = {}
        # What keeps pages of streams in this process, to be told when a stream is gone.
        self.keepers: weakref.WeakSet[PageKeeper] = weakref.WeakSet()
        # One frame fans out at a time, in the order they arrive, whichever way they came.
        self._fanning_out = asyncio.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None

    def admit(self, address: str) -> bool:
        """Count a new socket from `address`; False (and not counted) when that address has its share open."""
        cap = settings.LIVEBLOG_SOCKETS_PER_ADDRESS
        if cap and self._sockets_by_address[address] >= cap:
            return False
        self._sockets_by_address[address] += 1
        return True

    def release(self, address: str) -> None:
        self._sockets_by_address[address] -= 1
        if self._sockets_by_address[address] <= 0:
            del self._sockets_by_address[address]

    async def start(self) -> None:
        """Connect to the channel layer and start receiving, once; readers joining wait for it."""
        # Set before the first await, so readers connecting together start one hub, not many.
        if self._started is None:
            self.loop = asyncio.get_running_loop()
            self._started = asyncio.ensure_future(self._start())
        await asyncio.shield(self._started)

    async def join(self, stream_key: str, reader: Reader) -> None:
        await self.start()
        readers = self.readers.setdefault(stream_key, set())
        if not readers:
            await self._subscribe(stream_key)
        readers.add(reader)

    async def _subscribe(self, stream_key: str) -> None:
        """Join the stream's group; with the channel layer away, readers still connect and heartbeats catch them up.

        Its latest seq is read after joining, so every later frame reaches `latest` by dispatch.
        """
        if not await self._join_group(stream_key):
            self.latest.pop(stream_key, None)
            return
        seq = (await _latest_seqs([stream_key])).get(stream_key, 0)
        self.latest[stream_key] = max(seq, self.latest.get(stream_key, 0))

    async def _join_group(self, stream_key: str) -> bool:
        if self.channel is None:
            return False  # not connected yet: _receive joins every stream once it is
        try:
            await self.layer.group_add(events.group_name(stream_key), self.channel)
        except Exception:
            logger.warning("Could not join %s; heartbeats keep its readers up to date", stream_key, exc_info=True)
            return False
        return True

    def current_seq(self, stream_key: str) -> int | None:
        """The stream's latest seq, when this process follows it live; None when it cannot be sure."""
        if self.channel is None or stream_key not in self.readers:
            return None
        return self.latest.get(stream_key)

    async def watch(self, stream_key: str) -> None:
        """Follow a stream with no reader of its own, so pages of it can be served from memory."""
        if WATCHER not in self.readers.get(stream_key, ()):
            await self.join(stream_key, WATCHER)

    async def leave(self, stream_key: str, reader: Reader) -> None:
        readers = self.readers.get(stream_key)
        if readers is None:
            return
        readers.discard(reader)
        if not readers:
            del self.readers[stream_key]
            self.recent.pop(stream_key, None)
            self.latest.pop(stream_key, None)
            self.dispatched.pop(stream_key, None)
            if self.channel is None:
                return
            try:
                await self.layer.group_discard(events.group_name(stream_key), self.channel)
            except Exception:
                logger.warning("Could not leave %s; it expires on its own", stream_key, exc_info=True)

    async def dispatch(self, stream_key: str, seq: int, text: str, closes: bool = False, reopens: bool = False) -> None:
        await self.fan_out(stream_key, events.Frame(seq=seq, text=text, closes=closes, reopens=reopens))

    async def fan_out(self, stream_key: str, frame: events.Frame) -> None:
        """Give the frame (encoded once, shared by every reader) to the stream's local readers, once."""
        async with self._fanning_out:
            if frame.seq <= self.dispatched.get(stream_key, 0):
                return  # already fanned out: it came both directly and through the channel layer
            if stream_key in self.readers:
                self.dispatched[stream_key] = frame.seq
            if stream_key in self.latest:
                self.latest[stream_key] = max(frame.seq, self.latest[stream_key])
            self._remember(stream_key, frame)
            self._sent_since_beat.add(stream_key)
            async for chunk in self._chunks(stream_key):
                for reader in chunk:
                    reader.deliver(frame)

    async def _chunks(self, stream_key: str):
        """The stream's readers as they are now, FAN_OUT_CHUNK at a time, letting other work run in between."""
        readers = tuple(self.readers.get(stream_key, ()))
        for start in range(0, len(readers), FAN_OUT_CHUNK):
            if start:
                await asyncio.sleep(0)
            yield readers[start : start + FAN_OUT_CHUNK]

    def _remember(self, stream_key: str, frame: events.Frame) -> None:
        recent = self.recent.get(stream_key)
        if recent is None:
            return  # nothing cached yet; the first resume loads from the database
        if recent and frame.seq != recent[-1].seq + 1:
            if frame.seq <= recent[-1].seq:
                return
            recent.clear()  # a gap: the cache must stay contiguous, so start again from here
        recent.append(frame)

    async def replay(self, stream_key: str, after: int, newest: int = 0) -> tuple[list[events.Frame], int]:
        """Frames after `after`, or one reload frame past the window.

        Served from memory when it covers them; read from the database when it
        does not, or when `newest` (a seq known to exist) is past what memory has.
        """
        window = settings.LIVEBLOG_REPLAY_WINDOW
        recent = self.recent.get(stream_key)
        if not recent or recent[0].seq > after + 1 or recent[-1].seq < newest:
            await self._load(stream_key, window)
            recent = self.recent[stream_key]
        if recent and recent[0].seq > after + 1:
            latest = recent[-1].seq
            return [events.Frame(seq=latest, text=frames.reload_frame(latest))], latest
        return [frame for frame in recent if frame.seq > after], after

    async def once(self, key: tuple, call: Callable[[], Awaitable]):
        """Run `call`, or share the result of the same call already running.

        Readers arriving together, as in a reconnect storm, cost one database
        read between them, not one each.
        """
        running = self._running.get(key)
        if running is None:
            running = self._running[key] = asyncio.ensure_future(call())
            running.add_done_callback(lambda _: self._running.pop(key, None))
        return await asyncio.shield(running)

    async def recall(self, key: tuple, call: Callable[[], Awaitable], seconds: float):
        """`once`, remembering a found (not None) result for `seconds`: a reconnect storm looks each stream
        up a few times, not once per arriving batch of readers."""
        now = time.monotonic()
        known = self._known.get(key)
        if known is not None and known[0] > now:
            return known[1]
        found = await self.once(key, call)
        if found is not None:
            self._known[key] = (now + seconds, found)
        return found

    async def end_stream(self, stream_key: str) -> None:
        """The stream is gone: its readers are closed, and nothing of it is remembered or kept."""
        for keeper in list(self.keepers):
            keeper.forget(stream_key)
        for reader in list(self.readers.get(stream_key, ())):
            reader.end()
            await self.leave(stream_key, reader)
        self.forget_replay(stream_key)

    def forget_replay(self, stream_key: str) -> None:
        """Stored events of the stream were rewritten: what is remembered of them may hold withdrawn text."""
        self.recent.pop(stream_key, None)
        self._rewrites[stream_key] += 1

    async def _load(self, stream_key: str, window: int) -> None:
        await self.once(("recent", stream_key), lambda: self._read_recent(stream_key, window))

    async def _read_recent(self, stream_key: str, window: int) -> None:
        rewrites = self._rewrites[stream_key]
        loaded = await _load_recent(stream_key, window)
        while rewrites != self._rewrites[stream_key]:  # rewritten while we read: read the new text
            rewrites = self._rewrites[stream_key]
            loaded = await _load_recent(stream_key, window)
        merged = deque(loaded, maxlen=window)
        for frame in self.recent.get(stream_key) or ():  # frames dispatched while we read
            if not merged or frame.seq == merged[-1].seq + 1:
                merged.append(frame)
        self.recent[stream_key] = merged

    async def _start(self) -> None:
        self.layer = get_channel_layer()
        await self._connect()
        self._tasks = [asyncio.ensure_future(self._receive()), asyncio.ensure_future(self._heartbeat())]

    async def _connect(self) -> bool:
        """Open the process's channel on the layer; False while the layer (Redis) is away."""
        try:
            self.channel = await self.layer.new_channel("hub.")
        except Exception:
            logger.warning(
                "Channel layer unreachable; readers are served by heartbeats until it returns", exc_info=True
            )
            return False
        for stream_key in list(self.readers):
            await self._subscribe(stream_key)
        return True

    async def _receive(self) -> None:
        while True:
            if self.channel is None and not await self._connect():
                await asyncio.sleep(1)
                continue
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Channel layer receive failed; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            if message.get("type") == events.SOCKET_MESSAGE_TYPE:
                # Awaited, so frames go out in the order they came, one after another.
                await self.dispatch(
                    message["stream"], message["seq"], message["text"],
                    message.get("closes", False), message.get("reopens", False),
                )  # fmt: skip
            elif message.get("type") == events.REWRITTEN_MESSAGE_TYPE:
                self.forget_replay(message["stream"])
            elif message.get("type") == events.GONE_MESSAGE_TYPE:
                await self.end_stream(message["stream"])

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(settings.LIVEBLOG_HEARTBEAT_SECONDS)
            try:
                await self.beat()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Heartbeat failed", exc_info=True)

    async def beat(self) -> None:
        """Tell every local reader each stream's latest seq; readers behind it catch up.

        On a stream that sent frames since the last beat, readers who are up to date
        are sent nothing: the frames carried the seq, and the socket is clearly alive.
        """
        keys = list(self.readers)
        busy, self._sent_since_beat = self._sent_since_beat, set()
        if not keys:
            return
        latest = await _latest_seqs(keys)
        for key in keys:
            if key in self.latest:
                self.latest[key] = max(latest.get(key, 0), self.latest[key])
            heartbeat, write = frames.heartbeat_frame(latest.get(key, 0)), key not in busy
            async for chunk in self._chunks(key):
                for reader in chunk:
                    reader.heartbeat(heartbeat, write=write)
            # A restarted Redis forgets group membership; joining again is harmless.
            await self._join_group(key)


_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def _on_local_hubs(stream_key: str, callback, *args, followers_only: bool = True) -> None:
    """From a writing thread: run `callback(hub, *args)` on the loop of each of this process's hubs
    (that follow the stream, unless not `followers_only`)."""
    for loop, local_hub in list(_hubs.items()):
        follows = stream_key in local_hub.readers or not followers_only
        if follows and local_hub.loop is loop and not loop.is_closed():
            # If the loop stopped meanwhile (RuntimeError), the channel layer's copy is all there is.
            with contextlib.suppress(RuntimeError):
                # A fresh context: the writing thread's own (asgiref's markers of a request in progress)
                # must not follow the fan-out, or a reader's catch-up would refuse to use the database.
                loop.call_soon_threadsafe(callback, local_hub, *args, context=contextvars.Context())


def deliver_local(stream_key: str, frame: events.Frame) -> None:
    """From a writing thread, after commit: hand the frame straight to this process's hubs that have
    readers of the stream, without waiting for its trip through the channel layer (which still
    carries it to the other processes, and here is skipped as a repeat)."""
    _on_local_hubs(stream_key, _fan_out_soon, stream_key, frame)


def forget_local(stream_key: str) -> None:
    """From a writing thread, after commit: this process's hubs drop the stream's remembered frames at once."""
    _on_local_hubs(stream_key, Hub.forget_replay, stream_key)


def end_local(stream_key: str) -> None:
    """From a writing thread, after commit: this process's hubs let go of a deleted stream at once."""
    # Every hub, not only those following it: a hub may keep pages of a stream it no longer follows.
    _on_local_hubs(stream_key, _end_soon, stream_key, followers_only=False)


def _fan_out_soon(local_hub: Hub, stream_key: str, frame: events.Frame) -> None:
    asyncio.ensure_future(local_hub.fan_out(stream_key, frame))


def _end_soon(local_hub: Hub, stream_key: str) -> None:
    asyncio.ensure_future(local_hub.end_stream(stream_key))


def hub() -> Hub:
    """The hub of the running event loop: one per server process."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]
