"""A region's list seats: its lists and list votes, its constituencies' declared winners, the d'Hondt count.

The arithmetic is results.counting.dhondt's; this module gathers what it needs from the database and
turns its allocation into what a card and the API show. A list is keyed by its party's code, or an
individual list candidate's `ind:<name>`; the lists in the count are those given list votes.
"""

from dataclasses import dataclass
from decimal import Decimal

from .counting.dhondt import Allocation, PartyList, allocate, name_key
from .counting.dhondt_rows import AllocationTable, allocation_table
from .figures import INDEPENDENT_PREFIX, FiguresError, PartyRef, percent
from .models import Contest


@dataclass(frozen=True)
class ListLine:
    key: str
    party: PartyRef | None  # None for an individual list candidate
    name: str
    votes: int
    share: Decimal
    change: Decimal | None
    constituency_seats: int
    list_seats: int
    under_threshold: bool

    @property
    def label(self) -> str:
        return self.party.short_name if self.party else self.name


@dataclass(frozen=True)
class ListMember:
    key: str
    name: str | None  # None where the party's list was not entered that far
    party: PartyRef | None
    list_name: str


@dataclass(frozen=True)
class RegionCount:
    allocation: Allocation
    table: AllocationTable
    lines: list[ListLine]  # largest list vote first
    members: list[ListMember]  # in the order elected
    valid_list_votes: int
    threshold_percent: Decimal | None
    constituency_winners: list[tuple[str, str, str | None]]  # (constituency, winner, party code)

    @property
    def seats_won(self) -> list[tuple[str, int]]:
        """(label, list seats) for each list that won any, most seats first, then the larger list vote."""
        won = [line for line in self.lines if line.list_seats]
        return [(line.label, line.list_seats) for line in sorted(won, key=lambda line: (-line.list_seats, -line.votes))]

    @property
    def seats_text(self) -> str:
        return ", ".join(f"{label} {n}" for label, n in self.seats_won)


def constituency_winners(contest: Contest) -> list[tuple[str, str, str | None]]:
    """(constituency, winner, party code) for each constituency counted in the region; every one must be declared."""
    winners, undeclared = [], []
    for seat in contest.constituencies.select_related("result__current").order_by("name"):
        result = getattr(seat, "result", None)
        figures = result.current.facts.get("figures") if result and result.current_id else None
        if not figures:
            undeclared.append(seat.name)
            continue
        winners += [(seat.name, c["name"], c["party"]) for c in figures["candidates"] if c["elected"]]
    if undeclared:
        raise FiguresError(
            "The list seats are counted once every constituency is declared; not yet declared: "
            + ", ".join(undeclared)
            + "."
        )
    return winners


def _party_lists(contest: Contest, list_votes: dict[str, int], parties: dict[str, PartyRef], winners) -> list:
    names: dict[str, list[str]] = {}
    for candidacy in contest.candidacies.filter(list_position__isnull=False).select_related("party"):
        key = candidacy.party.code if candidacy.party else f"{INDEPENDENT_PREFIX}{candidacy.name}"
        names.setdefault(key, []).append((candidacy.list_position, candidacy.name))
    held = {code: sum(1 for *_, party in winners if party == code) for code in list_votes}
    lists = []
    for key, votes in list_votes.items():
        if key.startswith(INDEPENDENT_PREFIX):
            lists.append(PartyList(key, key.removeprefix(INDEPENDENT_PREFIX), votes, independent=True))
            continue
        if key not in parties:
            raise FiguresError(f"List votes are given for “{key}”, which is not a known party.")
        listed = tuple(name for _, name in sorted(names.get(key, [])))
        lists.append(
            PartyList(key, parties[key].name, votes, held[key], candidates=listed or None,
                      list_is_complete=contest.lists_complete)
        )  # fmt: skip
    return lists


def count_region(
    contest: Contest, list_votes: dict[str, int], valid_list_votes: int | None, parties: dict[str, PartyRef],
    previous_shares: dict[str, Decimal],
) -> RegionCount:  # fmt: skip
    """Count the region's list seats; raises FiguresError with a message for the desk."""
    if not list_votes:
        raise FiguresError("Enter the list votes of every party and individual list candidate.")
    winners = constituency_winners(contest)
    lists = _party_lists(contest, list_votes, parties, winners)
    allocation = allocate(
        lists, seats=contest.seats_up, elected_in_constituencies=[name for _, name, _ in winners],
        threshold_percent=contest.threshold_percent, valid_list_votes=valid_list_votes,
    )  # fmt: skip
    total = allocation.valid_list_votes
    lines = [
        ListLine(
            key=item.key, party=parties.get(item.key), name=item.name, votes=item.votes,
            share=percent(item.votes, total) if total else Decimal(0),
            change=percent(item.votes, total) - previous_shares[item.key]
            if total and item.key in previous_shares else None,
            constituency_seats=item.constituency_seats, list_seats=allocation.seats_won[item.key],
            under_threshold=item.key in allocation.excluded,
        )
        for item in sorted(lists, key=lambda item: -item.votes)
    ]  # fmt: skip
    members = [
        ListMember(m.party, m.name, parties.get(m.party), allocation.list_named(m.party).name)
        for m in allocation.members
    ]
    return RegionCount(
        allocation=allocation,
        table=allocation_table(allocation),
        lines=lines,
        members=members,
        valid_list_votes=total,
        threshold_percent=contest.threshold_percent,
        constituency_winners=winners,
    )


def declared_members(allocation: Allocation, elected: list[str]) -> list[tuple[str, str]] | str:
    """The names a declaration gives, as (list key, name) for check_declared; a message for a name on no list."""
    by_name = {}
    for item in allocation.lists:
        for name in item.candidates or ((item.name,) if item.independent else ()):
            by_name[name_key(name)] = item.key
    unknown = [name for name in elected if name_key(name) not in by_name]
    if unknown:
        return f"elected names {', '.join(unknown)}, who are on no list"
    return [(by_name[name_key(name)], name) for name in elected]
