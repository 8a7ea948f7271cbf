"""A general election night in the browser: the exit poll at 22:00 and the seat chart moving as seats declare,
on the results page and on a covering blog's strip, without a reload, at phone and desktop widths."""

import pytest

from demo import general_election
from results.exit_poll import exit_poll_publish
from results.models import ExitPoll, ExitPollSeats, Party
from tests.helpers import call_as_server, frame_reaching

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

SEATS = 12


def open_live(page, server: str, path: str) -> None:
    page.sockets = []
    page.on("websocket", lambda socket: page.sockets.append(socket))
    page.goto(f"{server}{path}")
    page.evaluate("window.__notReloaded = true")
    page.wait_for_selector('#live[data-transport="socket"]', state="attached")


def publish_exit_poll(election, editor) -> None:
    poll = ExitPoll.objects.create(election=election, headline="Labour majority of 2")
    for code, seats in (("lab", 7), ("con", 4), (None, 1)):
        ExitPollSeats.objects.create(exit_poll=poll, party=Party.objects.get(code=code) if code else None, seats=seats)
    exit_poll_publish(exit_poll=poll, actor=editor)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_exit_poll_and_each_declaration_reach_the_results_page_and_the_blog_live(
    asgi_server, browser, blog, editor, results_desk, width
):
    election = general_election.create(slug="parl.browser-night", seats=SEATS)
    blog.elections.add(election)
    context = browser.new_context(viewport={"width": width, "height": 900})
    results, live_blog = context.new_page(), context.new_page()
    open_live(results, asgi_server, election.get_absolute_url())
    open_live(live_blog, asgi_server, blog.get_absolute_url())

    with frame_reaching(results, "exit poll 7"), frame_reaching(live_blog, "Exit poll: Labour majority of 2"):
        call_as_server(publish_exit_poll, election, editor)

    pinned = live_blog.locator("#pinned article", has_text="Exit poll: Labour majority of 2")
    pinned.wait_for()
    assert "A projection, not a result" in pinned.inner_text()
    assert "exit poll 7" in results.locator("#national").inner_text()

    contest = election.contests.order_by("position").first()
    with frame_reaching(results, "1 of 12 declared"):
        call_as_server(general_election.declare, contest, 1, SEATS, results_desk)
    results.locator("#national", has_text="1 of 12 declared").wait_for()
    live_blog.locator("#scoreboard-strip", has_text="declared 1 of 12").wait_for()
    for page in (results, live_blog):
        assert page.evaluate("window.__notReloaded") is True
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
