"""Every seat of a general election in one compact table, sortable by any column on the server.

One query reads each contest's name, status and the few figures its stored declaration facts
hold (winner, majority, turnout, headline, time); sorting is done here, so a link in a column's
header (`?sort=majority`, `?sort=-majority`) orders the table without JavaScript. Seats not
yet declared always come last, by name, with their status.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone
from django.utils.http import urlencode

from .figures import INDEPENDENT_CODE, SPEAKER_LABEL, one_dp
from .models import Contest, Election, Party, Result

ASCENDING, DESCENDING = "ascending", "descending"


def night_clock(when: datetime, polling_day: date) -> str:
    """A declaration's time in Europe/London: "03:42" on the night (polling day or the morning after), with
    the date on a later day, as when a count is suspended and resumed ("6 Jul 08:14")."""
    local = timezone.localtime(when)
    if local.date() - polling_day <= timedelta(days=1):
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b %H:%M}"


@dataclass(frozen=True)
class SeatRow:
    pk: int
    name: str
    slug: str  # the ballot id: linked relative to the results page, /results/<election>/<ballot>/
    status: str
    party: str = ""  # the winner's party code, "ind" or "speaker"; blank until declared
    party_label: str = ""  # "Lab", "Ind", "Speaker"
    majority: int | None = None
    turnout: Decimal | None = None
    change: str = ""  # the headline after the winner: "GAIN from Con", "HOLD", "re-elected"
    notional: bool = False  # the change is measured against a notional previous result
    gain: bool = False
    declared_at: datetime | None = None
    time: str = ""  # when declared, as night_clock gives it

    @property
    def declared(self) -> bool:
        return self.declared_at is not None

    @property
    def status_label(self) -> str:
        return Result.Status(self.status).label

    @property
    def majority_text(self) -> str:
        return "—" if self.majority is None else f"{self.majority:,}"

    @property
    def turnout_text(self) -> str:
        return "—" if self.turnout is None else f"{one_dp(self.turnout)}"

    @property
    def change_order(self) -> int:
        """Gains first, then holds, then wins with nothing to compare and the Speaker."""
        return 0 if self.gain else 1 if "HOLD" in self.change else 2


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    first: str  # the direction a first click sorts by: the most telling end first
    ascending: str  # the order in words, each way
    descending: str
    numeric: bool = False


COLUMNS = (
    Column("seat", "Seat", ASCENDING, "seat, A to Z", "seat, Z to A"),
    Column("party", "Winner", ASCENDING, "winning party, A to Z", "winning party, Z to A"),
    Column("change", "Change", ASCENDING, "change, gains first", "change, gains last"),
    Column("majority", "Majority", ASCENDING, "majority, smallest first", "majority, largest first", numeric=True),
    Column("turnout", "Turnout %", DESCENDING, "turnout, lowest first", "turnout, highest first", numeric=True),
    Column("declared", "Declared", DESCENDING, "time declared, earliest first", "time declared, latest first"),
)
_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "seat"
# What each column sorts by. Equal values keep the seats' A to Z order, either way round; a seat with
# no value (an uncontested seat's majority) comes after those with one.
_VALUE = {
    "seat": lambda r: r.name.casefold(),
    "party": lambda r: r.party_label.casefold(),
    "majority": lambda r: r.majority,
    "turnout": lambda r: r.turnout,
    "change": lambda r: (r.change_order, r.change),
    "declared": lambda r: (r.declared_at, r.pk),
}


@dataclass(frozen=True)
class Sort:
    key: str
    direction: str

    @classmethod
    def parse(cls, raw: str | None) -> "Sort | None":
        """`majority` (ascending) or `-majority` (descending); None for anything else."""
        raw = raw or ""
        key = raw.removeprefix("-")
        if key not in _BY_KEY:
            return None
        return cls(key, DESCENDING if raw.startswith("-") else ASCENDING)

    @property
    def param(self) -> str:
        return ("-" if self.direction == DESCENDING else "") + self.key

    @property
    def words(self) -> str:
        column = _BY_KEY[self.key]
        return column.ascending if self.direction == ASCENDING else column.descending


DEFAULT = Sort(DEFAULT_SORT, ASCENDING)


@dataclass(frozen=True)
class Header:
    column: Column
    aria_sort: str  # "ascending" or "descending" on the column sorted by; blank on the others
    link: Sort  # what a click on it sorts by
    href: str  # the query that sorts so, keeping the gains list's party


@dataclass(frozen=True)
class SeatTable:
    rows: list[SeatRow]
    sort: Sort
    headers: list[Header]
    declared: int
    unknown_sort: bool = False
    # Every seat's change is measured against a notional result (a general election after a boundary
    # review): said once above the table rather than on each of 650 rows.
    notional_everywhere: bool = False

    @property
    def total(self) -> int:
        return len(self.rows)


def _number(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


NOTIONAL = " (notional)"


def _row(pk, name, slug, status, declared_at, headline, winner, speaker, majority, turnout, *, polling_day,
         labels: dict[str, str]) -> SeatRow:  # fmt: skip
    if declared_at is None:
        return SeatRow(pk=pk, name=name, slug=slug, status=status or Result.Status.EXPECTED)
    if speaker in (True, 1, "true", "1"):  # JSON true, as each database gives it back as text
        party, label = "speaker", SPEAKER_LABEL
    elif winner in labels:
        party, label = winner, labels[winner]
    else:
        party, label = INDEPENDENT_CODE, "Ind"
    headline = headline or ""
    change = headline.removeprefix(label).strip() if headline.startswith(label) else headline
    return SeatRow(
        pk=pk, name=name, slug=slug, status=status, party=party, party_label=label, majority=_number(majority),
        turnout=_decimal(turnout), change=change.removesuffix(NOTIONAL), notional=change.endswith(NOTIONAL),
        gain="GAIN" in change, declared_at=declared_at, time=night_clock(declared_at, polling_day),
    )  # fmt: skip


def seat_rows(election: Election, *, only: int | None = None) -> list[SeatRow]:
    """Every contest of the election (or the one with pk `only`) as a row: two queries, the contests with the
    few figures their declarations' facts hold, and the parties' short names."""
    facts = "result__current__facts"
    figures = KeyTransform("figures", facts)
    contests = Contest.objects.filter(election=election, **({"pk": only} if only else {}))
    values = contests.annotate(
        headline=KeyTextTransform("headline", facts),
        winner=KeyTextTransform("0", KeyTransform("elected", facts)),
        speaker=KeyTextTransform("speaker", facts),
        majority=KeyTextTransform("majority", figures),
        turnout=KeyTextTransform("turnout_pct", figures),
    ).values_list(
        "pk", "name", "slug", "result__status", "result__current__declared_at", "headline", "winner", "speaker",
        "majority", "turnout",
    )  # fmt: skip
    # The short names by code, read apart: a subquery matching each row's winner costs eight times as much.
    labels = dict(Party.objects.values_list("code", "short_name"))
    return [_row(*row, polling_day=election.polling_day, labels=labels) for row in values]


def sorted_rows(rows: list[SeatRow], sort: Sort) -> list[SeatRow]:
    """Declared seats in the order asked for; then those with nothing to sort by, and those still to declare,
    each by name."""
    value = _VALUE[sort.key]
    by_name = sorted(rows, key=lambda r: r.name.casefold())
    valued = [r for r in by_name if r.declared and value(r) is not None]
    # Python's sort is stable, reversed or not: seats of equal value stay A to Z.
    valued.sort(key=value, reverse=sort.direction == DESCENDING)
    no_value = [r for r in by_name if r.declared and value(r) is None]
    return valued + no_value + [r for r in by_name if not r.declared]


def headers(sort: Sort, gains: str = "") -> list[Header]:
    """Each column's header: marked with aria-sort if the table is sorted by it; its link sorts by it,
    the other way round if it is already the column sorted by."""
    result = []
    for column in COLUMNS:
        if column.key == sort.key:
            aria_sort, link = sort.direction, Sort(column.key, DESCENDING if sort.direction == ASCENDING else ASCENDING)
        else:
            aria_sort, link = "", Sort(column.key, column.first)
        query = {"gains": gains, "sort": link.param} if gains else {"sort": link.param}
        result.append(Header(column, aria_sort, link, "?" + urlencode(query)))
    return result


def notional_everywhere(election: Election) -> bool:
    contests = Contest.objects.filter(election=election)
    return not contests.exclude(previous_basis=Contest.PreviousBasis.NOTIONAL).exists() and contests.exists()


def seat_table(election: Election, sort: str | None = None, gains: str = "") -> SeatTable:
    """The table sorted as asked (`majority`, `-declared`; by seat name otherwise); `gains` is kept in its links."""
    chosen = Sort.parse(sort)
    order = chosen or DEFAULT
    rows = seat_rows(election)
    return SeatTable(
        rows=sorted_rows(rows, order), sort=order, headers=headers(order, gains),
        declared=sum(r.declared for r in rows), unknown_sort=bool(sort) and chosen is None,
        notional_everywhere=notional_everywhere(election),
    )  # fmt: skip
