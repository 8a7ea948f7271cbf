from decimal import Decimal

import pytest

from results import figures
from results.figures import FiguresError, PartyRef, Tally, TieError

CON = PartyRef("con", "Con", "Conservative", "#0087DC")
LAB = PartyRef("lab", "Lab", "Labour", "#E4003B")
LD = PartyRef("ld", "LD", "Liberal Democrats", "#FAA61A")
GREEN = PartyRef("green", "Green", "Green Party", "#02A95B")
REFORM = PartyRef("reform", "Reform", "Reform UK", "#12B6CF")
OTHER = PartyRef("other", "Oth", "Other", "#999999")
LABELS = {"con": "Con", "lab": "Lab", "ld": "LD", "green": "Green", "reform": "Reform"}

# Hartlepool by-election, 6 May 2021: all 16 candidates.
HARTLEPOOL_2021 = [
    Tally(1, "Jill Mortimer", CON, 15529),
    Tally(2, "Paul Williams", LAB, 8589),
    Tally(3, "Sam Lee", None, 2904),
    Tally(4, "Claire Martin", PartyRef("heritage", "Heritage", "Heritage Party", "#0C2C5C"), 468),
    Tally(5, "John Prescott", REFORM, 368),
    Tally(6, "Rachel Featherstone", GREEN, 358),
    Tally(7, "Andy Hagon", LD, 349),
    Tally(8, "Thelma Walker", None, 250),
    Tally(9, "Chris Killick", None, 248),
    Tally(10, "Hilton Dawson", PartyRef("nep", "NEP", "The North East Party", "#333333"), 163),
    Tally(11, "Ralph Ward-Jackson", None, 157),
    Tally(12, "Gemma Evans", PartyRef("wep", "WEP", "Women's Equality Party", "#666666"), 140),
    Tally(13, "Adam Gaines", None, 126),
    Tally(14, "The Incredible Flying Brick", PartyRef("loony", "Loony", "Monster Raving Loony", "#FFFF00"), 108),
    Tally(15, "David Bettney", PartyRef("sdp", "SDP", "Social Democratic Party", "#004A63"), 104),
    Tally(16, "Steve Jack", PartyRef("fa", "FA", "Freedom Alliance", "#777777"), 72),
]
# General election 2019 (the Brexit Party's vote is recorded under its successor, Reform UK).
HARTLEPOOL_2019 = {"lab": 15464, "con": 11869, "reform": 10603, "ld": 1696, "ind-bousfield": 911, "slp": 494}


def r1(value):
    return figures.one_dp(value)


def test_hartlepool_2021_comes_out_as_declared():
    valid = figures.valid_votes(HARTLEPOOL_2021)
    assert valid == 29933
    [winner] = figures.winners(HARTLEPOOL_2021)
    runner_up = figures.ranked(HARTLEPOOL_2021)[1]
    assert (winner.name, winner.votes, runner_up.votes) == ("Jill Mortimer", 15529, 8589)
    assert figures.majority(winner.votes, runner_up.votes) == 6940

    now = figures.party_shares(HARTLEPOOL_2021)
    before = figures.shares_from_votes(HARTLEPOOL_2019)
    changes = figures.share_changes(now, before)
    assert (r1(now["con"]), r1(before["con"]), r1(changes["con"])) == (
        Decimal("51.9"),
        Decimal("28.9"),
        Decimal("23.0"),
    )
    assert (r1(now["lab"]), r1(before["lab"]), r1(changes["lab"])) == (
        Decimal("28.7"),
        Decimal("37.7"),
        Decimal("-9.0"),
    )
    assert figures.majority(15464, 11869) == 3595

    swing = figures.leading_parties_swing(HARTLEPOOL_2021, changes)
    assert (swing.to_party, swing.from_party, r1(swing.value)) == ("con", "lab", Decimal("16.0"))
    outcome = figures.gain_or_hold("con", "Jill Mortimer", "lab", "", LABELS)
    assert str(outcome) == "GAIN from Lab"
    assert r1(figures.turnout(valid, 70768)) == Decimal("42.3")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("15,529", 15529), ("8589", 8589), (" 1,234,567 ", 1234567), (0, 0), ("0", 0), (42, 42)],
)
def test_counts_accept_whole_numbers_with_or_without_commas(raw, expected):
    assert figures.parse_count(raw) == expected


@pytest.mark.parametrize("raw", ["-5", -5, "12.5", "1,2345", "abc", "", None, "1e3", True, "15.529"])
def test_counts_reject_negatives_fractions_blanks_and_junk(raw):
    with pytest.raises(FiguresError):
        figures.parse_count(raw)


@pytest.mark.parametrize(
    ("a", "b", "swing"),
    [
        (Decimal("23.0"), Decimal("-9.0"), Decimal("16.0")),
        (Decimal("-2.0"), Decimal("4.0"), Decimal("-3.0")),
        (Decimal("0"), Decimal("0"), Decimal("0")),
        (Decimal("5.5"), Decimal("5.5"), Decimal("0")),
    ],
)
def test_butler_swing_is_half_the_difference_of_the_changes(a, b, swing):
    assert figures.butler_swing(a, b) == swing


@pytest.mark.parametrize(
    ("winner", "winner_name", "previous", "previous_name", "expected"),
    [
        ("con", "A", "lab", "", "GAIN from Lab"),
        ("lab", "A", "lab", "", "HOLD"),
        (None, "Sam Lee", "lab", "", "GAIN from Lab"),
        ("lab", "B", None, "Sam Lee", "GAIN from Ind"),
        (None, "Sam Lee", None, "Sam Lee", "HOLD"),
        (None, "Another Independent", None, "Sam Lee", "GAIN from Ind"),
    ],
)
def test_gain_or_hold(winner, winner_name, previous, previous_name, expected):
    assert str(figures.gain_or_hold(winner, winner_name, previous, previous_name, LABELS)) == expected


def test_independents_are_never_pooled_into_a_party():
    tallies = [Tally(1, "Ind A", None, 400), Tally(2, "Ind B", None, 350), Tally(3, "Lab", LAB, 500)]
    assert figures.party_votes(tallies) == {"lab": 500}
    # Two independents together outpoll Labour, but neither is a party to swing to.
    assert figures.leading_parties_swing(tallies, {"lab": Decimal("-3")}) is None


def test_swing_uses_the_two_leading_parties_skipping_independents():
    tallies = [Tally(1, "Ind", None, 900), Tally(2, "C", CON, 500), Tally(3, "L", LAB, 400)]
    swing = figures.leading_parties_swing(tallies, {"con": Decimal("4"), "lab": Decimal("-2")})
    assert (swing.to_party, swing.from_party, swing.value) == ("con", "lab", Decimal("3"))


def test_a_single_seat_tie_needs_a_winner_drawn_by_lot():
    tallies = [Tally(1, "A", CON, 500), Tally(2, "B", LAB, 500), Tally(3, "C", LD, 100)]
    with pytest.raises(TieError, match="tied on 500"):
        figures.winners(tallies)
    assert [t.name for t in figures.winners(tallies, lot_winner=2)] == ["B"]
    with pytest.raises(FiguresError, match="one of the tied"):
        figures.winners(tallies, lot_winner=3)


def test_drawing_lots_without_a_tie_is_refused():
    with pytest.raises(FiguresError, match="no tie"):
        figures.winners([Tally(1, "A", CON, 501), Tally(2, "B", LAB, 500)], lot_winner=2)


def test_a_multi_seat_ward_elects_the_top_candidates():
    tallies = [Tally(1, "A", CON, 900), Tally(2, "B", CON, 850), Tally(3, "C", LAB, 800), Tally(4, "D", LAB, 700)]
    assert [t.name for t in figures.winners(tallies, seats=2)] == ["A", "B"]


# West Midlands mayoralty, 6 May 2021, supplementary vote.
WEST_MIDLANDS = [
    Tally(1, "Andy Street", CON, 299318, transfers=15351),
    Tally(2, "Liam Byrne", LAB, 244009, transfers=23617),
    Tally(3, "Steve Caudwell", GREEN, 35559),
    Tally(4, "Jenny Wilkinson", LD, 21836),
    Tally(5, "Pete Durnell", REFORM, 13568),
]


def test_a_supplementary_vote_count_goes_to_a_second_round_when_nobody_has_half():
    count = figures.supplementary_vote(WEST_MIDLANDS)
    assert count.winner.name == "Andy Street"
    assert count.winner.final_votes == 314669
    assert count.runner_up.final_votes == 267626
    assert count.winner.final_votes - count.runner_up.final_votes == 47043


def test_a_count_without_a_first_round_majority_needs_the_transfers_before_anyone_is_elected():
    first_round_only = [Tally(t.key, t.name, t.party, t.votes) for t in WEST_MIDLANDS]
    with pytest.raises(FiguresError, match="Nobody has more than half of the first-round votes"):
        figures.supplementary_vote(first_round_only)
    no_transfers_for_one = [WEST_MIDLANDS[0], Tally(2, "Liam Byrne", LAB, 244009, transfers=0), *WEST_MIDLANDS[2:]]
    assert figures.supplementary_vote(no_transfers_for_one).winner.name == "Andy Street"  # 0 is a figure


def test_supplementary_vote_transfers_to_anyone_outside_the_top_two_are_rejected():
    bad = [*WEST_MIDLANDS[:2], Tally(3, "Steve Caudwell", GREEN, 35559, transfers=10), *WEST_MIDLANDS[3:]]
    with pytest.raises(FiguresError, match="top two"):
        figures.supplementary_vote(bad)


def test_an_outright_first_round_winner_needs_no_transfers():
    tees_valley = [Tally(1, "Ben Houchen", CON, 121964), Tally(2, "Jessie Joe Jacobs", LAB, 45641)]
    count = figures.supplementary_vote(tees_valley)
    assert count.winner.name == "Ben Houchen" and count.finalists is None
    with pytest.raises(FiguresError, match="outright"):
        figures.supplementary_vote([Tally(1, "H", CON, 121964, transfers=5), Tally(2, "J", LAB, 45641)])


@pytest.mark.parametrize(
    ("seats", "total", "control"),
    [
        ({"con": 17, "lab": 16}, 33, "con"),
        ({"con": 16, "lab": 16, "ld": 1}, 33, None),
        ({"con": 15, "lab": 15}, 30, None),
        ({"con": 16, "lab": 14}, 30, "con"),
        ({"ind": 20, "con": 13}, 33, None),  # independents never "control" together
    ],
)
def test_council_control_needs_a_party_majority_of_all_seats(seats, total, control):
    assert figures.council_control(seats, total) == control


@pytest.mark.parametrize(("total", "needed"), [(33, 17), (34, 18), (1, 1), (54, 28)])
def test_seats_needed_for_a_majority(total, needed):
    assert figures.seats_for_majority(total) == needed


def test_turnout_is_unknown_without_an_electorate():
    assert figures.turnout(100, None) is None


LABELS = {"lab": "Lab", "con": "Con", "ind": "Ind", "ld": "LD"}


@pytest.mark.parametrize(
    ("won", "before", "headline", "changes"),
    [
        ({"lab": 1, "ind": 1}, {"lab": 1, "ind": 1}, "Ind hold, Lab hold", {}),
        ({"lab": 3}, {"lab": 3}, "Lab hold 3", {}),
        ({"con": 1, "lab": 2}, {"lab": 3}, "Lab hold 2, Con gain 1 from Lab", {"con": 1, "lab": -1}),
        ({"ld": 2}, {"lab": 1, "con": 1}, "LD gain 2 from Con and Lab", {"ld": 2, "lab": -1, "con": -1}),
        ({"lab": 2}, {"lab": 1, "con": 1}, "Lab hold, gain 1 from Con", {"lab": 1, "con": -1}),
    ],
)
def test_a_multi_member_ward_says_holds_and_gains_seat_by_seat(won, before, headline, changes):
    outcome = figures.seat_changes(won, before, LABELS)
    assert str(outcome) == headline and outcome.changes == changes
    assert outcome.gain == any(n > 0 for n in changes.values())


STV_LABELS = {**LABELS, "snp": "SNP", "green": "Green"}


@pytest.mark.parametrize(
    ("won", "before", "headline", "changes"),
    [
        ({"snp": 2, "lab": 1, "green": 1}, {"snp": 1, "lab": 2, "green": 1},
         "SNP 2, Lab 1, Green 1 (SNP gain 1 from Lab)", {"snp": 1, "lab": -1}),
        ({"snp": 2, "con": 1}, {"snp": 2, "con": 1}, "SNP 2, Con 1 (no change)", {}),
        ({"ld": 2, "con": 1, "snp": 1}, {"ld": 1, "con": 1, "snp": 1}, "LD 2, Con 1, SNP 1 (LD gain 1)", {"ld": 1}),
        ({"snp": 1, "con": 1, "green": 1}, {"snp": 2, "con": 1, "lab": 1},
         "SNP 1, Con 1, Green 1 (Green gain 1 from Lab and SNP)", {"snp": -1, "lab": -1, "green": 1}),
        ({"snp": 2, "lab": 1}, {"snp": 2, "lab": 2}, "SNP 2, Lab 1 (Lab down 1)", {"lab": -1}),
    ],
)  # fmt: skip
def test_an_stv_ward_gives_seats_by_party_then_the_seats_that_changed_hands(won, before, headline, changes):
    outcome = figures.seats_by_party(won, before, STV_LABELS)
    assert str(outcome) == headline and outcome.changes == changes


@pytest.mark.parametrize(
    ("before", "after", "headline"),
    [
        ("lab", "lab", "Lab hold"),
        ("lab", None, "Lab lose control to no overall control"),
        (None, "con", "Con gain from NOC"),
        ("lab", "con", "Con gain from Lab"),
        (None, None, "NOC, no change"),
    ],
)
def test_council_control_reads_as_newsrooms_write_it(before, after, headline):
    assert figures.control_headline(before, after, LABELS) == headline


@pytest.mark.parametrize(
    ("winner", "name", "previous", "previous_name", "speaker", "previous_speaker", "said"),
    [
        (None, "Lindsay Hoyle", None, "Lindsay Hoyle", True, True, "re-elected"),
        (None, "Lindsay Hoyle", "lab", "", True, False, "re-elected"),  # first election as Speaker
        ("green", "A", None, "Lindsay Hoyle", False, True, "GAIN from Speaker"),
        (None, "Sam Lee", None, "Lindsay Hoyle", False, True, "GAIN from Speaker"),
    ],
)
def test_the_speaker_is_re_elected_and_whoever_beats_the_speaker_gains_from_the_speaker(
    winner, name, previous, previous_name, speaker, previous_speaker, said
):
    outcome = figures.gain_or_hold(
        winner, name, previous, previous_name, LABELS, winner_is_speaker=speaker, previous_is_speaker=previous_speaker
    )
    assert str(outcome) == said and outcome.gain == said.startswith("GAIN")


@pytest.mark.parametrize(
    ("winner", "previous", "said"),
    [("ld", "con", "GAIN from Con (notional)"), ("con", "con", "HOLD (notional)")],
)
def test_an_outcome_against_a_notional_result_says_so(winner, previous, said):
    assert str(figures.gain_or_hold(winner, "A", previous, "", LABELS, notional=True)) == said


def test_with_no_previous_figures_no_party_is_new_and_every_change_is_absent():
    now = figures.party_shares(HARTLEPOOL_2021)
    assert set(figures.share_changes(now, {}).values()) == {None}
