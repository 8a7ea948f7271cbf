"""A CSV feed, one row per candidate, in the project's column names or Democracy Club's.

Every column must be one the importer reads or one Democracy Club publishes (ballots.CSV_COLUMNS):
any other is refused by name, so a misspelt column is never silently ignored.
"""

from django.utils import timezone

from .ballots import (
    CSV_COLUMNS,
    DC_CSV_ALIASES,
    RESULT_COLUMNS,
    BallotRow,
    ballot_row,
    candidate_row,
    checked_result,
    finish_ballot,
)
from .values import FeedValues, csv_rows


def _result(reader: FeedValues, data: dict, where: str, declared_at: str = "") -> dict:
    given = {key: data.get(key, "") for key in RESULT_COLUMNS}
    given["declared_at"] = given["declared_at"] or declared_at
    return checked_result(reader, given, where)


def read_csv(text: str) -> tuple[list[BallotRow], list[str]]:
    """One row per candidate; ballot and election columns repeat on each row."""
    reader = FeedValues()
    ballots: dict[tuple[str, str], BallotRow] = {}
    first_rows: dict[tuple[str, str], tuple[dict, str]] = {}
    for where, data in csv_rows(text, "row", reader.errors):
        if not first_rows:
            # A row longer than the header puts its extra values under None: that is the csv module's to report.
            reader.known_columns([c for c in data if c is not None], CSV_COLUMNS, "header")
        for theirs, ours in DC_CSV_ALIASES.items():
            if theirs in data and not data.get(ours):
                data[ours] = data[theirs]
        key = (str(data.get("election_id", "")).strip(), str(data.get("ballot_paper_id", "")).strip())
        if key not in ballots:
            ballot = ballot_row(reader, data, data, where)
            if data.get("declared_at") or data.get("status"):
                ballot.result = _result(reader, data, where)
            ballots[key], first_rows[key] = ballot, (data, where)
        candidate = candidate_row(reader, data, where, len(ballots[key].candidates) + 1)
        ballots[key].candidates.append(candidate)
        if candidate.elected and not ballots[key].result:
            # Democracy Club's CSV marks winners once declared, with no time: declared as it is imported.
            ballots[key].result = _result(reader, *first_rows[key], declared_at=timezone.now().isoformat())
    for ballot in ballots.values():
        finish_ballot(reader, ballot)
    if not ballots and not reader.errors:
        reader.fail("file", "no rows found")
    return list(ballots.values()), reader.errors
