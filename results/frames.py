"""Renders result fragments once: cards, contest rows and the scoreboard."""

from django.template.loader import render_to_string

from streams import events
from streams.frames import frame, remove_by_id, swap_by_id, swap_if_present

from . import seat_row
from .gains import gain_of
from .hexmap import hex_of
from .models import Contest, Election, Result, Revision
from .national import national_picture
from .scoreboard import Scoreboard, scoreboard
from .seat_table import notional_everywhere, seat_rows
from .selectors import CardRow, is_summary, latest_declared, seats_to_watch
from .summary import Declaration


def card_html(declaration: Declaration, revision: Revision) -> str:
    return render_to_string(
        "results/_declaration_card.html",
        {"d": declaration, "revision": revision, "corrected": revision.number > 1},
    )


def provisional_card_html(declaration: Declaration) -> str:
    """A recount's first-count figures, on the one card, marked provisional."""
    declaration.provisional = True
    return render_to_string("results/_declaration_card.html", {"d": declaration, "revision": None})


def contest_row_html(contest: Contest, result: Result | None, *, oob: bool = False) -> str:
    card = ""
    if result is not None:
        card = result.current.card_html if result.current_id else result.provisional_card_html
        card = swap_by_id(card) if oob and card else card
    return render_to_string("results/_contest_row.html", {"row": CardRow.of(contest, result, card), "oob": oob})


def scoreboard_html(election: Election, *, oob: bool = False, board: Scoreboard | None = None) -> str:
    return render_to_string("results/_scoreboard.html", {"board": board or scoreboard(election), "oob": oob})


def national_html(election: Election, *, oob: bool = False) -> str:
    """The seat chart and national shares; empty for an election without a national picture."""
    picture = national_picture(election)
    return render_to_string("results/_national.html", {"n": picture, "oob": oob}) if picture else ""


def watch_html(election: Election, *, oob: bool = False) -> str:
    return render_to_string("results/_watch.html", {"watched": seats_to_watch(election), "oob": oob})


def latest_html(election: Election, *, oob: bool = False) -> str:
    return render_to_string("results/_latest.html", {"latest": latest_declared(election), "oob": oob})


def seat_row_html(contest: Contest, *, oob: bool = False) -> str:
    """The contest's row of the table of all seats; as a swap, by its id wherever the table has it."""
    [row] = seat_rows(contest.election, only=contest.pk)
    return seat_row.seat_row_html(row, notional_everywhere=notional_everywhere(contest.election), oob=oob)


def gain_parts(contest: Contest, result: Result) -> list[str]:
    """A gain's line, put at the top of the gains list (or in its place, if already there: live.js upserts
    by id); a correction that leaves no gain takes its line away."""
    if not result.is_declared:
        return []
    gain = gain_of(contest.election, contest.pk)
    if gain is not None:
        return [render_to_string("results/_gain_line.html", {"g": gain, "oob": True})]
    if result.status == Result.Status.CORRECTED:
        return [remove_by_id(f"gain-{contest.pk}")]
    return []


def hexmap_part(contest: Contest, result: Result, *, summary: bool) -> str:
    """The contest's hex as it now stands, for static/results/hexmap.js to apply to an open map: a few hundred
    bytes whatever the size of the map. An inert <template>, not an oob swap: htmx ignores it, and pages
    without the map (a contest's own page) are not told of a missing target. A summary's map has no table of
    its own (it points to the table of all seats), so its frames carry no row for one."""
    h = hex_of(contest, result)
    return "" if h is None else render_to_string("results/_hexmap_update.html", {"h": h, "with_row": not summary})


def election_frame(contest: Contest, result: Result, kind: str):
    """What a change to one contest sends its election's readers: the same few parts, whatever the night's
    count, on a general election's summary its table row and gains line, never the whole table."""
    election = contest.election
    board = scoreboard(election)
    summary = is_summary(board.total)
    # A summary page has no cards: the card goes only to the contest's own page.
    card = (swap_if_present(f"result-{contest.pk}", contest_row_html(contest, result)) if summary
            else contest_row_html(contest, result, oob=True))  # fmt: skip
    parts = [card, scoreboard_html(election, oob=True, board=board)]
    if result.is_declared:
        parts += [latest_html(election, oob=True), national_html(election, oob=True)]
    if contest.watched:
        parts.append(watch_html(election, oob=True))
    if hex_part := hexmap_part(contest, result, summary=summary):
        parts.append(hex_part)
    if summary:
        parts += [seat_row_html(contest, oob=True), *gain_parts(contest, result)]
    return lambda seq: frame(seq=seq, kind=kind, parts=parts)


def status_kind(result: Result) -> str:
    if result.status == Result.Status.CORRECTED:
        return events.RESULT_CORRECTED
    if result.is_declared:
        return events.RESULT_DECLARED
    return events.RESULT_STATUS
