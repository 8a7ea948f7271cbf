"""The reader page stays complete through dropped sockets, odd close codes and lost networks."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import call_as_server, open_page_reader, publish_from_a_server_thread

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def stream_headlines(page):
    return page.locator("#stream .post__headline").all_inner_texts()


def fast_retries(page):
    page.evaluate("document.getElementById('live').dataset.retryMs = '100'")
    page.evaluate("document.getElementById('live').dataset.pollMs = '500'")


@pytest.mark.parametrize("code", [1000, 1011])
def test_the_page_reconnects_after_any_close_code_and_catches_up(asgi_server, page, blog, reporter, code):
    sockets = []

    def proxy(ws):
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(r".*/ws/live/.*"), proxy)
    open_page_reader(page, asgi_server, blog)
    fast_retries(page)
    assert len(sockets) == 1
    sockets[0].close(code=code, reason="test")
    publish_from_a_server_thread(blog, reporter, f"Published after a {code} close")
    expect(page.locator("#stream")).to_contain_text(f"Published after a {code} close", timeout=5000)
    assert len(sockets) == 2
    assert page.evaluate("window.__notReloaded") is True


def test_offline_reader_gets_every_missed_post_once_and_in_order(asgi_server, browser, blog, reporter):
    context = browser.new_context()
    page = context.new_page()
    open_page_reader(page, asgi_server, blog)
    fast_retries(page)
    context.set_offline(True)
    for n in (1, 2, 3):
        publish_from_a_server_thread(blog, reporter, f"Missed {n}")
    page.wait_for_timeout(500)  # stays offline a while, as a train in a tunnel does; nothing to wait for
    context.set_offline(False)
    expect(page.locator("#stream .post")).to_have_count(3, timeout=10000)
    assert stream_headlines(page) == ["Missed 3", "Missed 2", "Missed 1"]
    assert page.evaluate("window.__notReloaded") is True
    context.close()


def test_after_repeated_socket_failures_the_page_polls_then_returns_to_the_socket(asgi_server, page, blog, reporter):
    allow = {"socket": False}

    def gate(ws):
        if allow["socket"]:
            ws.connect_to_server()
        else:
            ws.close(code=4000, reason="refused for the test")

    page.route_web_socket(re.compile(r".*/ws/live/.*"), gate)
    page.goto(f"{asgi_server}{blog.get_absolute_url()}")
    fast_retries(page)
    expect(page.locator("#live")).to_have_attribute("data-transport", "polling", timeout=10000)
    publish_from_a_server_thread(blog, reporter, "Arrived by polling")
    expect(page.locator("#stream")).to_contain_text("Arrived by polling", timeout=5000)

    allow["socket"] = True
    expect(page.locator("#live")).to_have_attribute("data-transport", "socket", timeout=10000)
    publish_from_a_server_thread(blog, reporter, "Arrived by socket")
    expect(page.locator("#stream")).to_contain_text("Arrived by socket", timeout=5000)
    assert stream_headlines(page) == ["Arrived by socket", "Arrived by polling"]


def test_a_withdrawn_blog_says_so_shows_nothing_new_and_carries_on_without_a_reload_when_it_returns(
    asgi_server, page, blog, editor, reporter
):
    from liveblog.models import LiveBlog
    from liveblog.services import blog_save

    open_page_reader(page, asgi_server, blog)
    blog.status = LiveBlog.Status.DRAFT
    call_as_server(blog_save, blog=blog, actor=editor)
    expect(page.locator("#withdrawn")).to_contain_text("unavailable", timeout=5000)
    expect(page.locator("#live")).to_have_attribute("data-closed", "true")
    publish_from_a_server_thread(blog, reporter, "Filed while withdrawn")
    page.wait_for_timeout(1000)  # as long as a frame takes to arrive: nothing may
    assert stream_headlines(page) == []

    blog.status = LiveBlog.Status.LIVE
    call_as_server(blog_save, blog=blog, actor=editor)
    expect(page.locator("#stream")).to_contain_text("Filed while withdrawn", timeout=5000)
    expect(page.locator("#withdrawn")).to_have_count(0)
    publish_from_a_server_thread(blog, reporter, "Filed after the return")
    expect(page.locator("#stream")).to_contain_text("Filed after the return", timeout=5000)
    assert stream_headlines(page) == ["Filed after the return", "Filed while withdrawn"]
    assert page.evaluate("window.__notReloaded") is True


def record_notices(page):
    """Every text the connection notice shows, in order, however briefly."""
    page.evaluate("""() => {
        window.__notices = [];
        const notice = document.getElementById("connection-notice");
        new MutationObserver(() => window.__notices.push(notice.textContent))
            .observe(notice, {childList: true, characterData: true, subtree: true});
    }""")


def test_a_socket_gone_silent_without_closing_is_given_up_after_three_missed_heartbeats_and_caught_up(
    servers, page, blog, reporter
):
    server = "http://" + servers(LIVEBLOG_HEARTBEAT_SECONDS="1")
    sockets, silent = [], {"now": False}

    def proxy(ws):
        upstream = ws.connect_to_server()
        upstream.on_message(lambda message: None if silent["now"] and ws is sockets[0] else ws.send(message))
        sockets.append(ws)

    page.route_web_socket(re.compile(r".*/ws/live/.*"), proxy)
    open_page_reader(page, server, blog)
    assert page.locator("#live").get_attribute("data-heartbeat-ms") == "1000"
    record_notices(page)
    silent["now"] = True  # the first socket stays open and hears nothing more, as a dead network does
    publish_from_a_server_thread(blog, reporter, "Published into the silence")
    expect(page.locator("#stream")).to_contain_text("Published into the silence", timeout=10000)
    expect(page.locator("#connection-notice")).to_have_text("Back live.", timeout=5000)
    assert page.evaluate("window.__notices")[0].startswith("Reconnecting…")
    assert len(sockets) == 2 and page.evaluate("window.__notReloaded") is True
    assert stream_headlines(page).count("Published into the silence") == 1


def test_going_offline_says_reconnecting_and_coming_back_dials_again_and_catches_up(
    asgi_server, browser, blog, reporter
):
    context = browser.new_context()
    page = context.new_page()
    open_page_reader(page, asgi_server, blog)
    context.set_offline(True)  # the browser's offline event; its socket may not close for minutes
    expect(page.locator("#connection-notice")).to_contain_text("Reconnecting", timeout=1000)
    publish_from_a_server_thread(blog, reporter, "Published while offline")
    context.set_offline(False)
    expect(page.locator("#stream")).to_contain_text("Published while offline", timeout=10000)
    expect(page.locator("#connection-notice")).to_have_text("Back live.", timeout=5000)
    assert page.evaluate("window.__notReloaded") is True
    context.close()
