import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from results.feeds.values import printable
from results.feeds.watch import look_once, source_for
from results.permissions import can_declare


class Command(BaseCommand):
    help = (
        "Follow a results feed (a folder files are dropped into, or an http(s) URL) and import each new or "
        "changed file as it lands, all or nothing per file. Stop it with Ctrl+C."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder, or an http(s) URL.")
        parser.add_argument("--as", dest="username", required=True, help="Results desk user the imports act as.")
        parser.add_argument("--every", type=float, default=5.0, help="Seconds between looks (default 5).")
        parser.add_argument("--for", dest="seconds", type=float, help="Stop after this many seconds.")
        parser.add_argument("--once", action="store_true", help="Look once, then stop.")
        parser.add_argument("--no-new-parties", action="store_true", help="Refuse files that name unknown parties.")

    def handle(self, *args, source, username, every, seconds, once, no_new_parties, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if not can_declare(actor):
            raise CommandError(f"“{username}” is not an active user allowed to declare results.")
        if every <= 0:
            raise CommandError("--every must be more than 0 seconds.")
        try:
            feed = source_for(source)
        except ValueError as error:
            raise CommandError(str(error)) from error
        stop_at = time.monotonic() + seconds if seconds else None
        self.stdout.write(f"Watching {feed.key} every {every:g} s as {username}.")
        while True:
            self._look(feed, actor, allow_new_parties=not no_new_parties)
            if once or (stop_at is not None and time.monotonic() >= stop_at):
                return
            # A long wait between looks: give the connection back rather than hold it idle.
            connection.close()
            time.sleep(every if stop_at is None else max(0.0, min(every, stop_at - time.monotonic())))

    def _look(self, feed, actor, *, allow_new_parties: bool) -> None:
        try:
            handled = look_once(feed, actor=actor, allow_new_parties=allow_new_parties)
        except Exception as error:  # the folder, URL or database is away for now: say so and look again later
            self.stderr.write(f"{self._now()} cannot read {feed.key}: {printable(str(error))}")
            return
        for done in handled:
            style = self.style.SUCCESS if done.outcome == "applied" else self.style.WARNING
            self.stdout.write(style(f"{self._now()} {done.name}: {done.outcome}"))
            for line in done.lines:
                self.stdout.write(f"    {line}")

    @staticmethod
    def _now() -> str:
        return timezone.localtime().strftime("%H:%M:%S")
