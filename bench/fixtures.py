"""Creates the benchmark's blog, a publishing user and an API token; prints them as JSON."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from liveblog.models import ApiToken, LiveBlog  # noqa: E402
from liveblog.roles import ROLES, sync_groups  # noqa: E402
from liveblog.tokens import issue  # noqa: E402

sync_groups(apps, ROLES)
user, _ = get_user_model().objects.get_or_create(username="bench-wire", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name="Reporter"))
blog, _ = LiveBlog.objects.get_or_create(
    slug="bench", defaults={"title": "Benchmark night", "status": LiveBlog.Status.LIVE}
)
token = ApiToken(user=user, name="bench")
key = issue(token)
token.save()
print(json.dumps({"slug": blog.slug, "token": key}))
