from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from results.importer import ImportFailed, import_ballots, read_file
from results.permissions import can_declare


class Command(BaseCommand):
    help = "Import contests, candidates and results from a JSON or CSV feed file (see README). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="Results desk user the import acts as.")

    def handle(self, *args, path: Path, username: str, **options):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if not can_declare(actor):
            raise CommandError(f"“{username}” is not an active user allowed to declare results.")
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        ballots, errors = read_file(path)
        if errors:
            self._report(errors)
        try:
            counts = import_ballots(ballots, actor=actor, source_name=path.name, progress=self._progress)
        except ImportFailed as failure:
            self._report(failure.errors)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(
            f"{counts['ballots']} ballot(s): {counts['declared']} declared, {counts['corrected']} corrected, "
            f"{counts['unchanged']} unchanged."
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
