"""A feed's ballots as the importer reads them, whatever the format: rows, each value checked.

Field names follow Democracy Club's (election_id, ballot_paper_id, person_name, party_id,
votes_cast, winner_count) where they have one.

A ballot's `previous` result (all optional):

    "previous": {
        "votes": {"con": 21000, "lab": 15000},      # or "shares": {"con": 48.2, ...}
        "independents": {"Sam Lee": 911},           # independents who stood, by name
        "speaker": {"name": "Lindsay Hoyle", "votes": 26831},  # the Speaker, by name: no party
        "winner": "con",                            # or "speaker" / "ynmp-party:12522": the Speaker's seat
        "winner_name": "Sam Lee",                   # an independent winner (or the Speaker) by name
        "turnout": 67.2, "seats": {"lab": 2},
        "basis": "notional", "year": 2019           # "actual" (the default) or "notional": after a
    }                                               # boundary review, estimates on the new boundaries

A candidate standing as the Speaker gives party_id "ynmp-party:12522" (Democracy Club's) or "speaker",
or party_name "Speaker seeking re-election". A result with status "recount" may carry the first
count's votes_cast: shown as provisional, counted nowhere until declared. Every value is read through values.FeedValues,
so a value no column could hold is a message naming its place, never a database error.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from ..models import Candidacy, Contest, Election, Party, Revision
from .ballot_ids import kinds_for, polls_close_on
from .list_ballots import RegionRow, list_result, region_row
from .party_book import SPEAKER_IDS, is_speaker
from .stv_stages import read_stages, settle_stv
from .values import SMALL_COLUMN_MAX, FeedValues

# What a feed may say of a ballot's result; anything other than "declared" carries no figures.
FEED_STATUSES = [(s, s) for s in ("declared", "counting", "recount", "postponed")]
POLL_CANCELLED = "poll cancelled"

# Every key each level of the project's JSON feed may hold, and where it is: any other key is refused
# with its place, so a misplaced or misspelt field is never silently ignored. The CSV's columns are
# these too, flattened (CSV_COLUMNS), with Democracy Club's own.
FEED_FIELDS = {
    "file": ("the file", ("elections", "source")),  # source: where the figures come from, for people reading it
    "election": ("the election", ("election_id", "election_name", "poll_open_date", "election_type", "ballots")),
    "ballot": ("a ballot (`ballots[]`)", (
        "ballot_paper_id", "post_name", "ballot_type", "winner_count", "electorate", "voting_system",
        "turnout_basis", "polls_close", "total_seats", "cancelled_poll", "previous", "result", "candidates",
        "threshold_percent", "constituencies", "lists", "lists_complete",  # a party-list ballot (list_ballots)
    )),
    "list": ("a list (`lists[]`)", ("party_id", "party_name", "person_name", "candidates")),
    "candidate": ("a candidate (`candidates[]`)", (
        "person_name", "party_id", "party_name", "ballot_order", "sitting", "votes_cast", "transfers", "elected",
        "tied_vote_winner", "elected_at_stage",
    )),
    "result": ("`result`", (
        "status", "declared_at", "rejected_ballots", "ballot_papers", "ballot_papers_issued", "council_seats",
        "source", "reason", "lot_winner", "uncontested", "list_votes", "elected", "quota", "stages",
    )),
    "stage": ("a stage (`result.stages[]`)", ("number", "action", "totals", "non_transferable")),
    "previous": ("`previous`", (
        "votes", "shares", "seats", "turnout", "independents", "winner", "winner_name", "speaker", "basis", "year",
    )),
}  # fmt: skip
# A single transferable vote's count and a region's lists are tables of their own: the JSON feed's alone, never CSV.
_JSON_ONLY = {
    "ballots", "candidates", "previous", "result", "council_seats", "quota", "stages", "elected_at_stage",
    "lists", "constituencies", "list_votes", "threshold_percent", "lists_complete",
}  # fmt: skip
# A region's `result.elected` (its members in order) is JSON's; a candidate's `elected` column is CSV's too.
RESULT_COLUMNS = tuple(key for key in FEED_FIELDS["result"][1] if key not in _JSON_ONLY | {"elected"})
# Democracy Club's CSV columns (candidates.democracyclub.org.uk/data/) read as the importer's own.
DC_CSV_ALIASES = {
    "election_date": "poll_open_date", "post_label": "post_name", "seats_contested": "winner_count",
    "spoilt_ballots": "rejected_ballots", "total_electorate": "electorate", "turnout_reported": "ballot_papers_issued",
    "results_source": "source",
}  # fmt: skip
# Democracy Club's other published columns: known, and carrying nothing a result card shows (turnout_percentage
# and rank are worked out from the votes here, never typed).
DC_CSV_IGNORED = (
    "person_id", "honorific_prefix", "honorific_suffix", "election_current", "by_election", "by_election_reason",
    "party_description_text", "sopn_last_name", "sopn_first_names", "legacy_party_id", "party_list_position",
    "party_lists_in_use", "gss", "post_id", "candidates_locked", "nuts1", "organisation_name",
    "previous_party_affiliations", "rank", "turnout_percentage", "mnis_id", "twfy_id", "gender", "birth_date",
    "death_date", "favourite_biscuit", "statement_to_voters", "statement_last_updated", "person_last_updated",
    "image", "email", "facebook_page_url", "facebook_personal_url", "homepage_url", "blog_url", "linkedin_url",
    "party_ppc_page_url", "twitter_username", "mastodon_username", "wikipedia_url", "wikidata_id",
    "youtube_profile", "instagram_url", "blue_sky_url", "threads_url", "tiktok_url", "other_url",
)  # fmt: skip
CSV_COLUMNS = (
    frozenset(
        {key for level in ("election", "ballot", "candidate", "result") for key in FEED_FIELDS[level][1]} - _JSON_ONLY
    )
    | frozenset(DC_CSV_ALIASES)
    | frozenset(DC_CSV_IGNORED)
)


@dataclass
class CandidateRow:
    where: str
    name: str
    party: str | None
    party_name: str
    ballot_order: int
    sitting: bool
    votes: int | None
    transfers: int | None
    elected: bool | None = None  # what the feed says, checked against what the votes decide
    tied_vote_winner: bool = False  # Democracy Club's mark of the winner drawn by lot
    speaker: bool = False  # standing as the Speaker seeking re-election: no party
    elected_at_stage: int | None = None  # single transferable vote: the stage that elected them


@dataclass
class BallotRow:
    where: str
    election_id: str
    election_name: str
    polling_day: date
    election_type: str
    ballot_paper_id: str
    name: str
    kind: str
    seats: int
    electorate: int | None
    voting_system: str
    turnout_basis: str
    polls_close: datetime
    candidates: list[CandidateRow] = field(default_factory=list)
    previous: dict = field(default_factory=dict)
    total_seats: int | None = None
    result: dict = field(default_factory=dict)
    cancelled_poll: bool = False
    region: RegionRow | None = None  # a party-list ballot's lists (list_ballots)


def column(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def previous_result(reader: FeedValues, ballot: dict, where: str) -> dict:
    """The previous result: votes, shares and seats by party code, winner, turnout, each checked."""
    previous = reader.mapping(ballot, "previous", where)
    where = f"{where}.previous"
    reader.known_keys(previous, where, "previous", FEED_FIELDS)
    # A blank beside a party is not zero: every count given must be a number.
    checked = {key: reader.counts(previous, key, where, required=True) for key in ("votes", "seats")}
    shares = reader.mapping(previous, "shares", where)
    checked["shares"] = {code: reader.percentage(shares, code, f"{where}.shares") for code in shares}
    checked["shares"] = {code: float(share) for code, share in checked["shares"].items() if share is not None}
    checked["turnout"] = reader.percentage(previous, "turnout", where)
    # Independents who stood last time, by name: their votes count in the total others' shares are of.
    independents = reader.mapping(previous, "independents", where)
    checked["independents"] = {
        name.strip(): reader.count(independents, name, f"{where}.independents", required=True)
        for name in independents
        if name.strip()
    }
    checked["winner"] = reader.text(previous, "winner", where, required=False)
    checked["winner_name"] = reader.text(
        previous, "winner_name", where, required=False, limit=column(Contest, "previous_winner_name")
    )
    checked["basis"] = reader.choice(previous, "basis", where, Contest.PreviousBasis.choices, "actual")
    checked["year"] = _year(reader, previous, where)
    _previous_speaker(reader, previous, where, checked)
    return checked


def _year(reader: FeedValues, previous: dict, where: str) -> int | None:
    year = reader.count(previous, "year", where)
    if year is not None and not 1800 <= year <= 2200:
        reader.fail(where, f"year: {year} is not the year of an election")
        return None
    return year


def _previous_speaker(reader: FeedValues, previous: dict, where: str, checked: dict) -> None:
    """The Speaker's previous vote, kept by name as an independent's is; a Speaker's seat names them."""
    speaker = reader.mapping(previous, "speaker", where)
    checked["winner_is_speaker"] = (checked["winner"] or "").lower() in SPEAKER_IDS
    if checked["winner_is_speaker"]:
        checked["winner"] = ""
    if speaker:
        name = reader.text(speaker, "name", f"{where}.speaker", limit=column(Candidacy, "name"))
        votes = reader.count(speaker, "votes", f"{where}.speaker", required=True)
        if name and votes is not None:
            checked["independents"][name] = votes
        if checked["winner_is_speaker"] and not checked["winner_name"]:
            checked["winner_name"] = name
    if checked["winner_is_speaker"] and not checked["winner_name"]:
        reader.fail(where, "winner: the Speaker's seat needs the Speaker's name (speaker.name or winner_name)")


def ballot_row(reader: FeedValues, election: dict, ballot: dict, where: str) -> BallotRow:
    """One ballot; unsaid kinds come from the id (local.… is a ward), polls from polling day at 22:00."""
    ballot_id = reader.identifier(ballot, "ballot_paper_id", where)
    election_kind, contest_kind = kinds_for(ballot_id)
    polling_day = reader.day(election, "poll_open_date", where)
    if not ballot.get("polls_close") and polling_day:
        ballot = {**ballot, "polls_close": polls_close_on(polling_day)}
    row = BallotRow(
        where=where,
        election_id=reader.identifier(election, "election_id", where),
        election_name=reader.text(election, "election_name", where, required=False, limit=column(Election, "name")),
        polling_day=polling_day,
        election_type=reader.choice(election, "election_type", where, Election.Kind.choices, election_kind),
        ballot_paper_id=ballot_id,
        name=reader.text(ballot, "post_name", where, limit=column(Contest, "name")),
        kind=reader.choice(ballot, "ballot_type", where, Contest.Kind.choices, contest_kind),
        seats=reader.count(ballot, "winner_count", where, maximum=SMALL_COLUMN_MAX) or 1,
        electorate=reader.count(ballot, "electorate", where),
        voting_system=reader.choice(ballot, "voting_system", where, Contest.VotingSystem.choices, "fptp"),
        turnout_basis=reader.choice(ballot, "turnout_basis", where, Contest.TurnoutBasis.choices, "valid"),
        polls_close=reader.when(ballot, "polls_close", where),
        previous=previous_result(reader, ballot, where),
        total_seats=reader.count(ballot, "total_seats", where, maximum=SMALL_COLUMN_MAX),
        result=checked_result(reader, reader.mapping(ballot, "result", where), f"{where}.result"),
        cancelled_poll=_flag(ballot.get("cancelled_poll")) is True,
        region=region_row(reader, ballot, where, FEED_FIELDS),
    )
    if row.region and row.result.get("status") == "declared":
        row.result.update(list_result(reader, reader.mapping(ballot, "result", where), f"{where}.result"))
    return row


def checked_result(reader: FeedValues, result: dict, where: str) -> dict:
    """A result, checked: declared (with its time) unless the feed says the count is at another stage."""
    if not result:
        return {}
    reader.known_keys(result, where, "result", FEED_FIELDS)
    status = reader.choice(result, "status", where, FEED_STATUSES, "declared")
    if status != "declared":
        if result.get("declared_at"):
            reader.fail(where, f"status “{status}” cannot carry a declared_at")
        if status == "recount":  # the first count's figures may come with it, as provisional
            return {"status": status, "rejected_ballots": reader.count(result, "rejected_ballots", where) or 0}
        return {"status": status}
    rejected = reader.count(result, "rejected_ballots", where) or 0
    return {
        "status": status,
        "declared_at": reader.when(result, "declared_at", where),
        "rejected_ballots": rejected,
        "ballot_papers": _valid_ballot_papers(reader, result, where, rejected),
        "council_seats": reader.counts(result, "council_seats", where, required=True),
        "source": reader.text(result, "source", where, required=False, limit=column(Revision, "source")),
        "reason": reader.text(result, "reason", where, required=False),
        "lot_winner": reader.text(result, "lot_winner", where, required=False, limit=column(Candidacy, "name")),
        "uncontested": _flag(result.get("uncontested")) is True,
        "quota": reader.count(result, "quota", where),
        "stages": read_stages(reader, result, where, FEED_FIELDS),
    }


def _valid_ballot_papers(reader: FeedValues, result: dict, where: str, rejected: int) -> int | None:
    """Valid ballot papers: as given, or those issued less the rejected when both are given (Democracy Club's
    two figures); issued alone says nothing of how many were rejected."""
    valid = reader.count(result, "ballot_papers", where)
    issued = reader.count(result, "ballot_papers_issued", where)
    if valid is not None or issued is None or result.get("rejected_ballots") in (None, ""):
        return valid
    if issued < rejected:
        reader.fail(where, f"ballot_papers_issued: {issued:,} is fewer than the {rejected:,} rejected")
        return None
    return issued - rejected


def candidate_row(reader: FeedValues, data: dict, where: str, order: int) -> CandidateRow:
    party = reader.text(data, "party_id", where, required=False, limit=column(Party, "code")) or None
    party_name = reader.text(data, "party_name", where, required=False, limit=column(Party, "name"))
    return CandidateRow(
        where=where,
        name=reader.text(data, "person_name", where, limit=column(Candidacy, "name")),
        party=party,
        party_name=party_name,
        speaker=is_speaker(party, party_name),
        ballot_order=reader.count(data, "ballot_order", where, maximum=SMALL_COLUMN_MAX) or order,
        sitting=str(data.get("sitting", "")).strip().lower() in {"1", "true", "yes"},
        votes=reader.count(data, "votes_cast", where),
        transfers=reader.count(data, "transfers", where),
        elected=_flag(data.get("elected")),
        tied_vote_winner=_flag(data.get("tied_vote_winner")) is True,
        elected_at_stage=reader.count(data, "elected_at_stage", where, maximum=SMALL_COLUMN_MAX),
    )


def _flag(value) -> bool | None:
    """A feed's yes/no: true, "True", "1", "yes" and their opposites; blank or null is unsaid."""
    if value is None or str(value).strip() == "":
        return None
    return value is True or str(value).strip().lower() in {"1", "true", "yes", "t", "y"}


def finish_ballot(reader: FeedValues, row: BallotRow) -> None:
    """What a ballot says once all its candidates are read: their names apart, a winner by lot, a poll cancelled."""
    check_candidates(reader, row)
    settle_stv(reader, row)
    _settle_lot_winner(reader, row)
    if row.cancelled_poll:
        _cancelled(reader, row)


def _settle_lot_winner(reader: FeedValues, row: BallotRow) -> None:
    marked = [c.name for c in row.candidates if c.tied_vote_winner]
    if len(marked) > 1:
        reader.fail(row.where, f"tied_vote_winner marks {', '.join(marked)}; a lot has one winner per drawing")
    if not marked:
        return
    if not row.result or row.result["status"] != "declared":
        reader.fail(row.where, f"tied_vote_winner marks {marked[0]}, but the ballot has no declared result")
    elif row.result["lot_winner"] and row.result["lot_winner"] != marked[0]:
        reader.fail(row.where, f"result.lot_winner “{row.result['lot_winner']}” and tied_vote_winner "
                    f"({marked[0]}) disagree")  # fmt: skip
    else:
        row.result["lot_winner"] = marked[0]


def _cancelled(reader: FeedValues, row: BallotRow) -> None:
    """A poll cancelled: with its winners marked, they were returned unopposed; with none, it is postponed.

    Democracy Club marks a poll cancelled both when there were no more candidates than seats and when
    it was countermanded (a candidate died); only the elected marks tell the two apart.
    """
    if any(c.votes is not None for c in row.candidates):
        reader.fail(row.where, "cancelled_poll: a cancelled poll has no votes, but votes_cast is given")
    elif any(c.elected for c in row.candidates):
        declared_at = (row.result or {}).get("declared_at") or timezone.now()
        row.result = {**(row.result or checked_result(reader, {"declared_at": declared_at.isoformat()}, row.where)),
                      "uncontested": True}  # fmt: skip
    elif row.result and row.result["status"] == "declared":
        reader.fail(row.where, "cancelled_poll: a cancelled poll with nobody elected cannot be declared")
    else:
        row.result = {"status": "postponed", "note": POLL_CANCELLED}


def check_candidates(reader: FeedValues, row: BallotRow) -> None:
    """Two candidates with one name would be merged into one: refuse, naming both places."""
    first_seen: dict[str, str] = {}
    for candidate in row.candidates:
        key = candidate.name.casefold()
        if key and key in first_seen:
            reader.fail(candidate.where, f"“{candidate.name}” is already a candidate in this ballot, at "
                        f"{first_seen[key]}; tell them apart (e.g. with a middle initial)")  # fmt: skip
        first_seen.setdefault(key, candidate.where)
