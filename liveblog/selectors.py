"""Read rules for the reader page, each a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings

from . import events
from .models import LiveBlog, Post


@dataclass
class StreamPage:
    posts: list[Post]
    older_cursor: int | None  # id of the last post shown, when older posts exist


@dataclass
class ReaderPage:
    blog: LiveBlog
    seq: int
    pinned: list[Post]
    key_events: list[Post]
    stream: StreamPage


def _with_blog(posts, blog: LiveBlog) -> list[Post]:
    posts = list(posts)
    for post in posts:
        post.blog = blog  # templates need the blog's zone; avoid a query per post
    return posts


def stream_page(blog: LiveBlog, *, before: Post | None = None) -> StreamPage:
    size = settings.LIVEBLOG_PAGE_SIZE
    posts = blog.posts.stream().for_display()
    if before is not None:
        posts = posts.older_than(before)
    posts = _with_blog(posts[: size + 1], blog)
    more = len(posts) > size
    posts = posts[:size]
    return StreamPage(posts=posts, older_cursor=posts[-1].pk if more else None)


def reader_page(blog: LiveBlog, *, before: Post | None = None) -> ReaderPage:
    # Read the seq before the posts: a post published in between is then both
    # on the page and replayed, and replays are idempotent. The other order loses it.
    seq = events.latest_seq(blog.stream_key)
    return ReaderPage(
        blog=blog,
        seq=seq,
        pinned=_with_blog(blog.posts.pinned().for_display(), blog),
        key_events=list(blog.posts.key_event_links()),
        stream=stream_page(blog, before=before),
    )


def cursor_post(blog: LiveBlog, raw: str | None) -> Post | None:
    if not raw or not raw.isdigit():
        return None
    return blog.posts.published().filter(pk=int(raw)).only("id", "published_at").first()
