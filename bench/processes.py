"""Readers across several server processes behind nginx, as in production, against bare websockets servers.

    .venv/bin/python -m bench.processes                                   # three rounds: 20,000 readers, 2 processes
    .venv/bin/python -m bench.processes --rounds 1 --readers 4000 --processes 2

Each round starts `--processes` `bin/serve` processes (production settings, DJANGO_PROXY_COUNT=1)
and nginx with deploy/nginx.conf in front of them (bench/nginx.py, four workers), connects the
readers to nginx from client processes of their own (bench/reader_pool.py), and publishes 20
posts through nginx to the publishing API, 0.5 s apart. Reported: the share of (reader, post)
pairs delivered, p50/p99 from the API call to each reader, sockets, memory and the longest
garbage-collection pause of each server process; and, in the same round with the same client
and payload, as many bare websockets.broadcast processes (bench/ref_websockets.py) holding the
same readers between them, each post sent to all of them at once. Loopback only; every loop is bounded.
"""

import argparse
import asyncio
import json
import subprocess
import time
from pathlib import Path

from bench import nginx, run
from bench.reader_pool import ReaderPool

OUT = run.OUT / "processes"
NGINX_WORKERS = 4


def open_sockets(pid: int) -> int:
    return sum(1 for link in Path(f"/proc/{pid}/fd").iterdir() if "socket" in str(link.readlink()))


async def measure_behind_nginx(n: int, processes: int, fixtures: dict) -> dict:
    ports = [run.free_port() for _ in range(processes)]
    servers = [
        run.start_uvicorn("config.asgi:application", port, run.app_env(DJANGO_PROXY_COUNT="1", **run.gc_env(port)))
        for port in ports
    ]
    front = run.free_port()
    balancer = pool = None
    try:
        balancer = nginx.start(OUT / "nginx", [f"{run.HOST}:{port}" for port in ports], front,
                               workers=NGINX_WORKERS, worker_connections=2 * n // NGINX_WORKERS + 2048)  # fmt: skip
        pool = ReaderPool([(front, f"/ws/live/{fixtures['slug']}/")], n)
        held = await pool.start()
        sockets = [open_sockets(server.pid) for server in servers]  # readers' and the process's own
        for i in range(run.WARM_UP_POSTS):
            await run.publish(front, fixtures, f"Warm-up {i}")
        await asyncio.sleep(1)
        sent_at, api_times = {}, []
        for i in range(run.POSTS):
            seq, sent, took = await run.publish(front, fixtures, f"P{i}")
            sent_at[seq] = sent
            api_times.append(took)
            await asyncio.sleep(run.PUBLISH_INTERVAL)
        values, ratio = await pool.collect(sent_at)
        await asyncio.sleep(1.2)  # the servers write their garbage-collection figures every second
        per_process = [
            {"sockets": count, "rss_mb": round(run.rss_kb(server.pid) / 1024, 1), "gc": run.gc_figures(port)}
            for server, port, count in zip(servers, ports, sockets, strict=True)
        ]  # fmt: skip
        return {"delivery": {**run.percentiles(values), "delivery_ratio": round(ratio, 5)}, "readers_held": held,
                "api": run.percentiles(api_times), "processes": per_process}  # fmt: skip
    finally:
        if pool is not None:
            pool.stop()
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=15)
        for server in servers:
            run.stop(server)


async def measure_reference(n: int, processes: int, payload: str) -> dict:
    """Bare websockets.broadcast processes, the readers split between them, each post sent to all at once."""
    ports = [(run.free_port(), run.free_port()) for _ in range(processes)]
    servers = []
    for port, publish_port in ports:
        servers.append(subprocess.Popen([run.PYTHON, "-m", "bench.ref_websockets", str(port), str(publish_port)],
                                        cwd=run.ROOT))  # fmt: skip
        run.wait_for_port(port)
        run.wait_for_port(publish_port)
    pool = ReaderPool([(port, "/") for port, _ in ports], n, ack=False)
    try:
        held = await pool.start()
        writers = [(await asyncio.open_connection(run.HOST, publish_port))[1] for _, publish_port in ports]
        sent_at = {}
        for seq in range(1, run.POSTS + 1):
            line = json.dumps(run.with_seq(payload, seq)).encode() + b"\n"
            sent_at[seq] = time.perf_counter()
            for writer in writers:
                writer.write(line)
            await asyncio.gather(*(writer.drain() for writer in writers))
            await asyncio.sleep(run.PUBLISH_INTERVAL)
        values, ratio = await pool.collect(sent_at)
        for writer in writers:
            writer.close()
        return {"delivery": {**run.percentiles(values), "delivery_ratio": round(ratio, 5)}, "readers_held": held}
    finally:
        pool.stop()
        for server in servers:
            run.stop(server)


async def main(rounds: int, n: int, processes: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = run.prepare_database()
    payload = run.sample_frame(fixtures)
    for number in range(1, rounds + 1):
        ours = await measure_behind_nginx(n, processes, fixtures)
        reference = await measure_reference(n, processes, payload)
        ratio = run.ratio(ours["delivery"]["p99_ms"], reference["delivery"]["p99_ms"])
        report = {"readers": n, "processes": processes, "ours": ours, "websockets_broadcast": reference,
                  "p99_vs_websockets": ratio}  # fmt: skip
        (OUT / f"run-{number}.json").write_text(json.dumps(report, indent=2))
        d, r = ours["delivery"], reference["delivery"]
        print(f"== round {number}: {n} readers across {processes} processes behind nginx, {ours['readers_held']} held",
              flush=True)  # fmt: skip
        print(f"  delivered {d['delivery_ratio']:.2%}; p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms", flush=True)
        print(f"  websockets.broadcast, {processes} processes, {reference['readers_held']} held: delivered "
              f"{r['delivery_ratio']:.2%}; p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms", flush=True)  # fmt: skip
        print(f"  p99 ratio {ratio}", flush=True)
        print(f"  API p50 {ours['api']['p50_ms']} ms, p99 {ours['api']['p99_ms']} ms", flush=True)
        for index, process in enumerate(ours["processes"], start=1):
            print(f"  process {index}: {process['sockets']} sockets, {process['rss_mb']} MB, "
                  f"longest GC pause {process['gc'].get('longest_pause_ms')} ms", flush=True)  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.readers, args.processes))
