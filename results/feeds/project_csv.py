"""A CSV feed, one row per candidate, in the project's column names or Democracy Club's."""

from django.utils import timezone

from .ballots import BallotRow, ballot_row, candidate_row, check_candidates, checked_result
from .values import FeedValues, csv_rows

# Democracy Club's CSV column names, read as the importer's own.
CSV_ALIASES = {"election_date": "poll_open_date", "post_label": "post_name", "seats_contested": "winner_count"}
CSV_RESULT_FIELDS = (
    "declared_at", "rejected_ballots", "ballot_papers", "source", "reason", "status", "lot_winner", "uncontested",
)  # fmt: skip


def read_csv(text: str) -> tuple[list[BallotRow], list[str]]:
    """One row per candidate; ballot and election columns repeat on each row."""
    reader = FeedValues()
    ballots: dict[tuple[str, str], BallotRow] = {}
    for where, data in csv_rows(text, "row", reader.errors):
        for theirs, ours in CSV_ALIASES.items():
            if theirs in data and not data.get(ours):
                data[ours] = data[theirs]
        key = (str(data.get("election_id", "")).strip(), str(data.get("ballot_paper_id", "")).strip())
        if key not in ballots:
            ballot = ballot_row(reader, data, data, where)
            if data.get("declared_at") or data.get("status"):
                ballot.result = checked_result(reader, {k: data.get(k, "") for k in CSV_RESULT_FIELDS}, where)
            ballots[key] = ballot
        candidate = candidate_row(reader, data, where, len(ballots[key].candidates) + 1)
        ballots[key].candidates.append(candidate)
        if candidate.elected and not ballots[key].result:
            # Democracy Club's CSV marks winners once declared, with no time: declared as it is imported.
            ballots[key].result = checked_result(reader, {"declared_at": timezone.now().isoformat()}, where)
    for ballot in ballots.values():
        check_candidates(reader, ballot)
    if not ballots and not reader.errors:
        reader.fail("file", "no rows found")
    return list(ballots.values()), reader.errors
