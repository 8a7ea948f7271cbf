"""The general election's hex map in Chromium: live, one tab stop with arrow keys, tap to see, accessible, no
sideways scroll.

Every seat but Harrogate and Knaresborough (a real result) is a made-up test fixture (made_up_2024).
Set HEXMAP_SCREENSHOTS to a folder (docs/screenshots) to keep the map's pictures there.
"""

import os
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from results import hexmap
from results.models import Contest, Party
from tests.e2e.test_accessibility import violations
from tests.helpers import call_as_server, frame_reaching
from tests.results import made_up_2024 as made_up

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

DATA = Path(__file__).resolve().parents[1] / "results" / "data"
PAGE = "/results/parl.2024-07-04/"
LAB_RED = "#E4003B"
CELLS = hexmap.layout(hexmap.WESTMINSTER_2024)


def open_map(page, server: str) -> None:
    page.sockets = []
    page.on("websocket", lambda socket: page.sockets.append(socket))
    page.goto(f"{server}{PAGE}")
    page.evaluate("window.__notReloaded = true")
    page.wait_for_selector('#live[data-transport="socket"]', state="attached")
    page.wait_for_selector(".hexmap__svg.is-ready", state="attached")


def declare_some(contests, desk, count: int) -> None:
    """Declare `count` made-up seats spread over the map, as a night part-way through looks."""
    for i, contest in enumerate(random.Random(2024).sample(contests, count)):
        call_as_server(made_up.declare, contest, desk, minutes_after_close=60 + i)


@pytest.fixture
def every_seat(results_desk):
    """All 650 constituencies: Harrogate and Knaresborough as declared, the rest made up, none declared."""
    call_command("import_results", str(DATA / "harrogate-and-knaresborough-2024-notional.json"), "--as", "desk")
    contests = made_up.create([slug for slug in CELLS if slug != "harrogate-and-knaresborough"])
    return {hexmap.ballot_slug(c.slug): c for c in contests} | {
        "harrogate-and-knaresborough": Contest.objects.get(slug="parl.harrogate-and-knaresborough.2024-07-04")
    }


def test_a_declaration_fills_its_hex_live_and_a_frame_applied_twice_changes_nothing(
    asgi_server, page, every_seat, results_desk
):
    hartlepool = every_seat["hartlepool"]
    Contest.objects.filter(pk=hartlepool.pk).update(previous_winner=Party.objects.get(code="con"))
    open_map(page, asgi_server)
    hex_ = page.locator(f"#hex-{hartlepool.pk}")
    expect(hex_).not_to_have_attribute("fill", LAB_RED)
    row = page.locator(f"#seat-{hartlepool.pk}")  # the table of all seats, the map's table on a summary page
    expect(row.locator("td.waiting")).to_have_count(1)

    with frame_reaching(page, f'data-hex="hex-{hartlepool.pk}"') as arrived:
        call_as_server(made_up.declare, hartlepool, results_desk, winner="lab")
    expect(hex_).to_have_attribute("fill", LAB_RED, timeout=1000)
    expect(hex_.locator("use")).to_have_attribute("href", "#hm-hw")
    expect(hex_.locator("title")).to_have_text("Hartlepool: Lab GAIN from Con (notional)")
    expect(row).to_contain_text("GAIN from Con")
    expect(page.locator('.hexmap__legend [data-party="lab"]')).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True

    replay = """(frame) => {
        const holder = document.createElement("template");
        holder.innerHTML = frame;
        const root = holder.content.firstElementChild;
        const live = document.getElementById("live");
        for (let i = 0; i < 2; i++) {
            live.dispatchEvent(new CustomEvent("live:frame", {bubbles: true, detail: {root}}));
        }
    }"""
    page.evaluate(replay, arrived.value if isinstance(arrived.value, str) else arrived.value.decode())
    expect(page.locator('.hexmap__legend [data-party="lab"]')).to_have_count(1)
    expect(page.locator(f"#seat-{hartlepool.pk}")).to_have_count(1)
    expect(hex_).to_have_attribute("fill", LAB_RED)
    assert page.console_errors == []


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_map_is_one_tab_stop_and_arrow_keys_move_between_neighbouring_hexes(asgi_server, page, every_seat):
    open_map(page, asgi_server)
    at = {(c.q, c.r): slug for slug, c in CELLS.items()}
    start = next(c for c in CELLS.values() if {(c.q + 1, c.r), (c.q, c.r - 1), (c.q, c.r - 2)} <= at.keys())

    def hex_at(q: int, r: int) -> str:
        return f"hex-{every_seat[at[(q, r)]].pk}"

    assert page.locator('.hexmap__svg a[tabindex="0"]').count() == 1
    assert page.locator('.hexmap__svg a[tabindex="-1"]').count() == 649
    page.focus(f"#{hex_at(start.q, start.r)}")
    page.keyboard.press("ArrowRight")
    assert focused_id(page) == hex_at(start.q + 1, start.r)
    page.keyboard.press("ArrowLeft")
    assert focused_id(page) == hex_at(start.q, start.r)
    page.keyboard.press("ArrowDown")
    below = focused_id(page)
    assert below in {hex_at(q, r) for q, r in hexmap.neighbours(start.q, start.r) if r == start.r - 1 and (q, r) in at}
    page.keyboard.press("ArrowDown")
    assert focused_id(page) == hex_at(start.q, start.r - 2)  # straight down the column, not drifting
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert focused_id(page) == hex_at(start.q, start.r)
    expect(page.locator("#hexmap-panel")).to_contain_text(CELLS[at[(start.q, start.r)]].name)
    assert page.locator('.hexmap__svg a[tabindex="0"]').count() == 1

    page.keyboard.press("Tab")  # out of the map in one press
    assert not focused_id(page).startswith("hex-")
    page.keyboard.press("Shift+Tab")  # and back to the hex last on
    assert focused_id(page) == hex_at(start.q, start.r)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{every_seat[at[(start.q, start.r)]].get_absolute_url()}")


def test_a_tap_shows_the_seat_and_a_second_tap_opens_its_page(asgi_server, browser, every_seat):
    context = browser.new_context(has_touch=True, is_mobile=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{asgi_server}{PAGE}")
    page.wait_for_selector(".hexmap__svg.is-ready", state="attached")
    harrogate = every_seat["harrogate-and-knaresborough"]
    page.locator(f"#hex-{harrogate.pk}").tap()
    expect(page.locator("#hexmap-panel")).to_contain_text("Harrogate and Knaresborough")
    expect(page.locator("#hexmap-panel")).to_contain_text("LD GAIN from Con (notional)")
    assert page.url.endswith(PAGE)
    page.locator(f"#hex-{harrogate.pk}").tap()
    page.wait_for_url(f"**{harrogate.get_absolute_url()}")
    context.close()


def test_without_javascript_every_hex_is_still_a_link(asgi_server, browser, every_seat):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{asgi_server}{PAGE}")
    harrogate = every_seat["harrogate-and-knaresborough"]
    page.locator(f"#hex-{harrogate.pk}").click()
    page.wait_for_url(f"**{harrogate.get_absolute_url()}")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_wrong_with_the_map_or_the_table_of_seats(
    asgi_server, browser, every_seat, results_desk, scheme
):
    declare_some([c for slug, c in every_seat.items() if slug != "harrogate-and-knaresborough"], results_desk, 12)
    page = browser.new_context(color_scheme=scheme, bypass_csp=True).new_page()
    page.goto(f"{asgi_server}{PAGE}")
    page.wait_for_selector(".hexmap__svg.is-ready", state="attached")
    page.locator(".hexmap__svg a").nth(40).focus()  # the panel and the focus ring showing
    assert violations(page) == []


def test_nothing_scrolls_sideways_from_320_to_1366_pixels_and_the_map_fits_its_column(asgi_server, browser, every_seat):
    page = browser.new_page()
    problems = []
    for width in (320, 390, 768, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{asgi_server}{PAGE}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        box = page.locator(".hexmap__svg").bounding_box()
        if scroll > width or box["x"] + box["width"] > width:
            problems.append((width, scroll, box))
    page.close()
    assert problems == []


def test_the_map_on_a_phone_and_a_laptop_with_seats_declared(asgi_server, browser, every_seat, results_desk):
    declare_some([c for slug, c in every_seat.items() if slug != "harrogate-and-knaresborough"], results_desk, 420)
    keep = os.environ.get("HEXMAP_SCREENSHOTS")
    for name, width in (("hexmap-phone", 390), ("hexmap-desktop", 1366)):
        page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=2 if width < 500 else 1)
        page.goto(f"{asgi_server}{PAGE}")
        page.wait_for_selector(".hexmap__svg.is-ready", state="attached")
        filled = page.locator(".hexmap__svg a[fill]").count()
        assert filled == 421
        page.locator("#hexmap").scroll_into_view_if_needed()  # before pointing: a scroll would move the pointer
        page.locator(f"#hex-{every_seat['harrogate-and-knaresborough'].pk}").hover()
        expect(page.locator("#hexmap-panel")).to_contain_text("Harrogate and Knaresborough")
        if keep:
            page.locator("#hexmap").screenshot(path=str(Path(keep) / f"{name}.png"))
        page.close()
