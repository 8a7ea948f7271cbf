"""The UK general election of 4 July 2024 made ready to replay: its 650 contests, nothing declared, a live blog
covering them, and the broadcasters' exit poll to open the night with.

Shared by load_demo (so the demo opens with the night waiting) and rehearse_general_election (which
then declares it). Safe to run again: what exists is left as it is.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction

from liveblog.models import LiveBlog
from results.exit_poll import exit_poll_publish
from results.models import Election, ExitPoll, ExitPollSeats, Party

from . import feed_replay

BLOG_SLUG = "general-election-2024"
BLOG_TITLE = "UK general election 2024: the night replayed"
POLLS_OPEN = datetime.fromisoformat("2024-07-04T07:00:00+01:00")  # the blog's coverage starts then
BLOG_STANDFIRST = (
    "The general election of 4 July 2024 as it was declared, seat by seat, from the exit poll at 22:00 to the last "
    "count. Figures are the published results; the night is replayed."
)


@dataclass(frozen=True)
class ReadyNight:
    night: feed_replay.Night
    elections: list[Election]
    blog: LiveBlog
    contests_made: int
    blog_made: bool


def make_ready(actor, path: Path = feed_replay.NIGHT_2024, *, blog=(BLOG_SLUG, BLOG_TITLE)) -> ReadyNight:
    """Set up the feed's contests and a live blog covering them; a bad feed is a feed_replay.ReplayFailed."""
    night = feed_replay.read_night(path)
    made = feed_replay.set_up(night, actor)
    elections = feed_replay.elections(night)
    feed_replay.give_previous_national_shares()
    covering, blog_made = covering_blog(*blog, elections, standfirst=BLOG_STANDFIRST, starts_at=POLLS_OPEN)
    return ReadyNight(night, elections, covering, made, blog_made)


def covering_blog(slug: str, title: str, elections, **made_with) -> tuple[LiveBlog, bool]:
    """The live blog `slug`, made live (with `made_with`) if new, covering these elections; and whether it was made."""
    blog, made = LiveBlog.objects.get_or_create(
        slug=slug, defaults={"title": title, "status": LiveBlog.Status.LIVE, **made_with}
    )
    blog.elections.add(*elections)
    return blog, made


EXIT_POLL_2024 = feed_replay.NIGHT_2024.with_name("exit-poll.json")


def publish_exit_poll(actor, path: Path = EXIT_POLL_2024) -> ExitPoll | None:
    """The night's exit poll as it was announced, at its own time, unless the election already has one."""
    given = json.loads(path.read_text())
    election = Election.objects.filter(slug=given["election"]).first()
    if election is None or ExitPoll.objects.filter(election=election, published_at__isnull=False).exists():
        return None
    with transaction.atomic():
        poll, _ = ExitPoll.objects.update_or_create(
            election=election,
            defaults={"headline": given["headline"], "source": given["source"],
                      "published_at": datetime.fromisoformat(given["published_at"])},
        )  # fmt: skip
        poll.seats.all().delete()
        parties = Party.objects.in_bulk([code for code in given["seats"] if code], field_name="code")
        if unknown := [code for code in given["seats"] if code and code not in parties]:
            raise feed_replay.ReplayFailed(f"{path.name}: no party with the code {', '.join(unknown)}")
        ExitPollSeats.objects.bulk_create(
            ExitPollSeats(exit_poll=poll, party=parties[code] if code else None, seats=seats)
            for code, seats in given["seats"].items()
        )
        return exit_poll_publish(exit_poll=poll, actor=actor)
