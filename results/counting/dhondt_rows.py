"""The "how the seats were allocated" table as plain rows for a template: a column per list, a row per seat."""

from dataclasses import dataclass

from results.counting.dhondt import Allocation, figure_text


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    votes: int
    constituency_seats: int
    list_seats: int


@dataclass(frozen=True)
class Cell:
    figure: str  # "" when the list was out of the count in that round (seated independent, list run out)
    divisor: int | None
    won: bool


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[Cell, ...]  # in column order
    winner: str
    member: str | None
    figure: str
    decided_by: str


@dataclass(frozen=True)
class AllocationTable:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    under_threshold: tuple[str, ...]  # names of lists left out by the threshold
    ran_out: tuple[str, ...]  # names of lists that ran out of candidates


def allocation_table(allocation: Allocation) -> AllocationTable:
    """Columns for every list in the count, largest vote first; excluded lists are named apart."""
    in_count = [item for item in allocation.lists if item.key not in allocation.excluded]
    ordered = sorted(in_count, key=lambda item: -item.votes)
    columns = tuple(
        Column(item.key, item.name, item.votes, item.constituency_seats, allocation.seats_won[item.key])
        for item in ordered
    )
    rows = []
    for seat in allocation.rounds:
        by_key = {q.key: q for q in seat.quotients}
        cells = tuple(
            Cell(figure_text(by_key[c.key].value), by_key[c.key].divisor, c.key == seat.winner)
            if c.key in by_key
            else Cell("", None, False)
            for c in columns
        )
        winner = allocation.list_named(seat.winner).name
        rows.append(Row(seat.number, cells, winner, seat.member, figure_text(seat.quotient), seat.decided_by))
    return AllocationTable(
        columns=columns,
        rows=tuple(rows),
        under_threshold=tuple(allocation.list_named(key).name for key in allocation.excluded),
        ran_out=tuple(allocation.list_named(key).name for key in allocation.exhausted),
    )
