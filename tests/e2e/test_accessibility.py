"""axe-core, the standard engine, finds no WCAG 2.1 AA violations on any page readers or reporters use."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from liveblog.services import post_pin
from tests.helpers import (
    EDITOR,
    call_as_server,
    declare_demo_contest,
    frame_reaching,
    log_in,
    open_page_reader,
    publish_from_a_server_thread,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}  # fmt: skip
AXE = Axe()


def violations(page) -> list[str]:
    found = AXE.run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.fixture
def night_on_the_page(blog, night, reporter, editor, results_desk):
    blog.elections.add(night["hartlepool-2021"], night["mayors-2021"])
    for contest in ("hartlepool", "west-midlands"):
        call_as_server(declare_demo_contest, contest, results_desk)
    call_as_server(post_pin, post=blog.posts.get(result__contest__slug="hartlepool"), actor=editor)
    return publish_from_a_server_thread(
        blog, reporter, "Q&A with the count: 5 < 6", body="<p>A <a href='https://example.org'>link</a>.</p>",
        is_key_event=True,
    )  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages_have_no_violations_in_either_scheme(asgi_server, browser, blog, night_on_the_page, scheme):
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in (blog.get_absolute_url(), night_on_the_page.get_permalink(), f"/embed/live/{blog.slug}/",
                 "/results/mayors-2021/", "/embed/results/mayors-2021/"):  # fmt: skip
        page.goto(f"{asgi_server}{path}")
        if problems := violations(page):
            found[path] = problems
    context.close()
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_reader_page_has_no_violations_after_live_updates_arrive(
    asgi_server, browser, blog, reporter, night_on_the_page, scheme
):
    page = browser.new_context(color_scheme=scheme, bypass_csp=True).new_page()
    open_page_reader(page, asgi_server, blog)
    for n in range(2):
        with frame_reaching(page, f"Live update {n}"):
            publish_from_a_server_thread(blog, reporter, f"Live update {n}", is_key_event=n == 0)
    page.mouse.wheel(0, 3000)
    with frame_reaching(page, "While scrolled down"):
        publish_from_a_server_thread(blog, reporter, "While scrolled down")
    assert violations(page) == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_posting_form_has_no_violations(asgi_server, browser, blog, reporter, scheme):
    page = browser.new_context(color_scheme=scheme, bypass_csp=True).new_page()
    log_in(page, asgi_server, "reporter")
    page.goto(f"{asgi_server}/admin/liveblog/post/add/?blog={blog.pk}")
    page.wait_for_selector(EDITOR)
    assert violations(page) == []
    page.context.close()


KIND_FEEDS = Path(__file__).resolve().parents[1] / "results" / "data"
# Each contest kind's real result, and the results page that shows its card.
KIND_PAGES = {
    "chorley-2024.json": "parl.2024-07-04",  # the Speaker
    "harrogate-and-knaresborough-2024-notional.json": "parl.2024-07-04",  # notional previous result
    "pcc-cleveland-2024.json": "pcc.2024-05-02",  # police area
    "stv-edinburgh-almond-2017.json": "local.city-of-edinburgh.2017-05-04",  # single transferable vote
    "lists/feed-highlands-and-islands-2021.json": "sp.2021-05-06",  # d'Hondt region
    "lists/feed-london-wide-2021.json": "gla.2021-05-06",  # London-wide list
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_contest_kinds_card_has_no_violations_with_its_tables_open(asgi_server, browser, results_desk, scheme):
    for name in KIND_PAGES:
        call_command("import_results", str(KIND_FEEDS / name), "--as", "desk")
    context = browser.new_context(color_scheme=scheme, bypass_csp=True, viewport={"width": 390, "height": 900})
    page = context.new_page()
    found = {}
    for path in sorted(set(KIND_PAGES.values())):
        page.goto(f"{asgi_server}/results/{path}/")
        for summary in page.locator(".card details > summary").all():
            summary.click()
        if problems := violations(page):
            found[path] = problems
    context.close()
    assert found == {}
