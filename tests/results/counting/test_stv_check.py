from dataclasses import replace
from decimal import Decimal

from results.counting.stv import count_stv
from results.counting.stv_check import DeclaredCount, DeclaredStage, check_declared
from tests.results.counting.profiles import SURPLUS_THEN_EXCLUSIONS


def declared_from_count(count) -> DeclaredCount:
    return DeclaredCount(
        seats=count.seats,
        valid_votes=count.valid_votes,
        quota=count.quota,
        stages=[DeclaredStage(s.number, dict(s.totals), s.non_transferable) for s in count.stages],
        elected={e.candidate: e.stage for e in count.elected},
    )


GOOD = declared_from_count(count_stv(SURPLUS_THEN_EXCLUSIONS))


def with_stage(declared: DeclaredCount, number: int, **changes) -> DeclaredCount:
    stages = list(declared.stages)
    stage = stages[number - 1]
    stages[number - 1] = replace(stage, totals={**stage.totals, **changes})
    return replace(declared, stages=stages)


def test_a_consistent_declaration_has_no_errors():
    assert check_declared(GOOD) == []


def test_a_wrong_quota_is_refused_with_the_right_one():
    errors = check_declared(replace(GOOD, quota=9))
    assert errors == [
        "The quota is 9, but 22 valid votes for 2 seat(s) give 8 (valid votes ÷ 3, fraction ignored, plus one)."
    ]


def test_a_stage_adding_up_to_more_than_the_valid_vote_is_named():
    errors = check_declared(with_stage(GOOD, 3, B=Decimal("5.90904")))
    assert errors == ["Stage 3: the figures add up to 23.00000, more than the 22 valid votes."]


def test_a_stage_short_by_more_than_truncation_can_lose_is_named():
    errors = check_declared(with_stage(GOOD, 2, C=Decimal("5.08088")))
    assert len(errors) == 1
    assert errors[0].startswith("Stage 2: the figures add up to 21.99000, 0.01000 short of the 22 valid votes")


def test_a_shortfall_within_the_truncation_of_a_surplus_is_accepted():
    # Dropping the 0.00008 that truncation lost from the non-transferable papers, as some sheets do.
    stages = list(GOOD.stages)
    stages[1] = replace(stages[1], non_transferable=Decimal("0"))
    assert check_declared(replace(GOOD, stages=stages)) == []


def test_figures_published_to_two_places_are_accepted():
    stages = [
        DeclaredStage(s.number, {n: v.quantize(Decimal("0.01")) for n, v in s.totals.items()},
                      s.non_transferable.quantize(Decimal("0.01")))
        for s in GOOD.stages
    ]  # fmt: skip
    assert check_declared(replace(GOOD, stages=stages)) == []


def test_without_non_transferable_figures_votes_coming_back_are_refused():
    stages = [DeclaredStage(s.number, s.totals) for s in GOOD.stages]
    assert check_declared(replace(GOOD, stages=stages)) == []
    stages[3] = replace(stages[3], totals={**stages[3].totals, "C": Decimal("11.09088")})
    assert check_declared(replace(GOOD, stages=stages)) == [
        "Stage 4: the figures add up to 19.09088, more than at stage 3; votes that left the count cannot come back."
    ]


def test_an_elected_list_contradicting_the_stages_is_refused():
    errors = check_declared(replace(GOOD, elected={"A": 1, "B": 4}))
    assert errors == [
        "Stage 4: B is declared elected but never reached the quota (8) nor was left to fill the last seats.",
        "Stage 4: the stages elect C, who is not declared elected.",
    ]


def test_a_candidate_declared_elected_at_the_wrong_stage_is_named():
    errors = check_declared(replace(GOOD, elected={"A": 2, "C": 4}))
    assert errors == ["Stage 2: A is declared elected here, but the stages elect them at stage 1."]


def test_too_few_declared_elected_for_the_seats_is_refused():
    errors = check_declared(replace(GOOD, elected={"A": 1}))
    assert errors[0] == "1 candidate(s) are declared elected for 2 seat(s)."
    assert "Stage 4: the stages elect C, who is not declared elected." in errors


def test_stages_that_leave_seats_unfilled_are_named():
    errors = check_declared(replace(GOOD, stages=GOOD.stages[:2], elected={"A": 1, "C": 2}))
    assert "Stage 2: the stages fill 1 of 2 seats, and 3 candidate(s) are still continuing for the 1 left." in errors


def test_a_sheet_ending_once_the_last_seat_is_beyond_reach_elects_the_leader_there():
    # After D's exclusion B (4.90904) alone trails C (5.09088): B's exclusion could not change the last seat.
    assert check_declared(replace(GOOD, stages=GOOD.stages[:3], elected={"A": 1, "C": 3})) == []


def test_stages_numbered_out_of_order_are_refused():
    stages = [replace(s, number=n) for s, n in zip(GOOD.stages, [1, 2, 4, 5], strict=True)]
    assert check_declared(replace(GOOD, stages=stages)) == [
        "The stages are numbered [1, 2, 4, 5]; they must run 1, 2, 3… with none missing."
    ]


def stopped_after_excluding_e(first: str, second: str, nt: str = "4") -> DeclaredCount:
    """Two seats, 300 votes, quota 101: A is elected at stage 1, E excluded at stage 2, and there the sheet stops."""

    def totals(figures: str) -> dict[str, Decimal]:
        return dict(zip("ABCDE", (Decimal(v) for v in figures.split()), strict=True))

    stages = [DeclaredStage(1, totals(first)), DeclaredStage(2, totals(second), Decimal(nt))]
    return DeclaredCount(seats=2, valid_votes=300, quota=101, elected={"A": 1, "B": 2}, stages=stages)


def test_a_sheet_stopping_where_no_transfer_could_change_the_last_seat_is_accepted():
    # Northern Ireland's sheets stop so: C and D together (96) cannot reach B (100).
    assert check_declared(stopped_after_excluding_e("101 95 60 24 20", "101 100 66 30 0")) == []


def test_a_sheet_stopping_while_the_last_seat_is_still_open_is_refused():
    # C and D together (105) could still overtake B (90): the count had to go on.
    errors = check_declared(stopped_after_excluding_e("101 85 68 26 20", "101 90 74 31 0"))
    assert "Stage 2: the stages fill 1 of 2 seats, and 3 candidate(s) are still continuing for the 1 left." in errors


def test_a_surplus_not_yet_transferred_counts_against_stopping():
    # C and D have 79, below B's 97, but A's 19 still to transfer could bring them to 98.
    errors = check_declared(stopped_after_excluding_e("120 92 55 13 20", "120 97 60 19 0"))
    assert "Stage 2: the stages fill 1 of 2 seats, and 3 candidate(s) are still continuing for the 1 left." in errors
