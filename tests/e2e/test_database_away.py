"""A server process whose database is away: it listens at once, says so on /healthz and answers 503, not a hang."""

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def no_database() -> str:
    """A PostgreSQL address where nothing listens: every connection is refused."""
    return f"postgres://postgres@127.0.0.1:{free_port()}/gone"


def fetch(url: str, timeout: float):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_process_without_its_database_listens_and_its_health_check_answers_503_at_once(servers):
    # A pool timeout far longer than the client waits: only a bounded check can answer in time.
    # servers() itself fails unless the process listens within its bounded wait.
    server = servers(DATABASE_URL=no_database(), DATABASE_POOL_TIMEOUT="60")
    status, _, body = fetch(f"http://{server}/healthz", timeout=5)
    assert status == 503
    assert json.loads(body)["database"].startswith("down")


def test_a_page_on_a_process_without_its_database_answers_503_to_be_retried(servers, blog):
    server = servers(DATABASE_URL=no_database(), DATABASE_POOL_TIMEOUT="1")
    status, headers, body = fetch(f"http://{server}{blog.get_absolute_url()}", timeout=20)
    assert status == 503 and headers["Retry-After"]
    assert b"try again" in body and b"Traceback" not in body
