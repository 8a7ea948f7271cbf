"""Reader sockets: read-only, resumable, and they only ever write bytes.

A reader sends one message, the resume handshake {"type": "resume", "after": <seq>}.
The server replays every later event of the stream from the database, then
forwards live frames in seq order, each exactly once per connection.
Each app's socket says which stream a URL follows (liveblog/consumers.py,
results/consumers.py). See docs/architecture.md.
"""

import asyncio
import json
import time
from collections import deque

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from . import frames
from .clients import scope_client_address
from .events import Frame
from .fanout import hub
from .wire import SocketWriter, socket_writer

POLICY_VIOLATION = 1008
STREAM_CLOSED = 4410  # a resume asked of a stream that is not public now
TOO_MANY_SOCKETS = 4429  # from one address, on this process: LIVEBLOG_SOCKETS_PER_ADDRESS
# A reader has no reason to resume more than a few times a minute.
MAX_MESSAGES, PER_SECONDS = 5, 10.0
NOT_FOUND = 4404
MAX_CLIENT_MESSAGE_BYTES = 256
REPLAY_PATIENCE_SECONDS = 10.0
REPLAY_PACE_SECONDS = 0.01
# How long a found stream is remembered for new sockets. A stream withdrawn meanwhile is
# caught at the resume, which looks again.
STREAM_LOOKUP_SECONDS = 2.0


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
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < 2**63:
        return None
    return after


class StreamConsumer(AsyncWebsocketConsumer):
    """Follows one event stream; subclasses say which, from the URL.

    Frames come from the process hub (streams.fanout) already rendered: this
    class only decides, per reader, which ones to write and in what order.
    It is the hub's `Reader`.
    """

    # No channel per reader: the hub holds the process's one subscription.
    channel_layer_alias = None

    stream_key: str | None = None
    sent_seq: int | None = None  # None until the resume handshake
    writer: SocketWriter | None = None
    catching_up = False
    pending: list[Frame] | tuple = ()  # live frames held while catching up
    rerun_after: int | None = None
    recent_messages: deque[float] | None = None
    address: str | None = None  # counted against the per-address cap while open
    # Past a closing frame: nothing more is written until the stream reopens. The socket stays open,
    # so the page hears of the reopening at once.
    withdrawn = False

    async def dispatch(self, message):
        """As Channels' own, without first closing stale database connections.

        Channels does that on the database thread before every socket event (connect, resume,
        disconnect): in a reconnect storm, thousands of hops queued behind reporters' requests.
        A reader's handlers reach the database only through database_sync_to_async, which does it there.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def find_stream(self, slug: str) -> str | None:
        """The key of the stream this URL's slug follows, or None when readers may not follow it."""
        raise NotImplementedError

    async def connect(self):
        address = scope_client_address(self.scope)
        if not hub().admit(address):
            await self.close(code=TOO_MANY_SOCKETS)
            return
        self.address = address
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.stream_key = await hub().recall(
            (type(self), slug), lambda: self.find_stream(slug), seconds=STREAM_LOOKUP_SECONDS
        )
        if self.stream_key is None:
            await self.close(code=NOT_FOUND)
            return
        self.writer = socket_writer(self.base_send, limit_bytes=settings.LIVEBLOG_SOCKET_BACKLOG_BYTES)
        await hub().join(self.stream_key, self)
        await self.accept()

    async def disconnect(self, code):
        if self.address is not None:
            hub().release(self.address)
            self.address = None
        if self.writer is not None:
            self.writer.discard()
        if self.stream_key is not None:
            await hub().leave(self.stream_key, self)
        self.sent_seq = None

    async def receive(self, text_data=None, bytes_data=None):
        after = parse_resume(text_data)
        if after is None or self._too_chatty():
            await self.close(code=POLICY_VIOLATION)
            return
        if not await self._still_public():
            # Withdrawn since this socket connected: a resume naming a seq past the closing
            # frame must not be sent what went into the stream after it.
            await self.close(code=STREAM_CLOSED)
            return
        await self._catch_up(after)
        if self.sent_seq is not None:
            # Says "you are caught up to here", so the client knows the handshake was answered.
            self._write(frames.heartbeat_frame(self.sent_seq))

    async def _still_public(self) -> bool:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        # Looked up afresh (resumes arriving together share one read), never from what connect remembered.
        return await hub().once((type(self), slug, "resume"), lambda: self.find_stream(slug)) == self.stream_key

    def _too_chatty(self) -> bool:
        if self.recent_messages is None:
            self.recent_messages = deque(maxlen=MAX_MESSAGES)
        now, recent = time.monotonic(), self.recent_messages
        full = len(recent) == MAX_MESSAGES and now - recent[0] < PER_SECONDS
        recent.append(now)
        return full

    def deliver(self, frame: Frame) -> None:
        """A live frame from the hub: write it if it is the next one, else catch up."""
        if self.sent_seq is None:
            return  # before the handshake; its replay will include this frame
        if self.catching_up:
            if len(self.pending) < settings.LIVEBLOG_REPLAY_WINDOW:
                self.pending.append(frame)
            return
        if frame.seq <= self.sent_seq:
            return
        if frame.seq > self.sent_seq + 1:
            self._start_catch_up(self.sent_seq, newest=frame.seq)  # a frame went missing; the database has it
            return
        if self._pass_on(frame):
            self.sent_seq = frame.seq

    def heartbeat(self, heartbeat: Frame, *, write: bool = True) -> None:
        if self.sent_seq is None or self.catching_up:
            return
        if heartbeat.seq > self.sent_seq:
            self._start_catch_up(self.sent_seq, newest=heartbeat.seq)
        elif write:
            self._write(heartbeat)

    def end(self) -> None:
        """The stream is gone (its blog deleted)."""
        self.sent_seq = None
        asyncio.ensure_future(self.close(code=NOT_FOUND))

    def _pass_on(self, frame: Frame) -> bool:
        """Write the stream's next frame, or hold it back while the stream is withdrawn (the page asks
        for it again once the stream reopens); False when the reader was cut off."""
        if self.withdrawn and not frame.reopens:
            return True
        if not self._write(frame):
            return False
        if frame.closes or frame.reopens:
            self.withdrawn = frame.closes
        return True

    def _write(self, frame: Frame) -> bool:
        if self.writer.write(frame):
            return True
        self._cut_off()
        return False

    def _cut_off(self) -> None:
        # Too far behind to keep: cut off. The client reconnects and resumes from the database.
        self.sent_seq = None
        self.writer.cut_off()

    async def _paced_write(self, frame: Frame) -> bool:
        """A catch-up write: a reader that just asked to resume is reading, so a long replay
        waits for it to take in what was sent, rather than cutting it off; one that takes in
        nothing for REPLAY_PATIENCE_SECONDS has stalled after all."""
        deadline = time.monotonic() + REPLAY_PATIENCE_SECONDS
        while not self.writer.has_room():
            if self.sent_seq is None:
                return False  # cut off or closed meanwhile
            if time.monotonic() > deadline:
                self._cut_off()
                return False
            await asyncio.sleep(REPLAY_PACE_SECONDS)
        return self._pass_on(frame)

    def _start_catch_up(self, after: int, newest: int = 0) -> None:
        asyncio.ensure_future(self._catch_up(after, newest))

    async def _catch_up(self, after: int, newest: int = 0) -> None:
        if self.catching_up:
            self.rerun_after = after if self.rerun_after is None else min(after, self.rerun_after)
            return
        self.catching_up, self.pending = True, []
        try:
            replay, baseline = await hub().replay(self.stream_key, after, newest)
            self.sent_seq = baseline
            for frame in replay:  # in order; a reload frame jumps straight to the latest seq
                if not await self._paced_write(frame):
                    return
                self.sent_seq = frame.seq
            for frame in sorted(self.pending, key=lambda pending: pending.seq):
                if frame.seq == self.sent_seq + 1:
                    if not await self._paced_write(frame):
                        return
                    self.sent_seq = frame.seq
                elif frame.seq > self.sent_seq + 1 and self.rerun_after is None:
                    self.rerun_after = self.sent_seq
        finally:
            self.catching_up, self.pending = False, ()
        if self.rerun_after is not None and self.sent_seq is not None:
            after, self.rerun_after = min(self.rerun_after, self.sent_seq), None
            await self._catch_up(after)
