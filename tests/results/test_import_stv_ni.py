"""A Northern Ireland Assembly constituency from the project's JSON feed: Upper Bann, 2 March 2017, as declared.

The figures typed here are the Electoral Office for Northern Ireland's count as ElectionsNI transcribed
it (tests/results/data/SOURCE.md), so the test checks the feed file against the source. Northern
Ireland truncates transfer values to two decimal places, not five as Scotland does; the count sheet
puts the fractions that loses among the non-transferable papers, so every stage adds up exactly.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from results.api import election_json
from results.counting.stv_check import DeclaredCount, DeclaredStage, check_declared
from results.models import Election

from .test_import_as_published import write

pytestmark = pytest.mark.django_db

UPPER_BANN = json.loads((Path(__file__).parent / "data" / "stv-ni-upper-bann-2017.json").read_text())

VALID, SEATS, QUOTA, REJECTED, ELECTORATE = 51548, 5, 8592, 626, 83431
# Each candidate's running total at stages 1 to 6, as declared (first preferences are whole votes).
DECLARED_TOTALS = {
    "Doug Beattie": "5467 5755.00 6174.00 6202.86 10728.86 8592.00",
    "Jonathan Buckley": "7745 8238.00 8314.00 8764.84 8764.84 8764.84",
    "Colin Craig": "218 0.00 0.00 0.00 0.00 0.00",
    "Jo-Anne Dobson": "5132 5404.00 5910.00 5969.58 0.00 0.00",
    "Tara Doyle": "2720 3097.00 0.00 0.00 0.00 0.00",
    "Roy Ferguson": "1035 0.00 0.00 0.00 0.00 0.00",
    "Dolores Kelly": "5127 5248.00 6509.00 6511.76 7189.92 9053.92",
    "Simon Lee": "555 0.00 0.00 0.00 0.00 0.00",
    "Carla Lockhart": "9140 9140.00 9140.00 8592.00 8592.00 8592.00",
    "Ian Nickels": "81 0.00 0.00 0.00 0.00 0.00",
    "John O'Dowd": "8220 8298.00 8560.00 8560.60 8593.60 8593.60",
    "Nuala Toman": "6108 6169.00 6294.00 6294.30 6316.60 6341.60",
}
# The papers each stage found non-transferable, as the sheet gives them stage by stage.
NON_TRANSFERABLE_AT_EACH_STAGE = "0.00 199.00 448.00 5.06 710.12 247.86"
DECLARED_ELECTED = {"Carla Lockhart": 1, "Jonathan Buckley": 4, "John O'Dowd": 5, "Doug Beattie": 5, "Dolores Kelly": 6}
# What each stage did, read off the running totals: Carla Lockhart's surplus waited until stage 4.
ACTIONS = [
    "First preferences",
    "Exclusion of Ian Nickels, Colin Craig, Simon Lee and Roy Ferguson",
    "Exclusion of Tara Doyle",
    "Surplus of Carla Lockhart",
    "Exclusion of Jo-Anne Dobson",
    "Surplus of Doug Beattie",
]
PARTIES = {
    "Doug Beattie": "uup", "Jonathan Buckley": "dup", "Colin Craig": "workers-ni", "Jo-Anne Dobson": "uup",
    "Tara Doyle": "alliance", "Roy Ferguson": "tuv", "Dolores Kelly": "sdlp", "Simon Lee": "green-ni",
    "Carla Lockhart": "dup", "Ian Nickels": "ni-con", "John O'Dowd": "sf", "Nuala Toman": "sf",
}  # fmt: skip
STAGES = 6


def imported(tmp_path) -> dict:
    call_command("import_results", str(write(tmp_path, UPPER_BANN)), "--as", "desk")
    return election_json(Election.objects.get())["contests"][0]["declaration"]


def declared_column(name: str) -> list[str]:
    return DECLARED_TOTALS[name].split()


def non_transferable_so_far() -> list[Decimal]:
    """The papers that have left the count by the end of each stage."""
    so_far, running = Decimal(0), []
    for figure in NON_TRANSFERABLE_AT_EACH_STAGE.split():
        so_far += Decimal(figure)
        running.append(so_far)
    return running


def declared_count() -> DeclaredCount:
    stages = [
        DeclaredStage(number, {name: Decimal(declared_column(name)[number - 1]) for name in DECLARED_TOTALS}, nt)
        for number, nt in enumerate(non_transferable_so_far(), start=1)
    ]
    return DeclaredCount(seats=SEATS, valid_votes=VALID, quota=QUOTA, stages=stages, elected=DECLARED_ELECTED)


def test_the_upper_bann_feed_gives_the_declared_quota_stages_and_winners_in_the_api(tmp_path, results_desk):
    declaration = imported(tmp_path)

    assert declaration["voting_system"] == "stv"
    assert (declaration["valid_votes"], declaration["seats_up"], declaration["quota"]) == (VALID, SEATS, QUOTA)
    assert declaration["rejected_ballots"] == REJECTED
    assert len(declaration["stages"]) == STAGES
    for name in DECLARED_TOTALS:
        assert [stage["totals"][name] for stage in declaration["stages"]] == declared_column(name), name
    assert [Decimal(stage["non_transferable"]) for stage in declaration["stages"]] == non_transferable_so_far()
    assert [stage["action"] for stage in declaration["stages"]] == ACTIONS
    candidates = {c["name"]: c for c in declaration["candidates"]}
    assert {name: c["elected_at_stage"] for name, c in candidates.items() if c["elected"]} == DECLARED_ELECTED
    assert {name: c["party"] for name, c in candidates.items()} == PARTIES
    assert candidates["Carla Lockhart"]["votes"] == 9140
    assert candidates["Carla Lockhart"]["share"] == str(round(Decimal(9140 * 100) / VALID, 2)) == "17.73"
    assert declaration["majority"] is None and declaration["share_basis"] == "valid first preferences"


def test_the_upper_bann_contest_keeps_its_electorate_and_northern_irelands_conservatives(tmp_path, results_desk):
    imported(tmp_path)

    contest = Election.objects.get().contests.get()
    assert (contest.slug, contest.name, contest.electorate) == ("nia.upper-bann.2017-03-02", "Upper Bann", ELECTORATE)
    nickels = contest.candidacies.get(name="Ian Nickels").party
    assert (nickels.code, nickels.register_id, nickels.short_name) == ("ni-con", "PP51", "NI Con")


def test_an_ni_assembly_constituency_is_headlined_by_seats_per_party(tmp_path, results_desk):
    # Elected in order: Lockhart (DUP) at stage 1, Buckley (DUP) at 4, O'Dowd (SF) and Beattie (UUP) at 5,
    # Kelly (SDLP) at 6; parties with a seat each in the order their winner was elected.
    assert imported(tmp_path)["headline"] == "DUP 2, SF 1, UUP 1, SDLP 1 elected"


def test_every_stage_of_the_upper_bann_declaration_adds_up_to_the_valid_vote():
    for stage in declared_count().stages:
        assert sum(stage.totals.values()) + stage.non_transferable == VALID, f"stage {stage.number}"


def test_the_declaration_of_upper_bann_passes_the_checker():
    assert check_declared(declared_count()) == []


def test_the_declaration_of_upper_bann_passes_the_checker_without_its_non_transferable_papers():
    declared = declared_count()
    stages = [DeclaredStage(stage.number, stage.totals) for stage in declared.stages]
    without = DeclaredCount(seats=SEATS, valid_votes=VALID, quota=QUOTA, stages=stages, elected=DECLARED_ELECTED)

    assert check_declared(without) == []
