from django.core.management.base import BaseCommand

from demo.blog import DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the Hartlepool by-election night demo. Safe to run more than once."

    def handle(self, *args, **options):
        blog = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo live blog: http://127.0.0.1:8000{blog.get_absolute_url()}"))
        self.stdout.write("Admin: http://127.0.0.1:8000/admin/")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.group:<9} login: {user.username} / {user.password}")
