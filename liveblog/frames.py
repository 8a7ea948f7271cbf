"""Renders the HTML fragments of the reader page and the frames pushed to its sockets.

One template per piece of UI; the full page, htmx responses and socket
frames all use the same ones. The envelope is the engine's (streams/frames.py).
"""

import re

from django.template.loader import render_to_string

from streams import events
from streams.frames import frame, remove_by_id

from .models import LiveBlog, Post
from .selectors import key_events_box, scoreboard_strips

STREAM = "#stream"
PINNED = "#pinned"
WITHDRAWN_NOTICE = "withdrawn"  # the element id of templates/liveblog/_withdrawn.html's notice


def post_html(post: Post, *, oob: str = "") -> str:
    return render_to_string("liveblog/_post.html", {"post": post, "blog": post.blog, "oob": oob})


def key_events_html(blog: LiveBlog, *, oob: bool = False) -> str:
    return render_to_string("liveblog/_key_events.html", {"blog": blog, "key_events": key_events_box(blog), "oob": oob})


def blog_header_html(blog: LiveBlog, *, oob: bool = False) -> str:
    return render_to_string("liveblog/_blog_status.html", {"blog": blog, "oob": oob, "with_id": True})


def _insert(post: Post) -> str:
    where = PINNED if post.is_pinned else STREAM
    return render_to_string("liveblog/_insert.html", {"where": where, "html": post_html(post)})


def scoreboard_strip_html(blog: LiveBlog, *, oob: bool = False) -> str:
    return render_to_string("liveblog/_scoreboard_strip.html", {"strips": scoreboard_strips(blog), "oob": oob})


def post_frame(post: Post, kind: str, *, post_id: int | None = None, extra: tuple[str, ...] = ()):
    """Return a renderer for a post event; events.append gives it the seq."""
    blog = post.blog
    if kind == events.POST_DELETED:
        parts = [remove_by_id(f"post-{post_id or post.pk}")]
    elif kind == events.POST_UPDATED:
        parts = [post_html(post, oob="true")]
    else:  # published, pinned, unpinned: (re)insert where it now belongs
        parts = [_insert(post)]
    # A new post that is not a key event leaves the Key events list as it was.
    if kind != events.POST_PUBLISHED or post.is_key_event:
        parts.append(key_events_html(blog, oob=True))
    parts.extend(extra)
    return lambda seq: frame(seq=seq, kind=kind, parts=parts)


def summary_html(blog: LiveBlog, *, oob: bool = False) -> str:
    return render_to_string("liveblog/_summary.html", {"blog": blog, "oob": oob})


def blog_frame(blog: LiveBlog, kind: str = events.BLOG_UPDATED):
    """The blog's header and summary; a blog public again (STREAM_REOPENED) also takes down the withdrawn notice."""
    parts = [blog_header_html(blog, oob=True), summary_html(blog, oob=True)]
    if kind == events.STREAM_REOPENED:
        parts.append(remove_by_id(WITHDRAWN_NOTICE))
    return lambda seq: frame(seq=seq, kind=kind, parts=parts)


def withdrawn_frame(blog: LiveBlog):
    parts = [render_to_string("liveblog/_withdrawn.html", {"blog": blog})]
    return lambda seq: frame(seq=seq, kind=events.STREAM_CLOSED, parts=parts)


def post_tombstone(post_id: int):
    """What a stored event that showed a post says once the post is withdrawn: remove it, at the event's own seq."""
    parts = [remove_by_id(f"post-{post_id}")]
    return lambda seq, html: frame(seq=seq, kind=events.POST_DELETED, parts=parts)


def without_key_event(post_id: int):
    """A stored frame's Key events lists without the post's entry (other posts' events list it too)."""
    entry = re.compile(rf'<li><a [^>]*data-post="post-{post_id}"[^>]*>.*?</a></li>', re.DOTALL)
    return lambda seq, html: entry.sub("", html)


def post_mentions(post_id: int) -> tuple[str, str]:
    """How stored frames show a post: as the post itself, and as an entry in a Key events list."""
    return f'id="post-{post_id}"', f'data-post="post-{post_id}"'
