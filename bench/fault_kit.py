"""What the fault benches share: a Redis of their own, server processes, a database link that can be cut,
writers that retry with one Idempotency-Key until answered, and the figures every scenario reports.

Only 127.0.0.1 is contacted; processes are started here and stopped by their own handles.
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
CATCH_UP_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


REDIS_PORT = free_port()
# bench.run reads this when it is imported: every process the fault benches start uses this Redis.
os.environ["BENCH_REDIS_URL"] = f"redis://{HOST}:{REDIS_PORT}/0"

from bench import run  # noqa: E402


class Redis:
    """A redis-server of the bench's own, so stopping or freezing it touches nobody else's."""

    def __init__(self, port: int = REDIS_PORT):
        self.port, self.process = port, None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run.wait_for_port(self.port)

    def freeze(self) -> None:
        """Still listening, never answering: what a Redis swapping to death or paused by its host looks like."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.thaw()  # a stopped process cannot act on SIGTERM
            run.stop(self.process)


class Server:
    """One bin/serve process, its output kept in a log of its own."""

    def __init__(self, port: int, log: Path, **env: str):
        self.port, self.log, self.env, self.process = port, log, env, None

    def start(self) -> None:
        env = {**run.app_env(DJANGO_PROXY_COUNT="1", **self.env), "PYTHON": run.PYTHON, "HOST": HOST,
               "PORT": str(self.port)}  # fmt: skip
        with self.log.open("a") as log:
            command = [str(run.ROOT / "bin" / "serve"), "--no-access-log", "--log-level", "warning"]
            self.process = subprocess.Popen(command, cwd=run.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        run.wait_for_port(self.port)

    def kill(self) -> None:
        self.process.kill()  # no goodbye: requests in flight are cut
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            run.stop(self.process)


def unhandled_errors(text: str) -> int:
    """Requests Django answered with a 500, and exceptions that escaped to uvicorn."""
    return text.count("ERROR django.request") + text.count("Exception in ASGI application")


class CuttableLink:
    """A TCP relay to PostgreSQL, on a thread of its own. cut() drops every connection through it and
    refuses new ones until restore(): the process using it loses its database; the others do not."""

    def __init__(self, target_port: int):
        self.target_port, self.port = target_port, free_port()
        self.cut_now = False
        self.writers: set[asyncio.StreamWriter] = set()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> None:
        self.thread.start()
        self.ready.wait(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._relay, HOST, self.port))
        self.ready.set()
        self.loop.run_forever()

    async def _relay(self, reader, writer) -> None:
        if self.cut_now:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(HOST, self.target_port)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    def _cut(self) -> None:
        self.cut_now = True
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    def cut(self) -> None:
        self.loop.call_soon_threadsafe(self._cut)

    def restore(self) -> None:
        self.cut_now = False

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self._cut)
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@dataclass
class Tally:
    """What the writers saw."""

    seqs: set[int] = field(default_factory=set)
    answers: Counter = field(default_factory=Counter)
    timeouts: int = 0
    unreachable: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, status: int) -> None:
        with self.lock:
            self.answers[status] += 1

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.answers.items() if status >= 500)


def post_once(port: int, fixtures: dict, headline: str, key: str, tally: Tally) -> dict | None:
    """One request; the answer's JSON when the post is stored (201, first time or replayed), else None."""
    body = json.dumps({"headline": headline, "body": "<p>Counting continues.</p>"}).encode()
    headers = {"Authorization": f"Bearer {fixtures['token']}", "Content-Type": "application/json",
               "Idempotency-Key": key}  # fmt: skip
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/live/{fixtures['slug']}/posts/", data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:  # noqa: S310 (loopback)
            answer = json.loads(response.read())
            tally.answered(response.status)
            with tally.lock:
                tally.seqs.add(answer["seq"])
            return answer
    except urllib.error.HTTPError as error:
        tally.answered(error.code)
    except TimeoutError:
        with tally.lock:
            tally.timeouts += 1
    except urllib.error.URLError as error:
        with tally.lock:
            if isinstance(error.reason, TimeoutError | socket.timeout):
                tally.timeouts += 1
            else:
                tally.unreachable += 1
    except OSError:
        with tally.lock:
            tally.unreachable += 1
    return None


def publish_until_answered(port: int, fixtures: dict, headline: str, key: str, deadline: float, tally: Tally) -> None:
    """One post, sent again with the same Idempotency-Key until it is stored, as a careful newsroom tool does."""
    while time.monotonic() < deadline:
        if post_once(port, fixtures, headline, key, tally) is not None:
            return
        time.sleep(0.5)


async def writer(number: int, port: int, fixtures: dict, prefix: str, until: float, tally: Tally) -> None:
    """A post a second until `until`, each retried until stored (for at most 30 s after)."""
    sent = 0
    while time.monotonic() < until:
        started = time.monotonic()
        headline, key = f"{prefix}: writer {number}, post {sent}", f"{prefix}-writer-{number}-post-{sent}"
        await asyncio.to_thread(publish_until_answered, port, fixtures, headline, key, until + 30, tally)
        sent += 1
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def sql(query: str) -> str:
    done = subprocess.run(["psql", run.DATABASE_URL, "-tAc", query], capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def stored_posts(prefix: str) -> tuple[int, int]:
    """(rows, rows beyond the first of each headline): a post a retry stored twice shows as a duplicate."""
    rows, distinct = sql(
        f"SELECT count(*), count(DISTINCT headline) FROM liveblog_post WHERE headline LIKE '{prefix}:%'"
    ).split("|")
    return int(rows), int(rows) - int(distinct)


async def readers_catch_up(readers, written: set[int]) -> dict:
    """Wait, at most CATCH_UP_SECONDS, for every reader to hold every written seq; how far they got."""
    started = time.monotonic()
    while time.monotonic() - started < CATCH_UP_SECONDS and not all(written <= set(r.received) for r in readers):
        await asyncio.sleep(0.5)
    return {
        "readers_with_every_post": sum(written <= set(r.received) for r in readers),
        "fewest_posts_any_reader_has": min((len(written & set(r.received)) for r in readers), default=0),
        "seconds_to_catch_up_after_the_last_post": round(time.monotonic() - started, 1),
    }


def writers_report(tally: Tally, prefix: str) -> dict:
    rows, duplicates = stored_posts(prefix)
    return {
        "posts_written": len(tally.seqs),
        "rows_in_db": rows,
        "duplicates": duplicates,
        "answers_5xx": tally.server_errors,
        "client_timeouts": tally.timeouts,
        "connection_failures": tally.unreachable,
        "answers": {str(status): count for status, count in sorted(tally.answers.items())},
    }
