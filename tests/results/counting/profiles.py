"""Small profiles whose counts can be checked by hand."""

from results.counting.stv import Ballot, Profile


def profile(seats: int, lines: list[tuple[int, str]], names: str = "ABCD") -> Profile:
    """`lines` are (papers, preferences as letters), e.g. (7, "AB") for seven papers A then B."""
    return Profile(
        title="Test ward",
        candidates=tuple(names),
        seats=seats,
        ballots=tuple(Ballot(papers, tuple(names.index(c) for c in order)) for papers, order in lines),
    )


# 22 valid, 2 seats: quota 8. A's surplus of 3 over 11 papers moves at 3/11 = 0.27272 (0.272727… truncated);
# D is then excluded, then B, and C is left to fill the last seat.
SURPLUS_THEN_EXCLUSIONS = profile(2, [(7, "AB"), (4, "AC"), (3, "B"), (4, "C"), (4, "D")])
