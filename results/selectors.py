"""Reads for the results page and API, each a fixed number of queries."""

from dataclasses import dataclass

from streams import events

from .models import Contest, Election, Result
from .scoreboard import Scoreboard, scoreboard


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


@dataclass
class ResultsPage:
    election: Election
    seq: int
    rows: list[CardRow]
    board: Scoreboard


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


def card_rows(election: Election) -> list[CardRow]:
    """Every contest's row in one query of plain values: a general election's 650 cards build no model objects."""
    values = Contest.objects.filter(election=election).values_list(
        "pk", "name", "slug", "kind", "result__status", "result__current__card_html"
    )
    return [
        CardRow(pk=pk, name=name, slug=slug, kind=kind, status=status or Result.Status.EXPECTED, card=card or "")
        for pk, name, slug, kind, status, card in values
    ]


def results_page(election: Election) -> ResultsPage:
    # The seq is read first: anything newer is replayed, and replays are idempotent.
    seq = events.latest_seq(election.stream_key)
    return ResultsPage(election=election, seq=seq, rows=card_rows(election), board=scoreboard(election))
