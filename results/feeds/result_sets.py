"""Democracy Club's result sets (candidates API v0.9 /result_sets/, and /api/next/results/) as the importer's own.

Each result set becomes one election entry with one ballot, in the project's JSON shape, so
the same checks apply; the place names in messages are the file's own (results[3].…).
Read: the election's id and name, the ward, each candidate's name, party, votes (num_ballots),
winner mark (is_winner, or elected) and tied_vote_winner; the set's num_spoilt_ballots (rejected),
num_turnout_reported (ballot papers issued), total_electorate and source. Democracy Club's other
fields (ids, urls, user, rank, turnout_percentage: worked out here from the votes) carry nothing
a card shows and are passed over, never refused.
Democracy Club gives no declaration time: a ballot is declared at the time it is imported,
as it would be when the feed is followed on the night. Polls are taken to close at 22:00
UK time on polling day, as they do in UK elections.
"""

from datetime import date

from django.utils import timezone

from .ballot_ids import kinds_for, polls_close_on
from .ballots import BallotRow, ballot_row, candidate_row, finish_ballot
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


def _candidate(result: dict) -> dict:
    """One candidate_results entry in the project's shape: v0.9 nests it in a membership, next does not."""
    membership = _at(result, "membership") or {}
    party = _at(membership, "on_behalf_of") or _at(result, "party") or {}
    elected = result.get("is_winner", result.get("elected"))
    return {
        "person_name": _at(membership, "person", "name") or _at(result, "person", "name"),
        "party_id": _at(party, "ec_id") or _at(party, "id"),
        "party_name": _at(party, "name"),
        "votes_cast": result.get("num_ballots"),
        "elected": elected,
        "tied_vote_winner": result.get("tied_vote_winner"),
    }


def as_election(result_set: dict) -> tuple[dict, dict]:
    """(election, ballot) in the project's JSON shape; what is missing is left for the checks to report."""
    listed = result_set.get("candidate_results")
    candidates = [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
    membership = _at(candidates[0], "membership") if candidates else None
    ballot_id = str(result_set.get("ballot_paper_id") or _at(result_set, "ballot", "ballot_paper_id") or "")
    day = _polling_day(ballot_id)
    election_kind, contest_kind = kinds_for(ballot_id)
    election = {
        "election_id": _at(membership, "election", "id"),
        "election_name": _at(membership, "election", "name"),
        "poll_open_date": day.isoformat() if day else None,
        "election_type": election_kind,
    }
    listed = [_candidate(c) for c in candidates]
    winners = sum(1 for c in listed if c["elected"] is True)
    ballot = {
        "ballot_paper_id": ballot_id,
        "post_name": _at(membership, "post", "label"),
        "ballot_type": contest_kind,
        "winner_count": max(winners, 1),
        "electorate": result_set.get("total_electorate"),
        "polls_close": polls_close_on(day) if day else None,
        "cancelled_poll": _at(result_set, "ballot", "cancelled"),
        "candidates": listed,
        "result": {
            "declared_at": timezone.now().isoformat(),
            "rejected_ballots": result_set.get("num_spoilt_ballots"),
            "ballot_papers_issued": result_set.get("num_turnout_reported"),
            "source": result_set.get("source") or SOURCE,
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
        finish_ballot(reader, row)
        ballots.append(row)
    return ballots, reader.errors
