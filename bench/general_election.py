"""A general election's night: 650 declarations reaching readers of the results page and of a covering blog.

    .venv/bin/python -m bench.general_election                     # three rounds
    .venv/bin/python -m bench.general_election --rounds 1 --readers 2000 --rate 5

Each round starts from an empty database, creates the generated 650-seat election
(demo/general_election.py) and a live blog covering it, and starts one `bin/serve`
process with production settings. Half the readers follow the results page's socket,
half the blog's. A desk process (bench/election_desk.py) then declares every seat at
`--rate` a second, as a feed would. Reported, with the goals beside them:

- delivery from the declaring call to every reader of each stream (p50, p99, share delivered);
- the cost of a declaration (call time, queries, frame bytes) in tenths of the night, first to last;
- the results page (a general election's summary: the gains and a row for every seat): its first
  render after the last declaration, then the same page from memory.

Loopback only; every loop is bounded.
"""

import argparse
import asyncio
import json
import multiprocessing
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from bench import election_desk, run

SLUG = "parl.2019-12-12"
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


def tenths(records: list[dict], latencies: dict[int, list[float]]) -> list[dict]:
    """The night in tenths: each declaration's cost, and the p99 delivery of the declarations in it."""
    size = max(1, len(records) // 10)
    rows = []
    for start in range(0, len(records), size):
        part = records[start : start + size]
        rows.append({
            "declarations": f"{part[0]['number']}-{part[-1]['number']}",
            "call_ms_median": round(statistics.median(r["call_ms"] for r in part), 1),
            "queries_median": statistics.median(r["queries"] for r in part),
            "queries_max": max(r["queries"] for r in part),
            "results_frame_bytes_median": statistics.median(r["results_frame_bytes"] for r in part),
            "blog_frame_bytes_median": statistics.median(r["blog_frame_bytes"] for r in part),
            "delivery_p99_ms": run.percentiles([v for r in part for v in latencies[r["number"]]])["p99_ms"],
        })  # fmt: skip
    return rows


async def one_round(readers_count: int, rate: float) -> dict:
    run.prepare_database()
    await in_desk_process(election_desk.create, run.app_env(), SLUG, BLOG, SEATS)
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env())
    try:
        half = readers_count // 2
        results_readers = await run.connect_readers(half, port, f"/ws/results/{SLUG}/", reconnect=True, ack=True)
        blog_readers = await run.connect_readers(
            readers_count - half, port, f"/ws/live/{BLOG}/", reconnect=True, ack=True
        )
        held = run.held(results_readers) + run.held(blog_readers)
        await asyncio.sleep(1)
        night_started = time.perf_counter()
        records = await in_desk_process(election_desk.declare_all, run.app_env(), SLUG, BLOG, rate)
        night_seconds = time.perf_counter() - night_started
        await run.wait_all_received(results_readers, [r["results_seq"] for r in records], 30)
        await run.wait_all_received(blog_readers, [r["blog_seq"] for r in records], 30)
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
        render_ms, status, body = http_get_ms(port, f"/results/{SLUG}/")
        seats = body.count(b'<tr id="seat-')
        from_memory = sorted(http_get_ms(port, f"/results/{SLUG}/")[0] for _ in range(200))
        return {
            "readers": readers_count, "readers_held": held, "declarations": len(records),
            "night_seconds": round(night_seconds, 1),
            "delivery": {**run.percentiles(all_values), "delivered": delivered, "expected": expected},
            "tenths": tenths(records, latencies),
            "results_page": {"status": status, "bytes": len(body), "seat_rows": seats,
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
        f"results page with {report['results_page']['seat_rows']} seat rows: first render "
        f"{report['results_page']['first_render_ms']} ms (goal <= {GOAL_RENDER_MS}), "
        f"then from memory p50 {report['results_page']['from_memory_p50_ms']} ms",
    ]


async def main(rounds: int, readers: int, rate: float) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    OUT.mkdir(parents=True, exist_ok=True)
    for number in range(1, rounds + 1):
        report = await one_round(readers, rate)
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
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=5.0, help="declarations per second")
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.readers, args.rate))
