"""A post's time is when it is published; a time ahead schedules it; an ended blog needs a yes."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from liveblog.models import LiveBlog, Post
from liveblog.services import EndedBlogError, post_create, post_publish_now, post_unschedule, posts_publish_due
from streams import events
from streams.models import Event

pytestmark = pytest.mark.django_db


def kinds(blog):
    return list(Event.objects.filter(stream__key=blog.stream_key).values_list("seq", "kind"))


def test_a_post_without_a_time_is_stamped_when_it_is_published(blog, reporter):
    before = timezone.now()
    post = post_create(post=Post(blog=blog, headline="Now"), actor=reporter).post
    assert before <= post.published_at <= timezone.now()


def test_a_draft_keeps_no_time_until_it_is_published(blog, reporter):
    from liveblog.services import post_update

    draft = post_create(post=Post(blog=blog, headline="Later", status=Post.Status.DRAFT), actor=reporter).post
    assert draft.published_at is None
    draft.status = Post.Status.PUBLISHED
    before = timezone.now()
    assert before <= post_update(post=draft, actor=reporter).post.published_at <= timezone.now()


def test_the_posting_form_does_not_freeze_the_time_it_was_opened(client, blog, reporter):
    client.force_login(reporter)
    form = client.get(f"/admin/liveblog/post/add/?blog={blog.pk}").content.decode()
    time_input = next(tag for tag in form.split("<input") if 'name="published_at"' in tag).split(">")[0]
    assert 'type="datetime-local"' in time_input and "value=" not in time_input
    opened = timezone.now()
    response = client.post(
        "/admin/liveblog/post/add/",
        {"blog": blog.pk, "headline": "Written slowly", "body": "<p>Two minutes of typing.</p>", "status": "published",
         "quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "0",
         "quotes-MAX_NUM_FORMS": "1000"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Post.objects.get().published_at >= opened


def test_a_time_ahead_schedules_the_post_out_of_every_public_view(client, blog, reporter):
    at = timezone.now() + timedelta(minutes=10)
    post = post_create(post=Post(blog=blog, headline="Embargoed until ten past", published_at=at), actor=reporter)
    assert (post.post.status, post.seq) == (Post.Status.SCHEDULED, None)
    assert kinds(blog) == []
    for url in (blog.get_absolute_url(), f"/live/{blog.slug}/events?after=0", f"/live/{blog.slug}/feed/",
                f"/embed/live/{blog.slug}/"):  # fmt: skip
        assert "Embargoed" not in client.get(url).content.decode(), url
    assert client.get(f"/live/{blog.slug}/posts/{post.post.pk}/").status_code == 404
    assert post.post.published_at == at


def test_a_due_post_is_published_once_as_an_ordinary_event(client, blog, reporter, publish):
    publish(reporter, headline="Earlier")
    ahead = timezone.now() + timedelta(minutes=5)
    scheduled = post_create(post=Post(blog=blog, headline="On time", published_at=ahead), actor=reporter).post
    assert posts_publish_due() == 0  # not yet
    Post.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))  # time passes
    assert posts_publish_due() == 1
    assert posts_publish_due() == 0
    assert kinds(blog) == [(1, events.POST_PUBLISHED), (2, events.POST_PUBLISHED)]
    assert "On time" in client.get(blog.get_absolute_url()).content.decode()


def test_an_editor_publishes_a_scheduled_post_now_or_cancels_it(blog, reporter, editor):
    ahead = timezone.now() + timedelta(hours=1)
    first = post_create(post=Post(blog=blog, headline="Pulled forward", published_at=ahead), actor=reporter).post
    second = post_create(post=Post(blog=blog, headline="Called off", published_at=ahead), actor=reporter).post
    now = timezone.now()
    published = post_publish_now(post=first, actor=editor)
    assert published.post.status == Post.Status.PUBLISHED and published.post.published_at >= now and published.seq
    assert post_unschedule(post=second, actor=editor).post.status == Post.Status.DRAFT
    assert posts_publish_due() == 0
    with pytest.raises(ValidationError, match="Only a post that is scheduled"):
        post_unschedule(post=second, actor=editor)


def test_posting_into_an_ended_blog_needs_a_yes(blog, reporter):
    blog.status = LiveBlog.Status.ENDED
    blog.save()
    with pytest.raises(EndedBlogError):
        post_create(post=Post(blog=blog, headline="Afterthought"), actor=reporter)
    assert post_create(post=Post(blog=blog, headline="Afterthought"), actor=reporter, allow_ended=True).seq == 1
    with pytest.raises(ValidationError, match="nothing can be scheduled"):
        ahead = timezone.now() + timedelta(hours=1)
        post_create(post=Post(blog=blog, headline="Later", published_at=ahead), actor=reporter, allow_ended=True)


def test_the_api_answers_409_for_an_ended_blog_unless_told_to_post(client, blog, reporter):
    import json

    from tests.helpers import api_token

    blog.status = LiveBlog.Status.ENDED
    blog.save()
    headers = {"Authorization": f"Bearer {api_token(reporter)}"}
    refused = client.post(f"/api/live/{blog.slug}/posts/", json.dumps({"headline": "Late"}),
                          content_type="application/json", headers=headers)  # fmt: skip
    assert refused.status_code == 409 and "allow_ended" in refused.json()["error"]
    accepted = client.post(f"/api/live/{blog.slug}/posts/", json.dumps({"headline": "Late", "allow_ended": True}),
                           content_type="application/json", headers=headers)  # fmt: skip
    assert accepted.status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_publishing_due_posts_at_once_publish_each_exactly_once(blog, reporter):
    due = timezone.now() + timedelta(minutes=1)
    for n in range(6):
        post_create(post=Post(blog=blog, headline=f"Due {n}", published_at=due), actor=reporter)
    Post.objects.update(published_at=timezone.now() - timedelta(seconds=1))
    counts, start = [], threading.Barrier(2)

    def run():
        try:
            start.wait()
            counts.append(posts_publish_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(counts) == 6
    assert [seq for seq, _ in kinds(blog)] == [1, 2, 3, 4, 5, 6]
    assert Post.objects.filter(status=Post.Status.PUBLISHED).count() == 6
