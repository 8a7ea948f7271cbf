"""Screenshots of the demo for the README, taken in headless Chromium.

Start the demo (bin/demo), then: .venv/bin/python docs/screenshots.py
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8000"
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


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
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
