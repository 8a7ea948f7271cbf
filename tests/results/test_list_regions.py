"""Party-list regions (d'Hondt) from the project's JSON feed: real 2021 allocations, the card, the API, the board.

The feeds are built from tests/results/data/lists/ (SOURCE.md says where each figure comes from); each
feed's `source` says what in it is not real (the constituency contests carry only their winners).
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from results import scoreboard
from results.models import Candidacy, Contest, Election, Result

pytestmark = pytest.mark.django_db

LISTS = Path(__file__).parent / "data" / "lists"
HIGHLANDS = LISTS / "feed-highlands-and-islands-2021.json"
LONDON = LISTS / "feed-london-wide-2021.json"
HIGHLANDS_ID = "sp.r.highlands-and-islands.2021-05-06"
LONDON_ID = "gla.a.2021-05-06"
HIGHLANDS_MEMBERS = ["Douglas Ross", "Edward Mountain", "Rhoda Grant", "Donald Cameron", "Ariane Burgess",
                     "Jamie Halcro Johnston", "Emma Roddick"]  # fmt: skip


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def write(tmp_path, data) -> Path:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(data))
    return path


def region_of(data: dict) -> dict:
    return data["elections"][0]["ballots"][-1]


def refusal(tmp_path, data) -> str:
    """What the import says of a file it refuses."""
    said = StringIO()
    with pytest.raises(CommandError):
        call_command("import_results", str(write(tmp_path, data)), "--as", "desk", stderr=said)
    return said.getvalue()


def api_region(client, election: str, ballot: str) -> dict:
    contests = client.get(f"/api/results/{election}/").json()["contests"]
    return next(c for c in contests if c["slug"] == ballot)


def test_highlands_and_islands_2021_elects_the_declared_seven_in_order(client, results_desk):
    call_command("import_results", str(HIGHLANDS), "--as", "desk")
    card = Result.objects.get(contest__slug=HIGHLANDS_ID).current.card_html
    assert "List seats: Con 4, SNP 1, Lab 1, Scot Green 1" in card
    positions = [card.index(name) for name in HIGHLANDS_MEMBERS]
    assert positions == sorted(positions)  # the members, in the order elected
    assert "<details" in card and "How the seats were allocated" in card
    assert "96,433" in card and "13,776.14" in card  # SNP's list vote; the last seat's figure
    assert "6 + 1" in card  # SNP: six constituencies and one list seat
    assert "majority" not in card.casefold()
    figures = api_region(client, "sp.2021-05-06", HIGHLANDS_ID)["declaration"]
    count = figures["list_count"]
    assert figures["voting_system"] == "dhondt"
    assert count["seats_won"] == {"con": 4, "snp": 1, "lab": 1, "scot-green": 1}
    assert count["constituency_seats"] == {"snp": 6, "ld": 2}
    assert [m["name"] for m in count["members"]] == HIGHLANDS_MEMBERS
    assert count["list_votes"]["ind:Andy Wightman"] == 3367
    assert len(count["rounds"]) == 7 and count["rounds"][-1]["figure"] == "13,776.14"
    assert count["threshold_percent"] is None


def test_london_wide_2021_gives_the_declared_eleven_over_the_five_percent_threshold(client, results_desk):
    call_command("import_results", str(LONDON), "--as", "desk")
    card = Result.objects.get(contest__slug=LONDON_ID).current.card_html
    assert "List seats: Con 4, Green 3, Lab 2, LD 2" in card
    for name in ["Siân Berry", "Caroline Pidgeon", "Hina Bokhari", "Elly Baker", "Sakina Sheikh", "Andrew Boff"]:
        assert name in card
    assert "88,342" in card and "38.1" in card  # the last seat's figure; Labour's share of the valid vote
    count = api_region(client, "gla.2021-05-06", LONDON_ID)["declaration"]["list_count"]
    assert count["seats_won"] == {"con": 4, "green": 3, "lab": 2, "ld": 2}
    assert count["constituency_seats"] == {"lab": 9, "con": 5}
    assert count["threshold_percent"] == "5.00" and count["valid_list_votes"] == 2589268
    members = {(m["list"], m["name"]) for m in count["members"]}
    assert ("green", "Zack Polanski") in members and ("ld", "Hina Bokhari") in members and len(members) == 11


def test_list_seats_count_as_seats_for_their_parties_on_the_scoreboard(results_desk):
    call_command("import_results", str(LONDON), "--as", "desk")
    board = scoreboard.scoreboard(Election.objects.get(slug="gla.2021-05-06"))
    seats = {score.party.code: score.seats for score in board.parties}
    assert seats == {"lab": 11, "con": 9, "green": 3, "ld": 2}  # 14 constituency + 11 London-wide
    assert not any(score.gains or score.losses for score in board.parties)


def test_list_candidates_keep_their_place_on_the_list(results_desk):
    call_command("import_results", str(HIGHLANDS), "--as", "desk")
    con = Candidacy.objects.filter(contest__slug=HIGHLANDS_ID, party__code="con").order_by("list_position")
    assert [(c.name, c.list_position) for c in con][:2] == [("Douglas Ross", 1), ("Edward Mountain", 2)]
    region = Contest.objects.get(slug=HIGHLANDS_ID)
    assert region.kind == "region" and region.constituencies.count() == 8
    assert Candidacy.objects.filter(contest__slug="sp.c.orkney-islands.2021-05-06", list_position=None).exists()


def test_importing_the_same_region_twice_changes_nothing(results_desk):
    call_command("import_results", str(HIGHLANDS), "--as", "desk")
    call_command("import_results", str(HIGHLANDS), "--as", "desk")
    assert Result.objects.get(contest__slug=HIGHLANDS_ID).revisions.count() == 1


def test_region_whose_constituency_is_undeclared_is_refused_naming_it(tmp_path, results_desk):
    data = load(HIGHLANDS)
    data["elections"][0]["ballots"][5]["result"] = {"status": "counting"}  # Orkney Islands
    message = refusal(tmp_path, data)
    assert "not yet declared: Orkney Islands" in message and "ballots[8]" in message
    assert not Contest.objects.filter(slug=HIGHLANDS_ID).exists()  # nothing imported


def test_region_naming_members_the_count_does_not_elect_is_refused(tmp_path, results_desk):
    data = load(HIGHLANDS)
    region_of(data)["result"]["elected"][-1] = "Rhoda Grant"  # twice; Emma Roddick not at all
    region_of(data)["lists"][0]["candidates"] = ["Emma Roddick", "Kate Forbes"]
    message = refusal(tmp_path, data)
    assert "result.elected" in message and "Emma Roddick" in message
    assert not Result.objects.exists()


def test_region_with_a_list_missing_its_votes_is_refused_with_its_place(tmp_path, results_desk):
    data = load(LONDON)
    del region_of(data)["result"]["list_votes"]["PP90"]
    region_of(data)["result"]["list_votes"]["PP999"] = 5
    message = refusal(tmp_path, data)
    assert "ballots[14].result.list_votes: no votes for “PP90”" in message
    assert "“PP999” has no list in this ballot" in message


def test_region_naming_a_constituency_nobody_imported_is_refused(tmp_path, results_desk):
    data = load(LONDON)
    region_of(data)["constituencies"].append("gla.c.nowhere.2021-05-06")
    assert "gla.c.nowhere.2021-05-06 is in neither this feed nor the election" in refusal(tmp_path, data)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"lists": [{"party_id": "PP52", "person_name": "Sam Lee"}]}, "give one"),
        ({"lists": [{"party_id": "PP52", "colour": "#000000"}]}, "`colour` is not a field of a list"),
        ({"threshold_percent": 140}, "threshold_percent: 140 is not between 0 and 100"),
        ({"candidates": [{"person_name": "Sam Lee"}]}, "names its lists (`lists`), not candidates"),
        ({"voting_system": "fptp"}, "only a party-list ballot"),
    ],
)
def test_list_ballot_keys_are_checked_with_their_place(tmp_path, results_desk, change, words):
    data = load(LONDON)
    region_of(data).update(change)
    assert words in refusal(tmp_path, data)
    assert not Result.objects.exists()


def test_region_with_previous_shares_shows_each_lists_change(client, results_desk, tmp_path):
    data = load(HIGHLANDS)
    # Illustrative previous shares, not the 2016 result: only that a change is shown is checked.
    region_of(data)["previous"] = {"shares": {"PP102": 38.6, "PP52": 22.0}, "year": 2016}
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    card = Result.objects.get(contest__slug=HIGHLANDS_ID).current.card_html
    assert "since 2016" in card and "+2.0" in card and "+3.6" in card  # SNP 40.6 from 38.6; Con 25.6 from 22.0
    count = api_region(client, "sp.2021-05-06", HIGHLANDS_ID)["declaration"]["list_count"]
    assert count["share_changes"]["snp"] == "2.00" and count["share_changes"]["ld"] is None
