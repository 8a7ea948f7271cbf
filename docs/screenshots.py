"""Screenshots of the demo for the README, taken in headless Chromium.

Start the demo (bin/demo), then: .venv/bin/python docs/screenshots.py
With the UK general election of 2024 imported (parl.2024-07-04), `docs/screenshots.py --seat-pages` takes
the results summary's sections instead: seat-search, gains-list and all-seats, at 1366 px and (-phone) 390 px.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("SCREENSHOTS_BASE", "http://127.0.0.1:8000")
BLOG = f"{BASE}/live/hartlepool-by-election-2021/"
OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# The demo's logins (demo/blog.py); the posting form is the blog's first.
PASSWORDS = {"reporter": "reporter-demo-2021", "reporter2": "reporter-demo-2021", "editor": "editor-demo-2021"}
POSTING_FORM = f"{BASE}/admin/liveblog/post/add/?blog=1"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def logged_in(browser, username: str, **options):
    page = browser.new_context(**options).new_page()
    page.goto(f"{BASE}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("input[type=submit]")
    page.wait_for_selector("#post-an-update")
    return page


def desk_shots(browser) -> None:
    """The posting form (a colleague on it too, so presence shows), on a laptop and a phone; the editors' pages."""
    colleague = logged_in(browser, "reporter2", viewport=DESKTOP)
    colleague.goto(POSTING_FORM)
    for name, options in [("desk-form.png", {"viewport": DESKTOP}), ("desk-form-phone.png", PHONE)]:
        page = logged_in(browser, "reporter", **options)
        page.goto(POSTING_FORM)
        page.wait_for_selector("#presence:has-text('Tom Ellery')")
        page.screenshot(path=str(OUT / name))
        page.context.close()
    colleague.context.close()
    editor = logged_in(browser, "editor", viewport=DESKTOP)
    for name, path in [
        ("desk-posts-list.png", "/admin/liveblog/post/"),
        ("desk-approval.png", "/admin/liveblog/post/approval/"),
    ]:
        editor.goto(BASE + path)
        editor.screenshot(path=str(OUT / name))
    editor.context.close()


def seat_pages_shots(browser) -> None:
    """A general election's summary: the search with its suggestions open, the gains list and the table."""
    for suffix, options in [("", {"viewport": {"width": 1366, "height": 900}}), ("-phone", PHONE)]:
        page = browser.new_context(**options).new_page()
        page.goto(f"{BASE}/results/parl.2024-07-04/")
        page.locator("#seat-search-input").click()
        page.keyboard.type("har")
        page.wait_for_selector("#seat-suggestions [role=option]")
        page.keyboard.press("ArrowDown")
        top, bottom = page.evaluate("""() => [document.getElementById("seat-search"),
            document.getElementById("seat-suggestions")].map((el, i) =>
            (i ? el.getBoundingClientRect().bottom : el.getBoundingClientRect().top) + window.scrollY)""")
        width = page.viewport_size["width"]
        page.screenshot(path=str(OUT / f"seat-search{suffix}.png"),
                        clip={"x": 0, "y": top - 8, "width": width, "height": bottom - top + 16})  # fmt: skip
        page.keyboard.press("Escape")
        page.locator("#gains").screenshot(path=str(OUT / f"gains-list{suffix}.png"))
        top = page.locator("#all-seats").evaluate("el => el.getBoundingClientRect().top + window.scrollY")
        page.screenshot(path=str(OUT / f"all-seats{suffix}.png"), full_page=True,
                        clip={"x": 0, "y": top - 8, "width": width, "height": 900})  # fmt: skip
        page.context.close()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        if "--seat-pages" in sys.argv:
            seat_pages_shots(browser)
            browser.close()
            return
        shots = [
            ("desktop.png", {"viewport": {"width": 1280, "height": 1000}}, BLOG),
            ("mobile.png", {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True},
             BLOG),
            ("dark.png", {"viewport": {"width": 1280, "height": 1000}, "color_scheme": "dark"}, BLOG),
            ("results.png", {"viewport": {"width": 1280, "height": 1000}}, f"{BASE}/results/mayors-2021/"),
        ]  # fmt: skip
        for name, options, url in shots:
            context = browser.new_context(**options)
            page = context.new_page()
            page.goto(url)
            page.wait_for_timeout(800)
            page.screenshot(path=str(OUT / name))
            context.close()
        page = browser.new_page(viewport={"width": 800, "height": 1000})
        page.goto(BLOG)
        page.locator(".card").first.screenshot(path=str(OUT / "declaration-card.png"))
        desk_shots(browser)
        browser.close()


if __name__ == "__main__":
    main()
