"""The Speaker's, a notional gain's, a police area's and a recount's cards, read on a phone and a laptop.

Set CARD_SCREENSHOTS to a folder (docs/screenshots) to keep each card's picture there.
"""

import json
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

DATA = Path(__file__).resolve().parents[1] / "results" / "data"
WIDTHS = (390, 1366)
# (screenshot name, results page, the card's ballot id, words the card must show)
CARDS = [
    ("card-speaker", "parl.2024-07-04", "parl.chorley.2024-07-04",
     ["Speaker re-elected", "Lindsay Hoyle", "Speaker seeking re-election", "+7.0", "since 2019"]),
    ("card-notional-gain", "parl.2024-07-04", "parl.harrogate-and-knaresborough.2024-07-04",
     ["LD GAIN from Con (notional)", "Tom Gordon", "8,238", "No comparison"]),
    ("card-pcc", "pcc.2024-05-02", "pcc.cleveland.2024-05-02",
     ["Police area", "Lab GAIN from Con", "Matt Storey", "65,418", "+23.7"]),
    ("card-provisional", "pcc-recount-illustration.2024-05-02", "pcc.cleveland.2024-05-02",
     ["Provisional: recount under way", "Lab ahead on the first count", "Matt Storey", "65,418"]),
]  # fmt: skip


def import_feeds(tmp_path) -> None:
    for name in ("chorley-2024.json", "harrogate-and-knaresborough-2024-notional.json", "pcc-cleveland-2024.json"):
        call_command("import_results", str(DATA / name), "--as", "desk")
    recount = json.loads((DATA / "pcc-cleveland-2024.json").read_text())  # the same figures, shown mid-recount
    election = recount["elections"][0]
    election.update(election_id="pcc-recount-illustration.2024-05-02", election_name="Illustration: a recount")
    election["ballots"][0]["result"] = {"status": "recount"}
    path = tmp_path / "recount.json"
    path.write_text(json.dumps(recount))
    call_command("import_results", str(path), "--as", "desk")


def test_each_kinds_card_reads_its_words_at_phone_and_laptop_widths(asgi_server, browser, results_desk, tmp_path):
    import_feeds(tmp_path)
    keep = os.environ.get("CARD_SCREENSHOTS")
    problems = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900}, device_scale_factor=2 if width < 500 else 1)
        for name, election, ballot, words in CARDS:
            page.goto(f"{asgi_server}/results/{election}/")
            card = page.locator(f'.card[data-contest="{ballot}"]')
            text = card.inner_text()
            problems += [(width, name, word) for word in words if word.casefold() not in text.casefold()]
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append((width, name, "the page scrolls sideways"))
            shot = tmp_path / f"{name}-{width}.png"
            card.screenshot(path=str(shot))
            if keep and width == WIDTHS[0]:
                shutil.copy(shot, Path(keep) / f"{name}.png")
        page.close()
    assert problems == []
