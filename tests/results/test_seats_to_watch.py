"""Seats to watch: editors mark them; they lead the results page, and on a night with seats to watch only their
declarations are key events in the covering blogs."""

import pytest

from demo import general_election
from liveblog.models import Post
from results.models import Contest
from streams.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def night(db, blog):
    election = general_election.create(slug="parl.watch-night", seats=6)
    blog.elections.add(election)
    return election


def declare(contest: Contest, actor) -> None:
    general_election.declare(contest, contest.position, 6, actor)


def test_only_the_watched_seats_declarations_are_key_events_once_there_are_seats_to_watch(night, results_desk):
    watched, other = night.contests.order_by("position")[:2]
    Contest.objects.filter(pk=watched.pk).update(watched=True)
    watched.refresh_from_db()

    declare(watched, results_desk)
    declare(other, results_desk)

    posts = {p.result.contest_id: p.is_key_event for p in Post.objects.select_related("result")}
    assert posts == {watched.pk: True, other.pk: False}


def test_without_seats_to_watch_every_declaration_is_a_key_event(night, results_desk):
    for contest in night.contests.order_by("position")[:2]:
        declare(contest, results_desk)
    assert list(Post.objects.values_list("is_key_event", flat=True)) == [True, True]


def test_the_seats_to_watch_lead_the_page_and_their_frames_carry_them(night, results_desk, client, editor):
    watched, other = night.contests.order_by("position")[:2]
    client.force_login(editor)
    changelist = client.get("/admin/results/contest/", {"election__id__exact": night.pk})
    assert 'name="form-0-watched"' in changelist.content.decode()  # editors tick them in the list
    Contest.objects.filter(pk=watched.pk).update(watched=True)
    watched.refresh_from_db()
    client.logout()

    before = client.get(night.get_absolute_url()).content.decode()
    section = before.split('id="seats-to-watch"')[1].split("</section>")[0]
    assert f'<a href="{watched.get_absolute_url()}">{watched.name}</a>' in section and "Expected" in section
    assert other.name not in section
    assert before.index('id="seats-to-watch"') < before.index('id="national"')

    declare(watched, results_desk)
    frame = Event.objects.filter(stream__key=night.stream_key).order_by("-seq").first().html
    assert 'id="seats-to-watch" class="watch" aria-labelledby="watch-heading" hx-swap-oob="true"' in frame
    assert "HOLD" in frame.split('id="seats-to-watch"')[1] or "GAIN" in frame.split('id="seats-to-watch"')[1]
    declare(other, results_desk)
    frame = Event.objects.filter(stream__key=night.stream_key).order_by("-seq").first().html
    assert 'id="seats-to-watch"' not in frame
