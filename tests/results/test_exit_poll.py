"""The broadcasters' exit poll: an editor enters it at 22:00; it goes out as a pinned key event in every covering
blog and as the seat chart's projection on the results page."""

import pytest

from demo import general_election
from liveblog.models import Post
from results.models import ExitPoll, Party
from streams import events
from streams.models import Event

pytestmark = pytest.mark.django_db

ADD = "/admin/results/exitpoll/add/"


@pytest.fixture
def house(db):
    return general_election.create(slug="parl.test-night", seats=20)


def exit_poll_form(election, headline: str, seats: dict[str | None, int]) -> dict:
    rows = list(seats.items())
    data = {"election": election.pk, "headline": headline, "source": "BBC, ITV News and Sky News exit poll",
            "seats-TOTAL_FORMS": len(rows), "seats-INITIAL_FORMS": 0, "seats-MIN_NUM_FORMS": 0,
            "seats-MAX_NUM_FORMS": 1000}  # fmt: skip
    for i, (code, n) in enumerate(rows):
        data[f"seats-{i}-party"] = Party.objects.get(code=code).pk if code else ""
        data[f"seats-{i}-seats"] = n
    return data


def test_an_editors_exit_poll_is_pinned_in_covering_blogs_and_projected_on_the_results_page(
    client, editor, blog, house
):
    blog.elections.add(house)
    client.force_login(editor)

    answer = client.post(ADD, exit_poll_form(house, "Labour majority of 4", {"lab": 12, "con": 5, None: 3}))

    assert answer.status_code == 302, answer.content.decode()[:2000]
    poll = ExitPoll.objects.get(election=house)
    assert poll.published_at is not None
    post = Post.objects.get(blog=blog, exit_poll=poll)
    assert (post.is_pinned, post.is_key_event, post.headline) == (True, True, "Exit poll: Labour majority of 4")
    page = client.get(blog.get_absolute_url()).content.decode()
    assert "Exit poll: Labour majority of 4" in page and "Projected seats" in page
    results = client.get(house.get_absolute_url()).content.decode()
    assert "exit poll 12" in results and "11 seats for a majority" in results
    [event] = Event.objects.filter(kind=events.EXIT_POLL)
    assert 'id="national"' in event.html and "exit poll 12" in event.html


def test_correcting_the_exit_poll_updates_the_one_pinned_post(client, editor, blog, house):
    blog.elections.add(house)
    client.force_login(editor)
    client.post(ADD, exit_poll_form(house, "Labour majority of 4", {"lab": 12, "con": 5, None: 3}))
    poll = ExitPoll.objects.get()
    change = exit_poll_form(house, "Labour majority of 2", {})
    change.update({"seats-TOTAL_FORMS": 3, "seats-INITIAL_FORMS": 3})
    for i, row in enumerate(poll.seats.order_by("pk")):
        change.update({f"seats-{i}-id": row.pk, f"seats-{i}-exit_poll": poll.pk,
                       f"seats-{i}-party": row.party_id or "", f"seats-{i}-seats": row.seats})  # fmt: skip
    change["seats-0-seats"] = 11

    assert client.post(f"/admin/results/exitpoll/{poll.pk}/change/", change).status_code == 302

    [post] = Post.objects.filter(exit_poll=poll)
    assert post.headline == "Exit poll: Labour majority of 2" and post.edited_at is not None
    assert '<td class="num">11</td>' in ExitPoll.objects.get().card_html


def test_seats_beyond_the_house_are_refused_and_nothing_goes_out(client, editor, house):
    client.force_login(editor)

    answer = client.post(ADD, exit_poll_form(house, "Landslide", {"lab": 15, "con": 6}))

    assert answer.status_code == 200
    assert "add up to 21, more than the 20 being elected" in answer.content.decode()
    assert not ExitPoll.objects.exists() and not Event.objects.filter(kind=events.EXIT_POLL).exists()


def test_the_results_desk_alone_cannot_enter_an_exit_poll(client, results_desk, house):
    client.force_login(results_desk)
    assert client.post(ADD, exit_poll_form(house, "Hung parliament", {"lab": 10})).status_code == 403
    assert not ExitPoll.objects.exists()


def test_a_covering_blogs_strip_shows_the_seat_chart_and_moves_with_the_exit_poll(client, editor, blog, house):
    blog.elections.add(house)
    strip = client.get(blog.get_absolute_url()).content.decode().split('id="scoreboard-strip"')[1].split("</div>")[0]
    assert "declared 0 of 20" in strip and "11 for a majority" in strip and 'class="strip__bar"' in strip
    client.force_login(editor)

    client.post(ADD, exit_poll_form(house, "Labour majority of 4", {"lab": 12, "con": 5, None: 3}))

    frame = Event.objects.filter(stream__key=blog.stream_key).order_by("-seq").first().html
    assert 'id="scoreboard-strip" class="strip" hx-swap-oob="true"' in frame
    assert 'width="12" height="6" fill="#E4003B" fill-opacity=".4"' in frame  # Labour's projected 12
