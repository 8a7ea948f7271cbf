"""Democracy Club's result sets (candidates API, /result_sets/) as the importer's own ballots.

Each result set becomes one election entry with one ballot, in the project's JSON shape, so
the same checks apply; the place names in messages are the file's own (results[3].…).
Democracy Club gives no declaration time: a ballot is declared at the time it is imported,
as it would be when the feed is followed on the night. Polls are taken to close at 22:00
UK time on polling day, as they do in UK elections.
"""

from datetime import date

from django.utils import timezone

from .ballot_ids import kinds_for, polls_close_on
from .ballots import BallotRow, ballot_row, candidate_row, check_candidates
from .values import FeedValues

SOURCE = "Democracy Club"


def is_result_sets(document) -> bool:
    """True for a page of the API ({"results": [...]}) or a bare list of result sets."""
    items = document.get("results") if isinstance(document, dict) else document
    return isinstance(items, list) and any(isinstance(item, dict) and "candidate_results" in item for item in items)


def result_sets(document) -> list:
    return document.get("results") if isinstance(document, dict) else document


def _at(data, *keys):
    """data[keys[0]][keys[1]]…, or None where any step is missing or not an object."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _polling_day(ballot_id: str) -> date | None:
    try:
        return date.fromisoformat(ballot_id.rsplit(".", 1)[-1])
    except ValueError:
        return None


def _valid_ballot_papers(result_set: dict):
    """Ballot papers issued (num_turnout_reported) less the spoilt ones, when Democracy Club has both."""
    issued, spoilt = result_set.get("num_turnout_reported"), result_set.get("num_spoilt_ballots")
    if isinstance(issued, int) and isinstance(spoilt, int) and not isinstance(issued, bool) and issued >= spoilt:
        return issued - spoilt
    return None


def as_election(result_set: dict) -> tuple[dict, dict]:
    """(election, ballot) in the project's JSON shape; what is missing is left for the checks to report."""
    listed = result_set.get("candidate_results")
    candidates = [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
    membership = _at(candidates[0], "membership") if candidates else None
    ballot_id = str(result_set.get("ballot_paper_id") or "")
    day = _polling_day(ballot_id)
    election_kind, contest_kind = kinds_for(ballot_id)
    election = {
        "election_id": _at(membership, "election", "id"),
        "election_name": _at(membership, "election", "name"),
        "poll_open_date": day.isoformat() if day else None,
        "election_type": election_kind,
    }
    winners = sum(1 for c in candidates if c.get("is_winner") is True)
    ballot = {
        "ballot_paper_id": ballot_id,
        "post_name": _at(membership, "post", "label"),
        "ballot_type": contest_kind,
        "winner_count": max(winners, 1),
        "electorate": result_set.get("total_electorate"),
        "polls_close": polls_close_on(day) if day else None,
        "candidates": [
            {
                "person_name": _at(c, "membership", "person", "name"),
                "party_id": _at(c, "membership", "on_behalf_of", "id"),
                "party_name": _at(c, "membership", "on_behalf_of", "name"),
                "votes_cast": c.get("num_ballots"),
                "elected": c.get("is_winner"),
            }
            for c in candidates
        ],
        "result": {
            "declared_at": timezone.now().isoformat(),
            "rejected_ballots": result_set.get("num_spoilt_ballots") or 0,
            "ballot_papers": _valid_ballot_papers(result_set),
            "source": SOURCE,
        },
    }
    return election, ballot


def read_result_sets(document) -> tuple[list[BallotRow], list[str]]:
    reader = FeedValues()
    ballots = []
    for i, item in enumerate(result_sets(document)):
        where = f"results[{i}]"
        if not isinstance(item, dict):
            reader.fail(where, "must be an object")
            continue
        reader.objects(item, "candidate_results", where)  # reports what is not a list of objects
        election, ballot = as_election(item)
        row = ballot_row(reader, election, ballot, where)
        for c, candidate in enumerate(ballot["candidates"]):
            row.candidates.append(candidate_row(reader, candidate, f"{where}.candidate_results[{c}]", c + 1))
        check_candidates(reader, row)
        ballots.append(row)
    return ballots, reader.errors
