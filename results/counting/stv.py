"""The single transferable vote as Scottish council elections count it.

The rules are those of the Scottish Local Government Elections Order 2011,
Schedule 1 (the first stage, the quota, the transfer of surpluses and the
exclusion of candidates, the filling of the last vacancies): the Weighted
Inclusive Gregory Method.

Votes are held as whole numbers of hundred-thousandths of a vote, because the
Order makes every transfer value "to five decimal places (any remainder being
ignored)": truncating an integer division is then exactly that rule, with no
floating point anywhere.

A surplus moves every paper the elected candidate holds, each at
surplus × (its value when received) / (the candidate's total), truncated. What
truncation loses, and the value of papers with no further preference, is
credited as non-transferable, so every stage adds up to the valid vote exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

SCALE = 100_000


class StvError(ValueError):
    """A profile that cannot be counted; the message says why."""


class LotNeeded(StvError):
    """A tie that the Order leaves to the returning officer's lot."""

    def __init__(self, tied: Sequence[str], purpose: str):
        self.tied = tuple(tied)
        names = ", ".join(self.tied)
        super().__init__(f"{names} are tied at every stage; the Order decides {purpose} by lot: give the lot's order.")


@dataclass(frozen=True)
class Ballot:
    """`weight` identical papers; `preferences` are candidate indexes, first preference first."""

    weight: int
    preferences: tuple[int, ...]


@dataclass(frozen=True)
class Profile:
    title: str
    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Stage:
    number: int
    action: str
    changes: dict[str, Decimal]
    totals: dict[str, Decimal]
    non_transferable_change: Decimal
    non_transferable: Decimal
    elected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Elected:
    candidate: str
    stage: int


@dataclass(frozen=True)
class Count:
    title: str
    seats: int
    candidates: tuple[str, ...]
    valid_votes: int
    quota: int
    stages: tuple[Stage, ...]
    elected: tuple[Elected, ...]

    def as_dict(self) -> dict:
        """The count as JSON-ready data; votes are strings with five decimal places."""
        return {
            "title": self.title,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "valid_votes": self.valid_votes,
            "quota": self.quota,
            "stages": [
                {
                    "number": stage.number,
                    "action": stage.action,
                    "changes": {name: str(value) for name, value in stage.changes.items()},
                    "totals": {name: str(value) for name, value in stage.totals.items()},
                    "non_transferable_change": str(stage.non_transferable_change),
                    "non_transferable": str(stage.non_transferable),
                    "elected": list(stage.elected),
                }
                for stage in self.stages
            ],
            "elected": [{"candidate": e.candidate, "stage": e.stage} for e in self.elected],
        }


def droop_quota(valid_votes: int, seats: int) -> int:
    """Rule 47: valid papers divided by one more than the seats, any fraction ignored, plus one."""
    if seats < 1:
        raise StvError("There must be at least one seat to fill.")
    return valid_votes // (seats + 1) + 1


def as_votes(scaled: int) -> Decimal:
    return Decimal(scaled).scaleb(-5)


@dataclass
class _Parcel:
    """Identical papers: same preferences, same value, and sitting at the same preference."""

    preferences: tuple[int, ...]
    papers: int
    value: int
    at: int


@dataclass
class _Tally:
    profile: Profile
    lot_order: tuple[str, ...]
    quota: int = 0
    piles: dict[int, list[_Parcel]] = field(default_factory=dict)
    totals: dict[int, int] = field(default_factory=dict)
    non_transferable: int = 0
    elected: list[Elected] = field(default_factory=list)
    excluded: set[int] = field(default_factory=set)
    surpluses_waiting: list[int] = field(default_factory=list)
    history: list[dict[int, int]] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)

    def is_continuing(self, candidate: int) -> bool:
        return (
            candidate not in self.excluded
            and candidate not in self.profile.withdrawn
            and all(self.profile.candidates[candidate] != e.candidate for e in self.elected)
        )

    def continuing(self) -> list[int]:
        return [c for c in range(len(self.profile.candidates)) if self.is_continuing(c)]

    def vacancies(self) -> int:
        return self.profile.seats - len(self.elected)

    def next_preference(self, parcel: _Parcel) -> int | None:
        for at in range(parcel.at + 1, len(parcel.preferences)):
            if self.is_continuing(parcel.preferences[at]):
                return at
        return None

    def move(self, parcels: list[_Parcel], value_of) -> dict[int, int]:
        """Passes each parcel to its next continuing preference at value_of(parcel); returns what moved where."""
        moved: dict[int, int] = {}
        for parcel in parcels:
            value = value_of(parcel)
            at = self.next_preference(parcel)
            if at is None:
                self.non_transferable += parcel.papers * value
                continue
            to = parcel.preferences[at]
            self.piles.setdefault(to, []).append(_Parcel(parcel.preferences, parcel.papers, value, at))
            self.totals[to] += parcel.papers * value
            moved[to] = moved.get(to, 0) + parcel.papers * value
        return moved

    def record(self, action: str, before: dict[int, int], non_transferable_before: int) -> None:
        names = self.profile.candidates
        self.history.append(dict(self.totals))
        number = len(self.history)
        newly = self.elect(number)
        self.stages.append(
            Stage(
                number=number,
                action=action,
                changes={names[c]: as_votes(self.totals[c] - before.get(c, 0)) for c in self.totals},
                totals={names[c]: as_votes(self.totals[c]) for c in self.totals},
                non_transferable_change=as_votes(self.non_transferable - non_transferable_before),
                non_transferable=as_votes(self.non_transferable),
                elected=tuple(names[c] for c in newly),
            )
        )

    def elect(self, stage: int) -> list[int]:
        """Rules 48 and 53: those at or over the quota, then the last continuing if they fill the seats."""
        quota = self.quota * SCALE
        reached = sorted(
            (c for c in self.continuing() if self.totals[c] >= quota), key=lambda c: self.totals[c], reverse=True
        )
        newly = reached[: self.vacancies()]
        for c in newly:
            self.elected.append(Elected(self.profile.candidates[c], stage))
            if self.totals[c] > quota:
                self.surpluses_waiting.append(c)
        if self.vacancies() > 0 and len(self.continuing()) <= self.vacancies():
            last = sorted(self.continuing(), key=lambda c: self.totals[c], reverse=True)
            self.elected.extend(Elected(self.profile.candidates[c], stage) for c in last)
            newly += last
        return newly

    def break_tie(self, tied: list[int], *, lowest: bool, purpose: str) -> int:
        """Rules 50(2) and 52(2): the most recent earlier stage at which they differed, then the lot."""
        for totals in reversed(self.history[:-1]):
            values = {totals.get(c, 0) for c in tied}
            if len(values) > 1:
                pick = min(values) if lowest else max(values)
                tied = [c for c in tied if totals.get(c, 0) == pick]
                if len(tied) == 1:
                    return tied[0]
        names = [self.profile.candidates[c] for c in tied]
        if not set(names) <= set(self.lot_order):
            raise LotNeeded(names, purpose)
        first_drawn = next(name for name in self.lot_order if name in names)
        return self.profile.candidates.index(first_drawn)

    def transfer_surplus(self) -> None:
        quota = self.quota * SCALE
        largest = max(self.totals[c] for c in self.surpluses_waiting)
        tied = [c for c in self.surpluses_waiting if self.totals[c] == largest]
        donor = tied[0] if len(tied) == 1 else self.break_tie(tied, lowest=False, purpose="whose surplus goes first")
        self.surpluses_waiting.remove(donor)
        before, non_transferable_before = dict(self.totals), self.non_transferable
        total = self.totals[donor]
        surplus = total - quota
        parcels, self.piles[donor] = self.piles.get(donor, []), []
        moved = self.move(parcels, lambda parcel: surplus * parcel.value // total)
        self.totals[donor] = quota
        # Whatever did not reach a continuing candidate, papers with no further preference and the
        # fractions truncation dropped alike, is non-transferable: the donor keeps exactly the quota.
        self.non_transferable = non_transferable_before + surplus - sum(moved.values())
        self.record(f"surplus of {self.profile.candidates[donor]}", before, non_transferable_before)

    def exclude_lowest(self) -> None:
        continuing = self.continuing()
        lowest = min(self.totals[c] for c in continuing)
        tied = [c for c in continuing if self.totals[c] == lowest]
        loser = tied[0] if len(tied) == 1 else self.break_tie(tied, lowest=True, purpose="who is excluded")
        before, non_transferable_before = dict(self.totals), self.non_transferable
        self.excluded.add(loser)
        parcels, self.piles[loser] = self.piles.get(loser, []), []
        self.move(parcels, lambda parcel: parcel.value)
        self.totals[loser] = 0
        self.record(f"exclusion of {self.profile.candidates[loser]}", before, non_transferable_before)


def _first_stage(tally: _Tally) -> int:
    profile = tally.profile
    tally.totals = {c: 0 for c in range(len(profile.candidates)) if c not in profile.withdrawn}
    valid = 0
    for ballot in profile.ballots:
        start = _Parcel(ballot.preferences, ballot.weight, SCALE, -1)
        at = tally.next_preference(start)
        if at is None:
            continue
        valid += ballot.weight
        first = ballot.preferences[at]
        tally.piles.setdefault(first, []).append(_Parcel(ballot.preferences, ballot.weight, SCALE, at))
        tally.totals[first] += ballot.weight * SCALE
    return valid


def validate_profile(profile: Profile) -> None:
    count = len(profile.candidates)
    if profile.seats < 1:
        raise StvError("There must be at least one seat to fill.")
    if len(set(profile.candidates)) != count:
        raise StvError("Two candidates have the same name.")
    for ballot in profile.ballots:
        if ballot.weight < 1:
            raise StvError(f"A ballot has a weight of {ballot.weight}; each must stand for at least one paper.")
        if any(not 0 <= c < count for c in ballot.preferences):
            raise StvError(f"A ballot names a candidate outside 1–{count}.")
    if any(not 0 <= c < count for c in profile.withdrawn):
        raise StvError(f"A withdrawn candidate is outside 1–{count}.")


def count_stv(profile: Profile, *, lot_order: Sequence[str] = ()) -> Count:
    """Counts the profile stage by stage.

    `lot_order` is the order in which the returning officer's lot drew the
    candidates' names; it is consulted only for a tie that was equal at every
    stage, and the first name drawn among the tied is the one chosen (to be
    excluded, or to have its surplus transferred first).
    """
    validate_profile(profile)
    tally = _Tally(profile, tuple(lot_order))
    valid = _first_stage(tally)
    if valid == 0:
        raise StvError("There are no valid votes to count.")
    tally.quota = droop_quota(valid, profile.seats)
    tally.record("first", {}, 0)
    while tally.vacancies() > 0:
        if tally.surpluses_waiting:
            tally.transfer_surplus()
        else:
            tally.exclude_lowest()
    return Count(
        title=profile.title,
        seats=profile.seats,
        candidates=profile.candidates,
        valid_votes=valid,
        quota=tally.quota,
        stages=tuple(tally.stages),
        elected=tuple(tally.elected),
    )
