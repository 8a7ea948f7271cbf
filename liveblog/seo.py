"""What search engines and other sites read: schema.org LiveBlogPosting and share-card tags."""

from datetime import timedelta

from django.utils.text import Truncator

from .models import LiveBlog, Post

UPDATES_LISTED = 20
# Search engines want an end time while a blog is live; it moves on as the blog does.
LIVE_HORIZON = timedelta(hours=12)


def _iso(value) -> str:
    return value.isoformat(timespec="seconds")


def _plus(moment, delta):
    """moment + delta, or moment itself where that would pass the calendar's end: stored data never breaks a page."""
    try:
        return moment + delta
    except OverflowError:
        return moment


def post_summary(post: Post) -> str:
    return Truncator(post.body_text).chars(200) or post.headline


def live_blog_posting(blog: LiveBlog, posts: list[Post], absolute) -> dict:
    """schema.org LiveBlogPosting with the latest updates as BlogPosting entries."""
    newest = max((p.published_at for p in posts), default=blog.created_at)
    start = min((p.published_at for p in posts), default=blog.created_at)
    end = newest if blog.status == LiveBlog.Status.ENDED else _plus(newest, LIVE_HORIZON)
    return {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": absolute(blog.get_absolute_url()),
        "url": absolute(blog.get_absolute_url()),
        "headline": blog.title,
        "description": blog.standfirst,
        "coverageStartTime": _iso(start),
        "coverageEndTime": _iso(end),
        "dateModified": _iso(newest),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": post.headline or Truncator(post.body_text).chars(100),
                "datePublished": _iso(post.published_at),
                "dateModified": _iso(post.edited_at or post.published_at),
                "url": absolute(post.get_permalink()),
                "articleBody": post.body_text,
                "author": {"@type": "Person", "name": post.byline[0]},
            }
            for post in sorted(posts, key=lambda p: p.published_at, reverse=True)[:UPDATES_LISTED]
        ],
    }


def share_tags(*, title: str, description: str, url: str, image: str = "") -> list[tuple[str, str, str]]:
    """(attribute, name, content) for OpenGraph and Twitter card meta tags."""
    tags = [
        ("name", "description", description),
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
    return tags
