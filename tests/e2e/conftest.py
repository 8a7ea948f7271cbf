"""A real ASGI server process and a real headless Chromium, for browser tests.

The server uses pytest-django's test database (PostgreSQL) and the real
Redis, so these tests run in the PostgreSQL + Redis pass.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers import free_port, wait_for_port

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def start_server(port: int, log_path: Path, **extra_env: str) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_POOL": "1",
        **extra_env,
    }
    env.update({"PYTHON": sys.executable, "HOST": "127.0.0.1", "PORT": str(port)})
    command = [str(ROOT / "bin" / "serve"), "--log-level", "warning"]
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_for_port(port, process)
    return process


@pytest.fixture
def asgi_server(django_db_setup, tmp_path_factory):
    """A fresh server per test: transactional tests recreate content types, which a
    long-lived server would still remember by their old ids."""
    if connection.vendor != "postgresql":
        pytest.fail("browser tests need the PostgreSQL test database", pytrace=False)
    port = free_port()
    process = start_server(port, tmp_path_factory.mktemp("server") / "server.log")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def servers(django_db_setup, tmp_path):
    """Start extra ASGI server processes on demand; all are stopped after the test."""
    started = []

    def start(**extra_env):
        port = free_port()
        started.append(start_server(port, tmp_path / f"server-{port}.log", **extra_env))
        return f"127.0.0.1:{port}"

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run bin/setup", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own
    # ORM calls are still synchronous. The server process does not inherit this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


@pytest.fixture
def nginx(tmp_path):
    """deploy/nginx.conf in front of the given server processes, on a port of its own; stopped after the test."""
    from bench import nginx as load_balancer

    if load_balancer.binary() is None:
        pytest.fail("nginx is missing: run bin/setup", pytrace=False)
    started = []

    def start(*upstreams: str, media_root=None) -> str:
        port = free_port()
        started.append(load_balancer.start(tmp_path / f"nginx-{port}", list(upstreams), port, media_root=media_root))
        return f"127.0.0.1:{port}"

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
