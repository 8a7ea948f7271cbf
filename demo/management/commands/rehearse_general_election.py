import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from demo import general_election
from demo.replay import demo_user
from liveblog.models import LiveBlog
from results.models import Contest, Election

SLUG, BLOG = "parl.2019-12-12", "general-election-rehearsal"


class Command(BaseCommand):
    help = (
        "Rehearse a general election night: a generated election of single-seat contests and a live blog "
        "covering it, every seat declared in turn. Run it again to declare what is left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seats", type=int, default=650, help="How many seats to create (first run only).")
        parser.add_argument("--rate", type=float, default=2.0, help="Declarations a second.")
        parser.add_argument("--stop-after", type=int, default=None, help="Declare at most this many, then stop.")
        parser.add_argument("--desk", default="results", help="The results desk user declaring (the demo's).")

    def handle(self, *args, seats, rate, stop_after, desk, **options):
        if rate <= 0 or seats < 1:
            raise CommandError("--rate and --seats must be positive.")
        election = Election.objects.filter(slug=SLUG).first()
        if election is None:
            election = general_election.create(slug=SLUG, seats=seats)
            self.stdout.write(f"Created {election.name}: {seats} seats.")
        blog, made = LiveBlog.objects.get_or_create(
            slug=BLOG, defaults={"title": "General election night (rehearsal)", "status": LiveBlog.Status.LIVE}
        )
        blog.elections.add(election)
        if made:
            self.stdout.write(f"Created the live blog /live/{BLOG}/.")
        contests = Contest.objects.filter(election=election).order_by("position")
        total = contests.count()
        waiting = contests.filter(Q(result__isnull=True) | Q(result__current__isnull=True)).select_related("election")
        actor = demo_user(desk)
        for contest in waiting[:stop_after]:
            general_election.declare(contest, contest.position, total, actor)
            self.stdout.write(f"declared {contest.name}")
            time.sleep(1 / rate)
        self.stdout.write(self.style.SUCCESS(f"Results at /results/{SLUG}/, the blog at /live/{BLOG}/."))
