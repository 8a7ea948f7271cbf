"""Publishing the broadcasters' exit poll: its card, the seat chart's projection, and the covering blogs' post."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from streams import events
from streams.frames import frame

from . import frames
from .models import ExitPoll
from .services import check_may_declare
from .signals import exit_poll_published


def check_seats(exit_poll: ExitPoll, seats: list[int]) -> None:
    """The poll's seats are the house's at most, and it gives at least one party some."""
    house = exit_poll.election.contests.count()
    if not any(seats):
        raise ValidationError("An exit poll gives at least one party some seats.")
    if house and sum(seats) > house:
        raise ValidationError(f"The exit poll's seats add up to {sum(seats)}, more than the {house} being elected.")


def exit_poll_card_html(exit_poll: ExitPoll) -> str:
    rows = sorted(exit_poll.seats.select_related("party"), key=lambda row: (row.party is None, -row.seats))
    return render_to_string("results/_exit_poll_card.html", {"poll": exit_poll, "rows": rows})


def exit_poll_publish(*, exit_poll: ExitPoll, actor) -> ExitPoll:
    """Publish (or republish, once corrected) the exit poll: readers of the results page see the chart's
    projection, and every public blog covering the election a pinned key-event card."""
    check_may_declare(actor)
    check_seats(exit_poll, [row.seats for row in exit_poll.seats.all()])
    with transaction.atomic():
        exit_poll.published_at = exit_poll.published_at or timezone.now()
        exit_poll.card_html = exit_poll_card_html(exit_poll)
        exit_poll.save(update_fields=["published_at", "card_html"])
        election = exit_poll.election
        part = frames.national_html(election, oob=True)
        events.append(stream_key=election.stream_key, kind=events.EXIT_POLL,
                      render=lambda seq: frame(seq=seq, kind=events.EXIT_POLL, parts=[part]))  # fmt: skip
        exit_poll_published.send(sender=ExitPoll, exit_poll=exit_poll, actor=actor)
    return exit_poll
