"""Faults under load, each scenario bounded in time, against real server processes, PostgreSQL and a Redis of
the bench's own (another port: stopping or freezing it touches nobody else's).

    .venv/bin/python -m bench.faults                                   # every scenario
    .venv/bin/python -m bench.faults --scenario redis-frozen --readers 300
    .venv/bin/python -m bench.faults --scenario restart --seconds 60

Scenarios:
  restart            one process, 200 readers, 5 writers, one stalled reader per 50 that never reads;
                     Redis stopped for 20 s at a third of the run, the server killed (SIGKILL) and
                     started again at two thirds.
  redis-frozen       two processes behind nginx; Redis frozen (SIGSTOP, port still open) for 15 s.
  database-lost      two processes behind nginx; one reaches PostgreSQL through a link the bench cuts
                     for 20 s (its connections dropped, new ones refused); the other keeps its database.
  watcher-bad-files  watch_results follows a folder; a file a second, good and bad in turn (not JSON,
                     not UTF-8, cut short, nulls, NULs, nesting 100,000 deep, ...): every good one must land.
  idempotency-storm  each of 3 writers sends one post 8 times at the same instant with one
                     Idempotency-Key, 15 rounds: one post each, never two.
The new scenarios run 300 readers (--readers) and 3 writers. Each reports: posts written, rows in the
database, duplicates, readers holding every post, 5xx answers, client time-outs, and what happened
when. Printed, and written to bench/out/faults.json (and faults-<scenario>.json). Only 127.0.0.1 is
contacted; every loop is bounded in count and time; processes started here are stopped by their handles.
"""

import argparse
import asyncio
import json
import socket
import time

from bench.fault_kit import Redis, Server, Tally, readers_catch_up, sql, unhandled_errors, writer, writers_report
from bench.fault_scenarios import SCENARIOS
from bench.wsclient import Reader, masked_frame

from bench import run  # isort: skip  (after fault_kit, which points it at the bench's own Redis)

HOST = "127.0.0.1"
READERS = 200
WRITERS = 5
STALLED_EVERY = 50
REDIS_OUTAGE_SECONDS = 20


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


async def sample_memory(server: Server, until: float, peak: list[int]) -> None:
    while time.monotonic() < until:
        if server.process and server.process.poll() is None:
            peak[0] = max(peak[0], run.rss_kb(server.process.pid))
        await asyncio.sleep(0.5)


async def restart(redis: Redis, fixtures: dict, readers_n: int | None, seconds: float) -> dict:
    """Redis stopped for a while, then the server killed and started again, under readers and writers."""
    n = readers_n or READERS
    port = run.free_port()
    log = run.OUT / "faults-server.log"
    log.write_text("")
    server = Server(port, log)
    server.start()
    tally, peak = Tally(), [0]
    readers = [Reader(HOST, port, f"/ws/live/{fixtures['slug']}/", resume=True, reconnect=True) for _ in range(n)]
    await asyncio.gather(*(reader.start() for reader in readers))
    stalled = [open_stalled_reader(port, fixtures["slug"]) for _ in range(n // STALLED_EVERY)]
    start = time.monotonic()
    until = start + seconds
    tasks = [asyncio.ensure_future(writer(i, port, fixtures, "restart", until, tally)) for i in range(WRITERS)]
    memory = asyncio.ensure_future(sample_memory(server, until + 60, peak))
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
    await asyncio.gather(*tasks)

    caught_up = await readers_catch_up(readers, set(tally.seqs))
    memory.cancel()
    for reader in readers:
        reader.close()
    for raw in stalled:
        raw.close()
    server.stop()
    output = log.read_text()
    return {
        "readers": n, "stalled_readers": len(stalled), "writers": WRITERS, "seconds": seconds, "events": events,
        **writers_report(tally, "restart"), **caught_up,
        "unhandled_exceptions_in_server_output": unhandled_errors(output),
        # Expected failures logged on purpose (a broadcast while Redis is away) are counted apart.
        "broadcasts_logged_as_failed_while_redis_was_away": output.count("failed; readers will catch up"),
        "peak_server_rss_mb": round(peak[0] / 1024, 1),
    }  # fmt: skip


ALL = {"restart": restart, **SCENARIOS}
SECONDS = {"restart": 90.0, "redis-frozen": 45.0, "database-lost": 60.0, "watcher-bad-files": 40.0,
           "idempotency-storm": 0.0}  # fmt: skip
NEW_SCENARIO_READERS = 300


async def main(names: list[str], readers: int | None, seconds: float | None) -> dict:
    run.OUT.mkdir(parents=True, exist_ok=True)
    redis = Redis()
    redis.start()
    reports = {}
    try:
        fixtures = run.prepare_database()
        for name in names:
            print(f"== {name}", flush=True)
            n = readers if name == "restart" else readers or NEW_SCENARIO_READERS
            report = await ALL[name](redis, fixtures, n, seconds or SECONDS[name])
            report["posts_in_db_all_scenarios"] = int(sql("SELECT count(*) FROM liveblog_post") or 0)
            reports[name] = report
            print(json.dumps(report, indent=2), flush=True)
            (run.OUT / f"faults-{name}.json").write_text(json.dumps(report, indent=2))
    finally:
        redis.stop()
    return reports


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["all", *ALL], default="all")
    parser.add_argument("--readers", type=int, help="readers per scenario (300 for the new ones, 200 for restart)")
    parser.add_argument("--seconds", type=float, help="length of each timed scenario (each has its own default)")
    args = parser.parse_args()
    chosen = list(ALL) if args.scenario == "all" else [args.scenario]
    results = asyncio.run(main(chosen, args.readers, args.seconds))
    (run.OUT / "faults.json").write_text(json.dumps(results, indent=2))
