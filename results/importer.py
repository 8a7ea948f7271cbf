"""Imports elections, contests, candidates and results from a JSON or CSV feed.

Field names follow Democracy Club's (election_id, ballot_paper_id, person_name,
party_id, votes_cast, winner_count) where they have one. The whole file is
checked and applied in one transaction: one bad row and nothing is imported.
Running the same file twice changes nothing. Every value is read through
feed_values.FeedValues, whichever format it came in, so a value no column could
hold is a message naming its place, never a database error.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import dc_result_sets, services
from .feed_values import SMALL_COLUMN_MAX, FeedValues, csv_rows, string_problems
from .figures import FiguresError
from .models import Candidacy, Contest, Election, Party, Result, Revision
from .party_book import PartyBook
from .previous_results import previous_by_ballot
from .summary import Entry, entry_from_revision, independent_key, summarise

# What a feed may say of a ballot's result; anything other than "declared" carries no figures.
FEED_STATUSES = [(s, s) for s in ("declared", "counting", "recount", "postponed")]


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported.")
        self.errors = errors


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


def _column(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _previous(reader: FeedValues, ballot: dict, where: str) -> dict:
    """The previous result: votes, shares and seats by party code, winner, turnout, each checked."""
    previous = reader.mapping(ballot, "previous", where)
    where = f"{where}.previous"
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
        previous, "winner_name", where, required=False, limit=_column(Contest, "previous_winner_name")
    )
    return checked


def _ballot(reader: FeedValues, election: dict, ballot: dict, where: str) -> BallotRow:
    """One ballot; unsaid kinds come from the id (local.… is a ward), polls from polling day at 22:00."""
    ballot_id = reader.identifier(ballot, "ballot_paper_id", where)
    election_kind, contest_kind = dc_result_sets.kinds_for(ballot_id)
    polling_day = reader.day(election, "poll_open_date", where)
    if not ballot.get("polls_close") and polling_day:
        ballot = {**ballot, "polls_close": dc_result_sets.polls_close_on(polling_day)}
    row = BallotRow(
        where=where,
        election_id=reader.identifier(election, "election_id", where),
        election_name=reader.text(election, "election_name", where, required=False, limit=_column(Election, "name")),
        polling_day=polling_day,
        election_type=reader.choice(election, "election_type", where, Election.Kind.choices, election_kind),
        ballot_paper_id=ballot_id,
        name=reader.text(ballot, "post_name", where, limit=_column(Contest, "name")),
        kind=reader.choice(ballot, "ballot_type", where, Contest.Kind.choices, contest_kind),
        seats=reader.count(ballot, "winner_count", where, maximum=SMALL_COLUMN_MAX) or 1,
        electorate=reader.count(ballot, "electorate", where),
        voting_system=reader.choice(ballot, "voting_system", where, Contest.VotingSystem.choices, "fptp"),
        turnout_basis=reader.choice(ballot, "turnout_basis", where, Contest.TurnoutBasis.choices, "valid"),
        polls_close=reader.when(ballot, "polls_close", where),
        previous=_previous(reader, ballot, where),
        total_seats=reader.count(ballot, "total_seats", where, maximum=SMALL_COLUMN_MAX),
        result=_check_result(reader, reader.mapping(ballot, "result", where), f"{where}.result"),
    )
    return row


def _check_result(reader: FeedValues, result: dict, where: str) -> dict:
    """A result, checked: declared (with its time) unless the feed says the count is at another stage."""
    if not result:
        return {}
    status = reader.choice(result, "status", where, FEED_STATUSES, "declared")
    if status != "declared":
        if result.get("declared_at"):
            reader.fail(where, f"status “{status}” cannot carry a declared_at")
        return {"status": status}
    return {
        "status": status,
        "declared_at": reader.when(result, "declared_at", where),
        "rejected_ballots": reader.count(result, "rejected_ballots", where) or 0,
        "ballot_papers": reader.count(result, "ballot_papers", where),
        "council_seats": reader.counts(result, "council_seats", where, required=True),
        "source": reader.text(result, "source", where, required=False, limit=_column(Revision, "source")),
        "reason": reader.text(result, "reason", where, required=False),
        "lot_winner": reader.text(result, "lot_winner", where, required=False, limit=_column(Candidacy, "name")),
        "uncontested": _yes(result.get("uncontested")),
    }


def _candidate(reader: FeedValues, data: dict, where: str, order: int) -> CandidateRow:
    return CandidateRow(
        where=where,
        name=reader.text(data, "person_name", where, limit=_column(Candidacy, "name")),
        party=reader.text(data, "party_id", where, required=False, limit=_column(Party, "code")) or None,
        party_name=reader.text(data, "party_name", where, required=False, limit=_column(Party, "name")),
        ballot_order=reader.count(data, "ballot_order", where, maximum=SMALL_COLUMN_MAX) or order,
        sitting=str(data.get("sitting", "")).strip().lower() in {"1", "true", "yes"},
        votes=reader.count(data, "votes_cast", where),
        transfers=reader.count(data, "transfers", where),
        elected=_flag(data.get("elected")),
    )


def _flag(value) -> bool | None:
    """A feed's yes/no: true, "True", "1", "yes" and their opposites; blank or null is unsaid."""
    if value is None or str(value).strip() == "":
        return None
    return value is True or str(value).strip().lower() in {"1", "true", "yes", "t", "y"}


def read_json(text: str) -> tuple[list[BallotRow], list[str]]:
    reader = FeedValues()
    try:
        document = json.loads(text)
    except RecursionError:
        return [], ["file: not valid JSON: nested too deeply"]
    except ValueError as error:
        return [], [f"not valid JSON: {error}"]
    if problems := string_problems(document):
        return [], problems
    if dc_result_sets.is_result_sets(document):
        return _read_result_sets(reader, dc_result_sets.result_sets(document))
    if not isinstance(document, dict):
        return [], [f"file: must be an object with an elections list, not {type(document).__name__}"]
    ballots = []
    for e, election in reader.objects(document, "elections", "file"):
        for b, ballot in reader.objects(election, "ballots", f"elections[{e}]"):
            where = f"elections[{e}].ballots[{b}]"
            row = _ballot(reader, election, ballot, where)
            for c, candidate in reader.objects(ballot, "candidates", where):
                row.candidates.append(_candidate(reader, candidate, f"{where}.candidates[{c}]", c + 1))
            _check_candidates(reader, row)
            ballots.append(row)
    if not ballots and not reader.errors:
        reader.fail("file", "no elections[].ballots[] found")
    return ballots, reader.errors


def _read_result_sets(reader: FeedValues, items: list) -> tuple[list[BallotRow], list[str]]:
    ballots = []
    for i, item in enumerate(items):
        where = f"results[{i}]"
        if not isinstance(item, dict):
            reader.fail(where, "must be an object")
            continue
        reader.objects(item, "candidate_results", where)  # reports what is not a list of objects
        election, ballot = dc_result_sets.as_election(item)
        row = _ballot(reader, election, ballot, where)
        for c, candidate in enumerate(ballot["candidates"]):
            row.candidates.append(_candidate(reader, candidate, f"{where}.candidate_results[{c}]", c + 1))
        _check_candidates(reader, row)
        ballots.append(row)
    return ballots, reader.errors


def _check_candidates(reader: FeedValues, row: BallotRow) -> None:
    """Two candidates with one name would be merged into one: refuse, naming both places."""
    first_seen: dict[str, str] = {}
    for candidate in row.candidates:
        key = candidate.name.casefold()
        if key and key in first_seen:
            reader.fail(candidate.where, f"“{candidate.name}” is already a candidate in this ballot, at "
                        f"{first_seen[key]}; tell them apart (e.g. with a middle initial)")  # fmt: skip
        first_seen.setdefault(key, candidate.where)


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
            ballot = _ballot(reader, data, data, where)
            if data.get("declared_at") or data.get("status"):
                ballot.result = _check_result(reader, {k: data.get(k, "") for k in CSV_RESULT_FIELDS}, where)
            ballots[key] = ballot
        candidate = _candidate(reader, data, where, len(ballots[key].candidates) + 1)
        ballots[key].candidates.append(candidate)
        if candidate.elected and not ballots[key].result:
            # Democracy Club's CSV marks winners once declared, with no time: declared as it is imported.
            ballots[key].result = _check_result(reader, {"declared_at": timezone.now().isoformat()}, where)
    for ballot in ballots.values():
        _check_candidates(reader, ballot)
    if not ballots and not reader.errors:
        reader.fail("file", "no rows found")
    return list(ballots.values()), reader.errors


def read_file(path: Path, previous: Path | None = None) -> tuple[list[BallotRow], list[str]]:
    """A feed file, with previous results from a CSV companion file when one is given."""
    ballots, errors = read_content(path.read_bytes(), path.suffix)
    if previous is None or errors:
        return ballots, errors
    return _with_previous(ballots, previous)


def _with_previous(ballots: list[BallotRow], path: Path) -> tuple[list[BallotRow], list[str]]:
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
        row.previous = _previous(reader, {"previous": previous}, row.where)
    return ballots, errors + reader.errors


def read_content(content: bytes, suffix: str) -> tuple[list[BallotRow], list[str]]:
    """A feed's bytes, as CSV when its name ends .csv and as JSON otherwise."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [f"file: not UTF-8 text (byte 0x{error.object[error.start]:02x} at position {error.start}); "
                    "save it as UTF-8 and import it again"]  # fmt: skip
    return read_csv(text) if suffix.lower() == ".csv" else read_json(text)


def _party_problems(ballots: list[BallotRow], book: PartyBook, *, allow_new: bool) -> list[str]:
    """Every party id the feed uses that cannot be used, each with its place: not just the first."""
    problems = []
    for row in ballots:
        for candidate in row.candidates:
            if problem := book.problem(candidate.party, candidate.party_name, allow_new=allow_new):
                problems.append(f"{candidate.where}: {problem}")
        for key in ("votes", "shares", "seats"):
            unknown = [code for code in row.previous.get(key) or {} if book.code(code) is None]
            problems.extend(f"{row.where}.previous.{key}: “{code}” is not a known party" for code in unknown)
        winner = row.previous.get("winner")
        if winner and book.code(winner) is None:
            problems.append(f"{row.where}.previous.winner: “{winner}” is not a known party")
    return problems


def _by_code(values: dict, book: PartyBook) -> dict:
    return {book.code(key): value for key, value in values.items()}


def _what_the_card_shows(contest: Contest | None) -> tuple | None:
    """The contest's own data a card is drawn from, besides the declared figures."""
    if contest is None:
        return None
    return (
        contest.name, contest.electorate, contest.total_seats, contest.previous_votes, contest.previous_shares,
        contest.previous_winner_id, contest.previous_winner_name, str(contest.previous_turnout),
        contest.previous_seats, contest.turnout_basis, sorted(contest.candidacies.values_list("name", "party_id")),
    )  # fmt: skip


def _upsert(row: BallotRow, book: PartyBook) -> tuple[Contest, bool]:
    """The ballot's contest, created or brought up to date, and whether what its card shows changed."""
    before = _what_the_card_shows(
        Contest.objects.filter(election__slug=row.election_id, slug=row.ballot_paper_id).first()
    )
    election, _ = Election.objects.get_or_create(
        slug=row.election_id,
        defaults={"name": row.election_name or row.election_id, "polling_day": row.polling_day,
                  "kind": row.election_type},
    )  # fmt: skip
    previous = row.previous
    contest, _ = Contest.objects.update_or_create(
        election=election,
        slug=row.ballot_paper_id,
        defaults={
            "name": row.name, "kind": row.kind, "seats_up": row.seats, "electorate": row.electorate,
            "voting_system": row.voting_system, "polls_close": row.polls_close,
            "previous_votes": {**_by_code(previous.get("votes") or {}, book),
                               **{independent_key(name): n for name, n in previous["independents"].items()}},
            "turnout_basis": row.turnout_basis,
            "previous_shares": _by_code(previous.get("shares") or {}, book),
            "previous_winner": book.party(previous.get("winner")) if previous.get("winner") else None,
            "previous_winner_name": previous.get("winner_name", ""),
            "previous_turnout": previous.get("turnout"), "previous_seats": _by_code(previous.get("seats") or {}, book),
            "total_seats": row.total_seats,
        },
    )  # fmt: skip
    for candidate in row.candidates:
        Candidacy.objects.update_or_create(
            contest=contest, name=candidate.name,
            defaults={"party": book.party(candidate.party), "ballot_order": candidate.ballot_order,
                      "sitting": candidate.sitting},
        )  # fmt: skip
    contest.refresh_from_db()
    return contest, before is not None and before != _what_the_card_shows(contest)


def _entry(row: BallotRow, contest: Contest) -> Entry:
    ids = dict(contest.candidacies.values_list("name", "pk"))
    uncontested = row.result["uncontested"]
    missing = [c.name for c in row.candidates if c.votes is None]
    if missing and not uncontested:
        raise ValidationError(f"{row.where}: votes_cast missing for " + ", ".join(missing))
    lot_name = row.result["lot_winner"]
    if lot_name and lot_name not in ids:
        raise ValidationError(f"{row.where}: result.lot_winner “{lot_name}” is not a candidate in this ballot")
    return Entry(
        votes={ids[c.name]: c.votes for c in row.candidates if c.votes is not None},
        transfers={ids[c.name]: c.transfers for c in row.candidates if c.transfers is not None},
        rejected_ballots=row.result["rejected_ballots"],
        council_seats=row.result["council_seats"],
        uncontested=uncontested,
        lot_winner=ids[lot_name] if lot_name else None,
        ballot_papers=row.result["ballot_papers"],
    )


def _yes(value) -> bool:
    return value is True or str(value).strip().lower() in {"1", "true", "yes"}


def _apply_status(row: BallotRow, contest: Contest, actor) -> str:
    """A count the feed says is under way, being recounted or postponed; unchanged if it already is."""
    status = row.result["status"]
    result = Result.objects.filter(contest=contest).first()
    if result is not None and result.status == status:
        return "unchanged"
    if result is not None and result.is_declared:
        raise ValidationError(f"{row.where}: the result is declared; the feed cannot set it back to {status}")
    if status == Result.Status.RECOUNT and (result is None or result.status == Result.Status.EXPECTED):
        # A feed may report a recount without ever saying counting began.
        services.result_set_status(contest=contest, status=Result.Status.COUNTING, actor=actor, expected_version=None)
    services.result_set_status(contest=contest, status=status, actor=actor, expected_version=None)
    return status


def _check_elected_flags(row: BallotRow, contest: Contest, entry: Entry) -> None:
    """Where the feed says who was elected, the votes must elect the same people."""
    said = {c.name for c in row.candidates if c.elected}
    if not any(c.elected is not None for c in row.candidates):
        return
    try:
        decided = {line.name for line in summarise(contest, entry).lines if line.elected}
    except FiguresError:
        return  # the declaration itself reports what is wrong with the figures
    if said != decided:
        raise ValidationError(
            f"{row.where}: the feed says {', '.join(sorted(said)) or 'nobody'} elected, but the votes elect "
            f"{', '.join(sorted(decided))}"
        )


def _apply_result(row: BallotRow, contest: Contest, actor, source_name: str, *, contest_changed: bool) -> str:
    if row.result["status"] != "declared":
        return _apply_status(row, contest, actor)
    entry = _entry(row, contest)
    declared_at = row.result["declared_at"]
    result = Result.objects.filter(contest=contest).select_related("current").first()
    if result and result.current and entry_from_revision(result.current) == entry:
        if contest_changed:
            services.result_refresh_card(contest=contest, actor=actor)
            return "refreshed"
        return "unchanged"
    _check_elected_flags(row, contest, entry)
    reason = row.result["reason"] or (f"Corrected figures from {source_name}" if result and result.current else "")
    services.result_declare(
        contest=contest, entry=entry, declared_at=declared_at, actor=actor,
        expected_version=result.version if result else None, source=row.result["source"], reason=reason,
    )  # fmt: skip
    return "corrected" if result and result.current else "declared"


def import_ballots(
    ballots: list[BallotRow],
    *,
    actor,
    source_name: str,
    progress: Callable[[int, int], None] = lambda i, n: None,
    allow_new_parties: bool = True,
) -> dict:
    """Apply every ballot or none; returns counts of what happened, each result's outcome and the new parties."""
    counts = {"ballots": 0, "declared": 0, "corrected": 0, "refreshed": 0, "unchanged": 0, "new_parties": [],
              "contests": [], **{status: 0 for status, _ in FEED_STATUSES if status != "declared"}}  # fmt: skip
    book = PartyBook.load()
    errors = _party_problems(ballots, book, allow_new=allow_new_parties)
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        counts["new_parties"] = book.create_new()
        for i, row in enumerate(ballots, start=1):
            try:
                with transaction.atomic():
                    contest, changed = _upsert(row, book)
                    if row.result:
                        outcome = _apply_result(row, contest, actor, source_name, contest_changed=changed)
                        counts[outcome] += 1
                        counts["contests"].append((contest.name, outcome))
                counts["ballots"] += 1
            except ValidationError as error:
                errors.extend(f"{row.where}: {m}" if not m.startswith(row.where) else m for m in error.messages)
            except FiguresError as error:
                errors.append(f"{row.where}: {error}")
            progress(i, len(ballots))
        if errors:
            raise ImportFailed(errors)
    return counts
