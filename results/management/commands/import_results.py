from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from results.feeds.apply import ImportFailed, import_ballots
from results.feeds.read import read_file
from results.permissions import can_declare

FIGURES_OUTCOMES = {"declared", "corrected", "refreshed", "unchanged"}


class Command(BaseCommand):
    help = "Import contests, candidates and results from a JSON or CSV feed file (see README). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="Results desk user the import acts as.")
        parser.add_argument(
            "--previous",
            type=Path,
            help="A CSV of previous results for the feed's ballots (results/feeds/previous_csv.py).",
        )
        parser.add_argument(
            "--no-new-parties", action="store_true",
            help="Refuse the file if it names a party the project does not know, instead of creating it.",
        )  # fmt: skip

    def handle(self, *args, path: Path, username: str, no_new_parties: bool = False, previous=None, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if not can_declare(actor):
            raise CommandError(f"“{username}” is not an active user allowed to declare results.")
        for given in (path, previous):
            if given is not None and not given.exists():
                raise CommandError(f"No such file: {given}")
        try:
            ballots, errors = read_file(path, previous)
        except OSError as error:
            raise CommandError(f"cannot read {error.filename}: {error.strerror}") from error
        if errors:
            self._report(errors)
        try:
            counts = import_ballots(
                ballots, actor=actor, source_name=path.name, progress=self._progress,
                allow_new_parties=not no_new_parties,
            )  # fmt: skip
        except ImportFailed as failure:
            self._report(failure.errors)
        self.stdout.write("")
        for party in counts["new_parties"]:
            known_as = ", ".join(filter(None, [party.code, party.register_id]))
            self.stdout.write(f"New party: {party.name} ({known_as}); set its short name and colour in the admin.")
        for name, outcome in counts["contests"]:
            if outcome not in FIGURES_OUTCOMES:  # counting, recount, postponed: said by name, as the watcher does
                self.stdout.write(f"{name}: {outcome}")
        self.stdout.write(self.style.SUCCESS(
            f"{counts['ballots']} ballot(s): {counts['declared']} declared, {counts['corrected']} corrected, "
            f"{counts['refreshed']} card(s) redrawn with new previous data, {counts['unchanged']} unchanged."
        ))  # fmt: skip

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} ballots", ending="")
        self.stdout.flush()

    def _report(self, errors: list[str]) -> None:
        for error in errors:
            self.stderr.write(f"  {error}")
        raise CommandError(f"{len(errors)} problem(s) in the file; nothing was imported.")
