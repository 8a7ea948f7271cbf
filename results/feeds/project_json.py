"""The project's own JSON feed: {"elections": [{..., "ballots": [{..., "candidates": [...], "result": {...}}]}]}."""

from .ballots import BallotRow, ballot_row, candidate_row, check_candidates
from .values import FeedValues


def read_project_json(document: dict) -> tuple[list[BallotRow], list[str]]:
    reader = FeedValues()
    ballots = []
    for e, election in reader.objects(document, "elections", "file"):
        for b, ballot in reader.objects(election, "ballots", f"elections[{e}]"):
            where = f"elections[{e}].ballots[{b}]"
            row = ballot_row(reader, election, ballot, where)
            for c, candidate in reader.objects(ballot, "candidates", where):
                row.candidates.append(candidate_row(reader, candidate, f"{where}.candidates[{c}]", c + 1))
            check_candidates(reader, row)
            ballots.append(row)
    if not ballots and not reader.errors:
        reader.fail("file", "no elections[].ballots[] found")
    return ballots, reader.errors
