"""Results that arrive by themselves: two watchers follow one folder; the card reaches an open page once."""

import copy
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from playwright.sync_api import expect

from results.models import FeedFile, Revision
from tests.e2e.conftest import ROOT, database_url
from tests.results.test_import_as_published import ELECTION_ID, HARTLEPOOL, ballot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def drop(folder, name, data):
    """As an agency's feed does: written elsewhere, then moved into the folder whole."""
    staging = folder.parent / f".{name}"
    staging.write_text(json.dumps(data))
    past = time.time() - 5
    os.utime(staging, (past, past))
    os.replace(staging, folder / name)


def start_watcher(folder, log_path):
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL, "DATABASE_POOL": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [sys.executable, "manage.py", "watch_results", str(folder), "--as", "desk", "--every", "0.2",
               "--for", "60"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT)


def test_a_dropped_file_reaches_an_open_results_page_and_is_applied_once(asgi_server, page, results_desk, tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    setup = copy.deepcopy(HARTLEPOOL)
    ballot(setup).pop("result")
    drop(folder, "0000-nominations.json", setup)
    watchers = [start_watcher(folder, tmp_path / f"watcher-{i}.log") for i in range(2)]
    try:
        deadline = time.monotonic() + 20
        while not FeedFile.objects.filter(name="0000-nominations.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        page.goto(f"{asgi_server}/results/{ELECTION_ID}/")
        page.wait_for_selector('#live[data-transport="socket"]', state="attached")
        expect(page.locator("section.contest")).to_contain_text("Expected")

        drop(folder, "0420-declaration.json", HARTLEPOOL)
        # How fast is the benchmarks' to measure; a loaded machine may take seconds, and a lost card still fails.
        expect(page.locator("section.card")).to_contain_text("Con GAIN from Lab", timeout=20_000)
        time.sleep(1)  # both watchers look several more times; neither applies it again
    finally:
        for watcher in watchers:
            watcher.terminate()
            watcher.wait(timeout=10)
    assert Revision.objects.count() == 1
    assert FeedFile.objects.filter(name="0420-declaration.json", outcome="applied").count() == 1
    logs = [(tmp_path / f"watcher-{i}.log").read_text() for i in range(2)]
    assert sum(log.count("0420-declaration.json: applied") for log in logs) == 1
