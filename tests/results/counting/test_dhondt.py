import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from results import figures
from results.counting.dhondt import (
    HIGHEST,
    TIE_EACH,
    TIE_LOT,
    TIE_VOTES,
    PartyList,
    TieError,
    allocate,
    check_declared,
)
from results.counting.dhondt_rows import allocation_table
from results.figures import FiguresError

DATA = Path(__file__).resolve().parent.parent / "data" / "lists"


def load(name):
    data = json.loads((DATA / name).read_text())
    lists = [
        PartyList(
            key=item["key"],
            name=item["name"],
            votes=item["votes"],
            constituency_seats=item.get("constituency_seats", 0),
            candidates=tuple(item["candidates"]) if "candidates" in item else None,
            independent=item.get("independent", False),
            list_is_complete=item.get("list_is_complete", True),
        )
        for item in data["lists"]
    ]
    return data, lists


def seats_of(allocation):
    return {key: count for key, count in allocation.seats_won.items() if count}


def members_of(allocation):
    return [(m.party, m.name) for m in allocation.members]


# --- Real results -------------------------------------------------------------------------------


def highlands_2021():
    data, lists = load("scottish-parliament-2021-highlands-and-islands.json")
    winners = [w["name"] for w in data["constituency_winners"]]
    return data, allocate(lists, seats=data["list_seats"], elected_in_constituencies=winners)


def test_highlands_and_islands_2021_constituency_seats_are_the_eight_declared():
    data, lists = load("scottish-parliament-2021-highlands-and-islands.json")
    by_party = {}
    for winner in data["constituency_winners"]:
        by_party[winner["party"]] = by_party.get(winner["party"], 0) + 1
    assert by_party == {"snp": 6, "ld": 2}
    assert {item.key: item.constituency_seats for item in lists if item.constituency_seats} == by_party


def test_highlands_and_islands_2021_gives_the_declared_seats_per_party():
    data, allocation = highlands_2021()
    assert seats_of(allocation) == data["declared"]["seats"] == {"con": 4, "snp": 1, "lab": 1, "green": 1}


def test_highlands_and_islands_2021_elects_the_declared_members_in_the_declared_order():
    data, allocation = highlands_2021()
    assert members_of(allocation) == [tuple(pair) for pair in data["declared"]["members_in_order_declared"]]


def test_highlands_and_islands_2021_snp_starts_divided_by_seven_for_its_six_constituencies():
    _, allocation = highlands_2021()
    first = {q.key: q for q in allocation.rounds[0].quotients}
    assert first["snp"].divisor == 7
    assert first["ld"].divisor == 3
    assert first["con"].divisor == 1
    # The SNP's last-round figure took the seventh seat ahead of the Conservatives' fifth.
    last = allocation.rounds[-1]
    assert (last.winner, last.quotient) == ("snp", Fraction(96433, 7))
    assert {q.key: q.value for q in last.quotients}["con"] == Fraction(60779, 5)


def test_highlands_and_islands_2021_checks_clean_against_the_declaration():
    data, allocation = highlands_2021()
    declared = data["declared"]
    members = [tuple(pair) for pair in declared["members_in_order_declared"]]
    assert check_declared(allocation, seats=declared["seats"], members=members) == []


def london_2021():
    data, lists = load("london-assembly-2021-london-wide.json")
    allocation = allocate(
        lists,
        seats=data["list_seats"],
        threshold_percent=data["threshold_percent"],
        valid_list_votes=data["valid_list_votes"],
    )
    return data, allocation


def test_london_2021_gives_the_declared_london_wide_seats():
    data, allocation = london_2021()
    assert seats_of(allocation) == data["declared"]["seats"] == {"con": 4, "lab": 2, "green": 3, "ld": 2}


def test_london_2021_constituency_seats_divide_labour_by_ten_and_the_conservatives_by_six():
    _, allocation = london_2021()
    first = {q.key: q.divisor for q in allocation.rounds[0].quotients}
    assert first == {"lab": 10, "con": 6, "green": 1, "ld": 1}
    assert [r.winner for r in allocation.rounds] == [
        "green", "ld", "green", "con", "con", "green", "con", "lab", "ld", "lab", "con",
    ]  # fmt: skip


def test_london_2021_elects_the_declared_london_wide_members():
    data, allocation = london_2021()
    declared = data["declared"]
    members = [tuple(pair) for pair in declared["members"]]
    assert check_declared(allocation, seats=declared["seats"], members=members) == []
    assert sorted(members_of(allocation)) == sorted(members)


def test_london_2021_every_seat_winning_party_cleared_the_five_percent_threshold():
    _, allocation = london_2021()
    assert allocation.excluded == ()
    assert allocation.valid_list_votes == 2_589_268


# --- Senedd from 2026: six members a constituency, closed lists, no constituency seats ----------

SENEDD_LISTS = [
    PartyList("reform", "Reform UK", 30_000, candidates=tuple(f"Reform {n}" for n in range(1, 9))),
    PartyList("plaid", "Plaid Cymru", 21_000, candidates=tuple(f"Plaid {n}" for n in range(1, 9))),
    PartyList("lab", "Welsh Labour", 12_000, candidates=tuple(f"Labour {n}" for n in range(1, 9))),
    PartyList("con", "Welsh Conservatives", 8_000, candidates=("Con 1", "Con 2")),
    PartyList("green", "Wales Green Party", 4_000, candidates=("Green 1",)),
]


def test_senedd_closed_lists_fill_six_seats_in_list_order():
    # By hand: 30,000 R; 21,000 P; 15,000 R; 12,000 L; 10,500 P; 10,000 R (then 8,000 Con misses out).
    allocation = allocate(SENEDD_LISTS, seats=6)
    assert [(r.winner, r.quotient) for r in allocation.rounds] == [
        ("reform", 30_000),
        ("plaid", 21_000),
        ("reform", 15_000),
        ("lab", 12_000),
        ("plaid", 10_500),
        ("reform", 10_000),
    ]
    assert members_of(allocation) == [
        ("reform", "Reform 1"),
        ("plaid", "Plaid 1"),
        ("reform", "Reform 2"),
        ("lab", "Labour 1"),
        ("plaid", "Plaid 2"),
        ("reform", "Reform 3"),
    ]
    assert seats_of(allocation) == {"reform": 3, "plaid": 2, "lab": 1}
    assert all(q.divisor == 1 for q in allocation.rounds[0].quotients)


# --- Ties ----------------------------------------------------------------------------------------


def test_lists_tied_with_a_seat_left_for_each_both_take_one():
    allocation = allocate([PartyList("a", "A", 1_000), PartyList("b", "B", 1_000)], seats=2)
    assert seats_of(allocation) == {"a": 1, "b": 1}
    assert allocation.rounds[0].decided_by == TIE_EACH
    assert allocation.rounds[1].decided_by == HIGHEST


def test_a_tie_for_the_last_seat_goes_to_the_larger_list_vote():
    # 600 ÷ (1 + 2 constituency seats) = 200 = 200 ÷ 1.
    lists = [PartyList("big", "Big", 600, constituency_seats=2), PartyList("small", "Small", 200)]
    allocation = allocate(lists, seats=1)
    assert seats_of(allocation) == {"big": 1}
    assert allocation.rounds[0].decided_by == TIE_VOTES


def test_a_tie_on_figure_and_list_vote_for_the_last_seat_asks_for_lots():
    lists = [PartyList("a", "Alpha", 900), PartyList("b", "Beta", 900), PartyList("c", "Gamma", 100)]
    with pytest.raises(TieError) as raised:
        allocate(lists, seats=1)
    assert raised.value.tied == ("a", "b")
    assert "Alpha and Beta are tied" in str(raised.value)
    assert "drawn by lot" in str(raised.value)
    assert isinstance(raised.value, figures.TieError)


def test_the_winner_drawn_by_lot_takes_the_tied_seat():
    lists = [PartyList("a", "Alpha", 900), PartyList("b", "Beta", 900)]
    allocation = allocate(lists, seats=1, lot_winners=["b"])
    assert seats_of(allocation) == {"b": 1}
    assert allocation.rounds[0].decided_by == TIE_LOT


def test_a_lot_winner_outside_the_tie_is_refused():
    lists = [PartyList("a", "Alpha", 900), PartyList("b", "Beta", 900), PartyList("c", "Gamma", 100)]
    with pytest.raises(FiguresError, match="must be one of the tied lists"):
        allocate(lists, seats=1, lot_winners=["c"])


def test_a_lot_winner_with_no_tie_is_refused():
    with pytest.raises(FiguresError, match="No tie needed lots"):
        allocate([PartyList("a", "Alpha", 900), PartyList("b", "Beta", 100)], seats=1, lot_winners=["a"])


# --- Threshold -----------------------------------------------------------------------------------


def threshold_lists():
    # Big's 9,000 ÷ (1 + 19) = 450 sits between the two small lists.
    return [
        PartyList("big", "Big", 9_000, constituency_seats=19),
        PartyList("at", "On five percent", 500),
        PartyList("under", "Just under", 499),
    ]


def test_a_list_under_the_threshold_gets_no_seat_however_high_its_figure():
    without = allocate(threshold_lists(), seats=2)
    assert seats_of(without) == {"at": 1, "under": 1}
    allocation = allocate(threshold_lists(), seats=2, threshold_percent=5, valid_list_votes=10_000)
    assert allocation.excluded == ("under",)
    assert seats_of(allocation) == {"at": 1, "big": 1}
    assert all(q.key != "under" for r in allocation.rounds for q in r.quotients)


def test_exactly_five_percent_clears_the_threshold():
    allocation = allocate(threshold_lists(), seats=2, threshold_percent=Decimal("5"), valid_list_votes=10_000)
    assert "at" not in allocation.excluded


def test_the_threshold_counts_against_all_valid_list_votes_not_only_the_lists_given():
    allocation = allocate(threshold_lists(), seats=2, threshold_percent=5)  # total 9,999: 499 is still under
    assert allocation.excluded == ("under",)
    with pytest.raises(FiguresError, match="smaller than the votes of the lists"):
        allocate(threshold_lists(), seats=2, threshold_percent=5, valid_list_votes=9_000)


# --- Lists: exhausted, constituency winners skipped, independents ---------------------------------


def test_a_party_whose_list_runs_out_takes_no_more_seats():
    lists = [PartyList("short", "Short", 10_000, candidates=("S1", "S2")), PartyList("long", "Long", 1_000)]
    allocation = allocate(lists, seats=4)
    assert members_of(allocation) == [("short", "S1"), ("short", "S2"), ("long", None), ("long", None)]
    assert allocation.exhausted == ("short",)


def test_a_list_entered_only_in_part_never_runs_out_and_elects_unnamed_members_past_its_names():
    lists = [
        PartyList("head", "Head only", 10_000, candidates=("H1",), list_is_complete=False),
        PartyList("other", "Other", 1_000),
    ]
    allocation = allocate(lists, seats=3)
    assert members_of(allocation) == [("head", "H1"), ("head", None), ("head", None)]
    assert allocation.exhausted == ()


def test_candidates_returned_for_a_constituency_are_passed_over_on_the_list():
    lists = [PartyList("p", "Party", 10_000, constituency_seats=1, candidates=("Siân Berry", "P2", "P3"))]
    allocation = allocate(lists, seats=2, elected_in_constituencies=["SIAN  berry"])
    assert members_of(allocation) == [("p", "P2"), ("p", "P3")]


def test_when_every_list_has_run_out_the_unfilled_seats_are_reported():
    lists = [PartyList("p", "Party", 10_000, candidates=("P1",)), PartyList("i", "Ivy Stand", 50, independent=True)]
    with pytest.raises(FiguresError, match="Only 2 of the 3 list seats can be filled"):
        allocate(lists, seats=3)


def test_an_independent_takes_one_seat_however_many_votes():
    lists = [PartyList("ind", "Ivy Stand", 50_000, independent=True), PartyList("p", "Party", 10_000)]
    allocation = allocate(lists, seats=3)
    assert seats_of(allocation) == {"ind": 1, "p": 2}
    assert members_of(allocation)[0] == ("ind", "Ivy Stand")
    assert [len(r.quotients) for r in allocation.rounds] == [2, 1, 1]
    assert allocation.exhausted == ()


def test_an_independent_already_returned_for_a_constituency_is_left_out():
    lists = [PartyList("ind", "Ivy Stand", 50_000, independent=True), PartyList("p", "Party", 10_000)]
    allocation = allocate(lists, seats=1, elected_in_constituencies=["Ivy Stand"])
    assert seats_of(allocation) == {"p": 1}


def test_a_party_that_won_every_constituency_starts_divided_by_them_all_and_may_win_no_list_seat():
    # Eight of eight constituencies: half the list vote, divided by nine.
    lists = [
        PartyList("dominant", "Dominant", 90_000, constituency_seats=8),
        PartyList("second", "Second", 45_000),
        PartyList("third", "Third", 27_000),
        PartyList("fourth", "Fourth", 18_000),
    ]
    allocation = allocate(lists, seats=7)
    assert allocation.rounds[0].quotients[0].divisor == 9
    assert allocation.seats_won["dominant"] == 0
    assert seats_of(allocation) == {"second": 4, "third": 2, "fourth": 1}


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lists, seats, message",
    [
        ([], 1, "at least one party"),
        ([PartyList("a", "A", 10)], 0, "at least 1"),
        ([PartyList("a", "A", -1)], 1, "0 or more"),
        ([PartyList("a", "A", 10), PartyList("a", "A again", 5)], 1, "appear more than once"),
        ([PartyList("a", "A", 10, constituency_seats=-1)], 1, "cannot be negative"),
        ([PartyList("i", "Ivy", 10, constituency_seats=1, independent=True)], 1, "stands alone"),
    ],
)
def test_impossible_input_is_refused_with_a_message(lists, seats, message):
    with pytest.raises(FiguresError, match=message):
        allocate(lists, seats=seats)


# --- The check against a declaration -------------------------------------------------------------


def test_the_check_names_each_party_whose_seats_differ_from_the_declaration():
    _, allocation = london_2021()
    errors = check_declared(allocation, seats={"con": 3, "lab": 2, "green": 3, "ld": 2, "reform": 1})
    assert errors == [
        "The declaration gives 1 seat(s) to “reform”, which has no list in this count.",
        "Conservative Party: the count gives 4 list seat(s), the declaration 3.",
    ]


def test_the_check_names_members_the_declaration_has_wrong():
    _, allocation = london_2021()
    members = [(m.party, m.name) for m in allocation.members if m.name != "Emma Best"] + [("con", "Tony Devenish")]
    errors = check_declared(allocation, members=members + [("lab", "sakina  SHEIKH")])
    assert errors == [
        "The declaration names sakina  SHEIKH twice.",
        "Conservative Party: the count elects Emma Best, whom the declaration does not name.",
        "Conservative Party: the declaration names Tony Devenish, whom the count does not elect.",
    ]


def test_the_check_counts_members_when_the_list_names_are_unknown():
    allocation = allocate([PartyList("a", "A", 1_000), PartyList("b", "B", 400)], seats=3)
    assert check_declared(allocation, members=[("a", "A1"), ("a", "A2"), ("b", "B1")]) == []
    assert check_declared(allocation, members=[("a", "A1"), ("b", "B1")]) == [
        "A: the declaration names 1 member(s); the count gives 2 seat(s)."
    ]


def test_the_check_reports_a_declaration_for_a_list_not_in_the_count():
    allocation = allocate([PartyList("a", "A", 1_000)], seats=1)
    assert check_declared(allocation, members=[("a", "A1"), ("z", "Zed")]) == [
        "The declaration names Zed for “z”, which has no list in this count."
    ]


# --- How the seats were allocated, as rows -------------------------------------------------------


def test_the_table_has_a_column_per_list_and_a_row_per_seat():
    _, allocation = highlands_2021()
    table = allocation_table(allocation)
    assert [c.key for c in table.columns][:5] == ["snp", "con", "ld", "lab", "green"]
    assert len(table.rows) == 7
    first = table.rows[0]
    assert (first.number, first.winner, first.member, first.figure) == (
        1,
        "Scottish Conservative and Unionist Party",
        "Douglas Ross",
        "60,779.00",
    )
    assert [c.figure for c in first.cells][:5] == ["13,776.14", "60,779.00", "8,923.67", "22,713.00", "17,729.00"]
    assert [c.won for c in first.cells][:2] == [False, True]
    assert table.columns[1].list_seats == 4
    assert table.rows[-1].figure == "13,776.14"


def test_the_table_leaves_blank_cells_for_lists_out_of_the_count_and_names_them():
    lists = [
        PartyList("ind", "Ivy Stand", 50_000, independent=True),
        PartyList("p", "Party", 10_000, candidates=("P1",)),
        PartyList("q", "Other", 5_000),
        PartyList("tiny", "Tiny", 10),
    ]
    allocation = allocate(lists, seats=3, threshold_percent=5)
    table = allocation_table(allocation)
    assert [c.name for c in table.columns] == ["Ivy Stand", "Party", "Other"]
    assert [c.figure for c in table.rows[1].cells] == ["", "10,000.00", "5,000.00"]
    assert [c.figure for c in table.rows[2].cells] == ["", "", "5,000.00"]
    assert table.under_threshold == ("Tiny",)
    assert table.ran_out == ("Party",)
