import pytest
from playwright.sync_api import expect

from liveblog import services
from tests.helpers import call_as_server, log_in, open_page_reader, publish_from_a_server_thread, write_in_editor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_a_reporters_admin_post_appears_on_an_open_reader_page_without_a_reload(
    asgi_server, browser, page, blog, reporter
):
    open_page_reader(page, asgi_server, blog)

    desk = browser.new_context().new_page()
    log_in(desk, asgi_server, "reporter")
    desk.get_by_role("link", name="Post an update").first.click()
    desk.fill("#id_headline", "Turnout looks low in Hartlepool")
    write_in_editor(desk, "Counting agents report thin piles of postal votes.")
    desk.click("input[name=_save]")
    expect(desk.locator(".messagelist")).to_contain_text("Update published")

    article = page.locator("#stream article", has_text="Turnout looks low in Hartlepool")
    expect(article).to_be_visible(timeout=2000)
    assert page.evaluate("window.__notReloaded") is True
    assert page.console_errors == []


def test_edits_pins_and_deletions_change_the_open_page_in_place(asgi_server, page, blog, reporter, editor):
    post = publish_from_a_server_thread(blog, reporter, "Early tally")
    open_page_reader(page, asgi_server, blog)
    expect(page.locator(f"#stream #post-{post.pk}")).to_be_visible()

    post.headline = "Revised tally"
    call_as_server(services.post_update, post=post, actor=reporter)
    expect(page.locator(f"#post-{post.pk}")).to_contain_text("Revised tally", timeout=2000)
    expect(page.locator(f"#post-{post.pk}")).to_contain_text("Updated")

    call_as_server(services.post_pin, post=post, actor=editor)
    expect(page.locator(f"#pinned #post-{post.pk}")).to_be_visible(timeout=2000)
    expect(page.locator(f"#stream #post-{post.pk}")).to_have_count(0)

    call_as_server(services.post_delete, post=post, actor=editor)
    expect(page.locator(f"#post-{post.pk}")).to_have_count(0, timeout=2000)
    assert page.evaluate("window.__notReloaded") is True


HARTLEPOOL_VOTES = [15529, 8589, 2904, 468, 368, 358, 349, 250, 248, 163, 157, 140, 126, 108, 104, 72]


def test_the_results_desk_declares_hartlepool_and_the_card_reaches_both_pages(
    asgi_server, browser, page, blog, night, results_desk
):
    from results.models import Contest

    blog.elections.add(night["hartlepool-2021"])
    contest = Contest.objects.get(slug="hartlepool")
    open_page_reader(page, asgi_server, blog)
    results_page = browser.new_context().new_page()
    results_page.goto(f"{asgi_server}/results/hartlepool-2021/")
    expect(results_page.locator(f"#result-{contest.pk}")).to_contain_text("Expected")

    desk = browser.new_context().new_page()
    desk.goto(f"{asgi_server}/admin/login/?next=/admin/results/contest/{contest.pk}/enter/")
    desk.fill("#id_username", "desk")
    desk.fill("#id_password", "pw-desk")
    desk.click("input[type=submit]")
    boxes = desk.locator("input[name^=votes_]")
    expect(boxes).to_have_count(len(HARTLEPOOL_VOTES))  # the entry form, once the login has led to it
    for box, votes in zip(boxes.all(), HARTLEPOOL_VOTES, strict=True):
        box.fill(f"{votes:,}")
    desk.fill("#id_declared_at", "2021-05-07T04:20")
    desk.click("input[name=_preview]")
    expect(desk.locator(".desk__preview")).to_contain_text("Con GAIN from Lab")
    desk.click("input[name=_declare]")
    expect(desk.locator(".messagelist")).to_contain_text("Declared: Hartlepool")

    for reader in (page, results_page):
        card = reader.locator(f"#result-{contest.pk}.card")
        expect(card).to_be_visible(timeout=2000)
        for figure in ("Con GAIN from Lab", "15,529", "8,589", "6,940", "51.9", "16.0% from Lab to Con"):
            expect(card).to_contain_text(figure)
    expect(results_page.locator("#scoreboard")).to_contain_text("Declared 1 of 1")
    assert page.evaluate("window.__notReloaded") is True


def test_an_editor_pins_then_deletes_in_the_admin_and_the_open_page_follows(
    asgi_server, browser, page, blog, reporter, editor
):
    post = publish_from_a_server_thread(blog, reporter, "Worth pinning")
    open_page_reader(page, asgi_server, blog)
    desk = browser.new_context().new_page()
    log_in(desk, asgi_server, "editor")
    desk.goto(f"{asgi_server}/admin/liveblog/post/")
    desk.get_by_role("button", name="Pin “Worth pinning”").click()
    expect(desk.locator(".messagelist")).to_contain_text("Pinned")
    expect(page.locator(f"#pinned #post-{post.pk}")).to_be_visible(timeout=5000)
    expect(page.locator(f"#stream #post-{post.pk}")).to_have_count(0)

    desk.goto(f"{asgi_server}/admin/liveblog/post/{post.pk}/delete/")
    desk.get_by_role("button", name="Yes, I’m sure").click()
    expect(desk.locator(".messagelist")).to_contain_text("deleted successfully")
    expect(page.locator(f"#post-{post.pk}")).to_have_count(0, timeout=5000)
    assert page.evaluate("window.__notReloaded") is True
