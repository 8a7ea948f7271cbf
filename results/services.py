"""Every write to results goes through these functions.

Each checks the actor, validates the figures, writes in one transaction,
and appends events to the election's stream; a declaration is also announced
(signals.result_declared) to whatever shows it elsewhere, such as the live blogs
covering the election, in the same transaction. Readers get it all after commit.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from streams import events
from streams.conflicts import ConflictError, stale

from . import api, frames, permissions, scoreboard
from .figures import FiguresError
from .models import CandidateVotes, Contest, Result, Revision
from .signals import result_declared
from .summary import Entry, entry_from_revision, summarise

__all__ = ["ConflictError", "result_declare", "result_refresh_card", "result_set_status"]

# A desk's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)

# Where a count can go next, by hand. Declarations and corrections go through result_declare.
STATUS_MOVES = {
    Result.Status.EXPECTED: {Result.Status.COUNTING, Result.Status.POSTPONED},
    Result.Status.COUNTING: {Result.Status.RECOUNT, Result.Status.POSTPONED, Result.Status.EXPECTED},
    Result.Status.RECOUNT: {Result.Status.COUNTING, Result.Status.POSTPONED},
    Result.Status.POSTPONED: {Result.Status.EXPECTED, Result.Status.COUNTING},
}


def check_may_declare(actor) -> None:
    if not permissions.can_declare(actor):
        raise PermissionDenied("Only the results desk and editors can enter results.")


def _lock(contest: Contest, expected_version: int | None) -> Result:
    Result.objects.get_or_create(contest=contest)
    result = Result.objects.select_for_update(of=("self",)).select_related("updated_by", "current").get(contest=contest)
    if expected_version is not None and result.version != expected_version:
        raise stale(who=result.updated_by, when=result.updated_at, what="result",
                    changes=f"status now {result.get_status_display()}")  # fmt: skip
    return result


def _touch(result: Result, actor) -> None:
    result._history_user = actor
    result.version += 1
    result.updated_at = timezone.now()
    result.updated_by = actor
    result.save()


def _announce(result: Result) -> None:
    contest = result.contest
    kind = frames.status_kind(result)
    events.append(
        stream_key=contest.election.stream_key, kind=kind, render=frames.election_frame(contest, result, kind)
    )


def _stored_facts(declaration) -> dict:
    """A declaration summarised once, when declared: what the scoreboard, the feeds and the API read."""
    return {**declaration.facts(), "figures": api.declaration_figures(declaration)}


def _provisional(contest: Contest, status: str, entry: Entry | None) -> tuple[dict, str]:
    """A recount's first-count figures, checked as a declaration's are, and their card; nothing otherwise."""
    if entry is None:
        return {}, ""
    if status != Result.Status.RECOUNT:
        raise ValidationError("Only a recount can carry provisional figures: the first count's.")
    try:
        declaration = summarise(contest, entry)
    except FiguresError as error:
        raise ValidationError(str(error)) from error
    figures = {"votes": {str(key): n for key, n in entry.votes.items()}, "rejected_ballots": entry.rejected_ballots}
    return figures, frames.provisional_card_html(declaration)


def result_set_status(
    *, contest: Contest, status: str, actor, expected_version: int | None, provisional: Entry | None = None
) -> Result:
    """Move an undeclared count on: counting, recount, postponed.

    A recount may carry the first count's figures (`provisional`): shown on the card as provisional,
    counted in no total, and dropped when the count moves on or is declared.
    """
    check_may_declare(actor)
    figures, card = _provisional(contest, status, provisional)
    with transaction.atomic():
        result = _lock(contest, expected_version)
        if result.is_declared:
            raise ValidationError("This result is declared; a change to it is a correction.")
        moving = status != result.status
        if moving and status not in STATUS_MOVES.get(result.status, set()):
            raise ValidationError(
                f"A count cannot go from {result.get_status_display()} to {Result.Status(status).label}."
            )
        if not moving and figures == result.provisional:
            raise ValidationError(f"The count is already {result.get_status_display().lower()}.")
        result.status = status
        result.provisional, result.provisional_card_html = figures, card
        _touch(result, actor)
        _announce(result)
    return result


def result_declare(
    *,
    contest: Contest,
    entry: Entry,
    declared_at: datetime,
    actor,
    expected_version: int | None,
    source: str = "",
    reason: str = "",
    electorate: int | None = None,
) -> Revision:
    """Declare a result, or correct a declared one with a new revision and a reason.

    `electorate`, when given, is the returning officer's figure: the contest keeps it, and turnout is counted from it.
    """
    check_may_declare(actor)
    if electorate is not None:
        if electorate < 1:
            raise ValidationError({"electorate": "The electorate must be at least 1."})
        contest.electorate = electorate
    if declared_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"declared_at": "A declaration cannot be dated in the future."})
    # An uncontested return is known once nominations close, weeks before polling day.
    if declared_at < contest.polls_close and not entry.uncontested:
        polls = date_format(timezone.localtime(contest.polls_close), "j M H:i")
        raise ValidationError({"declared_at": f"A declaration cannot be before polls close ({polls})."})
    try:
        declaration = summarise(contest, entry)
    except FiguresError as error:
        raise ValidationError(str(error)) from error
    with transaction.atomic():
        result = _lock(contest, expected_version)
        if electorate is not None:
            Contest.objects.filter(pk=contest.pk).update(electorate=electorate)
        correcting = result.is_declared
        if correcting and not reason.strip():
            raise ValidationError({"reason": "A correction needs a reason."})
        revision = Revision(
            result=result,
            number=(result.current.number + 1) if correcting else 1,
            uncontested=entry.uncontested,
            declared_at=declared_at,
            rejected_ballots=entry.rejected_ballots,
            ballot_papers=entry.ballot_papers,
            source=source,
            reason=reason.strip() if correcting else "",
            winner_by_lot_id=entry.lot_winner,
            council_seats=entry.council_seats,
            list_votes=entry.list_votes,
            stv_count=entry.stv,
            entered_by=actor,
            facts=_stored_facts(declaration),
        )
        revision.full_clean(exclude=["result"])
        revision._history_user = actor
        revision.save()
        CandidateVotes.objects.bulk_create(
            CandidateVotes(revision=revision, candidacy_id=key, votes=votes, transfers=entry.transfers.get(key))
            for key, votes in entry.votes.items()
        )
        revision.card_html = frames.card_html(declaration, revision)
        revision.save(update_fields=["card_html"])
        scoreboard.record(contest.election_id, result.current.facts if correcting else None, revision.facts)
        result.current = revision
        result.provisional, result.provisional_card_html = {}, ""
        if correcting:
            result.status = Result.Status.CORRECTED
        elif entry.uncontested:
            result.status = Result.Status.UNCONTESTED
        else:
            result.status = Result.Status.DECLARED
        _touch(result, actor)
        _announce(result)
        result_declared.send(
            sender=Result, result=result, headline=f"{contest.name}: {declaration.headline}",
            declared_at=declared_at, actor=actor,
        )  # fmt: skip
    return revision


def result_refresh_card(*, contest: Contest, actor) -> Revision | None:
    """Re-render a declared result's card after the contest's own data changed (previous figures, names).

    The figures stay as declared, so there is no new revision; readers and the blogs covering
    the election get the card again. Returns None when nothing is declared yet.
    """
    check_may_declare(actor)
    with transaction.atomic():
        result = _lock(contest, None)
        if not result.is_declared:
            return None
        revision = result.current
        try:
            declaration = summarise(contest, entry_from_revision(revision))
        except FiguresError as error:
            raise ValidationError(str(error)) from error
        before, revision.facts = revision.facts, _stored_facts(declaration)
        scoreboard.record(contest.election_id, before, revision.facts)
        revision.card_html = frames.card_html(declaration, revision)
        revision.save(update_fields=["facts", "card_html"])
        _touch(result, actor)
        _announce(result)
        result_declared.send(
            sender=Result, result=result, headline=f"{contest.name}: {declaration.headline}",
            declared_at=revision.declared_at, actor=actor,
        )  # fmt: skip
    return revision
