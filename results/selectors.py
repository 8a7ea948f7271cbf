"""Reads for the results page and API, each a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse
from django.utils.http import urlencode

from streams import events

from .gains import GainsList, gains_list
from .hexmap import HexMap, hexmap_for
from .models import Contest, Election, Result
from .national import NationalPicture, national_picture
from .scoreboard import Scoreboard, scoreboard
from .seat_table import SeatTable, seat_table

# Above this many contests (a general election) the results page is a summary: the search,
# the gains and a table of every seat instead of a card for each; each card has its own page.
SUMMARY_ABOVE = 60


@dataclass
class ContestRow:
    contest: Contest
    result: Result | None


@dataclass(frozen=True)
class CardRow:
    """What the results page shows of a contest: its stored card once declared, else its name and status."""

    pk: int
    name: str
    slug: str
    kind: str
    status: str
    card: str = ""

    @property
    def kind_label(self) -> str:
        return Contest.Kind(self.kind).label

    @property
    def status_label(self) -> str:
        return Result.Status(self.status).label

    @classmethod
    def of(cls, contest: Contest, result: Result | None, card: str = "") -> "CardRow":
        status = result.status if result is not None else Result.Status.EXPECTED
        return cls(pk=contest.pk, name=contest.name, slug=contest.slug, kind=contest.kind, status=status, card=card)


@dataclass(frozen=True)
class Declared:
    """A line of the latest declarations or the seats to watch: the contest, linking to its page, and its
    headline (its status until declared)."""

    pk: int
    name: str
    headline: str
    url: str = ""
    status: str = ""

    @property
    def status_label(self) -> str:
        return Result.Status(self.status or Result.Status.EXPECTED).label


@dataclass(frozen=True)
class SummaryChoices:
    """What a reader chose on a summary page: the gaining party to list, the column to sort by.

    Only these two query parameters change the page (streams.http.page_for_seq's `reads`).
    """

    gains: str = ""
    sort: str = ""

    READS = ("gains", "sort")

    @classmethod
    def from_query(cls, query) -> "SummaryChoices":
        # Kept short: a party code is at most 30 characters, a sort a column's name.
        return cls(gains=query.get("gains", "").strip()[:30], sort=query.get("sort", "").strip()[:20])

    @property
    def variant(self) -> str:
        return urlencode({"gains": self.gains, "sort": self.sort})

    @property
    def query(self) -> str:
        """The choices made, as a query string ("" for none): kept when the live area is fetched again."""
        return urlencode({name: value for name, value in (("gains", self.gains), ("sort", self.sort)) if value})


def is_summary(contests: int) -> bool:
    return contests > SUMMARY_ABOVE


@dataclass
class ResultsPage:
    election: Election
    seq: int
    rows: list[CardRow]
    board: Scoreboard
    latest: list[Declared]
    national: NationalPicture | None = None
    watched: list[Declared] = field(default_factory=list)
    hexmap: HexMap | None = None  # a general election on boundaries with a hex layout
    choices: SummaryChoices = SummaryChoices()
    gains: GainsList | None = None  # a summary page's sections; None on a page of cards
    seats: SeatTable | None = None

    @property
    def summary(self) -> bool:
        return self.seats is not None


LATEST_SHOWN = 8


def latest_declared(election: Election) -> list[Declared]:
    """The most recently declared contests, newest first: on a night of 650 cards in ballot order,
    what has just come in."""
    rows = (
        Result.objects.filter(contest__election=election, current__isnull=False)
        .order_by("-current__declared_at", "-current_id")
        .annotate(headline=KeyTextTransform("headline", "current__facts"))
        .values_list("contest_id", "contest__name", "contest__slug", "headline")[:LATEST_SHOWN]
    )
    return [
        Declared(pk=pk, name=name, headline=headline or "", url=contest_url(election, slug))
        for pk, name, slug, headline in rows
    ]


def contest_url(election: Election, contest_slug: str) -> str:
    return reverse("results:contest", kwargs={"slug": election.slug, "contest": contest_slug})


def seats_to_watch(election: Election) -> list[Declared]:
    """The seats editors marked to watch, in ballot order, each with its headline once declared."""
    rows = Contest.objects.filter(election=election, watched=True).values_list(
        "pk", "name", "slug", "result__status", "result__current__facts"
    )
    return [
        Declared(pk=pk, name=name, headline=(facts or {}).get("headline", ""), url=contest_url(election, slug),
                 status=status or Result.Status.EXPECTED)
        for pk, name, slug, status, facts in rows
    ]  # fmt: skip


def contest_rows(election: Election) -> list[ContestRow]:
    contests = Contest.objects.filter(election=election).select_related("result__current", "election")
    rows = []
    for contest in contests:
        try:
            result = contest.result
        except Result.DoesNotExist:
            result = None
        rows.append(ContestRow(contest=contest, result=result))
    return rows


def card_rows(election: Election, *, only: Contest | None = None) -> list[CardRow]:
    """Every contest's row in one query of plain values: a general election's 650 cards build no model objects."""
    contests = Contest.objects.filter(election=election, **({"pk": only.pk} if only else {}))
    values = contests.values_list(
        "pk", "name", "slug", "kind", "result__status", "result__current__card_html",
        "result__provisional_card_html",
    )  # fmt: skip
    return [
        CardRow(pk=pk, name=name, slug=slug, kind=kind, status=status or Result.Status.EXPECTED,
                card=card or provisional or "")
        for pk, name, slug, kind, status, card, provisional in values
    ]  # fmt: skip


@dataclass
class ContestPage:
    election: Election
    contest: Contest
    seq: int
    row: CardRow


def contest_page(election: Election, contest: Contest) -> ContestPage:
    """One contest's page: its card (or its status), live on the election's stream."""
    seq = events.latest_seq(election.stream_key)
    [row] = card_rows(election, only=contest)
    return ContestPage(election=election, contest=contest, seq=seq, row=row)


def results_page(election: Election, choices: SummaryChoices = SummaryChoices()) -> ResultsPage:
    """The results page: every contest's card, or for a general election the summary's sections."""
    # The seq is read first: anything newer is replayed, and replays are idempotent.
    seq = events.latest_seq(election.stream_key)
    board = scoreboard(election)
    shared = {"election": election, "seq": seq, "board": board, "latest": latest_declared(election),
              "national": national_picture(election), "watched": seats_to_watch(election),
              "hexmap": hexmap_for(election)}  # fmt: skip
    if is_summary(board.total):
        return ResultsPage(
            **shared, rows=[], choices=choices, gains=gains_list(election, choices.gains),
            seats=seat_table(election, choices.sort, gains=choices.gains),
        )  # fmt: skip
    return ResultsPage(**shared, rows=card_rows(election))


def elections_listed() -> list[Election]:
    """Every election with a results page, the latest polling day first, each with `contest_total`."""
    return list(Election.objects.annotate(contest_total=Count("contests")).order_by("-polling_day", "name"))
