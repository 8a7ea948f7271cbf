import functools
import os
import signal
import subprocess
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from demo.night import load_elections
from liveblog.models import AuthorProfile, LiveBlog
from liveblog.roles import ROLES, sync_groups
from results.models import Party
from results.parties import (
    GB_PARTIES,
    REGISTERED_PARTIES,
    SUCCESSIONS,
    link_successions,
    upsert_parties,
    upsert_registered_parties,
)
from tests.helpers import free_port, publish_post, wait_for_port

IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing_service(message: str) -> None:
    # In CI a missing service is a failure, never a silent skip.
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing_service("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not settings.REDIS_URL:
        _missing_service("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def roles(db):
    # Transactional tests flush the tables the data migrations filled.
    sync_groups(apps, ROLES)
    upsert_parties(Party, GB_PARTIES)
    upsert_registered_parties(Party, REGISTERED_PARTIES)
    link_successions(Party, SUCCESSIONS)


def make_user(username: str, group: str | None, display_name: str = "", role: str = ""):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username=username, password="pw-" + username, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    AuthorProfile.objects.create(user=user, display_name=display_name or username.title(), role=role)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def reporter(roles):
    return make_user("reporter", "Reporter", "Amira Shah", "Political correspondent")


@pytest.fixture
def other_reporter(roles):
    return make_user("reporter2", "Reporter", "Tom Ellery", "North East reporter")


@pytest.fixture
def editor(roles):
    return make_user("editor", "Editor", "Helen Marsh", "Live editor")


@pytest.fixture
def contributor(roles):
    return make_user("contributor", "Contributor", "Sam Okafor", "Community contributor")


@pytest.fixture
def results_desk(roles):
    return make_user("desk", "Results desk", "Results desk", "Election data team")


@pytest.fixture
def night(roles):
    """The demo's elections and contests for 6 May 2021, nothing declared."""
    return load_elections()


@pytest.fixture
def blog(db):
    return LiveBlog.objects.create(
        title="Hartlepool by-election: live",
        slug="hartlepool",
        standfirst="Results as they come.",
        status=LiveBlog.Status.LIVE,
        starts_at=datetime(2021, 1, 1, tzinfo=UTC),
    )


@pytest.fixture
def publish(blog):
    """Publish a post in the blog through the service, as its author."""
    return functools.partial(publish_post, blog)


@pytest.fixture
def redis_server():
    """A Redis of this test's own, so it can be stopped, frozen and started again (never the shared one)."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]

    class Handle:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for_port(port, self.process)

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)

        def freeze(self):
            """Stopped, not ended: connections are accepted and then nothing is ever answered."""
            self.process.send_signal(signal.SIGSTOP)

        def thaw(self):
            self.process.send_signal(signal.SIGCONT)

    handle = Handle()
    handle.start()
    yield handle
    if handle.process.poll() is None:
        handle.thaw()
        handle.stop()
