"""Faults under load: readers, writers, stalled sockets, a Redis outage and a killed server, for a fixed time.

    .venv/bin/python -m bench.faults                # 90 s
    .venv/bin/python -m bench.faults --seconds 60

Against one real server process (bin/serve, PostgreSQL, a Redis of the script's own on
another port): 200 readers, 5 writers each posting through the publishing API every
second (retrying with the same Idempotency-Key until answered), one stalled reader per
50 that never reads, Redis stopped for 20 s at a third of the run, and the server killed
(SIGKILL) and started again at two thirds. Then it waits, at most 60 s, for every reader
to hold every post, and prints: posts written, how many readers hold all of them (must
be all), server errors (5xx answers and unhandled exceptions in the server's output; must
be 0), posts stored twice by a retry (must be 0), and the server's peak memory. Only
127.0.0.1 is contacted; every loop is bounded.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.wsclient import Reader, masked_frame

HOST = "127.0.0.1"
READERS = 200
WRITERS = 5
STALLED_EVERY = 50
REDIS_OUTAGE_SECONDS = 20
CATCH_UP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


REDIS_PORT = free_port()
os.environ["BENCH_REDIS_URL"] = f"redis://{HOST}:{REDIS_PORT}/0"

from bench import run  # noqa: E402  (reads BENCH_REDIS_URL when imported)


class Redis:
    """A redis-server of the script's own, so stopping it touches nobody else's."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run.wait_for_port(self.port)

    def stop(self) -> None:
        run.stop(self.process)


class Server:
    def __init__(self, port: int, log: Path):
        self.port, self.log, self.process = port, log, None

    def start(self) -> None:
        env = {**run.app_env(), "PYTHON": run.PYTHON, "HOST": HOST, "PORT": str(self.port)}
        with self.log.open("a") as log:
            command = [str(run.ROOT / "bin" / "serve"), "--no-access-log", "--log-level", "warning"]
            self.process = subprocess.Popen(command, cwd=run.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        run.wait_for_port(self.port)

    def kill(self) -> None:
        self.process.kill()  # no goodbye: requests in flight are cut
        self.process.wait()


def open_stalled_reader(port: int, slug: str) -> socket.socket:
    """A reader that connects, resumes, and never reads another byte."""
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect((HOST, port))
    raw.sendall(
        f"GET /ws/live/{slug}/ HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: c3RhbGxlZC1yZWFkZXIxMg==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: http://{HOST}:{port}\r\n\r\n".encode()
    )
    raw.sendall(masked_frame(0x1, b'{"type": "resume", "after": 0}'))
    return raw


class Tally:
    def __init__(self):
        self.seqs: set[int] = set()
        self.server_errors = 0
        self.retries = 0


def publish_until_answered(port: int, fixtures: dict, headline: str, key: str, deadline: float, tally: Tally) -> None:
    """One post: sent again with the same Idempotency-Key until the server answers, as a careful newsroom tool does."""
    body = json.dumps({"headline": headline, "body": "<p>Counting continues.</p>"}).encode()
    headers = {"Authorization": f"Bearer {fixtures['token']}", "Content-Type": "application/json",
               "Idempotency-Key": key}  # fmt: skip
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            f"http://{HOST}:{port}/api/live/{fixtures['slug']}/posts/", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
                tally.seqs.add(json.loads(response.read())["seq"])
                return
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                tally.server_errors += 1
        except OSError:
            pass  # the server is down or restarting: try again
        tally.retries += 1
        time.sleep(0.5)


async def writer(number: int, port: int, fixtures: dict, until: float, pool, tally: Tally) -> None:
    loop = asyncio.get_running_loop()
    sent = 0
    while time.monotonic() < until:
        started = time.monotonic()
        key = f"writer-{number}-post-{sent}"
        await loop.run_in_executor(
            pool, publish_until_answered, port, fixtures, f"Writer {number}, post {sent}", key, until + 30, tally
        )
        sent += 1
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


async def sample_memory(server: Server, until: float, peak: list[int]) -> None:
    while time.monotonic() < until:
        if server.process and server.process.poll() is None:
            peak[0] = max(peak[0], run.rss_kb(server.process.pid))
        await asyncio.sleep(0.5)


async def scenario(seconds: float) -> dict:
    redis = Redis(REDIS_PORT)
    redis.start()
    fixtures = run.prepare_database()
    port = free_port()
    log = run.OUT / "faults-server.log"
    run.OUT.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    server = Server(port, log)
    server.start()
    tally, peak = Tally(), [0]
    pool = ThreadPoolExecutor(max_workers=WRITERS)
    readers = [Reader(HOST, port, f"/ws/live/{fixtures['slug']}/", resume=True, reconnect=True) for _ in range(READERS)]
    await asyncio.gather(*(reader.start() for reader in readers))
    stalled = [open_stalled_reader(port, fixtures["slug"]) for _ in range(READERS // STALLED_EVERY)]
    start = time.monotonic()
    until = start + seconds
    tasks = [asyncio.ensure_future(writer(n, port, fixtures, until, pool, tally)) for n in range(WRITERS)]
    tasks.append(asyncio.ensure_future(sample_memory(server, until + CATCH_UP_SECONDS, peak)))
    events = []

    await asyncio.sleep(seconds / 3)
    redis.stop()
    events.append(f"{time.monotonic() - start:.0f} s: Redis stopped")
    await asyncio.sleep(REDIS_OUTAGE_SECONDS)
    redis.start()
    events.append(f"{time.monotonic() - start:.0f} s: Redis started again")
    await asyncio.sleep(max(0.0, start + 2 * seconds / 3 - time.monotonic()))
    server.kill()
    events.append(f"{time.monotonic() - start:.0f} s: server killed")
    await asyncio.sleep(1)
    await asyncio.to_thread(server.start)
    events.append(f"{time.monotonic() - start:.0f} s: server started again")
    await asyncio.gather(*tasks[:WRITERS])

    written = set(tally.seqs)
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while time.monotonic() < deadline and not all(written <= set(r.received) for r in readers):
        await asyncio.sleep(0.5)
    caught_up = time.monotonic() - (deadline - CATCH_UP_SECONDS)
    complete = sum(written <= set(r.received) for r in readers)
    fewest = min(len(written & set(r.received)) for r in readers)
    tasks[-1].cancel()
    for reader in readers:
        reader.close()
    for raw in stalled:
        raw.close()
    run.stop(server.process)
    redis.stop()
    pool.shutdown()
    stored = subprocess.run(
        ["psql", run.DATABASE_URL, "-tAc", "SELECT count(*) FROM liveblog_post"], capture_output=True, text=True
    )
    output = log.read_text()
    # Server errors: requests Django answered with a 500, and exceptions that escaped to uvicorn.
    # Expected failures logged on purpose (a broadcast while Redis is away) are counted apart.
    unhandled = output.count("ERROR django.request") + output.count("Exception in ASGI application")
    return {
        "seconds": seconds,
        "readers": READERS,
        "stalled_readers": len(stalled),
        "writers": WRITERS,
        "events": events,
        "posts_written": len(written),
        # A retry after a dropped connection must not post twice: each stored post was answered once.
        "posts_stored_twice": int(stored.stdout.strip() or 0) - len(written),
        "readers_with_every_post": complete,
        "fewest_posts_any_reader_has": fewest,
        "seconds_to_catch_up_after_the_last_post": round(caught_up, 1),
        "server_errors": tally.server_errors + unhandled,
        "answers_5xx": tally.server_errors,
        "unhandled_exceptions_in_server_output": unhandled,
        "broadcasts_logged_as_failed_while_redis_was_away": output.count("failed; readers will catch up"),
        "retried_requests": tally.retries,
        "peak_server_rss_mb": round(peak[0] / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    args = parser.parse_args()
    report = asyncio.run(scenario(args.seconds))
    print(json.dumps(report, indent=2))
    (run.OUT / "faults.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
