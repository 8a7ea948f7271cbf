"""The reporters' desk in a real browser: the editor, publishing time, scheduling, approval and presence."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liveblog.models import Post
from tests.helpers import (
    EDITOR,
    call_as_server,
    log_in,
    open_page_reader,
    paste_into_editor,
    publish_from_a_server_thread,
    write_in_editor,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def desk_page(browser, server, username, viewport=DESKTOP):
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, server, username)
    return page


def test_a_reporter_writes_paragraphs_bold_and_a_link_and_the_post_is_stamped_at_publish(
    asgi_server, browser, page, blog, reporter
):
    open_page_reader(page, asgi_server, blog)
    desk = desk_page(browser, asgi_server, "reporter")
    desk.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    desk.fill("#id_headline", "Turnout in Hartlepool")
    write_in_editor(desk, "Turnout looks ")
    desk.keyboard.press("Control+b")
    desk.keyboard.type("very low")
    desk.keyboard.press("Control+b")
    desk.keyboard.type(" at the Mill House count.")
    desk.keyboard.press("Enter")
    desk.keyboard.type("Figures from ")
    paste_into_editor(desk, '<a href="https://www.hartlepool.gov.uk/elections">the council</a>')
    desk.wait_for_timeout(10_000)  # the reporter reads it over before publishing: that time must not count

    expect(desk.locator("#desk-save")).to_have_value("Publish")
    clicked = timezone.now()
    desk.locator("#desk-save").click()
    expect(desk.locator(".messagelist")).to_contain_text("Update published")

    article = page.locator("#stream article", has_text="Turnout in Hartlepool")
    expect(article).to_be_visible(timeout=3000)
    paragraphs = article.locator(".post__body > p")
    expect(paragraphs).to_have_count(2)
    expect(paragraphs.first.locator("strong")).to_have_text("very low")
    expect(paragraphs.nth(1).locator('a[href="https://www.hartlepool.gov.uk/elections"]')).to_have_text("the council")
    post = Post.objects.get()
    assert abs((post.published_at - clicked).total_seconds()) <= 2
    # Back on an empty form, with the post just published on top of the blog's latest.
    expect(desk.locator("#id_headline")).to_have_value("")
    expect(desk.locator("#latest-posts tr.just-saved")).to_contain_text("Turnout in Hartlepool")


def test_pasting_from_a_word_processor_keeps_paragraphs_and_links_only(asgi_server, browser, blog, reporter):
    desk = desk_page(browser, asgi_server, "reporter")
    desk.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    desk.locator(EDITOR).click()
    paste_into_editor(
        desk,
        "<!--StartFragment--><p class=MsoNormal style='margin:0;font-family:Calibri'><span style='color:#C00000;"
        "font-size:14pt'>Recount requested</span> in <a href='https://example.org/ward'>Seaton ward</a></p>"
        "<table><tr><td>Con 1,204</td></tr></table><p class=MsoNormal><o:p>Agents agree.</o:p></p>"
        "<img src='file:///C:/clip.png'><!--EndFragment-->",
    )
    desk.locator("#desk-save").click()
    expect(desk.locator(".messagelist")).to_contain_text("Update published")
    body = Post.objects.get().body
    assert '<a href="https://example.org/ward"' in body and "Recount requested" in body and "Agents agree." in body
    for dropped in ("style=", "class=", "<span", "<table", "<img", "<o:p", "<!--"):
        assert dropped not in body


def test_a_scheduled_post_stays_out_of_sight_then_arrives_by_itself(asgi_server, browser, page, blog, reporter):
    open_page_reader(page, asgi_server, blog)
    frames = []
    page.sockets[-1].on("framereceived", lambda payload: frames.append(payload))
    desk = desk_page(browser, asgi_server, "reporter")
    desk.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    desk.fill("#id_headline", "Embargoed statement")
    write_in_editor(desk, "Released at the agreed time.")
    at = timezone.localtime(timezone.now() + timedelta(seconds=15)).replace(microsecond=0)
    desk.fill("#id_published_at", at.strftime("%Y-%m-%dT%H:%M:%S"))
    expect(desk.locator("#desk-save")).to_have_value("Schedule")
    desk.locator("#desk-save").click()
    expect(desk.locator(".messagelist")).to_contain_text("scheduled for")

    feed = desk.request.get(f"{asgi_server}{blog.get_absolute_url()}feed/").text()
    events = desk.request.get(f"{asgi_server}{blog.get_absolute_url()}events?after=0").text()
    assert "Embargoed statement" not in feed and "Embargoed statement" not in events
    assert not any("Embargoed" in str(payload) for payload in frames)
    expect(page.locator("#stream article", has_text="Embargoed statement")).to_have_count(0)

    with page.sockets[-1].expect_event(
        "framereceived", predicate=lambda payload: "Embargoed statement" in payload, timeout=30_000
    ):
        pass
    arrived = time.time()
    expect(page.locator("#stream article", has_text="Embargoed statement")).to_be_visible()
    assert arrived >= at.timestamp() - 1
    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED and post.published_at == at


def test_a_contributors_submission_reaches_readers_only_when_an_editor_publishes_it(
    asgi_server, browser, page, blog, contributor, editor
):
    open_page_reader(page, asgi_server, blog)
    sam = desk_page(browser, asgi_server, "contributor")
    sam.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    expect(sam.locator("#desk-save")).to_have_value("Submit for approval")
    sam.fill("#id_headline", "Queue outside Mill House")
    write_in_editor(sam, "Voters queueing past ten.")
    sam.locator("#desk-save").click()
    expect(sam.locator(".messagelist")).to_contain_text("submitted for approval")

    helen = desk_page(browser, asgi_server, "editor")
    helen.goto(f"{asgi_server}/admin/liveblog/post/approval/")
    submission = helen.locator(".submission", has_text="Queue outside Mill House")
    expect(submission).to_contain_text("Voters queueing past ten.")
    # Nothing has reached the reader while it waited; a second is ample for a frame that would have been sent.
    page.wait_for_timeout(1000)
    expect(page.locator("#stream article", has_text="Queue outside Mill House")).to_have_count(0)

    submission.get_by_role("button", name="Publish").click()
    expect(helen.locator(".messagelist")).to_contain_text("Published: Queue outside Mill House")
    expect(page.locator("#stream article", has_text="Queue outside Mill House")).to_be_visible(timeout=3000)


def test_two_reporters_see_each_other_on_the_blogs_form_and_on_a_post(
    asgi_server, browser, blog, reporter, other_reporter, editor
):
    post = publish_from_a_server_thread(blog, reporter, "Shared post")
    amira = desk_page(browser, asgi_server, "reporter")
    amira.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    tom = desk_page(browser, asgi_server, "reporter2")
    tom.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    expect(amira.locator("#presence")).to_contain_text("Also writing in this blog: Tom Ellery", timeout=5000)
    expect(tom.locator("#presence")).to_contain_text("Also writing in this blog: Amira Shah", timeout=5000)

    amira.goto(f"{asgi_server}/admin/liveblog/post/{post.pk}/change/")
    editor_page = desk_page(browser, asgi_server, "editor")
    editor_page.goto(f"{asgi_server}/admin/liveblog/post/{post.pk}/change/")
    expect(editor_page.locator("#presence")).to_contain_text("Amira Shah is editing this post", timeout=5000)
    amira.close()
    expect(editor_page.locator("#presence")).not_to_contain_text("Amira Shah", timeout=5000)
    expect(tom.locator("#presence")).to_contain_text("Helen Marsh", timeout=5000)


def test_the_form_fits_a_laptop_and_a_phone_and_the_posts_list_needs_no_sideways_scroll(
    asgi_server, browser, blog, reporter, editor
):
    for _ in range(3):
        call_as_server(
            Post.objects.create, blog=blog, author=editor, status=Post.Status.PUBLISHED, published_at=timezone.now(),
            headline="Labour has held Hartlepool since the seat was created in 1974 and never lost it",
        )  # fmt: skip
    laptop = desk_page(browser, asgi_server, "reporter")
    laptop.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    for field in ("#id_headline", EDITOR, "#id_is_key_event", "#id_status", "#id_published_at", "#desk-save"):
        box = laptop.locator(field).bounding_box()
        assert box is not None and box["y"] + box["height"] <= DESKTOP["height"], field
    laptop.mouse.wheel(0, 3000)
    box = laptop.locator("#desk-save").bounding_box()
    assert box["y"] + box["height"] <= DESKTOP["height"]  # sticky: still in view after scrolling

    phone = desk_page(browser, asgi_server, "reporter", viewport=PHONE)
    phone.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = phone.locator("#desk-save").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]

    editors_list = desk_page(browser, asgi_server, "editor")
    editors_list.goto(f"{asgi_server}/admin/liveblog/post/")
    results = editors_list.locator("#changelist .results")
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth")
    for column in ("Status", "Key event", "Pinned", "Time", "Author"):
        expect(editors_list.locator("#result_list thead")).to_contain_text(column, ignore_case=True)
