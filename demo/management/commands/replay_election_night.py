from django.core.management.base import BaseCommand

from demo import replay


class Command(BaseCommand):
    help = "Declare the demo's contests one by one, so a reader page shows the cards arriving."

    def add_arguments(self, parser):
        parser.add_argument("--speed", type=float, default=600.0, help="How many times faster than the night.")
        parser.add_argument("--max-gap", type=float, default=8.0, help="Longest wait between declarations (s).")
        parser.add_argument("--reset", action="store_true", help="Withdraw the demo declarations first.")

    def handle(self, *args, **options):
        if options["reset"]:
            replay.reset(replay.demo_user("editor"))
            self.stdout.write("Demo declarations withdrawn.")
        count = replay.replay(
            speed=options["speed"],
            max_gap=options["max_gap"],
            actor=replay.demo_user("results"),
            say=self.stdout.write,
        )
        self.stdout.write(self.style.SUCCESS(f"{count} result(s) declared."))
