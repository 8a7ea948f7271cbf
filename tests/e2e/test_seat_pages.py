"""A general election's summary in Chromium: find a seat in two keystrokes' worth of typing, the suggestions by
keyboard, the gains and the table live, axe-core clean, and no sideways scrolling on a phone or a laptop.
"""

import pytest
from playwright.sync_api import expect

from results.models import Contest, Result
from results.services import result_declare
from results.summary import Entry
from tests.e2e.test_accessibility import violations
from tests.helpers import call_as_server, frame_reaching
from tests.results import general_night

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

PAGE = "/results/parl.2024-07-04/"
SEATS, DECLARED = 80, 70


@pytest.fixture
def night(results_desk):
    """80 seats (a general election's summary), 70 of them declared; the rest still to come."""
    election = general_night.create(seats=SEATS)
    general_night.declare(election, results_desk, count=DECLARED)
    return election


@pytest.fixture
def whole_night(results_desk):
    """650 seats, 600 of them declared."""
    election = general_night.create(seats=650)
    general_night.declare(election, results_desk, count=600)
    return election


def url_of(name: str) -> str:
    return Contest.objects.get(name=name).get_absolute_url()


def open_summary(page, server: str, path: str = PAGE) -> None:
    page.sockets = []
    page.on("websocket", lambda socket: page.sockets.append(socket))
    page.goto(f"{server}{path}")
    page.wait_for_selector('#live[data-transport="socket"]', state="attached")


def a_gain_for(contest: Contest, actor) -> None:
    """Declare the seat won by a party other than last time's winner: a gain."""
    previous = contest.previous_winner.code
    winner = next(c for c in contest.candidacies.all() if c.party.code != previous)
    votes = {c.pk: 30_000 if c == winner else 1_000 for c in contest.candidacies.all()}
    result_declare(contest=contest, entry=Entry(votes=votes), declared_at=general_night.declaration_time(contest),
                   actor=actor, expected_version=None)  # fmt: skip


@pytest.mark.parametrize("javascript", [True, False])
def test_typing_hartl_then_enter_reaches_hartlepool(asgi_server, browser, night, javascript):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{asgi_server}{PAGE}")
    page.locator("#seat-search-input").click()
    page.keyboard.type("Hartl")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{asgi_server}{url_of('Hartlepool')}")
    expect(page.locator("h1")).to_have_text("Hartlepool")
    page.context.close()


def test_the_suggestions_follow_the_keyboard(asgi_server, page, night):
    page.goto(f"{asgi_server}{PAGE}")
    box = page.locator("#seat-search-input")
    box.click()
    page.keyboard.type("st")
    options = page.locator("#seat-suggestions [role=option]")
    expect(options).to_have_count(3)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#seat-search-status")).to_have_text("3 suggestions: arrow keys to choose")
    ids = [options.nth(n).get_attribute("id") for n in range(3)]
    assert [options.nth(n).locator(".seat-search__name").inner_text() for n in range(3)] == [
        "St Albans", "St Ives", "Stoke-on-Trent Central"]  # fmt: skip
    for key, chosen in [("ArrowDown", 0), ("ArrowDown", 1), ("ArrowDown", 2), ("ArrowUp", 1)]:
        page.keyboard.press(key)
        expect(box).to_have_attribute("aria-activedescendant", ids[chosen])
        expect(options.nth(chosen)).to_have_attribute("aria-selected", "true")
    expect(page.locator('#seat-suggestions [aria-selected="true"]')).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#seat-suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    page.keyboard.press("ArrowDown")  # opens the list again, at its first
    expect(box).to_have_attribute("aria-activedescendant", ids[0])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{asgi_server}{url_of('St Ives')}")
    assert page.console_errors == []


def test_a_suggestion_can_be_clicked(asgi_server, page, night):
    page.goto(f"{asgi_server}{PAGE}")
    page.locator("#seat-search-input").fill("ynys")
    page.locator("#seat-suggestions [role=option]", has_text="Ynys Môn").click()
    page.wait_for_url(f"{asgi_server}{url_of('Ynys Môn')}")


def test_a_declaration_updates_its_row_and_the_gains_list_without_a_reload(asgi_server, page, night, results_desk):
    open_summary(page, asgi_server)
    page.evaluate("window.__notReloaded = true")
    contest = general_night.in_order(night)[DECLARED]
    row = page.locator(f"#seat-{contest.pk}")
    expect(row).to_contain_text("Expected")
    with frame_reaching(page, f'id="seat-{contest.pk}"'):
        call_as_server(a_gain_for, contest, results_desk)
    headline = Result.objects.get(contest=contest).current.facts["headline"]
    expect(row).to_contain_text(headline.split(" ", 1)[1])
    expect(page.locator("#gains-list > li").first).to_have_id(f"gain-{contest.pk}")
    expect(page.locator(f"#gain-{contest.pk}")).to_contain_text(headline)
    assert page.locator(f"#gain-{contest.pk}").count() == 1
    assert page.evaluate("window.__notReloaded") is True


def test_a_list_filtered_to_one_party_leaves_out_another_partys_gain_arriving_live(
    asgi_server, page, night, results_desk
):
    contest = general_night.in_order(night)[DECLARED + 1]
    other = next(code for code in ("lab", "con", "ld", "snp") if code != contest.previous_winner.code)
    winner = next(c for c in contest.candidacies.all() if c.party.code != contest.previous_winner.code)
    shown = other if winner.party.code != other else "green"
    open_summary(page, asgi_server, f"{PAGE}?gains={shown}")
    before = page.locator("#gains-list > li").count()
    with frame_reaching(page, f'id="gain-{contest.pk}"'):
        call_as_server(a_gain_for, contest, results_desk)
    expect(page.locator(f"#seat-{contest.pk}")).to_contain_text("GAIN")
    expect(page.locator(f"#gain-{contest.pk}")).to_have_count(0)
    assert page.locator("#gains-list > li").count() == before


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_summary_and_the_search_page_have_no_violations(asgi_server, browser, night, scheme):
    page = browser.new_context(color_scheme=scheme, bypass_csp=True).new_page()
    page.goto(f"{asgi_server}{PAGE}?sort=-majority")
    page.locator("#seat-search-input").fill("har")
    expect(page.locator("#seat-suggestions [role=option]")).to_have_count(3)
    page.keyboard.press("ArrowDown")
    found = {"summary": violations(page)}
    page.goto(f"{asgi_server}/results/parl.2024-07-04/find?q=st")
    found["matches"] = violations(page)
    page.goto(f"{asgi_server}/results/parl.2024-07-04/find?q=xanadu")
    found["no match"] = violations(page)
    page.context.close()
    assert found == {"summary": [], "matches": [], "no match": []}


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_nothing_scrolls_sideways_and_the_table_keeps_to_its_box(asgi_server, browser, whole_night, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{asgi_server}{PAGE}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".seats__scroll").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.locator("#seat-search-input").fill("st")
    suggestions = page.locator("#seat-suggestions")
    expect(suggestions).to_be_visible()
    listed = suggestions.bounding_box()
    assert listed["x"] >= 0 and listed["x"] + listed["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()
