"""Readers across several server processes behind nginx, as in production, against one bare websockets server.

    .venv/bin/python -m bench.processes                                   # three rounds: 20,000 readers, 2 processes
    .venv/bin/python -m bench.processes --rounds 1 --readers 4000 --processes 2

Each round starts `--processes` `bin/serve` processes (production settings, DJANGO_PROXY_COUNT=1)
and nginx with deploy/nginx.conf in front of them (bench/nginx.py), connects the readers to
nginx, and publishes 20 posts through nginx to the publishing API, 0.5 s apart. Reported: the
share of posts every reader got, p50/p99 from the API call to each reader, sockets and memory per
process, the longest garbage-collection pause in each, and, in the same round with the same
client and payload, a bare websockets.broadcast server holding the same number of readers in
one process (bench/ref_websockets.py). Loopback only; every loop is bounded.
"""

import argparse
import asyncio
import json
import resource
from pathlib import Path

from bench import nginx, run

OUT = run.OUT / "processes"


def raise_descriptor_limit(wanted: int) -> int:
    """Each reader is a descriptor here; as root the hard limit can be raised, otherwise it is the ceiling."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(wanted, hard), max(wanted, hard)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def open_sockets(pid: int) -> int:
    return sum(1 for link in Path(f"/proc/{pid}/fd").iterdir() if "socket" in str(link.readlink()))


async def measure_behind_nginx(n: int, processes: int, fixtures: dict) -> dict:
    ports = [run.free_port() for _ in range(processes)]
    servers = [
        run.start_uvicorn("config.asgi:application", port, run.app_env(DJANGO_PROXY_COUNT="1", **run.gc_env(port)))
        for port in ports
    ]
    front = run.free_port()
    balancer = None
    try:
        balancer = nginx.start(OUT / "nginx", [f"{run.HOST}:{port}" for port in ports], front, 2 * n + 1024)
        readers = await run.connect_readers(n, front, f"/ws/live/{fixtures['slug']}/", reconnect=True, ack=True)
        await asyncio.sleep(2)
        held = run.held(readers)
        for i in range(run.WARM_UP_POSTS):
            await run.publish(front, fixtures, f"Warm-up {i}")
        await asyncio.sleep(1)
        sent_at, api_times = {}, []
        for i in range(run.POSTS):
            seq, sent, took = await run.publish(front, fixtures, f"P{i}")
            sent_at[seq] = sent
            api_times.append(took)
            await asyncio.sleep(run.PUBLISH_INTERVAL)
        await run.wait_all_received(readers, sent_at, 30)
        values, ratio = run.latencies(readers, sent_at)
        await asyncio.sleep(1.2)  # the servers write their garbage-collection figures every second
        per_process = [
            {"sockets": open_sockets(server.pid), "rss_mb": round(run.rss_kb(server.pid) / 1024, 1),
             "gc": run.gc_figures(port)}
            for server, port in zip(servers, ports, strict=True)
        ]  # fmt: skip
        for reader in readers:
            reader.close()
        return {"delivery": {**run.percentiles(values), "delivery_ratio": round(ratio, 5)}, "readers_held": held,
                "api": run.percentiles(api_times), "processes": per_process}  # fmt: skip
    finally:
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=15)
        for server in servers:
            run.stop(server)


async def main(rounds: int, n: int, processes: int) -> None:
    limit = raise_descriptor_limit(4 * n + 1024)
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = run.prepare_database()
    payload = run.sample_frame(fixtures)
    print(f"descriptor limit {limit}", flush=True)
    for number in range(1, rounds + 1):
        ours = await measure_behind_nginx(n, processes, fixtures)
        reference = await run.measure_reference("websockets", n, payload)
        reference.pop("latencies")
        ratio = run.ratio(ours["delivery"]["p99_ms"], reference["delivery"]["p99_ms"])
        report = {"readers": n, "processes": processes, "ours": ours, "websockets_broadcast": reference,
                  "p99_vs_websockets": ratio}  # fmt: skip
        (OUT / f"run-{number}.json").write_text(json.dumps(report, indent=2))
        d, r = ours["delivery"], reference["delivery"]
        print(f"== round {number}: {n} readers across {processes} processes behind nginx, {ours['readers_held']} held",
              flush=True)  # fmt: skip
        print(f"  delivered {d['delivery_ratio']:.2%}; p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms; "
              f"websockets.broadcast (one process) p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
              f"delivered {r['delivery_ratio']:.2%}; ratio {report['p99_vs_websockets']}", flush=True)  # fmt: skip
        print(f"  API p50 {ours['api']['p50_ms']} ms, p99 {ours['api']['p99_ms']} ms", flush=True)
        for index, process in enumerate(ours["processes"], start=1):
            gc = process["gc"]
            print(f"  process {index}: {process['sockets']} sockets, {process['rss_mb']} MB, "
                  f"longest GC pause {gc.get('longest_pause_ms')} ms", flush=True)  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.readers, args.processes))
