"""Each contest has its own page: its card as declared, permalinked, live on the election's stream."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from results.models import Contest

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ELECTION = "parl.2024-07-04"
HARROGATE = "parl.harrogate-and-knaresborough.2024-07-04"


@pytest.fixture
def harrogate(results_desk):
    call_command("import_results", str(DATA / "harrogate-and-knaresborough-2024-notional.json"), "--as", "desk")
    return Contest.objects.get(slug=HARROGATE)


def test_a_declared_contests_page_shows_its_card_and_listens_to_its_election(client, harrogate):
    page = client.get(f"/results/{ELECTION}/{HARROGATE}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Harrogate and Knaresborough</h1>" in text
    assert "LD GAIN from Con (notional)" in text and "Tom Gordon" in text
    assert f'ws-connect="/ws/results/{ELECTION}/"' in text
    assert f'href="/results/{ELECTION}/"' in text
    assert harrogate.get_absolute_url() == f"/results/{ELECTION}/{HARROGATE}/"


def test_the_card_names_its_contest_with_a_link_to_the_page(client, harrogate):
    text = client.get(f"/results/{ELECTION}/").content.decode()
    assert f'<a href="/results/{ELECTION}/{HARROGATE}/">Harrogate and Knaresborough</a>' in text


def test_a_contest_not_yet_declared_shows_its_status(client, tmp_path, results_desk):
    feed = json.loads((DATA / "harrogate-and-knaresborough-2024-notional.json").read_text())
    feed["elections"][0]["ballots"][0]["result"] = {"status": "counting"}
    path = tmp_path / "counting.json"
    path.write_text(json.dumps(feed))
    call_command("import_results", str(path), "--as", "desk")

    text = client.get(f"/results/{ELECTION}/{HARROGATE}/").content.decode()

    assert "Counting" in text and "Tom Gordon" not in text


def test_the_live_fragment_is_the_card_alone(client, harrogate):
    fragment = client.get(f"/results/{ELECTION}/{HARROGATE}/?fragment=live", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div id="live-area"') and "LD GAIN from Con (notional)" in text
    assert "<h1>" not in text


@pytest.mark.parametrize("path", [f"/results/{ELECTION}/parl.nowhere.2024-07-04/", f"/results/parl.1066/{HARROGATE}/"])
def test_an_unknown_contest_or_election_is_not_found(client, harrogate, path):
    assert client.get(path).status_code == 404
