"""A single transferable vote ward's card on a phone: the stage table opens in place and scrolls in its own box.

Set CARD_SCREENSHOTS to a folder (docs/screenshots) to keep the opened card's picture there (card-stv.png).
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

FEED = Path(__file__).resolve().parents[1] / "results" / "data" / "stv-edinburgh-almond-2017.json"
PHONE = 390


def test_the_stv_card_opens_its_stage_table_on_a_phone_without_the_page_scrolling_sideways(
    asgi_server, browser, results_desk, tmp_path
):
    call_command("import_results", str(FEED), "--as", "desk")
    page = browser.new_page(viewport={"width": PHONE, "height": 900}, device_scale_factor=2)
    page.goto(f"{asgi_server}/results/local.city-of-edinburgh.2017-05-04/")
    card = page.locator('.card[data-contest="local.city-of-edinburgh.almond.2017-05-04"]')
    text = card.inner_text()
    for words in ("LD 2, Con 1, SNP 1 elected", "Quota", "2,842", "elected at stage 10", "6,079", "42.8"):
        assert words.casefold() in text.casefold(), words
    stages = card.locator("details.card__stages")
    table = stages.locator("table.stages")
    assert not table.is_visible()

    stages.locator("summary").click()

    assert table.is_visible()
    assert "3744.20084" in table.inner_text()
    box = stages.locator(".card__stages-scroll")
    # The table is wider than a phone: its own box scrolls, the page does not.
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    shot = tmp_path / "card-stv.png"
    card.screenshot(path=str(shot))
    if keep := os.environ.get("CARD_SCREENSHOTS"):
        shutil.copy(shot, Path(keep) / "card-stv.png")
    page.close()
