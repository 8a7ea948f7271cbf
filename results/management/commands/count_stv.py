import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from results.counting.blt import BltError, read_blt_file
from results.counting.stv import Count, StvError, count_stv


def stages_table(count: Count) -> list[str]:
    """Candidates down, stages across, as a declaration sheet sets them out."""
    heads = ["Candidate", *(f"Stage {stage.number}" for stage in count.stages)]
    rows = [
        [name, *(str(stage.totals[name]) for stage in count.stages)]
        for name in count.candidates
        if name in count.stages[0].totals
    ]
    rows.append(["Non-transferable", *(str(stage.non_transferable) for stage in count.stages)])
    widths = [max(len(row[i]) for row in [heads, *rows]) for i in range(len(heads))]

    def line(cells):
        return "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(cells))

    return [line(heads), *(line(row) for row in rows)]


class Command(BaseCommand):
    help = "Count a BLT ballot-data file by the Scottish STV rules and print the stages, the quota and who was elected."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print the count as JSON.")
        parser.add_argument(
            "--lot", default="",
            help="For a tie equal at every stage: the candidates' names in the order the lot drew them, ';' between.",
        )  # fmt: skip

    def handle(self, *args, path: Path, as_json: bool = False, lot: str = "", **options):
        try:
            profile = read_blt_file(path)
            count = count_stv(profile, lot_order=[name.strip() for name in lot.split(";") if name.strip()])
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except (BltError, StvError) as error:
            raise CommandError(f"{path}: {error}") from error
        if as_json:
            self.stdout.write(json.dumps(count.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(count.title)
        self.stdout.write(f"Valid votes {count.valid_votes:,}; {count.seats} seat(s); quota {count.quota:,}.")
        self.stdout.write("")
        for row in stages_table(count):
            self.stdout.write(row)
        self.stdout.write("")
        for stage in count.stages[1:]:
            self.stdout.write(f"Stage {stage.number}: {stage.action}")
        for elected in count.elected:
            self.stdout.write(f"Elected at stage {elected.stage}: {elected.candidate}")
