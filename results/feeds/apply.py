"""Applies checked ballots: contests and candidates brought up to date, results declared or corrected.

The whole file is applied in one transaction: one bad ballot and nothing is imported.
Applying the same file twice changes nothing. Everything is written through the services.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import services
from ..figures import FiguresError
from ..models import Candidacy, Contest, Election, Result
from ..summary import Entry, entry_from_revision, independent_key, provisional_entry, summarise
from .apply_lists import check_named_members, contest_fields, list_entry, list_party_problems, upsert_lists
from .ballots import FEED_STATUSES, BallotRow
from .party_book import PartyBook


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported.")
        self.errors = errors


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
        problems.extend(list_party_problems(row, book, allow_new=allow_new))
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
        contest.previous_seats, contest.turnout_basis, contest.previous_basis, contest.previous_year,
        contest.previous_winner_is_speaker, sorted(contest.candidacies.values_list("name", "party_id", "is_speaker")),
    )  # fmt: skip


def _upsert(row: BallotRow, book: PartyBook) -> tuple[Contest, bool]:
    """The ballot's contest, created or brought up to date, and whether what its card shows changed."""
    before = _what_the_card_shows(
        Contest.objects.filter(election__slug=row.election_id, slug=row.ballot_paper_id).first()
    )
    election, created = Election.objects.get_or_create(
        slug=row.election_id,
        defaults={"name": row.election_name or row.election_id, "polling_day": row.polling_day,
                  "kind": row.election_type},
    )  # fmt: skip
    if not created and row.election_name and election.name == election.slug:
        # Set up from a feed that gave only the id (Democracy Club's CSV): the name, once a feed gives it.
        election.name = row.election_name
        election.save(update_fields=["name"])
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
            "previous_winner_is_speaker": previous.get("winner_is_speaker", False),
            "previous_basis": previous.get("basis") or Contest.PreviousBasis.ACTUAL,
            "previous_year": previous.get("year"),
            "previous_turnout": previous.get("turnout"), "previous_seats": _by_code(previous.get("seats") or {}, book),
            "total_seats": row.total_seats, **contest_fields(row),
        },
    )  # fmt: skip
    for candidate in row.candidates:
        Candidacy.objects.update_or_create(
            contest=contest, name=candidate.name,
            defaults={"party": book.party(candidate.party, candidate.party_name),
                      "ballot_order": candidate.ballot_order, "sitting": candidate.sitting,
                      "is_speaker": candidate.speaker},
        )  # fmt: skip
    if row.region:
        upsert_lists(row, contest, book)
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
        stv=_stv_by_candidacy(row.result.get("stv") or {}, ids),
    )


def _stv_by_candidacy(stv: dict, ids: dict[str, int]) -> dict:
    """The count as the feed named it, keyed by candidacy id as a revision keeps it."""
    if not stv:
        return {}
    stages = [{**stage, "totals": {str(ids[name]): votes for name, votes in stage["totals"].items()}}
              for stage in stv["stages"]]  # fmt: skip
    return {"quota": stv["quota"], "stages": stages, "elected": {str(ids[n]): at for n, at in stv["elected"].items()}}


def _provisional(row: BallotRow, contest: Contest) -> Entry | None:
    """A recount's first-count figures, where the feed gives every candidate's votes_cast."""
    if row.result["status"] != Result.Status.RECOUNT or not any(c.votes is not None for c in row.candidates):
        return None
    ids = dict(contest.candidacies.values_list("name", "pk"))
    missing = [c.name for c in row.candidates if c.votes is None]
    if missing:
        raise ValidationError(f"{row.where}: votes_cast missing for " + ", ".join(missing))
    return Entry(votes={ids[c.name]: c.votes for c in row.candidates},
                 rejected_ballots=row.result.get("rejected_ballots", 0))  # fmt: skip


def _apply_status(row: BallotRow, contest: Contest, actor) -> str:
    """A count the feed says is under way, being recounted or postponed; unchanged if it already is."""
    status = row.result["status"]
    provisional = _provisional(row, contest)
    result = Result.objects.filter(contest=contest).first()
    if result is not None and result.status == status and provisional_entry(result) == provisional:
        return "unchanged"
    if result is not None and result.is_declared:
        raise ValidationError(f"{row.where}: the result is declared; the feed cannot set it back to {status}")
    if status == Result.Status.RECOUNT and (result is None or result.status == Result.Status.EXPECTED):
        # A feed may report a recount without ever saying counting began.
        services.result_set_status(contest=contest, status=Result.Status.COUNTING, actor=actor, expected_version=None)
    services.result_set_status(
        contest=contest, status=status, actor=actor, expected_version=None, provisional=provisional
    )
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


def _apply_result(
    row: BallotRow, contest: Contest, actor, source_name: str, book: PartyBook, *, contest_changed: bool
) -> str:
    if row.result["status"] != "declared":
        return _apply_status(row, contest, actor)
    entry = list_entry(row, book) if row.region else _entry(row, contest)
    declared_at = row.result["declared_at"]
    result = Result.objects.filter(contest=contest).select_related("current").first()
    if result and result.current and entry_from_revision(result.current) == entry:
        if contest_changed:
            services.result_refresh_card(contest=contest, actor=actor)
            return "refreshed"
        return "unchanged"
    _check_elected_flags(row, contest, entry)
    if row.region:
        check_named_members(row, contest, entry)
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
    # A region's list seats count its constituencies' winners: those in the same file are applied first.
    ballots = sorted(ballots, key=lambda row: row.region is not None)
    with transaction.atomic():
        counts["new_parties"] = book.create_new()
        for i, row in enumerate(ballots, start=1):
            try:
                with transaction.atomic():
                    contest, changed = _upsert(row, book)
                    if row.result:
                        outcome = _apply_result(row, contest, actor, source_name, book, contest_changed=changed)
                        counts[outcome] += 1
                        note = row.result.get("note")
                        counts["contests"].append((contest.name, f"{outcome} ({note})" if note else outcome))
                counts["ballots"] += 1
            except ValidationError as error:
                errors.extend(f"{row.where}: {m}" if not m.startswith(row.where) else m for m in error.messages)
            except FiguresError as error:
                errors.append(f"{row.where}: {error}")
            progress(i, len(ballots))
        if errors:
            raise ImportFailed(errors)
    return counts
