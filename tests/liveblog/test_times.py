"""Times a page can always show: dates kept to years it can display, and the repeated hour told apart."""

import re
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from liveblog.models import LiveBlog, Post
from liveblog.services import blog_save, post_create
from liveblog.times import DISPLAYABLE_YEARS
from tests.liveblog.test_api import post_json, token_for

pytestmark = pytest.mark.django_db

QUOTES_NONE = {"quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "0",
               "quotes-MAX_NUM_FORMS": "1000"}  # fmt: skip


def test_the_displayable_years_are_1900_to_2200():
    assert (DISPLAYABLE_YEARS[0], DISPLAYABLE_YEARS[-1]) == (1900, 2200)


@pytest.mark.parametrize("year", [1, 1899, 2201, 9999])
def test_a_blog_cannot_start_its_coverage_in_a_year_its_page_cannot_show(blog, editor, year):
    blog.starts_at = datetime(year, 12, 31, 23, 30, tzinfo=UTC)
    with pytest.raises(ValidationError) as refused:
        blog_save(blog=blog, actor=editor)
    assert refused.value.message_dict["starts_at"] == ["Choose a date between 1900 and 2200."]
    assert LiveBlog.objects.get(pk=blog.pk).starts_at.year == 2021


def test_a_post_cannot_be_dated_in_a_year_its_page_cannot_show(blog, reporter):
    LiveBlog.objects.filter(pk=blog.pk).update(starts_at=datetime(1, 1, 1, tzinfo=UTC))  # stored before the rule
    blog.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        post_create(post=Post(blog=blog, headline="Ancient", published_at=datetime(1, 1, 2, tzinfo=UTC)),
                    actor=reporter)  # fmt: skip
    assert "Choose a date between 1900 and 2200." in refused.value.message_dict["published_at"]


def test_dates_stored_out_of_range_before_the_rule_still_let_every_page_render(client, blog, reporter, editor, publish):
    ordinary = publish(reporter, headline="Ordinary", is_key_event=True)
    ancient = publish(reporter, headline="Ancient", is_key_event=True)
    Post.objects.filter(pk=ancient.pk).update(published_at=datetime(1, 1, 1, tzinfo=UTC))
    # Midnight on the last day Python knows, in UTC, is already the year 10000 in Tokyo.
    LiveBlog.objects.filter(pk=blog.pk).update(starts_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
                                               time_zone="Asia/Tokyo")  # fmt: skip
    client.raise_request_exception = False
    for url in (
        blog.get_absolute_url(),
        f"/embed/live/{blog.slug}/",
        f"/live/{blog.slug}/posts/{ordinary.pk}/",
        f"/live/{blog.slug}/key-events/",
        f"/live/{blog.slug}/feed/",
        f"/live/{blog.slug}/events?after=0",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ordinary" in response.content.decode(), url
    assert "0001-01-01T00:00:00+00:00" in client.get(blog.get_absolute_url()).content.decode()  # shown raw

    refused = post_json(client, token_for(reporter), {"headline": "From the wire", "body": "<p>Count.</p>"})
    assert refused.status_code == 400 and "9999-12-31T23:30:00+00:00" in refused.json()["errors"]["published_at"][0]

    client.force_login(editor)
    desk = ("/admin/liveblog/post/", f"/admin/liveblog/post/{ordinary.pk}/change/",
            f"/admin/liveblog/post/add/?blog={blog.pk}", f"/admin/liveblog/liveblog/{blog.pk}/change/")  # fmt: skip
    for url in desk:
        assert client.get(url).status_code == 200, url
    posted = client.post(
        "/admin/liveblog/post/add/",
        {"blog": blog.pk, "headline": "From the desk", "body": "<p>Count.</p>", "status": "published", **QUOTES_NONE},
    )
    assert posted.status_code == 200 and "a post cannot be dated earlier" in posted.content.decode()


@pytest.fixture
def night_the_clocks_went_back(blog, reporter):
    """Two posts both at 01:30 on the London clock: one in summer time, one an hour later in winter time."""
    summer = post_create(
        post=Post(
            blog=blog, headline="First 01:30", is_key_event=True, published_at=datetime(2021, 10, 31, 0, 30, tzinfo=UTC)
        ),
        actor=reporter,
    ).post
    winter = post_create(
        post=Post(
            blog=blog,
            headline="Second 01:30",
            is_key_event=True,
            published_at=datetime(2021, 10, 31, 1, 30, tzinfo=UTC),
        ),
        actor=reporter,
    ).post
    return summer, winter  # fmt: skip


def test_readers_can_tell_the_two_posts_of_the_repeated_hour_apart(client, blog, night_the_clocks_went_back):
    page = client.get(blog.get_absolute_url()).content.decode()
    key_events = page.split('id="key-events"')[1] if 'id="key-events"' in page else page
    for html in (page, key_events, client.get(f"/live/{blog.slug}/key-events/").content.decode()):
        assert "01:30 BST" in html and "01:30 GMT" in html
    assert re.search(r">01:30<", page) is None  # neither reads as a bare 01:30


def test_times_outside_the_repeated_hour_stay_bare_in_the_key_events(client, blog, reporter):
    post_create(post=Post(blog=blog, headline="Turnout", is_key_event=True,
                          published_at=datetime(2021, 5, 7, 3, 15, tzinfo=UTC)), actor=reporter)  # fmt: skip
    assert ">Fri 7 May, 04:15</time>" in client.get(f"/live/{blog.slug}/key-events/").content.decode()  # no zone


def test_a_post_in_the_repeated_hour_saves_unchanged_from_its_own_form(
    client, blog, reporter, night_the_clocks_went_back
):
    summer, winter = night_the_clocks_went_back
    client.force_login(reporter)
    for post, zone in ((winter, "GMT"), (summer, "BST")):
        form = client.get(f"/admin/liveblog/post/{post.pk}/change/").content.decode()
        shown = re.search(r'name="published_at" value="([^"]+)"', form).group(1)
        assert shown == "2021-10-31T01:30:00" and f"Saved as 01:30 {zone}" in form
        version = re.search(r'name="edited_version" value="(\d+)"', form).group(1)
        saved = client.post(f"/admin/liveblog/post/{post.pk}/change/", {
            "blog": blog.pk, "headline": post.headline + " (corrected)", "body": post.body, "status": "published",
            "published_at": shown, "edited_version": version, **QUOTES_NONE,
        })  # fmt: skip
        assert saved.status_code == 302, saved.content.decode()[:3000]
    times = dict(Post.objects.values_list("headline", "published_at"))
    assert times == {"First 01:30 (corrected)": datetime(2021, 10, 31, 0, 30, tzinfo=UTC),
                     "Second 01:30 (corrected)": datetime(2021, 10, 31, 1, 30, tzinfo=UTC)}  # fmt: skip


def test_a_new_time_typed_in_the_repeated_hour_means_its_first_occurrence(client, blog, reporter):
    client.force_login(reporter)
    saved = client.post("/admin/liveblog/post/add/", {
        "blog": blog.pk, "headline": "Typed in", "body": "<p>Count.</p>", "status": "published",
        "published_at": "2021-10-31T01:45:00", **QUOTES_NONE,
    })  # fmt: skip
    assert saved.status_code == 302
    assert Post.objects.get().published_at == datetime(2021, 10, 31, 0, 45, tzinfo=UTC)
