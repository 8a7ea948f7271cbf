"""The scoreboard's totals are moved by each declaration, never recounted, and always equal a recount."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo import general_election
from results import scoreboard
from results.models import Contest, Election, PartyTotal
from results.services import result_declare
from results.summary import Entry
from tests.helpers import declare_demo_contest as declare

pytestmark = pytest.mark.django_db


def totals(election) -> dict[str, tuple]:
    return {
        t.party.code: tuple(getattr(t, name) for name in scoreboard.TOTALS)
        for t in PartyTotal.objects.filter(election=election).select_related("party")
        if any(getattr(t, name) for name in scoreboard.TOTALS)
    }


def counts(election) -> tuple[int, int]:
    election.refresh_from_db()
    return election.declared_count, election.councils_declared


def assert_equals_a_recount(election):
    kept, kept_counts = totals(election), counts(election)
    scoreboard.rebuild(election)
    assert totals(election) == kept and counts(election) == kept_counts


def test_a_generated_general_election_adds_up_seat_by_seat(results_desk):
    election = general_election.create(slug="parl.test", seats=40)
    contests = list(Contest.objects.filter(election=election).order_by("position"))
    for number, contest in enumerate(contests, start=1):
        general_election.declare(contest, number, len(contests), results_desk)
    board = scoreboard.scoreboard(election)
    assert (board.declared, board.total) == (40, 40)
    assert sum(s.seats for s in board.parties) == 40
    assert sum(s.gains for s in board.parties) == sum(s.losses for s in board.parties) > 0
    assert len([s for s in board.parties if s.seats]) >= 2  # realistic shares: more than one party wins
    assert_equals_a_recount(election)


def test_a_correction_moves_the_totals_by_the_difference(results_desk):
    election = general_election.create(slug="parl.test", seats=3)
    contest = Contest.objects.filter(election=election).first()
    general_election.declare(contest, 1, 3, results_desk)
    winner = max(contest.previous_votes, key=contest.previous_votes.get)
    other = next(code for code in contest.previous_votes if code != winner)
    ids = dict(contest.candidacies.values_list("party__code", "pk"))
    # The count is corrected so that the seat changes hands: a hold becomes a gain, or the other way.
    flipped = Entry(votes={pk: (30_000 if code == other else 1_000) for code, pk in ids.items()})
    before = totals(election)
    result_declare(contest=contest, entry=flipped, declared_at=general_election.declaration_time(1, 3),
                   actor=results_desk, expected_version=None, reason="Bundles miscounted")  # fmt: skip
    after = totals(election)
    assert counts(election) == (1, 0)  # a correction is not a second declaration
    assert after[other][0] == 1 and after.get(winner, (0,))[0] == 0
    assert after != before
    assert_equals_a_recount(election)


def test_councils_and_seats_of_the_demo_night_equal_a_recount(night, results_desk):
    for slug in ("hartlepool", "harlow", "redditch"):
        declare(slug, results_desk)
    for election in Election.objects.all():
        assert_equals_a_recount(election)
    local = Election.objects.get(slug="local-2021")
    assert counts(local) == (2, 2)


def test_a_declaration_costs_the_same_queries_first_and_last(results_desk):
    election = general_election.create(slug="parl.test", seats=12)
    contests = list(Contest.objects.filter(election=election).order_by("position"))
    used = []
    for number, contest in enumerate(contests, start=1):
        with CaptureQueriesContext(connection) as queries:
            general_election.declare(contest, number, len(contests), results_desk)
        used.append(len(queries))
    # Only how many parties a seat moves can change the count (a gain touches two rows, a hold one).
    assert max(used[6:]) <= max(used[:6]) + 1 and min(used[6:]) >= min(used[:6]) - 1


def test_the_scoreboard_reads_a_fixed_number_of_queries(results_desk, django_assert_num_queries):
    election = general_election.create(slug="parl.test", seats=20)
    for number, contest in enumerate(Contest.objects.filter(election=election).order_by("position"), start=1):
        general_election.declare(contest, number, 20, results_desk)
        if number in (1, 20):
            with django_assert_num_queries(2):
                scoreboard.scoreboard(election)
