"""Read rules for the reader page, each a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models

from results.scoreboard import Strip, declared_counts
from streams import events
from streams.http import whole_number

from .models import LiveBlog, Post


@dataclass
class StreamPage:
    posts: list[Post]
    older_cursor: int | None  # id of the last post shown, when older posts exist


@dataclass
class KeyEvents:
    posts: list[Post]
    more: bool  # older key events exist than those listed: the box links to them all


@dataclass
class ReaderPage:
    blog: LiveBlog
    seq: int
    pinned: list[Post]
    key_events: KeyEvents
    stream: StreamPage
    scoreboards: list[Strip] | None = None
    focus: Post | None = None


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


def reader_page(blog: LiveBlog, *, before: Post | None = None, focus: Post | None = None) -> ReaderPage:
    # Read the seq before the posts: a post published in between is then both
    # on the page and replayed, and replays are idempotent. The other order loses it.
    seq = events.latest_seq(blog.stream_key)
    return ReaderPage(
        blog=blog,
        seq=seq,
        pinned=_with_blog(blog.posts.pinned().for_display(), blog),
        key_events=key_events_box(blog),
        stream=stream_page(blog, before=before),
        scoreboards=scoreboard_strips(blog),
        focus=focus,
    )


def key_events_box(blog: LiveBlog) -> KeyEvents:
    """The newest key events, as many as the box lists; a night of 650 declarations lists the latest."""
    shown = settings.LIVEBLOG_KEY_EVENTS_SHOWN
    posts = _with_blog(blog.posts.key_event_links()[: shown + 1], blog)
    return KeyEvents(posts=posts[:shown], more=len(posts) > shown)


def all_key_events(blog: LiveBlog) -> KeyEvents:
    """Every key event, newest first: the page the box links to when it lists only the latest."""
    return KeyEvents(posts=_with_blog(blog.posts.key_event_links(), blog), more=False)


def scoreboard_strips(blog: LiveBlog) -> list[Strip]:
    """ "Declared x of y" for each election the blog covers."""
    return declared_counts(blog.elections.all())


def permalink_page(blog: LiveBlog, post: Post) -> ReaderPage:
    """The reader page with this post in view: the stream starts at it when it is not among the newest."""
    in_top = (
        post.is_pinned
        or blog.posts.stream()
        .filter(models.Q(published_at__gt=post.published_at) | models.Q(published_at=post.published_at, id__gt=post.id))
        .count()
        < settings.LIVEBLOG_PAGE_SIZE
    )
    newer = None
    if not in_top:
        newer = (
            blog.posts.stream().filter(
                models.Q(published_at__gt=post.published_at)
                | models.Q(published_at=post.published_at, id__gt=post.id)
            ).order_by("published_at", "id").only("id", "published_at").first()
        )  # fmt: skip
    return reader_page(blog, before=newer, focus=post)


def cursor_post(blog: LiveBlog, raw: str | None) -> Post | None:
    post_id = whole_number(raw)
    if post_id is None:
        return None
    return blog.posts.published().filter(pk=post_id).only("id", "published_at").first()


@dataclass(frozen=True)
class BlogLists:
    """The public blogs as a front page lists them: live now, coming up, and ended."""

    live: list[LiveBlog]
    upcoming: list[LiveBlog]
    ended: list[LiveBlog]


def blog_lists(now) -> BlogLists:
    """A live blog whose coverage starts later is coming up; live ones newest first, coming ones soonest first."""
    blogs = LiveBlog.objects.public()
    return BlogLists(
        live=list(blogs.filter(status=LiveBlog.Status.LIVE, starts_at__lte=now).order_by("-starts_at")),
        upcoming=list(blogs.filter(status=LiveBlog.Status.LIVE, starts_at__gt=now).order_by("starts_at")),
        ended=list(blogs.filter(status=LiveBlog.Status.ENDED).order_by("-starts_at")),
    )
