"""The project's own JSON feed: {"elections": [{..., "ballots": [{..., "candidates": [...], "result": {...}}]}]}.

Every key at every level must be one the feed defines (ballots.FEED_FIELDS): a misplaced or misspelt
one is refused with its place, never ignored.
"""

from .ballots import FEED_FIELDS, BallotRow, ballot_row, candidate_row, finish_ballot
from .values import FeedValues


def read_project_json(document: dict) -> tuple[list[BallotRow], list[str]]:
    reader = FeedValues()
    reader.known_keys(document, "file", "file", FEED_FIELDS)
    ballots = []
    for e, election in reader.objects(document, "elections", "file"):
        reader.known_keys(election, f"elections[{e}]", "election", FEED_FIELDS)
        for b, ballot in reader.objects(election, "ballots", f"elections[{e}]"):
            where = f"elections[{e}].ballots[{b}]"
            reader.known_keys(ballot, where, "ballot", FEED_FIELDS)
            row = ballot_row(reader, election, ballot, where)
            for c, candidate in reader.objects(ballot, "candidates", where):
                reader.known_keys(candidate, f"{where}.candidates[{c}]", "candidate", FEED_FIELDS)
                row.candidates.append(candidate_row(reader, candidate, f"{where}.candidates[{c}]", c + 1))
            finish_ballot(reader, row)
            ballots.append(row)
    if not ballots and not reader.errors:
        reader.fail("file", "no elections[].ballots[] found")
    return ballots, reader.errors
