"""Fault scenarios behind nginx: two server processes, readers and writers through deploy/nginx.conf.

Each scenario returns its figures: posts written (stored and answered), rows in the database,
duplicates, readers holding every post, 5xx answers, client time-outs, and what happened when.
"""

import asyncio
import json
import os
import random
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from bench import nginx, run
from bench.fault_kit import (
    HOST,
    CuttableLink,
    Redis,
    Server,
    Tally,
    free_port,
    post_once,
    readers_catch_up,
    sql,
    unhandled_errors,
    writer,
    writers_report,
)

WRITERS = 3
FREEZE_SECONDS = 15
CUT_SECONDS = 20
STORM_ROUNDS = 15
STORM_COPIES = 8  # each writer sends its key this many times at the same instant
WATCHED_WARDS = 40
ELECTION = "local.benchshire.2021-05-06"


class Stack:
    """Server processes (one environment each) behind nginx, on ports of their own."""

    def __init__(self, name: str, envs: list[dict]):
        self.folder = run.OUT / "faults" / name
        self.servers = [Server(free_port(), self.folder / f"server-{i}.log", **env) for i, env in enumerate(envs)]
        self.front, self.balancer, self.readers = free_port(), None, []

    async def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for server in self.servers:
            server.log.write_text("")
            await asyncio.to_thread(server.start)
        upstreams = [f"{HOST}:{server.port}" for server in self.servers]
        self.balancer = nginx.start(self.folder / "nginx", upstreams, self.front, worker_connections=4096)

    async def connect(self, n: int, path: str):
        self.readers = await run.connect_readers(n, self.front, path, reconnect=True, ack=True)
        return self.readers

    def unhandled(self) -> int:
        return sum(unhandled_errors(server.log.read_text()) for server in self.servers)

    def stop(self) -> None:
        for reader in self.readers:
            reader.close()
        if self.balancer is not None:
            self.balancer.terminate()
            self.balancer.wait(timeout=15)
        for server in self.servers:
            server.stop()


async def _writers_under(stack: Stack, fixtures: dict, prefix: str, n: int, seconds: float, fault) -> dict:
    """Readers and writers for `seconds`, `fault(start, events)` running beside them; then the figures."""
    readers = await stack.connect(n, f"/ws/live/{fixtures['slug']}/")
    held = run.held(readers)
    tally, events, start = Tally(), [], time.monotonic()
    tasks = [
        asyncio.ensure_future(writer(i, stack.front, fixtures, prefix, start + seconds, tally)) for i in range(WRITERS)
    ]
    await fault(start, events)
    await asyncio.gather(*tasks)
    return await _figures(stack, n, held, tally, prefix, seconds=seconds, events=events)


async def _figures(stack: Stack, n: int, held: int, tally: Tally, prefix: str, **extra) -> dict:
    """Once the readers have caught up (or the wait is over): what the writers, the readers and the servers saw."""
    caught_up = await readers_catch_up(stack.readers, set(tally.seqs))
    return {
        "readers": n,
        "readers_held_at_start": held,
        "writers": WRITERS,
        **extra,
        **writers_report(tally, prefix),
        **caught_up,
        "unhandled_exceptions_in_server_output": stack.unhandled(),
    }


def _note(events: list, start: float, what: str) -> None:
    events.append(f"{time.monotonic() - start:.0f} s: {what}")


async def redis_frozen(redis: Redis, fixtures: dict, n: int, seconds: float) -> dict:
    """Redis stops answering (SIGSTOP) for FREEZE_SECONDS at a third of the run, its port still open."""
    stack = Stack("redis-frozen", [{}, {}])

    async def fault(start, events):
        await asyncio.sleep(seconds / 3)
        redis.freeze()
        _note(events, start, "Redis frozen (SIGSTOP)")
        await asyncio.sleep(FREEZE_SECONDS)
        redis.thaw()
        _note(events, start, "Redis thawed (SIGCONT)")

    try:
        await stack.start()
        return await _writers_under(stack, fixtures, "redis-frozen", n, seconds, fault)
    finally:
        redis.thaw()
        stack.stop()


def _health(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5) as response:  # noqa: S310
            return f"{response.status} {response.read().decode()[:120]}"
    except urllib.error.HTTPError as error:
        return f"{error.code} {error.read().decode()[:120]}"
    except OSError as error:
        return f"no answer ({type(error).__name__})"


async def database_lost(redis: Redis, fixtures: dict, n: int, seconds: float) -> dict:
    """One of the two processes reaches PostgreSQL through a link that is cut for CUT_SECONDS; the other keeps it."""
    database = run.DATABASE_URL
    link = CuttableLink(int(database.rsplit(":", 1)[1].split("/", 1)[0]))
    link.start()
    cut_url = database.replace(database.rsplit("@", 1)[1].split("/", 1)[0], f"{HOST}:{link.port}")
    stack = Stack("database-lost", [{"DATABASE_URL": cut_url}, {}])
    cut_off = stack.servers[0]

    async def fault(start, events):
        await asyncio.sleep(seconds / 3)
        link.cut()
        _note(events, start, f"database cut off from the process on port {cut_off.port}")
        await asyncio.sleep(CUT_SECONDS / 2)
        health = await asyncio.to_thread(_health, cut_off.port)
        other = await asyncio.to_thread(_health, stack.servers[1].port)
        _note(events, start, f"its /healthz: {health}; the other's: {other}")
        await asyncio.sleep(CUT_SECONDS / 2)
        link.restore()
        _note(events, start, "database link restored")

    try:
        await stack.start()
        figures = await _writers_under(stack, fixtures, "database-lost", n, seconds, fault)
        figures["cut_off_process_still_running"] = cut_off.process.poll() is None
        return figures
    finally:
        stack.stop()
        link.stop()


def _storm_round(port: int, fixtures: dict, round_number: int, tally: Tally) -> None:
    """Every writer's key sent STORM_COPIES times, all released at the same instant."""
    copies = [(w, c) for w in range(WRITERS) for c in range(STORM_COPIES)]
    barrier = threading.Barrier(len(copies))

    def send(w: int) -> None:
        barrier.wait(timeout=30)
        headline = f"idempotency-storm: writer {w}, round {round_number}"
        post_once(port, fixtures, headline, f"storm-{round_number}-writer-{w}", tally)

    with ThreadPoolExecutor(len(copies)) as pool:
        list(pool.map(send, [w for w, _ in copies]))


async def idempotency_storm(redis: Redis, fixtures: dict, n: int, seconds: float) -> dict:
    """STORM_ROUNDS rounds; in each, every writer sends one post STORM_COPIES times at once with one key."""
    stack = Stack("idempotency-storm", [{}, {}])
    try:
        await stack.start()
        readers = await stack.connect(n, f"/ws/live/{fixtures['slug']}/")
        held, tally = run.held(readers), Tally()
        for number in range(STORM_ROUNDS):
            await asyncio.to_thread(_storm_round, stack.front, fixtures, number, tally)
        return await _figures(
            stack,
            n,
            held,
            tally,
            "idempotency-storm",
            rounds=STORM_ROUNDS,
            copies_of_each_request=STORM_COPIES,
            posts_meant=STORM_ROUNDS * WRITERS,
        )
    finally:
        stack.stop()


# The results watcher's folder: good files, each declaring one ward, between bad ones.
def _ward(number: int) -> str:
    return f"local.benchshire.ward-{number}.2021-05-06"


def _feed(wards: list[dict]) -> dict:
    election = {"election_id": ELECTION, "election_name": "Benchshire council", "poll_open_date": "2021-05-06"}
    return {"elections": [{**election, "ballots": wards}]}


def _ballot(number: int, result: dict | None = None, **changes) -> dict:
    ballot = {
        "ballot_paper_id": _ward(number),
        "post_name": f"Ward {number}",
        "ballot_type": "ward",
        "candidates": [
            {"person_name": f"Candidate {number}{side}", "party_id": party, "votes_cast": votes}
            for side, party, votes in (("A", "con", 1000 + number), ("B", "lab", 900))
        ],
    }
    if result:
        ballot["result"] = result
    return {**ballot, **changes}


def _file(*ballots: dict) -> bytes:
    return json.dumps(_feed(list(ballots))).encode()


DECLARED = {"declared_at": "2021-05-07T02:00:00+01:00", "source": "bench"}


def _good(number: int) -> bytes:
    return _file(_ballot(number, DECLARED))


def _bad_files() -> list[tuple[str, bytes]]:
    def votes(number: int, value) -> dict:
        return {"candidates": [{"person_name": f"Candidate {number}A", "party_id": "con", "votes_cast": value}]}

    return [
        ("not JSON", b"{not json"),
        ("not UTF-8", b"\xff\xfe\x00garbage"),
        ("cut short", _good(1)[:70]),
        ("empty", b""),
        ("negative votes", _file(_ballot(1, DECLARED, **votes(1, -5)))),
        ("votes of 10**30", _file(_ballot(5, DECLARED, **votes(5, 10**30)))),
        ("a null source", _file(_ballot(2, {**DECLARED, "source": None}))),
        ("a null previous vote", _file(_ballot(3, DECLARED, previous={"votes": {"lab": None}}))),
        ("nested 100,000 deep", b'{"elections": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        ("a NUL in a name", _file(_ballot(4, DECLARED, post_name="Ward\u0000 4"))),
        ("a lone surrogate", _file(_ballot(6, DECLARED, post_name="Ward \ud800"))),
    ]


def _drop(folder, name: str, content: bytes) -> None:
    """Written whole, then renamed in: the watcher never sees half a file."""
    partial = folder / f".{name}.part"
    partial.write_bytes(content)
    os.replace(partial, folder / name)


def _handled() -> int:
    return int(sql("SELECT count(*) FROM results_feedfile") or 0)


def _make_desk_user() -> None:
    code = (
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        "u, _ = get_user_model().objects.get_or_create(username='bench-desk', defaults={'is_staff': True}); "
        "u.groups.add(Group.objects.get(name='Results desk'))"
    )
    subprocess.run(
        [run.PYTHON, "manage.py", "shell", "-v", "0", "-c", code], cwd=run.ROOT, env=run.app_env(), check=True
    )


async def watcher_bad_files(redis: Redis, fixtures: dict, n: int, seconds: float) -> dict:
    """A folder watched by watch_results: a file a second, good and bad in turn; the good must all be applied."""
    stack = Stack("watcher-bad-files", [{}, {}])
    drop = stack.folder / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    for old in drop.iterdir():
        old.unlink()
    _make_desk_user()
    log = stack.folder / "watcher.log"
    watcher = None
    try:
        await stack.start()
        _drop(drop, "000-wards.json", json.dumps(_feed([_ballot(k) for k in range(1, WATCHED_WARDS + 1)])).encode())
        command = [
            run.PYTHON,
            "manage.py",
            "watch_results",
            str(drop),
            "--as",
            "bench-desk",
            "--every",
            "0.3",
            "--for",
            str(seconds + 60),
        ]
        with log.open("w") as out:
            watcher = subprocess.Popen(command, cwd=run.ROOT, env=run.app_env(), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not sql(f"SELECT id FROM results_election WHERE slug='{ELECTION}'"):
            await asyncio.sleep(0.3)
        readers = await stack.connect(n, f"/ws/results/{ELECTION}/")
        held, good, bad, start = run.held(readers), [], [], time.monotonic()
        bad_files = _bad_files()
        random.Random(7).shuffle(bad_files)
        for i in range(int(seconds)):
            if i % 2 == 0 and len(good) < WATCHED_WARDS:
                good.append(f"{i:03d}-good-ward-{len(good) + 1}.json")
                _drop(drop, good[-1], _good(len(good)))
            elif bad_files:
                label, content = bad_files.pop()
                bad.append(label)
                _drop(drop, f"{i:03d}-bad.json", content)
            await asyncio.sleep(max(0.0, start + i + 1 - time.monotonic()))
        dropped = 1 + len(good) + len(bad)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and watcher.poll() is None and _handled() < dropped:
            await asyncio.sleep(0.5)
        election_id = sql(f"SELECT id FROM results_election WHERE slug='{ELECTION}'")
        seqs = {
            int(s)
            for s in sql(
                "SELECT e.seq FROM streams_event e JOIN streams_stream s ON s.id = e.stream_id "
                f"WHERE s.key = 'election-{election_id}'"
            ).split()
            if s
        }
        caught_up = await readers_catch_up(readers, seqs)
        applied = sql("SELECT name FROM results_feedfile WHERE outcome = 'applied'").split()
        revisions = int(sql("SELECT count(*) FROM results_revision") or 0)
        declared = int(sql("SELECT count(DISTINCT result_id) FROM results_revision") or 0)
        output = log.read_text()
        return {
            "readers": n,
            "readers_held_at_start": held,
            "seconds": seconds,
            "good_files": len(good),
            "bad_files": bad,
            "good_files_applied": sum(name in applied for name in good),
            "files_refused": int(sql("SELECT count(*) FROM results_feedfile WHERE outcome = 'refused'") or 0),
            "files_never_handled": dropped - _handled(),
            "posts_written": len(good),
            "rows_in_db": revisions,
            "duplicates": revisions - declared,
            "declaration_events": len(seqs),
            **caught_up,
            "watcher_still_running": watcher.poll() is None,
            "tracebacks_in_watcher_output": output.count("Traceback"),
            "answers_5xx": 0,
            "client_timeouts": 0,
            "unhandled_exceptions_in_server_output": stack.unhandled(),
        }
    finally:
        if watcher is not None and watcher.poll() is None:
            watcher.terminate()
            watcher.wait(timeout=15)
        stack.stop()


SCENARIOS = {
    "redis-frozen": redis_frozen,
    "database-lost": database_lost,
    "watcher-bad-files": watcher_bad_files,
    "idempotency-storm": idempotency_storm,
}
