"""The event stream of a live blog: kinds, group names, appending and broadcasting.

This is the only module that builds a group name or changes a blog's seq.
"""

import logging
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from .models import Event, LiveBlog

logger = logging.getLogger(__name__)

POST_PUBLISHED = "post.published"
POST_UPDATED = "post.updated"
POST_DELETED = "post.deleted"
POST_PINNED = "post.pinned"
POST_UNPINNED = "post.unpinned"
BLOG_UPDATED = "blog.updated"

# Message type handled by the reader consumer (channels maps "." to "_").
SOCKET_MESSAGE_TYPE = "blog.event"


def group_name(blog_id: int) -> str:
    return f"liveblog.{blog_id}"


@dataclass(frozen=True)
class Frame:
    """What a reader socket is sent: already-rendered bytes and their seq."""

    seq: int
    text: str


def next_seq(blog_id: int) -> int:
    """Reserve the blog's next sequence number inside the caller's transaction.

    The UPDATE takes the row lock, so concurrent writers queue here and the
    numbers come out gapless and in commit order.
    """
    LiveBlog.objects.filter(pk=blog_id).update(last_seq=F("last_seq") + 1)
    return LiveBlog.objects.filter(pk=blog_id).values_list("last_seq", flat=True).get()


def append(*, blog_id: int, kind: str, render) -> Event:
    """Append an event and schedule its broadcast for after commit.

    `render(seq)` returns the frame html; it gets the seq so the frame's root
    element can carry data-seq.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Events must be appended inside the writing transaction.")
    seq = next_seq(blog_id)
    event = Event.objects.create(blog_id=blog_id, seq=seq, kind=kind, html=render(seq))
    frame = Frame(seq=seq, text=event.html)
    transaction.on_commit(lambda: broadcast(blog_id, frame))
    return event


def broadcast(blog_id: int, frame: Frame) -> None:
    """Send a committed frame to every reader; never fails the write."""
    layer = get_channel_layer()
    message = {"type": SOCKET_MESSAGE_TYPE, "seq": frame.seq, "text": frame.text}
    try:
        async_to_sync(layer.group_send)(group_name(blog_id), message)
    except Exception:
        logger.exception("Broadcast of blog %s seq %s failed; readers will catch up", blog_id, frame.seq)


def events_after(blog_id: int, seq: int, limit: int) -> list[Frame]:
    rows = Event.objects.filter(blog_id=blog_id, seq__gt=seq).order_by("seq").values_list("seq", "html")[:limit]
    return [Frame(seq=s, text=html) for s, html in rows]
