"""Election arithmetic: pure functions over plain data, never typed by hand.

Shares and changes are Decimals in percent, unrounded; round only to show.
Independents are candidates whose party is None: each stands alone and is
never pooled with another, whether for shares, swing or gain/hold.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

INDEPENDENT_CODE = "ind"
INDEPENDENT_PREFIX = "ind:"


def independent_key(name: str) -> str:
    """Where an independent's votes are kept among the parties' (previous votes, list votes): never pooled."""
    return f"{INDEPENDENT_PREFIX}{name}"


HUNDRED = Decimal(100)


class FiguresError(ValueError):
    """Figures that cannot be a real result; the message is for the results desk."""


class TieError(FiguresError):
    pass


@dataclass(frozen=True)
class PartyRef:
    code: str
    short_name: str
    name: str
    colour: str


@dataclass(frozen=True)
class Tally:
    key: int
    name: str
    party: PartyRef | None
    votes: int
    transfers: int | None = None

    @property
    def final_votes(self) -> int:
        return self.votes + (self.transfers or 0)


_COUNT = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


# More than the whole UK electorate: a figure above it is a typing or feed error.
MAX_COUNT = 50_000_000


def parse_count(raw) -> int:
    """A whole, non-negative number of votes; commas between thousands are fine."""
    if isinstance(raw, bool):
        raise FiguresError("Enter a whole number of votes.")
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(" ", "")
        if not text:
            raise FiguresError("Enter a figure: a blank is not zero.")
        if text.startswith("-"):
            raise FiguresError(f"“{raw}” is negative; votes cannot be.")
        if not _COUNT.match(text):
            raise FiguresError(f"“{raw}” is not a whole number of votes.")
        value = int(text.replace(",", ""))
    if value < 0:
        raise FiguresError(f"“{raw}” is negative; votes cannot be.")
    if value > MAX_COUNT:
        raise FiguresError(f"“{raw}” is more than any UK count could be ({MAX_COUNT:,}).")
    return value


def one_dp(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal:
    return Decimal(part) * HUNDRED / Decimal(whole) if whole else Decimal(0)


def valid_votes(tallies: list[Tally]) -> int:
    return sum(t.votes for t in tallies)


def candidate_shares(tallies: list[Tally]) -> dict[int, Decimal]:
    total = valid_votes(tallies)
    return {t.key: percent(t.votes, total) for t in tallies}


def party_votes(tallies: list[Tally]) -> dict[str, int]:
    """Votes per party; independents are left out, never pooled."""
    votes: dict[str, int] = {}
    for t in tallies:
        if t.party is not None:
            votes[t.party.code] = votes.get(t.party.code, 0) + t.votes
    return votes


def shares_from_votes(votes_by_party: dict[str, int]) -> dict[str, Decimal]:
    total = sum(votes_by_party.values())
    return {code: percent(votes, total) for code, votes in votes_by_party.items()}


def party_shares(tallies: list[Tally]) -> dict[str, Decimal]:
    total = valid_votes(tallies)
    return {code: percent(votes, total) for code, votes in party_votes(tallies).items()}


def share_changes(now: dict[str, Decimal], before: dict[str, Decimal]) -> dict[str, Decimal | None]:
    """Change in share for each party standing now; None where it did not stand before."""
    return {code: (share - before[code]) if code in before else None for code, share in now.items()}


def ranked(tallies: list[Tally], *, final: bool = False) -> list[Tally]:
    key = (lambda t: t.final_votes) if final else (lambda t: t.votes)
    return sorted(tallies, key=lambda t: (-key(t), t.key))


def winners(tallies: list[Tally], seats: int = 1, lot_winner: int | None = None) -> list[Tally]:
    """The top `seats` candidates; a tie for the last seat needs a winner drawn by lot."""
    order = ranked(tallies)
    if len(order) <= seats:
        if lot_winner is not None:
            raise FiguresError("There is no tie to draw lots for.")
        return order
    cutoff = order[seats - 1].votes
    tied = [t for t in order if t.votes == cutoff]
    if len(tied) == 1 or order[seats].votes != cutoff:
        if lot_winner is not None:
            raise FiguresError("There is no tie to draw lots for.")
        return order[:seats]
    if lot_winner is None:
        names = ", ".join(t.name for t in tied)
        raise TieError(f"{names} are tied on {cutoff:,}. Choose the winner drawn by lot.")
    chosen = next((t for t in tied if t.key == lot_winner), None)
    if chosen is None:
        raise FiguresError("The winner drawn by lot must be one of the tied candidates.")
    secure = [t for t in order[:seats] if t.votes > cutoff]
    places_left = seats - len(secure)
    if places_left != 1:
        raise FiguresError("Drawing lots is supported for one tied seat at a time.")
    return [*secure, chosen]


@dataclass(frozen=True)
class SupplementaryCount:
    winner: Tally
    finalists: tuple[Tally, Tally] | None  # None when someone won outright in round one
    runner_up: Tally


def supplementary_vote(tallies: list[Tally]) -> SupplementaryCount:
    """Round one; if nobody has more than half, the top two add second-preference transfers."""
    order = ranked(tallies)
    if len(order) < 2:
        raise FiguresError("A supplementary-vote count needs at least two candidates.")
    total = valid_votes(tallies)
    top_two = order[:2]
    others_with_transfers = [t.name for t in order[2:] if t.transfers]
    if others_with_transfers:
        raise FiguresError(
            "Second-preference transfers go only to the top two; remove them from " + ", ".join(others_with_transfers)
        )
    if order[0].votes * 2 > total:
        if any(t.transfers for t in top_two):
            raise FiguresError(f"{order[0].name} won outright in round one; there are no transfers to count.")
        return SupplementaryCount(winner=order[0], finalists=None, runner_up=order[1])
    if len(order) > 2 and order[1].votes == order[2].votes:
        raise TieError("Second and third place are tied in round one; the count cannot go to a second round.")
    if all(t.transfers is None for t in top_two):
        raise FiguresError(
            f"Nobody has more than half of the first-round votes: enter the second-preference transfers for "
            f"{top_two[0].name} and {top_two[1].name} (0 where there were none)."
        )
    final = ranked(top_two, final=True)
    if final[0].final_votes == final[1].final_votes:
        raise TieError("The two finalists are tied after transfers.")
    return SupplementaryCount(winner=final[0], finalists=(final[0], final[1]), runner_up=final[1])


def majority(first: int, second: int) -> int:
    return first - second


def turnout(valid: int, electorate: int | None) -> Decimal | None:
    """Turnout as valid votes ÷ electorate (rejected ballots excluded)."""
    return percent(valid, electorate) if electorate else None


SPEAKER_LABEL = "Speaker"
SPEAKER_DESCRIPTION = "Speaker seeking re-election"  # on the ballot paper, in place of a party


@dataclass(frozen=True)
class Outcome:
    gain: bool
    from_label: str = ""  # "Lab", or "Ind" for an independent
    notional: bool = False  # measured against a notional previous result (new boundaries)
    words: str = ""  # said instead of GAIN/HOLD: the Speaker is "re-elected", never a party's hold

    def __str__(self) -> str:
        said = self.words or (f"GAIN from {self.from_label}" if self.gain else "HOLD")
        return f"{said} (notional)" if self.notional and not self.words else said


def gain_or_hold(
    winner_party: str | None,
    winner_name: str,
    previous_party: str | None,
    previous_name: str,
    labels: dict[str, str],
    *,
    winner_is_speaker: bool = False,
    previous_is_speaker: bool = False,
    notional: bool = False,
) -> Outcome:
    """HOLD when the same party (or the same independent) wins again; otherwise GAIN from the previous holder.

    The Speaker stands for no party: a Speaker who wins is re-elected (no party holds or gains),
    and whoever beats the Speaker gains the seat from the Speaker, not from a party.
    """
    if winner_is_speaker:
        return Outcome(gain=False, words="re-elected")
    if previous_is_speaker:
        return Outcome(gain=True, from_label=SPEAKER_LABEL, notional=notional)
    if winner_party is not None and winner_party == previous_party:
        return Outcome(gain=False, notional=notional)
    if winner_party is None and previous_party is None and previous_name and winner_name == previous_name:
        return Outcome(gain=False, notional=notional)
    if previous_party is not None:
        return Outcome(gain=True, from_label=labels.get(previous_party, previous_party), notional=notional)
    return Outcome(gain=True, from_label="Ind", notional=notional)


NO_OVERALL_CONTROL = "NOC"


def control_headline(before: str | None, after: str | None, labels: dict[str, str]) -> str:
    """A council's control as newsrooms write it; None is no overall control.

    "Lab hold", "Con gain from Lab", "Con gain from NOC", "Lab lose control to no overall control",
    and "NOC, no change" where no party had or has a majority.
    """
    if before == after:
        return f"{labels.get(after, after)} hold" if after else f"{NO_OVERALL_CONTROL}, no change"
    if after is None:
        return f"{labels.get(before, before)} lose control to no overall control"
    return f"{labels.get(after, after)} gain from {labels.get(before, before) if before else NO_OVERALL_CONTROL}"


@dataclass(frozen=True)
class SeatChanges:
    """A ward filling several seats: holds and gains party by party, as newsrooms give them.

    `changes` is seats now minus seats before, by party code (independents under "ind").
    """

    parts: tuple[str, ...]
    changes: dict
    note: str = ""  # what changed hands, after the seats (seats_by_party)

    @property
    def gain(self) -> bool:
        return any(n > 0 for n in self.changes.values())

    def __str__(self) -> str:
        return ", ".join(self.parts) + (f" ({self.note})" if self.note else "")


def seat_changes(won: dict[str, int], before: dict[str, int], labels: dict[str, str]) -> SeatChanges:
    """'Lab hold', 'Lab hold 2', 'Con gain 1 from Lab', party by party in order of seats won."""
    changes = {code: won.get(code, 0) - before.get(code, 0) for code in set(won) | set(before)}
    losers = [labels.get(code, code) for code, n in sorted(changes.items()) if n < 0]
    parts = []
    # Most seats first; among equals, a hold before a gain.
    for code, seats in sorted(won.items(), key=lambda item: (-item[1], item[1] > before.get(item[0], 0), item[0])):
        held = min(seats, before.get(code, 0))
        gained = seats - held
        label = labels.get(code, code)
        said = []
        if held:
            said.append("hold" if held == 1 else f"hold {held}")
        if gained:
            said.append(f"gain {gained}" + (f" from {' and '.join(losers)}" if losers else ""))
        parts.append(f"{label} {', '.join(said)}")
    return SeatChanges(parts=tuple(parts), changes={code: n for code, n in changes.items() if n})


def seats_by_party(won: dict[str, int], before: dict[str, int], labels: dict[str, str]) -> SeatChanges:
    """'SNP 2, Lab 1, Green 1 (SNP gain 1 from Lab)': seats by party in the order given, then what changed."""
    changes = {code: won.get(code, 0) - before.get(code, 0) for code in set(won) | set(before)}
    gained = [f"{labels.get(code, code)} gain {n}" for code, n in sorted(changes.items()) if n > 0]
    lost = [labels.get(code, code) for code, n in sorted(changes.items()) if n < 0]
    if gained:
        note = ", ".join(gained) + (f" from {' and '.join(lost)}" if lost else "")
    else:  # a ward that lost seats at a boundary review loses them from no one in particular
        note = ", ".join(f"{labels.get(code, code)} down {-n}" for code, n in sorted(changes.items()) if n < 0)
    parts = tuple(f"{labels.get(code, code)} {n}" for code, n in won.items())
    return SeatChanges(parts=parts, changes={code: n for code, n in changes.items() if n}, note=note or "no change")


@dataclass(frozen=True)
class Swing:
    value: Decimal  # positive: towards `to_party`
    to_party: str
    from_party: str


def butler_swing(change_a: Decimal, change_b: Decimal) -> Decimal:
    """(change in A's share − change in B's share) ÷ 2; positive means a swing from B to A."""
    return (change_a - change_b) / 2


def leading_parties_swing(tallies: list[Tally], changes: dict[str, Decimal | None]) -> Swing | None:
    """Butler swing between the two best-placed parties, both of which stood last time."""
    parties: list[str] = []
    for t in ranked(tallies):
        if t.party is not None and t.party.code not in parties:
            parties.append(t.party.code)
    if len(parties) < 2 or changes.get(parties[0]) is None or changes.get(parties[1]) is None:
        return None
    a, b = parties[0], parties[1]
    value = butler_swing(changes[a], changes[b])
    return Swing(value=value, to_party=a, from_party=b) if value >= 0 else Swing(value=-value, to_party=b, from_party=a)


def seats_for_majority(total_seats: int) -> int:
    return total_seats // 2 + 1


def council_control(seats_by_party: dict[str, int], total_seats: int) -> str | None:
    """The party code with a majority of all seats, or None for no overall control.

    Independent councillors never form a majority "party" between them.
    """
    needed = seats_for_majority(total_seats)
    for code, seats in seats_by_party.items():
        if code != INDEPENDENT_CODE and seats >= needed:
            return code
    return None
