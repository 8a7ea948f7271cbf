"""A general election's night: 650 declarations reaching readers of the results page and of a covering blog.

    .venv/bin/python -m bench.general_election                     # three rounds, 10,000 readers
    .venv/bin/python -m bench.general_election --rounds 1 --readers 2000 --rate 5
    .venv/bin/python -m bench.general_election --generated         # the generated 650 seats instead

Each round starts from an empty database, sets up the real UK general election of 4 July 2024
from the shipped feed (demo/data/ge-2024; `--generated`: demo/general_election.py) with a live
blog covering it, and starts one `bin/serve` process with production settings. Half the readers
follow the results page's socket, half the blog's. A desk process (bench/election_desk.py) then
declares every seat in the night's order at `--rate` a second, through the feed importer as
`watch_results` would. Reported, with the goals beside them:

- delivery from the declaring call to every reader of each stream (p50, p99, share delivered);
- the cost of a declaration in tenths of the night, first to last: call time, queries, frame
  bytes, and the server process's CPU time per declaration (sampled from /proc);
- the results page at the end (a general election's summary: chart, map, gains and a row for every
  seat): its bytes (and gzipped), its first render after the last declaration, then the same page
  from memory.

Loopback only; every loop is bounded.
"""

import argparse
import asyncio
import gzip
import json
import multiprocessing
import os
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench import election_desk, run

SLUG, GENERATED_SLUG = "parl.2024-07-04", "parl.2019-12-12"
BLOG = "ge-night"
SEATS = 650
GOAL_P99_MS = 1000
GOAL_RENDER_MS = 200
OUT = run.OUT / "general-election"


async def in_desk_process(function, *args):
    """Run `function` in a fresh process, leaving this event loop free for the readers meanwhile."""
    desk = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await asyncio.wrap_future(desk.submit(function, *args))
    finally:
        desk.shutdown()


def http_get_ms(port: int, path: str) -> tuple[float, int, bytes]:
    import urllib.request

    started = time.perf_counter()
    with urllib.request.urlopen(f"http://{run.HOST}:{port}{path}", timeout=30) as response:  # noqa: S310
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body


def cpu_seconds(pid: int) -> float:
    """A process's user and system CPU time so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sample_cpu(pid: int, samples: list[tuple[float, float]], stop: asyncio.Event) -> None:
    """(perf_counter, CPU seconds) of the server every 0.2 s until told to stop."""
    while not stop.is_set():
        samples.append((time.perf_counter(), cpu_seconds(pid)))
        await asyncio.sleep(0.2)


def cpu_between(samples: list[tuple[float, float]], start: float, end: float) -> float:
    """The server's CPU seconds between two moments, from the samples nearest them."""
    before = max((s for s in samples if s[0] <= start), default=samples[0])
    after = min((s for s in samples if s[0] >= end), default=samples[-1])
    return after[1] - before[1]


def tenths(records: list[dict], latencies: dict[int, list[float]], cpu: list[tuple[float, float]]) -> list[dict]:
    """The night in tenths: each declaration's cost, and the p99 delivery of the declarations in it."""
    size = max(1, len(records) // 10)
    rows = []
    for start in range(0, len(records), size):
        part = records[start : start + size]
        following = records[start + size]["sent"] if start + size < len(records) else part[-1]["sent"] + 1
        rows.append({
            "declarations": f"{part[0]['number']}-{part[-1]['number']}",
            "call_ms_median": round(statistics.median(r["call_ms"] for r in part), 1),
            "queries_median": statistics.median(r["queries"] for r in part),
            "queries_max": max(r["queries"] for r in part),
            "results_frame_bytes_median": statistics.median(r["results_frame_bytes"] for r in part),
            "blog_frame_bytes_median": statistics.median(r["blog_frame_bytes"] for r in part),
            "delivery_p99_ms": run.percentiles([v for r in part for v in latencies[r["number"]]])["p99_ms"],
            "server_cpu_ms_per_declaration": round(
                cpu_between(cpu, part[0]["sent"], following) * 1000 / len(part), 1),
        })  # fmt: skip
    return rows


async def one_round(readers_count: int, rate: float, generated: bool) -> dict:
    slug = GENERATED_SLUG if generated else SLUG
    run.prepare_database()
    await in_desk_process(election_desk.create, run.app_env(), slug, BLOG, SEATS, generated)
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env())
    cpu, sampled = [], asyncio.Event()
    try:
        half = readers_count // 2
        results_readers = await run.connect_readers(half, port, f"/ws/results/{slug}/", reconnect=True, ack=True)
        blog_readers = await run.connect_readers(
            readers_count - half, port, f"/ws/live/{BLOG}/", reconnect=True, ack=True
        )
        held = run.held(results_readers) + run.held(blog_readers)
        await asyncio.sleep(1)
        night_started = time.perf_counter()
        sampler = asyncio.create_task(sample_cpu(server.pid, cpu, sampled))
        records = await in_desk_process(election_desk.declare_all, run.app_env(), slug, BLOG, rate, generated)
        night_seconds = time.perf_counter() - night_started
        await run.wait_all_received(results_readers, [r["results_seq"] for r in records], 30)
        await run.wait_all_received(blog_readers, [r["blog_seq"] for r in records], 30)
        sampled.set()
        await sampler
        latencies = {
            record["number"]: [
                reader.received[record[seq_key]] - record["sent"]
                for group, seq_key in ((results_readers, "results_seq"), (blog_readers, "blog_seq"))
                for reader in group
                if record[seq_key] in reader.received
            ]
            for record in records
        }
        all_values = [v for values in latencies.values() for v in values]
        delivered, expected = len(all_values), len(records) * (len(results_readers) + len(blog_readers))
        for reader in results_readers + blog_readers:
            reader.close()
        render_ms, status, body = http_get_ms(port, f"/results/{slug}/")
        seats = body.count(b'<tr id="seat-')
        from_memory = sorted(http_get_ms(port, f"/results/{slug}/")[0] for _ in range(200))
        return {
            "readers": readers_count, "readers_held": held, "declarations": len(records),
            "night_seconds": round(night_seconds, 1),
            "delivery": {**run.percentiles(all_values), "delivered": delivered, "expected": expected},
            "tenths": tenths(records, latencies, cpu),
            "results_page": {"status": status, "bytes": len(body), "gzip_bytes": len(gzip.compress(body, 6)),
                             "seat_rows": seats,
                             "first_render_ms": round(render_ms, 1),
                             "from_memory_p50_ms": round(from_memory[len(from_memory) // 2], 2)},
        }  # fmt: skip
    finally:
        run.stop(server)


def verdicts(report: dict) -> list[str]:
    first, last = report["tenths"][0], report["tenths"][-1]
    return [
        f"delivery p99 {report['delivery']['p99_ms']} ms (goal <= {GOAL_P99_MS}), "
        f"{report['delivery']['delivered']} of {report['delivery']['expected']} frames delivered",
        f"declaration call median {first['call_ms_median']} ms in the first tenth, "
        f"{last['call_ms_median']} ms in the last; queries {first['queries_median']} -> {last['queries_median']}",
        f"server CPU per declaration {first['server_cpu_ms_per_declaration']} ms in the first tenth, "
        f"{last['server_cpu_ms_per_declaration']} ms in the last",
        f"results page {report['results_page']['bytes']:,} bytes ({report['results_page']['gzip_bytes']:,} gzipped), "
        f"{report['results_page']['seat_rows']} seat rows: first render "
        f"{report['results_page']['first_render_ms']} ms (goal <= {GOAL_RENDER_MS}), "
        f"then from memory p50 {report['results_page']['from_memory_p50_ms']} ms",
    ]


async def main(rounds: int, readers: int, rate: float, generated: bool) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    OUT.mkdir(parents=True, exist_ok=True)
    for number in range(1, rounds + 1):
        report = await one_round(readers, rate, generated)
        (OUT / f"run-{number}.json").write_text(json.dumps(report, indent=2))
        print(f"== round {number}: {readers} readers, {report['declarations']} declarations "
              f"in {report['night_seconds']} s", flush=True)  # fmt: skip
        for line in verdicts(report):
            print("  " + line, flush=True)
        for row in report["tenths"]:
            print("   ", json.dumps(row), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=10000, help="half on the results page, half on the blog")
    parser.add_argument("--rate", type=float, default=5.0, help="declarations per second")
    parser.add_argument("--generated", action="store_true", help="the generated 650 seats, not the 2024 night")
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.readers, args.rate, args.generated))
