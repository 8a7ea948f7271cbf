import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liveblog.models import LiveBlog, Post
from liveblog.services import QuoteData, post_pin
from streams.events import latest_seq
from streams.models import Event

pytestmark = pytest.mark.django_db


def post_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article id="post-(\d+)"', html)]


def bulk_posts(blog, author, count):
    from django.utils import timezone

    now = timezone.now()
    return Post.objects.bulk_create(
        Post(blog=blog, author=author, body=f"<p>Post {n}</p>", is_key_event=n % 7 == 0, published_at=now)
        for n in range(count)
    )


def test_the_reader_page_shows_headline_badge_byline_time_and_quotes(client, blog, reporter, publish):
    publish(
        reporter,
        headline="Count under way",
        quotes=[QuoteData("Every vote counts.", "Paul Williams", "Labour candidate")],
    )
    html = client.get(blog.get_absolute_url()).content.decode()
    assert "Hartlepool by-election: live" in html
    assert 'class="badge badge--live">LIVE<' in html
    assert "Amira Shah" in html and "Political correspondent" in html
    assert re.search(r'<time class="post__time" datetime="[^"]+">\d\d:\d\d (BST|GMT)</time>', html)
    assert "Every vote counts." in html and "Paul Williams" in html and "Labour candidate" in html
    assert f'data-seq="{latest_seq(blog.stream_key)}"' in html
    assert 'ws-connect="/ws/live/hartlepool/"' in html


def test_an_ended_blog_shows_an_ended_badge(client, blog):
    blog.status = LiveBlog.Status.ENDED
    blog.save()
    assert 'badge--ended">ENDED<' in client.get(blog.get_absolute_url()).content.decode()


def test_drafts_are_never_shown_to_readers(client, blog, reporter, publish):
    publish(reporter, headline="Secret draft", status=Post.Status.DRAFT)
    assert "Secret draft" not in client.get(blog.get_absolute_url()).content.decode()


def test_a_draft_blog_is_not_found(client, blog):
    blog.status = LiveBlog.Status.DRAFT
    blog.save()
    assert client.get(blog.get_absolute_url()).status_code == 404


def test_pinned_posts_sit_above_the_stream_and_key_events_are_listed(client, blog, reporter, editor, publish):
    pinned = publish(reporter, headline="Result declared", is_key_event=True)
    publish(reporter, headline="Later news")
    post_pin(post=pinned, actor=editor)
    html = client.get(blog.get_absolute_url()).content.decode()
    pinned_area = html.split('<div id="pinned">')[1].split("</section>")[0]
    stream = html.split('<div id="stream">')[1]
    assert f'id="post-{pinned.pk}"' in pinned_area
    assert f'id="post-{pinned.pk}"' not in stream
    key_events = html.split('<ol id="key-events"')[1].split("</ol>")[0]
    assert f'href="/live/hartlepool/posts/{pinned.pk}/" data-post="post-{pinned.pk}"' in key_events
    assert "Later news" not in key_events


def test_the_key_events_box_lists_the_newest_and_links_to_them_all(client, blog, reporter, publish, settings):
    settings.LIVEBLOG_KEY_EVENTS_SHOWN = 3
    events = [publish(reporter, headline=f"Declaration {n}", is_key_event=True) for n in range(1, 6)]
    box = client.get(blog.get_absolute_url()).content.decode().split('<ol id="key-events"')[1].split("</ol>")[0]
    assert [f"Declaration {n}" in box for n in range(1, 6)] == [False, False, True, True, True]
    assert 'href="/live/hartlepool/key-events/">All key events</a>' in box
    # A new key event's frame carries the box as it now is: still three, the newest on top.
    frame = publish(reporter, headline="Declaration 6", is_key_event=True)
    frame_box = Event.objects.filter(stream__key=blog.stream_key).order_by("-seq").first().html
    frame_box = frame_box.split('<ol id="key-events"')[1].split("</ol>")[0]
    assert frame_box.count("<time ") == 3 and frame_box.index("Declaration 6") < frame_box.index("Declaration 5")
    everything = client.get("/live/hartlepool/key-events/")
    assert everything.status_code == 200
    listed = everything.content.decode().split('<ol id="key-events"')[1].split("</ol>")[0]
    assert [f"posts/{post.pk}/" in listed for post in [*events, frame]] == [True] * 6
    assert "All key events" not in listed
    assert client.get("/live/no-such-blog/key-events/").status_code == 404


def test_the_stream_is_newest_first_and_pages_twenty_at_a_time(client, blog, reporter):
    posts = bulk_posts(blog, reporter, 45)  # no events: the page cache is cold for this test
    newest_first = sorted(posts, key=lambda p: (p.published_at, p.pk), reverse=True)
    html = client.get(blog.get_absolute_url()).content.decode()
    assert post_ids(html) == [p.pk for p in newest_first[:20]]
    older = re.search(r'href="(/live/hartlepool/\?before=\d+)" hx-get="\1"', html)
    assert older, "the Load older posts link works with and without htmx"

    fragment = client.get(older.group(1), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert post_ids(fragment) == [p.pk for p in newest_first[20:40]]

    last = client.get(re.search(r'href="([^"]+before=\d+)"', fragment).group(1)).content.decode()
    assert post_ids(last) == [p.pk for p in newest_first[40:]]
    assert "Load older posts" not in last


def test_the_reader_page_needs_the_same_number_of_queries_for_5_or_500_posts(client, blog, reporter, publish):
    def count_queries():
        cache.clear()  # measure a render, not a cache hit
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(blog.get_absolute_url()).status_code == 200
        return len(ctx)

    for n in range(5):
        publish(reporter, quotes=[QuoteData(f"Quote {n}", "Speaker")], is_key_event=True)
    few = count_queries()
    bulk_posts(blog, reporter, 495)
    assert count_queries() == few


def test_the_page_works_without_javascript_and_loads_htmx_from_django_htmx(client, blog, reporter, publish):
    publish(reporter, headline="Visible without scripts")
    html = client.get(blog.get_absolute_url()).content.decode()
    assert "Visible without scripts" in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/django_htmx/ext/hx-ws-2.min.js" in html
    assert "cdn" not in html.lower()


def test_a_post_stored_at_the_end_of_the_calendar_never_breaks_the_page(client, blog, reporter, publish):
    from datetime import UTC, datetime

    post = publish(reporter, headline="From a bad clock")
    Post.objects.filter(pk=post.pk).update(published_at=datetime(9999, 12, 31, 20, tzinfo=UTC))  # as old data may be
    for url in (blog.get_absolute_url(), post.get_permalink(), f"/embed/live/{blog.slug}/", f"/live/{blog.slug}/feed/"):
        assert client.get(url).status_code == 200, url


def test_key_events_after_midnight_carry_their_day_and_an_empty_list_says_nothing(client, blog, reporter, publish):
    box = client.get(blog.get_absolute_url()).content.decode().split('<ol id="key-events"')[1].split("</ol>")[0]
    assert "<li" not in box and "None yet" not in box  # the box itself is hidden while it is empty
    assert "No key events yet." in client.get(f"{blog.get_absolute_url()}key-events/").content.decode()

    blog.starts_at = datetime(2021, 5, 6, 6, 0, tzinfo=UTC)  # polls open, Thursday
    blog.save()
    publish(reporter, headline="Polls close", is_key_event=True, published_at=datetime(2021, 5, 6, 21, 0, tzinfo=UTC))
    publish(reporter, headline="Hartlepool declares", is_key_event=True,
            published_at=datetime(2021, 5, 7, 4, 25, tzinfo=UTC))  # fmt: skip
    html = client.get(blog.get_absolute_url()).content.decode()
    box = html.split('<ol id="key-events"')[1].split("</ol>")[0]
    assert ">Fri 7 May, 05:25</time> Hartlepool declares" in box
    assert ">22:00</time> Polls close" in box  # the night's first day needs no date
