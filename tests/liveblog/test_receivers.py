"""A declaration reaches the live blogs that cover its election, through the results' signal."""

import pytest
from channels.db import database_sync_to_async

from demo.night import demo_entry
from liveblog.models import LiveBlog, Post
from liveblog.services import post_pin
from results.models import Contest, Result
from streams import events
from streams.models import Event
from tests.helpers import declare_demo_contest as declare
from tests.helpers import open_reader

pytestmark = pytest.mark.django_db


def test_a_declaration_reaches_every_covering_live_blog_as_a_key_event_card(night, blog, results_desk, editor):
    blog.elections.add(night["hartlepool-2021"])
    hartlepool = Contest.objects.get(slug="hartlepool")
    declare("hartlepool", results_desk)
    post = Post.objects.get(blog=blog)
    assert post.result.contest == hartlepool and post.is_key_event and post.is_published
    assert post.headline == "Hartlepool: Con GAIN from Lab"
    blog_events = Event.objects.filter(stream__key=blog.stream_key)
    assert list(blog_events.values_list("seq", "kind")) == [(1, events.POST_PUBLISHED)]
    assert f'id="result-{hartlepool.pk}"' in blog_events.get().html
    election_events = Event.objects.filter(stream__key=night["hartlepool-2021"].stream_key)
    assert list(election_events.values_list("kind", flat=True)) == [events.RESULT_DECLARED]
    assert 'id="scoreboard" class="scoreboard" aria-label="Scoreboard" hx-swap-oob="true"' in election_events.get().html


def test_a_correction_updates_the_card_in_place_everywhere(night, blog, results_desk, editor):
    blog.elections.add(night["hartlepool-2021"])
    hartlepool = Contest.objects.get(slug="hartlepool")
    declare("hartlepool", results_desk)
    post_pin(post=Post.objects.get(blog=blog), actor=editor)
    _, entry = demo_entry(hartlepool)
    declare("hartlepool", results_desk, entry=entry, reason="Typing slip in the rejected ballots.")
    last = Event.objects.filter(stream__key=blog.stream_key).order_by("-seq").first()
    assert last.kind == events.POST_UPDATED
    assert 'hx-swap-oob="true"' in last.html and "Corrected" in last.html
    post = Post.objects.get(blog=blog)
    assert post.is_pinned and post.edited_at is not None
    election_event = Event.objects.filter(stream__key=night["hartlepool-2021"].stream_key).order_by("-seq").first()
    assert election_event.kind == events.RESULT_CORRECTED
    assert f'<section hx-swap-oob="true" id="result-{hartlepool.pk}"' in election_event.html


def test_a_draft_or_uncovering_blog_gets_no_card(night, blog, results_desk):
    draft = LiveBlog.objects.create(title="Draft", slug="draft", status=LiveBlog.Status.DRAFT)
    draft.elections.add(night["hartlepool-2021"])
    blog.elections.add(night["local-2021"])
    declare("hartlepool", results_desk)
    assert not Post.objects.exists()


def test_a_blog_that_cannot_take_the_card_refuses_the_whole_declaration(night, blog, results_desk, monkeypatch):
    from liveblog import receivers

    def failing_card(**kwargs):
        raise RuntimeError("the blog could not be written")

    blog.elections.add(night["hartlepool-2021"])
    monkeypatch.setattr(receivers, "post_result_card", failing_card)
    with pytest.raises(RuntimeError):
        declare("hartlepool", results_desk)
    assert not Result.objects.filter(current__isnull=False).exists()
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
async def test_a_live_blog_reader_receives_the_card_when_a_covered_election_declares(night, blog, results_desk):
    await database_sync_to_async(blog.elections.add)(night["hartlepool-2021"])
    communicator = await open_reader(blog)
    await database_sync_to_async(declare)("hartlepool", results_desk)
    frame = await communicator.receive_from(timeout=3)
    assert 'data-kind="post.published"' in frame and 'class="card card--constituency"' in frame
    assert "6,940" in frame
    await communicator.disconnect()
