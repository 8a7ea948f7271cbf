import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.timezone import localtime

from demo import feed_replay, general_election, night_2024
from results.models import Contest, Election
from results.permissions import can_declare

GENERATED_SLUG, GENERATED_BLOG = "parl.2019-12-12", ("general-election-rehearsal", "General election night (rehearsal)")


class Command(BaseCommand):
    help = (
        "Replay the UK general election of 4 July 2024 as it happened: 650 seats declared in their real order, "
        "each through the feed importer with its real declaration time, at --speed times the night's pace, with "
        "a live blog covering it. Run it again to continue with what is left. --generated rehearses a generated "
        "election instead (for the benchmark)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--speed",
            type=float,
            default=None,
            help="How many times faster than the night: 60 (the default) plays its hours in minutes.",
        )
        parser.add_argument(
            "--max-gap",
            type=float,
            default=None,
            help="Longest wait between two declarations, in seconds (default 10).",
        )
        parser.add_argument("--stop-after", type=int, default=None, help="Declare at most this many, then stop.")
        parser.add_argument("--desk", default="results", help="The results desk user declaring (the demo's).")
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help="The feed to replay (default: the shipped 2024 night, demo/data/ge-2024).",
        )
        parser.add_argument("--generated", action="store_true", help="Rehearse a generated election instead.")
        parser.add_argument("--seats", type=int, default=None, help="With --generated: seats to create (650).")
        parser.add_argument("--rate", type=float, default=None, help="With --generated: declarations a second (2).")

    def handle(self, *args, speed, max_gap, stop_after, desk, file, generated, seats, rate, **options):
        if stop_after is not None and stop_after < 0:
            raise CommandError("--stop-after must be 0 or more.")
        actor = get_user_model().objects.filter(username=desk, is_active=True).first()
        if not can_declare(actor):
            raise CommandError(f"“{desk}” is not an active user allowed to declare results (load_demo creates "
                               "“results”; or give --desk).")  # fmt: skip
        if generated:
            if speed is not None or max_gap is not None or file is not None:
                raise CommandError("--speed, --max-gap and --file replay a feed; --generated takes --seats and --rate.")
            return self._generated(seats or 650, 2.0 if rate is None else rate, stop_after, actor)
        if seats is not None or rate is not None:
            raise CommandError("--seats and --rate are for a generated election: add --generated.")
        speed, max_gap = 60.0 if speed is None else speed, 10.0 if max_gap is None else max_gap
        if speed <= 0 or max_gap < 0:
            raise CommandError("--speed must be positive and --max-gap 0 or more.")
        self._replay(Path(file or feed_replay.NIGHT_2024), speed, max_gap, stop_after, actor)

    def _replay(self, path: Path, speed: float, max_gap: float, stop_after, actor) -> None:
        try:
            ready = night_2024.make_ready(actor, path)
            if ready.contests_made:
                self.stdout.write(f"Set up {ready.contests_made} contest(s) from {path.name}, nothing declared.")
            if ready.blog_made:
                self.stdout.write(f"Created the live blog {ready.blog.get_absolute_url()}.")
            waiting = feed_replay.waiting(ready.night)
            if path == feed_replay.NIGHT_2024 and (poll := night_2024.publish_exit_poll(actor)):
                self.stdout.write(f"{localtime(poll.published_at):%a %H:%M}  exit poll: {poll.headline}")
                if waiting:  # the wait until the first count, paced as the gaps between counts are
                    gap = (waiting[0].result["declared_at"] - poll.published_at).total_seconds()
                    time.sleep(min(max_gap, max(0.0, gap / speed)))
            left = len(waiting)
            self.stdout.write(f"{left} declaration(s) to replay at {speed:g}× (waits of at most {max_gap:g} s).")
            count = feed_replay.replay(ready.night, speed=speed, max_gap=max_gap, stop_after=stop_after,
                                       actor=actor, say=self.stdout.write, sleep=time.sleep)  # fmt: skip
        except (feed_replay.ReplayFailed, ValidationError) as failure:
            raise CommandError("; ".join(getattr(failure, "messages", [str(failure)]))) from failure
        pages = ", ".join(f"/results/{e.slug}/" for e in ready.elections)
        self.stdout.write(self.style.SUCCESS(
            f"{count} declared, {left - count} left. Results at {pages}, the blog at {ready.blog.get_absolute_url()}."
        ))  # fmt: skip

    def _generated(self, seats: int, rate: float, stop_after, actor) -> None:
        if rate <= 0 or seats < 1:
            raise CommandError("--rate and --seats must be positive.")
        election = Election.objects.filter(slug=GENERATED_SLUG).first()
        if election is None:
            election = general_election.create(slug=GENERATED_SLUG, seats=seats)
            self.stdout.write(f"Created {election.name}: {seats} seats.")
        if night_2024.covering_blog(*GENERATED_BLOG, [election])[1]:
            self.stdout.write(f"Created the live blog /live/{GENERATED_BLOG[0]}/.")
        contests = Contest.objects.filter(election=election).order_by("position")
        total = contests.count()
        waiting = contests.filter(Q(result__isnull=True) | Q(result__current__isnull=True)).select_related("election")
        for contest in waiting[:stop_after]:
            general_election.declare(contest, contest.position, total, actor)
            self.stdout.write(f"declared {contest.name}")
            time.sleep(1 / rate)
        self.stdout.write(
            self.style.SUCCESS(f"Results at /results/{GENERATED_SLUG}/, the blog at /live/{GENERATED_BLOG[0]}/.")
        )
