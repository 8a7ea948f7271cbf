"""Event streams: kinds, stream keys, group names, appending and broadcasting.

This is the only module that builds a stream key or group name, or moves a
stream's seq. A live blog has one stream; so does each election's results page.
The path of one change from a writer to a reader: docs/architecture.md.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from .models import Event, Stream
from .wire import encode_text_message

logger = logging.getLogger(__name__)

# Not timeouts: a frozen Redis would make the reporter wait twice as long for nothing.
CONNECTION_ERRORS = (ConnectionError, redis.exceptions.ConnectionError)

POST_PUBLISHED = "post.published"
POST_UPDATED = "post.updated"
POST_DELETED = "post.deleted"
POST_PINNED = "post.pinned"
POST_UNPINNED = "post.unpinned"
BLOG_UPDATED = "blog.updated"
# The stream stops being public (a blog taken back to draft): readers are told, and sent nothing more
# until it is public again (STREAM_REOPENED), when they resume from where it closed.
STREAM_CLOSED = "stream.closed"
STREAM_REOPENED = "stream.reopened"
RESULT_STATUS = "result.status"
RESULT_DECLARED = "result.declared"
RESULT_CORRECTED = "result.corrected"
EXIT_POLL = "result.exit-poll"

# Frames that are not events: they carry the stream's latest seq.
RELOAD = "reload"
HEARTBEAT = "heartbeat"

# Message type handled by the reader consumers (channels maps "." to "_").
SOCKET_MESSAGE_TYPE = "stream.event"
# Tells every process's hub that stored events of a stream were rewritten: frames it remembers are stale.
REWRITTEN_MESSAGE_TYPE = "stream.rewritten"
# Tells every process's hub that a stream is gone (its blog deleted): drop its readers, frames and pages.
GONE_MESSAGE_TYPE = "stream.gone"


def blog_stream(blog_id: int) -> str:
    return f"blog-{blog_id}"


def election_stream(election_id: int) -> str:
    return f"election-{election_id}"


def group_name(stream_key: str) -> str:
    return f"stream.{stream_key}"


@dataclass(frozen=True)
class Frame:
    """What a reader socket is sent: already-rendered text and its seq.

    Its encodings are made once, when first asked for, and shared by every reader.
    """

    seq: int
    text: str
    closes: bool = False  # the stream is withdrawn from here: what follows is held back...
    reopens: bool = False  # ...until this, when it is public again

    @classmethod
    def of_event(cls, seq: int, html: str, kind: str) -> "Frame":
        return cls(seq=seq, text=html, closes=kind == STREAM_CLOSED, reopens=kind == STREAM_REOPENED)

    @cached_property
    def wire(self) -> bytes:
        return encode_text_message(self.text)

    @cached_property
    def message(self) -> dict:
        return {"type": "websocket.send", "text": self.text}


def latest_seq(stream_key: str) -> int:
    return Stream.objects.filter(key=stream_key).values_list("last_seq", flat=True).first() or 0


def _bump_seq(stream_key: str) -> tuple[int, int] | None:
    """Add one to the stream's seq; returns (stream id, new seq), or None if there is no stream yet."""
    # One statement, where the ORM would need an UPDATE and then a SELECT (PostgreSQL and SQLite both return rows).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE streams_stream SET last_seq = last_seq + 1 WHERE key = %s RETURNING id, last_seq", [stream_key]
        )
        return cursor.fetchone()


def _next_seq(stream_key: str) -> tuple[int, int]:
    """Reserve the stream's next seq inside the caller's transaction.

    The UPDATE takes the row lock, so concurrent writers queue here and the
    numbers come out gapless and in commit order.
    """
    reserved = _bump_seq(stream_key)
    if reserved is None:
        Stream.objects.get_or_create(key=stream_key)
        reserved = _bump_seq(stream_key)
    return reserved


def append(*, stream_key: str, kind: str, render) -> Event:
    """Append an event and schedule its broadcast for after commit.

    `render(seq)` returns the frame html; it gets the seq so the frame's root
    element can carry data-seq.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events must be appended inside the writing transaction.")
    stream_id, seq = _next_seq(stream_key)
    event = Event.objects.create(stream_id=stream_id, seq=seq, kind=kind, html=render(seq))
    frame = Frame.of_event(seq, event.html, kind)
    transaction.on_commit(lambda: broadcast(stream_key, frame))
    return event


def broadcast(stream_key: str, frame: Frame) -> None:
    """Send a committed frame to every reader; never fails the write.

    This process's own readers get it first, directly (streams.fanout.deliver_local);
    the channel layer carries it to every process's, this one's included.
    """
    from .fanout import deliver_local  # fanout imports this module for its kinds and frames

    deliver_local(stream_key, frame)
    message = {"type": SOCKET_MESSAGE_TYPE, "stream": stream_key, "seq": frame.seq, "text": frame.text}
    if frame.closes:
        message["closes"] = True
    if frame.reopens:
        message["reopens"] = True
    _send_to_processes(stream_key, message, f"seq {frame.seq}")


def _send_to_processes(stream_key: str, message: dict, what: str) -> None:
    send = async_to_sync(get_channel_layer().group_send)
    try:
        try:
            send(group_name(stream_key), message)
        except CONNECTION_ERRORS:
            # A connection Redis dropped (a restart) fails on its first use and is replaced: one retry.
            send(group_name(stream_key), message)
    except Exception as error:
        # Expected whenever Redis is away, so one line, not a traceback per publish.
        logger.error(
            "Broadcast of %s %s failed (%s: %s); readers will catch up",
            stream_key, what, type(error).__name__, error,
        )  # fmt: skip


def rewrite_stored(*, stream_key: str, containing: str, rewrite: Callable[[int, str], str]) -> int:
    """Rewrite, at the same seq, every stored event of the stream whose html contains `containing`;
    returns how many. For text that must stop being public: a deleted post's, say.

    Inside the writing transaction, which also appends the event saying so: pages, ETags and
    caches are keyed by the latest seq, so that event is what retires their copies. After commit
    every process's hub forgets the frames it remembers for resumes, so no replay serves the old
    text again.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Stored events are rewritten inside the writing transaction.")
    rows = Event.objects.select_for_update().filter(stream__key=stream_key, html__contains=containing)
    changed = [event for event in rows.only("pk", "seq", "html") if _rewritten(event, rewrite)]
    Event.objects.bulk_update(changed, ["html"])
    if changed:
        transaction.on_commit(lambda: forget_replay(stream_key))
    return len(changed)


def _rewritten(event: Event, rewrite: Callable[[int, str], str]) -> bool:
    html = rewrite(event.seq, event.html)
    changed, event.html = html != event.html, html
    return changed


def forget_replay(stream_key: str) -> None:
    """Every process's hub drops the frames of the stream it remembers; its next resume reads the database."""
    from .fanout import forget_local  # fanout imports this module for its kinds and frames

    forget_local(stream_key)
    _send_to_processes(stream_key, {"type": REWRITTEN_MESSAGE_TYPE, "stream": stream_key}, "rewrite")


def events_after(stream_key: str, seq: int, limit: int) -> list[Frame]:
    rows = Event.objects.filter(stream__key=stream_key, seq__gt=seq).order_by("seq")[:limit]
    return frames_of(rows.values_list("seq", "html", "kind"))


def frames_of(rows) -> list[Frame]:
    """Frames from stored (seq, html, kind) rows."""
    return [Frame.of_event(seq, html, kind) for seq, html, kind in rows]


def stream_delete(*, stream_key: str) -> None:
    """Delete a stream and its events, with what it belonged to; after commit every process drops
    its readers, the frames it remembers and the pages it keeps in memory."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A stream is deleted inside the transaction deleting what it belonged to.")
    Stream.objects.filter(key=stream_key).delete()
    transaction.on_commit(lambda: _forget_stream(stream_key))


def _forget_stream(stream_key: str) -> None:
    from .fanout import end_local  # fanout imports this module for its kinds and frames

    end_local(stream_key)
    _send_to_processes(stream_key, {"type": GONE_MESSAGE_TYPE, "stream": stream_key}, "deletion")
