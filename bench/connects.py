"""How fast one process takes in new readers, and what the garbage collector costs it meanwhile.

    .venv/bin/python -m bench.connects                  # three rounds of 10,000 readers
    .venv/bin/python -m bench.connects --readers 5000 --rounds 1

Each round connects the readers, 250 at a time (each batch resumed before the next), to:
one `bin/serve` process as configured (LIVEBLOG_GC_THRESHOLDS' default); the same with
Python's own collector thresholds (700, 10, 10); and, as the reference, a bare
websockets server (bench/ref_websockets.py). Reported: connects a second, and for the two
project servers their collections, longest pause and total pause (streams/gc_pauses.py).
Loopback only; every loop is bounded.
"""

import argparse
import asyncio
import subprocess
import time

from bench import run

PYTHON_DEFAULT_THRESHOLDS = "700,10,10"


async def connect_all(n: int, port: int, path: str, ack: bool) -> tuple[int, float]:
    started = time.perf_counter()
    readers = await run.connect_readers(n, port, path, reconnect=False, ack=ack)
    took = time.perf_counter() - started
    held = run.held(readers)
    for reader in readers:
        reader.close()
    return held, took


async def ours(n: int, fixtures: dict, **env) -> dict:
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env(**run.gc_env(port), **env))
    try:
        held, took = await connect_all(n, port, f"/ws/live/{fixtures['slug']}/", ack=True)
        await asyncio.sleep(1.2)  # the figures are written every second
        return {"held": held, "seconds": round(took, 1), "per_second": round(held / took), "gc": run.gc_figures(port)}
    finally:
        run.stop(server)


async def reference(n: int) -> dict:
    port, publish_port = run.free_port(), run.free_port()
    server = subprocess.Popen([run.PYTHON, "-m", "bench.ref_websockets", str(port), str(publish_port)], cwd=run.ROOT)
    try:
        run.wait_for_port(port)
        held, took = await connect_all(n, port, "/", ack=False)
        return {"held": held, "seconds": round(took, 1), "per_second": round(held / took)}
    finally:
        run.stop(server)


def line(label: str, figures: dict) -> str:
    text = f"  {label}: {figures['held']} in {figures['seconds']} s, {figures['per_second']}/s"
    if gc := figures.get("gc"):
        text += (f"; collections {gc['collections_by_generation']}, longest pause {gc['longest_pause_ms']} ms "
                 f"(generation {gc['longest_pause_generation']}), total {gc['total_pause_ms']} ms")  # fmt: skip
    return text


async def main(rounds: int, n: int) -> None:
    run.OUT.mkdir(parents=True, exist_ok=True)
    fixtures = run.prepare_database()
    for number in range(1, rounds + 1):
        tuned = await ours(n, fixtures)
        untuned = await ours(n, fixtures, LIVEBLOG_GC_THRESHOLDS=PYTHON_DEFAULT_THRESHOLDS)
        bare = await reference(n)
        print(f"== round {number}: {n} readers connecting, 250 at a time", flush=True)
        print(line("this project", tuned), flush=True)
        print(line(f"this project, thresholds {PYTHON_DEFAULT_THRESHOLDS}", untuned), flush=True)
        print(line("websockets reference", bare), flush=True)
        print(f"  connects a second vs the reference: {tuned['per_second'] / bare['per_second']:.2f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.readers))
