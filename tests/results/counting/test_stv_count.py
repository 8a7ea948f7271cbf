from decimal import Decimal

import pytest

from results.counting.stv import Elected, LotNeeded, StvError, count_stv, droop_quota
from tests.results.counting.profiles import SURPLUS_THEN_EXCLUSIONS, profile


@pytest.mark.parametrize(
    ("valid", "seats", "quota"),
    [(22, 2, 8), (9474, 3, 2369), (14207, 4, 2842), (100, 1, 51), (99, 3, 25), (8, 3, 3)],
)
def test_quota_is_valid_votes_over_seats_plus_one_fraction_ignored_plus_one(valid, seats, quota):
    assert droop_quota(valid, seats) == quota


def test_first_stage_credits_each_first_preference_with_one_vote():
    count = count_stv(SURPLUS_THEN_EXCLUSIONS)
    first = count.stages[0]
    assert (count.valid_votes, count.quota) == (22, 8)
    assert first.action == "first"
    assert first.totals == {"A": 11, "B": 3, "C": 4, "D": 4}
    assert first.elected == ("A",)


def test_surplus_moves_every_paper_at_a_transfer_value_truncated_to_five_places():
    stage = count_stv(SURPLUS_THEN_EXCLUSIONS).stages[1]
    assert stage.action == "surplus of A"
    assert stage.changes == {"A": -3, "B": Decimal("1.90904"), "C": Decimal("1.09088"), "D": 0}
    assert stage.totals == {"A": 8, "B": Decimal("4.90904"), "C": Decimal("5.09088"), "D": 4}
    # 11 papers × 0.27272 = 2.99992: the 0.00008 truncation drops is non-transferable.
    assert stage.non_transferable_change == Decimal("0.00008")


def test_exclusion_moves_papers_at_their_value_and_those_with_no_next_preference_are_non_transferable():
    stages = count_stv(SURPLUS_THEN_EXCLUSIONS).stages
    assert [s.action for s in stages[2:]] == ["exclusion of D", "exclusion of B"]
    assert stages[2].changes["D"] == -4
    assert stages[2].non_transferable == Decimal("4.00008")
    # B held 3 papers at 1 and 7 at 0.27272, none with a later preference.
    assert stages[3].non_transferable_change == Decimal("4.90904")


def test_every_stage_adds_up_to_the_valid_vote_exactly():
    for stage in count_stv(SURPLUS_THEN_EXCLUSIONS).stages:
        assert sum(stage.totals.values()) + stage.non_transferable == 22


def test_last_continuing_candidate_fills_the_last_seat_without_the_quota():
    count = count_stv(SURPLUS_THEN_EXCLUSIONS)
    assert count.elected == (Elected("A", 1), Elected("C", 4))
    assert count.stages[3].totals["C"] < count.quota


def test_largest_surplus_is_transferred_first():
    # 22 valid, 3 seats: quota 6. A (9) and B (10) are elected at once; B's surplus of 4 goes first and elects C.
    count = count_stv(profile(3, [(9, "AD"), (10, "BC"), (2, "C"), (1, "D")]))
    assert count.stages[1].action == "surplus of B"
    assert count.elected == (Elected("B", 1), Elected("A", 1), Elected("C", 2))
    assert len(count.stages) == 2


def test_tie_for_exclusion_is_broken_by_the_most_recent_stage_at_which_they_differed():
    # 16 valid, 1 seat: quota 9. D goes first and lifts C level with B at 4; C had fewer at stage 1, so C goes.
    count = count_stv(profile(1, [(8, "A"), (4, "B"), (3, "CA"), (1, "DCA")]))
    assert count.stages[1].totals["B"] == count.stages[1].totals["C"] == 4
    assert count.stages[2].action == "exclusion of C"
    assert count.elected == (Elected("A", 3),)


def test_tie_equal_at_every_stage_needs_the_lot_and_the_first_drawn_is_excluded():
    tied = profile(1, [(4, "A"), (2, "BA"), (2, "CA")], names="ABC")
    with pytest.raises(LotNeeded) as refused:
        count_stv(tied)
    assert refused.value.tied == ("B", "C")
    assert count_stv(tied, lot_order=["C", "B"]).stages[1].action == "exclusion of C"


def test_no_more_candidates_than_seats_are_all_elected_at_the_first_stage():
    count = count_stv(profile(2, [(3, "A"), (1, "B")], names="AB"))
    assert count.elected == (Elected("A", 1), Elected("B", 1))
    assert len(count.stages) == 1


def test_withdrawn_candidates_are_skipped_on_every_paper():
    withdrawn = profile(1, [(3, "BA"), (2, "C")], names="ABC")
    withdrawn = type(withdrawn)(**{**withdrawn.__dict__, "withdrawn": frozenset({1})})
    count = count_stv(withdrawn)
    assert count.stages[0].totals == {"A": 3, "C": 2}
    assert count.elected == (Elected("A", 1),)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (profile(0, [(1, "A")]), "at least one seat"),
        (profile(1, [(0, "A")]), "weight of 0"),
        (profile(1, []), "no valid votes"),
    ],
)
def test_profiles_that_cannot_be_counted_are_refused_with_a_reason(bad, message):
    with pytest.raises(StvError, match=message):
        count_stv(bad)
