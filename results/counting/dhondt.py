"""List seats by d'Hondt: plain data in, plain data out, no models and no I/O.

Covers the regional seats of the Scottish Parliament (and of the Senedd until 2021), the London
Assembly's London-wide seats and the Senedd's closed lists from 2026. The rules (Scotland Act 1998
ss. 7-8, Government of Wales Act 2006 ss. 8-9, Greater London Authority Act 1999 sch. 2):

- A party's figure is its list votes ÷ (1 + the constituency seats it won in the region + the list
  seats it has been given so far). An individual list candidate is a list of one: their figure is
  their vote and they take one seat at most.
- A candidate already returned for a constituency in the region is passed over on their party's list;
  a party whose list has run out takes no more seats.
- London: a party or individual candidate with less than 5% of the valid London-wide vote takes no
  seat at all (pass `threshold_percent=5`).
- Equal highest figures: the statutes give a seat to each, so while seats remain for every tied list
  they are seated one after another (the larger list vote first). When fewer seats remain than tied
  lists, the larger list vote wins; with the list votes equal too the returning officer draws lots,
  and `TieError` asks the desk to enter who won the draw (`lot_winners`).
"""

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from results.figures import FiguresError
from results.figures import TieError as FiguresTieError

HIGHEST = "highest figure"
TIE_EACH = "tied on the highest figure, with a seat for each"
TIE_VOTES = "tied on the highest figure; the larger list vote"
TIE_LOT = "tied on the highest figure and the list vote; drawn by lot"


class TieError(FiguresTieError):
    """The last seat is tied on figure and list vote: only a drawing of lots can settle it."""

    def __init__(self, message: str, tied: tuple[str, ...]):
        super().__init__(message)
        self.tied = tied


@dataclass(frozen=True)
class PartyList:
    key: str
    name: str
    votes: int
    constituency_seats: int = 0  # won in this region; 0 where there are none (London-wide, Senedd 2026)
    candidates: tuple[str, ...] | None = None  # the list in its order; None when the desk has no names
    independent: bool = False  # an individual list candidate; `name` is theirs
    # False when only the head of the list was entered: the party then never runs out, and seats past
    # the names given are elected without a name.
    list_is_complete: bool = True


@dataclass(frozen=True)
class Quotient:
    key: str
    votes: int
    divisor: int
    value: Fraction


@dataclass(frozen=True)
class Round:
    number: int
    quotients: tuple[Quotient, ...]  # every list still in the count, in the order given
    winner: str
    quotient: Fraction
    member: str | None  # None when the winning party's list was not given
    decided_by: str


@dataclass(frozen=True)
class Member:
    party: str
    name: str | None
    round: int


@dataclass(frozen=True)
class Allocation:
    lists: tuple[PartyList, ...]
    seats: int
    valid_list_votes: int
    rounds: tuple[Round, ...]
    seats_won: dict[str, int]  # every list, including those with none
    members: tuple[Member, ...]  # in the order elected
    excluded: tuple[str, ...]  # under the threshold
    exhausted: tuple[str, ...]  # ran out of candidates before the last seat

    def list_named(self, key: str) -> PartyList:
        return next(item for item in self.lists if item.key == key)


def name_key(name: str) -> str:
    """Names as a feed may spell them: case, spacing and accents ("Sian" for "Siân") do not matter."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def allocate(
    lists: Sequence[PartyList],
    *,
    seats: int,
    elected_in_constituencies: Iterable[str] = (),
    threshold_percent: Decimal | int | None = None,
    valid_list_votes: int | None = None,
    lot_winners: Sequence[str] = (),
) -> Allocation:
    """Allocate `seats` list seats; `valid_list_votes` defaults to the sum of the lists' votes."""
    lists = tuple(lists)
    _check_input(lists, seats, threshold_percent, valid_list_votes)
    total = sum(item.votes for item in lists) if valid_list_votes is None else valid_list_votes
    excluded = _under_threshold(lists, threshold_percent, total)
    returned = {name_key(name) for name in elected_in_constituencies}
    remaining = {item.key: _eligible_names(item, returned) for item in lists}
    won = {item.key: 0 for item in lists}
    lots = list(lot_winners)
    rounds: list[Round] = []
    exhausted: list[str] = []

    for number in range(1, seats + 1):
        in_count = [item for item in lists if item.key not in excluded and _can_take_a_seat(item, remaining, won)]
        exhausted += [
            item.key
            for item in lists
            if not item.independent and item.key not in excluded and item not in in_count and item.key not in exhausted
        ]
        if not in_count:
            raise FiguresError(
                f"Only {number - 1} of the {seats} list seats can be filled: every list in the count has run out "
                "of candidates."
            )
        quotients = tuple(_quotient(item, won[item.key]) for item in in_count)
        winner, decided_by = _highest(in_count, quotients, seats - number + 1, lots)
        names = remaining[winner.key]
        member = names.pop(0) if names else None
        won[winner.key] += 1
        best = next(q for q in quotients if q.key == winner.key)
        rounds.append(Round(number, quotients, winner.key, best.value, member, decided_by))

    if lots:
        raise FiguresError(f"No tie needed lots for {', '.join(lots)}; remove the winner drawn by lot.")
    return Allocation(
        lists=lists,
        seats=seats,
        valid_list_votes=total,
        rounds=tuple(rounds),
        seats_won=won,
        members=tuple(Member(r.winner, r.member, r.number) for r in rounds),
        excluded=excluded,
        exhausted=tuple(exhausted),
    )


def _check_input(lists, seats, threshold_percent, valid_list_votes) -> None:
    if not lists:
        raise FiguresError("A list count needs at least one party or individual candidate.")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise FiguresError("The number of list seats must be a whole number, at least 1.")
    keys = [item.key for item in lists]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise FiguresError(f"Each list appears once; {', '.join(repeated)} appear more than once.")
    for item in lists:
        if isinstance(item.votes, bool) or not isinstance(item.votes, int) or item.votes < 0:
            raise FiguresError(f"{item.name}: list votes must be a whole number, 0 or more.")
        if item.constituency_seats < 0:
            raise FiguresError(f"{item.name}: constituency seats cannot be negative.")
        if item.independent and item.constituency_seats:
            raise FiguresError(f"{item.name} stands alone on the list and has no party seats to count.")
    if valid_list_votes is not None and valid_list_votes < sum(item.votes for item in lists):
        raise FiguresError("The valid list vote is smaller than the votes of the lists added together.")
    if threshold_percent is not None and not 0 < Decimal(threshold_percent) < 100:
        raise FiguresError("A threshold is a percentage between 0 and 100.")


def _under_threshold(lists, threshold_percent, total) -> tuple[str, ...]:
    if threshold_percent is None:
        return ()
    # Compared without division so that a party on exactly 5% is never lost to rounding.
    bar = Decimal(threshold_percent) * total
    return tuple(item.key for item in lists if Decimal(item.votes) * 100 < bar)


def _eligible_names(item: PartyList, returned: set[str]) -> list[str] | None:
    if item.independent:
        return [] if name_key(item.name) in returned else [item.name]
    if item.candidates is None:
        return None
    return [name for name in item.candidates if name_key(name) not in returned]


def _can_take_a_seat(item: PartyList, remaining, won) -> bool:
    if item.independent:
        return won[item.key] == 0 and bool(remaining[item.key])
    names = remaining[item.key]
    return names is None or bool(names) or not item.list_is_complete


def _quotient(item: PartyList, list_seats: int) -> Quotient:
    divisor = 1 + item.constituency_seats + list_seats
    return Quotient(item.key, item.votes, divisor, Fraction(item.votes, divisor))


def _highest(in_count, quotients, seats_left: int, lots: list[str]) -> tuple[PartyList, str]:
    top = max(q.value for q in quotients)
    tied = [item for item, q in zip(in_count, quotients, strict=True) if q.value == top]
    by_vote = sorted(tied, key=lambda item: -item.votes)  # stable: equal votes keep the order given
    if len(tied) == 1:
        return tied[0], HIGHEST
    if len(tied) <= seats_left:
        return by_vote[0], TIE_EACH
    most = by_vote[0].votes
    leaders = [item for item in by_vote if item.votes == most]
    if len(leaders) == 1 or len(leaders) <= seats_left:
        return leaders[0], TIE_VOTES
    if not lots:
        names = " and ".join(item.name for item in leaders)
        raise TieError(
            f"{names} are tied on the highest figure ({figure_text(top)}) and on list votes ({most:,}) with "
            f"{seats_left} seat{'s' if seats_left > 1 else ''} left. Enter the winner drawn by lot.",
            tied=tuple(item.key for item in leaders),
        )
    drawn = lots.pop(0)
    chosen = next((item for item in leaders if item.key == drawn), None)
    if chosen is None:
        tied = ", ".join(item.key for item in leaders)
        raise FiguresError(f"The winner drawn by lot must be one of the tied lists ({tied}), not {drawn}.")
    return chosen, TIE_LOT


def figure_text(value: Fraction) -> str:
    """A figure as results tables print it: two decimal places, thousands separated."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{exact.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def check_declared(
    allocation: Allocation,
    *,
    seats: Mapping[str, int] | None = None,
    members: Iterable[tuple[str, str]] | None = None,
) -> list[str]:
    """Where a declaration (seats per list and/or the members it names) differs from the count."""
    errors: list[str] = []
    known = {item.key for item in allocation.lists}
    if seats is not None:
        errors += _seat_differences(allocation, seats, known)
    if members is not None:
        errors += _member_differences(allocation, list(members), known)
    return errors


def _seat_differences(allocation: Allocation, seats: Mapping[str, int], known: set[str]) -> list[str]:
    errors = [
        f"The declaration gives {count} seat(s) to “{key}”, which has no list in this count."
        for key, count in seats.items()
        if key not in known and count
    ]
    for item in allocation.lists:
        counted, declared = allocation.seats_won[item.key], seats.get(item.key, 0)
        if counted != declared:
            errors.append(f"{item.name}: the count gives {counted} list seat(s), the declaration {declared}.")
    declared_total = sum(seats.values())
    if declared_total != allocation.seats:
        errors.append(f"The declaration fills {declared_total} list seat(s); there are {allocation.seats}.")
    return errors


def _member_differences(allocation: Allocation, members: list[tuple[str, str]], known: set[str]) -> list[str]:
    errors: list[str] = []
    declared: dict[str, dict[str, str]] = {}
    for key, name in members:
        if key not in known:
            errors.append(f"The declaration names {name} for “{key}”, which has no list in this count.")
            continue
        by_key = declared.setdefault(key, {})
        if name_key(name) in by_key:
            errors.append(f"The declaration names {name} twice.")
        by_key[name_key(name)] = name
    for item in allocation.lists:
        named = declared.get(item.key, {})
        elected = [m.name for m in allocation.members if m.party == item.key]
        if any(name is None for name in elected):
            if len(named) != len(elected):
                errors.append(
                    f"{item.name}: the declaration names {len(named)} member(s); the count gives "
                    f"{len(elected)} seat(s)."
                )
            continue
        counted = {name_key(name): name for name in elected if name is not None}
        errors += [
            f"{item.name}: the count elects {counted[k]}, whom the declaration does not name."
            for k in counted
            if k not in named
        ]
        errors += [
            f"{item.name}: the declaration names {named[k]}, whom the count does not elect."
            for k in named
            if k not in counted
        ]
    return errors
