"""A party-list region's card on a phone: the page never scrolls sideways, and the allocation opens.

Set CARD_SCREENSHOTS to a folder (docs/screenshots) to keep the card's picture there (card-region.png).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

FEED = Path(__file__).resolve().parents[1] / "results" / "data" / "lists" / "feed-highlands-and-islands-2021.json"
PHONE = 390


def test_region_card_opens_its_allocation_on_a_phone_without_sideways_page_scroll(
    asgi_server, browser, results_desk, tmp_path
):
    call_command("import_results", str(FEED), "--as", "desk")
    page = browser.new_page(viewport={"width": PHONE, "height": 900}, device_scale_factor=2)
    page.goto(f"{asgi_server}/results/sp.2021-05-06/")
    card = page.locator('.card[data-contest="sp.r.highlands-and-islands.2021-05-06"]')
    assert "List seats: Con 4, SNP 1, Lab 1, Scot Green 1" in card.inner_text()
    rounds = card.locator(".card__rounds")
    assert not rounds.is_visible()
    card.locator("summary", has_text="How the seats were allocated").click()
    rounds.wait_for(state="visible")
    assert "Emma Roddick" in rounds.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # The table is wider than the phone: it scrolls inside its own box, which fits the screen.
    box = card.locator(".card__scroll").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    shot = tmp_path / "card-region.png"
    card.screenshot(path=str(shot))
    if keep := os.environ.get("CARD_SCREENSHOTS"):
        shutil.copy(shot, Path(keep) / "card-region.png")
    page.close()
