"""Screenshots of the demo for the README, taken in headless Chromium.

Start the demo (bin/demo), then: .venv/bin/python docs/screenshots.py
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8000"
BLOG = f"{BASE}/live/hartlepool-by-election-2021/"
OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


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
        browser.close()


if __name__ == "__main__":
    main()
