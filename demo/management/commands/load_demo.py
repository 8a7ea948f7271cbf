from django.core.management.base import BaseCommand

from demo.blog import DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the Hartlepool by-election night, and the 2024 general election set up to replay. "
        "Safe to run more than once."
    )

    def handle(self, *args, **options):
        blog = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo live blog: http://127.0.0.1:8000{blog.get_absolute_url()}"))
        self.stdout.write("General election 2024: http://127.0.0.1:8000/results/parl.2024-07-04/ and its live blog")
        self.stdout.write("  replay its night (the exit poll, then 650 seats, in 9 minutes), in another terminal:")
        self.stdout.write("  bin/manage rehearse_general_election")
        self.stdout.write("Admin: http://127.0.0.1:8000/admin/")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.group:<9} login: {user.username} / {user.password}")
