"""A single transferable vote ward from the project's JSON feed: Edinburgh 2017, Ward 1 (Almond), as declared.

The figures are the council's declaration (tests/results/data/SOURCE.md), the same ones
tests/results/counting/test_stv_real_ward.py checks the count against.
"""

import copy
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from results import scoreboard
from results.api import election_json
from results.models import Election, Result

from .counting.test_stv_real_ward import DECLARED_ELECTED, DECLARED_TOTALS, QUOTA, SEATS, VALID
from .test_import_as_published import ballot, refused, write

pytestmark = pytest.mark.django_db

ALMOND = json.loads((Path(__file__).parent / "data" / "stv-edinburgh-almond-2017.json").read_text())
# The declaration's "Kevin LANG (LD)" is the feed's "Kevin Lang".
FEED_NAME = {
    declared: " ".join(part.capitalize() if part.isupper() else part for part in declared.split(" (")[0].split())
    for declared in DECLARED_TOTALS
} | {"Iain MCKINNON-WADDELL (Grn)": "Iain McKinnon-Waddell"}
STAGES = 10


def imported(tmp_path, data=ALMOND) -> dict:
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    return election_json(Election.objects.get())["contests"][0]["declaration"]


def changed(change) -> dict:
    data = copy.deepcopy(ALMOND)
    change(ballot(data))
    return data


def declared_column(name: str) -> list[str]:
    return DECLARED_TOTALS[name].split()


def test_the_almond_feed_gives_the_declared_quota_stages_and_winners_in_the_api(tmp_path, results_desk):
    declaration = imported(tmp_path)

    assert declaration["voting_system"] == "stv"
    assert (declaration["valid_votes"], declaration["seats_up"], declaration["quota"]) == (VALID, SEATS, QUOTA)
    assert len(declaration["stages"]) == STAGES
    for declared, name in FEED_NAME.items():
        assert [stage["totals"][name] for stage in declaration["stages"]] == declared_column(declared), name
    assert [stage["action"] for stage in declaration["stages"][:2]] == ["First preferences", "Surplus of Kevin Lang"]
    candidates = {c["name"]: c for c in declaration["candidates"]}
    assert {name: c["elected_at_stage"] for name, c in candidates.items() if c["elected"]} == {
        FEED_NAME[name]: stage for name, stage in DECLARED_ELECTED.items()
    }
    assert candidates["Kevin Lang"]["votes"] == 6079
    assert candidates["Kevin Lang"]["share"] == str(round(Decimal(6079 * 100) / VALID, 2)) == "42.79"
    assert declaration["majority"] is None and declaration["share_basis"] == "valid first preferences"


def test_the_almond_card_shows_first_preferences_the_quota_winners_stages_and_no_majority(tmp_path, results_desk):
    imported(tmp_path)
    card = Result.objects.get().current.card_html

    assert "First pref" in card and "Majority" not in card
    assert "2,842" in card and "Quota" in card
    assert "How the count went: 10 stages" in card and "<details" in card
    for declared, name in FEED_NAME.items():
        row = re.search(rf'<th scope="row">{re.escape(name)}\b.*?</tr>', card, re.S).group(0)
        assert re.findall(r'<td class="num">([^<]*)</td>', row) == declared_column(declared), name
    for declared, stage in DECLARED_ELECTED.items():
        assert f'{FEED_NAME[declared]} <span class="elected-mark">elected at stage {stage}</span>' in card
    assert "6,079" in card and "42.8" in card


def test_an_stv_ward_is_headlined_by_seats_per_party_without_a_previous_result(tmp_path, results_desk):
    assert imported(tmp_path)["headline"] == "LD 2, Con 1, SNP 1 elected"


def test_an_stv_ward_is_headlined_by_seats_then_the_seats_that_changed_hands(tmp_path, results_desk):
    # Illustrative previous seats (Almond's boundaries were redrawn for 2017): one each for LD, Con, SNP, Lab.
    data = changed(lambda b: b.update(previous={"seats": {"PP90": 1, "PP52": 1, "PP102": 1, "PP53": 1}}))
    declaration = imported(tmp_path, data)

    assert declaration["headline"] == "LD 2, Con 1, SNP 1 (LD gain 1 from Lab)"
    board = {score.party.code: score for score in scoreboard.scoreboard(Election.objects.get()).parties}
    assert {code: s.seats for code, s in board.items() if s.seats} == {"ld": 2, "con": 1, "snp": 1}
    assert (board["ld"].gains, board["lab"].losses) == (1, 1)


def _stage(b, number):
    return b["result"]["stages"][number - 1]


REFUSALS = [
    ("a wrong quota", lambda b: b["result"].update(quota=2843),
     "elections[0].ballots[0].result.stages: The quota is 2,843, but 14,207 valid votes for 4 seat(s) give 2,842"),
    ("a stage that does not add up", lambda b: _stage(b, 4)["totals"].update({"Bruce Whitehead": "1284.64241"}),
     "elections[0].ballots[0].result.stages: Stage 4: the figures add up to"),
    ("a winner the stages do not elect", lambda b: [
        c.update(elected_at_stage=10) if c["person_name"] == "Pamela Mitchell" else
        c.pop("elected_at_stage", None) if c["person_name"] == "Norrie Work" else None for c in b["candidates"]],
     "Stage 10: Pamela Mitchell is declared elected but never reached the quota (2,842)"),
    ("a winner at the wrong stage", lambda b: b["candidates"][3].update(elected_at_stage=2),
     "Stage 2: Kevin Lang is declared elected here, but the stages elect them at stage 1."),
    ("first preferences that are not stage 1's", lambda b: b["candidates"][3].update(votes_cast=6080),
     "elections[0].ballots[0].candidates[3]: votes_cast 6,080 is not stage 1's 6,079 first preferences"),
    ("a stage naming someone who did not stand", lambda b: _stage(b, 2)["totals"].update({"Sam Lee": "1"}),
     "result.stages (stage 2): names no candidate of this ballot: Sam Lee"),
    ("a winner with no stage", lambda b: b["candidates"][3].update(elected=True, elected_at_stage=None),
     "candidates[3]: elected_at_stage is required"),
    ("a total that is not a number of votes", lambda b: _stage(b, 3)["totals"].update({"Kevin Lang": "2842.1234567"}),
     "result.stages[2].totals: Kevin Lang: 2842.1234567 is not a number of votes"),
    ("an unknown key in a stage", lambda b: _stage(b, 1).update(note=""),
     "result.stages[0]: `note` is not a field of a stage"),
    ("stages on a first-past-the-post ballot", lambda b: b.update(voting_system="fptp"),
     "quota, stages and elected_at_stage belong to a single transferable vote ballot"),
    ("no stages", lambda b: b["result"].pop("stages"), "gives its quota and stages"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), REFUSALS, ids=[c for c, _, _ in REFUSALS])
def test_an_stv_declaration_that_does_not_hold_is_refused_naming_its_place(
    tmp_path, results_desk, capsys, case, change, message
):
    assert message in refused(tmp_path, changed(change), capsys)


def test_importing_the_same_stv_feed_twice_changes_nothing(tmp_path, results_desk, capsys):
    imported(tmp_path)
    version = Result.objects.get().version

    imported(tmp_path)

    assert "1 unchanged" in capsys.readouterr().out
    assert Result.objects.get().version == version and Result.objects.get().revisions.count() == 1
