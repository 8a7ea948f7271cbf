"""A reader who waits at the top of the page sees the news arrive, whatever is pinned above the stream."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from liveblog.services import blog_save, post_pin
from tests.helpers import (
    call_as_server,
    declare_demo_contest,
    frame_reaching,
    open_page_reader,
    publish_from_a_server_thread,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

# DOCS_SCREENSHOTS=docs/screenshots bin/test … refreshes the README's pictures from this test.
SCREENSHOTS = os.environ.get("DOCS_SCREENSHOTS")
SCREENS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
LONG_BODY = "".join(f"<p>Paragraph {n} of the returning officer's statement, read out in full at the count.</p>"
                    for n in range(12))  # fmt: skip


def pinned_night(blog, night, reporter, editor, results_desk):
    """The demo's shape: Hartlepool's 16-candidate card and a long post pinned above the stream."""
    blog.elections.add(night["hartlepool-2021"])
    call_as_server(declare_demo_contest, "hartlepool", results_desk)
    call_as_server(post_pin, post=blog.posts.get(result__isnull=False), actor=editor)
    statement = publish_from_a_server_thread(blog, reporter, "The returning officer's statement", body=LONG_BODY)
    call_as_server(post_pin, post=statement, actor=editor)
    for n in range(3):
        publish_from_a_server_thread(blog, reporter, f"Earlier update {n}")


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_reader_at_the_top_sees_a_new_key_event_arrive_within_the_first_screen(
    asgi_server, browser, blog, night, reporter, editor, results_desk, screen, tmp_path
):
    pinned_night(blog, night, reporter, editor, results_desk)
    page = browser.new_page(viewport=SCREENS[screen])
    open_page_reader(page, asgi_server, blog)
    expect(page.locator("#pinned .card--compact")).to_have_count(1)  # the card is folded to its winner
    with frame_reaching(page, "Labour concedes"):
        publish_from_a_server_thread(blog, reporter, "Labour concedes Hartlepool", is_key_event=True)
    button = page.locator("#new-updates")
    expect(button).to_have_text("1 new update")
    assert in_viewport(page, button)
    page.screenshot(path=str(Path(SCREENSHOTS or tmp_path) / f"above-the-fold-{screen}.png"))
    button.click()
    expect(page.locator("#stream .post__headline", has_text="Labour concedes")).to_be_in_viewport()


def test_full_result_opens_the_pinned_card_in_place_and_read_more_unfolds_a_long_post(
    asgi_server, page, blog, night, reporter, editor, results_desk
):
    pinned_night(blog, night, reporter, editor, results_desk)
    open_page_reader(page, asgi_server, blog)
    card = page.locator("#pinned .card")
    expect(card.locator("tbody tr")).to_have_count(16)
    expect(card.locator("tbody tr:visible")).to_have_count(1)
    shares = card.locator(".share-bar span")  # one line for the whole field, winner first
    expect(shares).to_have_count(16)
    assert shares.first.evaluate("s => s.style.width") == "51.9%"
    page.locator("#pinned .fold-toggle", has_text="Full result").click()
    expect(card.locator("tbody tr:visible")).to_have_count(16)
    body = page.locator("#pinned .post__body")
    folded = body.evaluate("b => b.clientHeight")
    page.locator("#pinned .fold-toggle", has_text="Read more").click()
    assert body.evaluate("b => b.clientHeight") > folded * 2


def test_a_hidden_tab_counts_unread_updates_in_its_title(asgi_server, page, blog, reporter):
    open_page_reader(page, asgi_server, blog)
    title = page.title()
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    for n in range(3):
        with frame_reaching(page, f"Update {n}"):
            publish_from_a_server_thread(blog, reporter, f"Update {n}")
    expect(page).to_have_title(f"(3) {title}")
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});
                             document.dispatchEvent(new Event('visibilitychange')); }""")
    expect(page).to_have_title(title)


def test_a_dropped_connection_says_reconnecting_then_back_live(asgi_server, page, blog):
    refuse = {"now": False}

    def proxy(ws):
        if refuse["now"]:
            ws.close(code=1011, reason="away")
        else:
            ws.connect_to_server()
            proxy.current = ws

    page.route_web_socket(re.compile(r".*/ws/live/.*"), proxy)
    open_page_reader(page, asgi_server, blog)
    page.evaluate("document.getElementById('live').dataset.retryMs = '500'")
    refuse["now"] = True
    proxy.current.close(code=1011, reason="test")
    notice = page.locator("#connection-notice")
    expect(notice).to_contain_text("Reconnecting", timeout=8000)
    refuse["now"] = False
    expect(notice).to_have_text("Back live.", timeout=15000)
    expect(notice).to_be_hidden(timeout=8000)


def test_an_ended_blog_has_no_pause_and_an_empty_one_says_so(asgi_server, browser, page, blog, editor):
    open_page_reader(page, asgi_server, blog)
    expect(page.locator(".stream-empty")).to_contain_text("No updates yet")
    expect(page.locator("#pause-live")).to_be_visible()
    blog.status = blog.Status.ENDED
    call_as_server(blog_save, blog=blog, actor=editor)
    later = browser.new_page()  # a reader arriving after it ended (the first page may keep its copy a few seconds)
    later.goto(f"{asgi_server}{blog.get_absolute_url()}")
    expect(later.locator("#pause-live")).to_have_count(0)
    later.close()
