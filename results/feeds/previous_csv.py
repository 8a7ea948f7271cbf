"""A CSV companion file carrying previous results, for feeds whose own CSV cannot.

One row per party (or independent, by name) per ballot:

    ballot_paper_id,party_id,person_name,votes,winner,turnout
    parl.hartlepool.2021-05-06,PP53,,15464,yes,57.9
    parl.hartlepool.2021-05-06,ynmp-party:2,Sam Lee,911,,

A row with a blank party_id (or ynmp-party:2) is an independent, kept by name. `winner`
marks last time's winner; `turnout`, given on any row of a ballot, is its previous turnout.
The rows become each ballot's `previous`, in the JSON feed's shape, and are checked as that is.
"""

from pathlib import Path

from .ballots import BallotRow, previous_result
from .party_book import INDEPENDENT_IDS
from .values import FeedValues, csv_rows

YES = {"1", "true", "yes", "y", "t"}


def previous_by_ballot(text: str) -> tuple[dict[str, dict], list[str]]:
    """{ballot id: previous} from the companion CSV, and any rows that cannot be read."""
    found: dict[str, dict] = {}
    errors = []
    for where, row in csv_rows(text, "previous row", errors):
        ballot_id = (row.get("ballot_paper_id") or "").strip()
        party = (row.get("party_id") or "").strip()
        name = (row.get("person_name") or "").strip()
        votes = (row.get("votes") or "").strip()
        if not ballot_id or not votes:
            errors.append(f"{where}: ballot_paper_id and votes are required")
            continue
        previous = found.setdefault(ballot_id, {"votes": {}, "independents": {}})
        independent = not party or party in INDEPENDENT_IDS
        if independent and not name:
            errors.append(f"{where}: an independent needs person_name")
            continue
        if independent:
            previous["independents"][name] = votes
        else:
            previous["votes"][party] = votes
        if (row.get("winner") or "").strip().lower() in YES:
            previous["winner" if not independent else "winner_name"] = party if not independent else name
        if (row.get("turnout") or "").strip():
            previous["turnout"] = row["turnout"].strip()
    return found, errors


def with_previous(ballots: list[BallotRow], path: Path) -> tuple[list[BallotRow], list[str]]:
    """The ballots, each given its previous result from the companion file at path."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return ballots, [f"{path.name}: not UTF-8 text; save it as UTF-8 and import it again"]
    found, errors = previous_by_ballot(text)
    reader = FeedValues()
    by_id = {row.ballot_paper_id: row for row in ballots}
    for ballot_id, previous in found.items():
        row = by_id.get(ballot_id)
        if row is None:
            reader.fail(path.name, f"previous results for “{ballot_id}”, which is not a ballot in the feed")
            continue
        row.previous = previous_result(reader, {"previous": previous}, row.where)
    return ballots, errors + reader.errors
