"""Reads for the results page and API, each a fixed number of queries."""

from dataclasses import dataclass

from streams import events

from .models import Contest, Election, Result
from .scoreboard import Scoreboard, scoreboard


@dataclass
class ContestRow:
    contest: Contest
    result: Result | None


@dataclass
class ResultsPage:
    election: Election
    seq: int
    rows: list[ContestRow]
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


def results_page(election: Election) -> ResultsPage:
    # The seq is read first: anything newer is replayed, and replays are idempotent.
    seq = events.latest_seq(election.stream_key)
    return ResultsPage(election=election, seq=seq, rows=contest_rows(election), board=scoreboard(election))
