"""Fan-out benchmark: real WebSocket readers against real server processes on loopback.

    .venv/bin/python -m bench.run                 # N = 1000, 5000, 10000
    .venv/bin/python -m bench.run --readers 1000  # one size

For each N it measures this project's server (Redis channel layer, PostgreSQL,
posts published through the publishing API) and, with the same client, N and
payload, two references: a minimal websockets.broadcast server and the plain
Channels consumer-per-reader pattern on the core Redis layer. It also runs a
reconnect storm and measures reader-page requests per second. Every loop is
bounded in count and time; only 127.0.0.1 is contacted. Results are printed
and written to bench/out/results.json and bench/out/latency_cdf.png.
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.plot import cdf_png
from bench.wsclient import Reader

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
HOST = "127.0.0.1"
PYTHON = sys.executable
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/liveblog_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTS = 20
PUBLISH_INTERVAL = 0.5
PUBLISHER = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
STORM_POSTS = 10
WARM_UP_POSTS = 3
BATCH = 250
CONNECT_SECONDS = 180  # a server that cannot hold N readers is measured with those it took in this time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def app_env(**extra) -> dict:
    return {**os.environ, "PYTHONWARNINGS": "ignore", "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": HOST, "DJANGO_SECURE_SSL_REDIRECT": "0",
            # Every benchmark reader and post comes from one address and one token.
            "LIVEBLOG_SOCKETS_PER_ADDRESS": "0", "LIVEBLOG_API_RATE_PER_MINUTE": "0", **extra}  # fmt: skip


def start_uvicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    """The project's own server command (bin/serve), as production runs it."""
    env = {**env, "PYTHON": PYTHON, "HOST": HOST, "PORT": str(port), "ASGI_APP": app}
    command = [str(ROOT / "bin" / "serve"), "--no-access-log", "--log-level", "warning", "--backlog", "4096"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_for_port(port)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare_database() -> dict:
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True, stdout=subprocess.DEVNULL)
    env = app_env()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    made = subprocess.run([PYTHON, "-m", "bench.fixtures"], cwd=ROOT, env=env, check=True, capture_output=True)
    return json.loads(made.stdout)


def publish_api(port: int, slug: str, token: str, headline: str) -> tuple[int, float, float]:
    """Returns (seq, sent-at, seconds the API took).

    perf_counter is the system's monotonic clock, so a time taken here in the
    publisher process compares with the readers' receive times in this one.
    """
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/live/{slug}/posts/",
        data=json.dumps(
            {"headline": headline, "body": "<p>" + "Counting continues at the leisure centre. " * 20 + "</p>"}
        ).encode(),  # fmt: skip
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    sent = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
        seq = json.loads(response.read())["seq"]
    return seq, sent, time.perf_counter() - sent


async def publish(port: int, fixtures: dict, headline: str) -> tuple[int, float, float]:
    """Publish from a process of its own, as a newsroom tool would: the readers' event loop
    here, busy taking in thousands of frames, must not delay the request or its timing."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(PUBLISHER, publish_api, port, fixtures["slug"], fixtures["token"], headline)


async def connect_readers(n: int, port: int, path: str, *, reconnect: bool, ack: bool) -> list[Reader]:
    """Connect in batches, for at most CONNECT_SECONDS.

    A reader the server refuses or drops, or that was never started in time,
    stays in the list and counts as undelivered.
    """
    readers = [Reader(HOST, port, path, resume=True, reconnect=reconnect, ack=ack) for _ in range(n)]
    deadline = time.monotonic() + CONNECT_SECONDS
    for start in range(0, n, BATCH):
        left = deadline - time.monotonic()
        if left <= 0:
            print(f"  connecting stopped at {start} of {n} readers: {CONNECT_SECONDS} s passed", flush=True)
            break
        batch = readers[start : start + BATCH]
        await asyncio.gather(*(r.start() for r in batch), return_exceptions=True)
        await asyncio.wait([r.ready for r in batch], timeout=min(30, left))
    return readers


def held(readers: list[Reader]) -> int:
    return sum(1 for r in readers if r.ready.done() and r.transport is not None)


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}  # fmt: skip


def latencies(readers: list[Reader], sent_at: dict[int, float]) -> tuple[list[float], float]:
    values = [r.received[seq] - t0 for r in readers for seq, t0 in sent_at.items() if seq in r.received]
    return values, len(values) / (len(readers) * len(sent_at))


async def wait_all_received(readers: list[Reader], seqs, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(all(s in r.received for s in seqs) for r in readers):
        await asyncio.sleep(0.1)


def gc_env(port: int) -> dict:
    """Where the server on `port` writes its garbage-collection figures (streams.gc_pauses)."""
    return {"LIVEBLOG_GC_REPORT": str(OUT / f"gc-{port}.json")}


def gc_figures(port: int) -> dict:
    try:
        return json.loads((OUT / f"gc-{port}.json").read_text())
    except (OSError, ValueError):
        return {}


def longest_gc_pause_ms(port: int) -> float | None:
    return gc_figures(port).get("longest_pause_ms")


async def measure_ours(n: int, fixtures: dict) -> dict:
    port, api_port = free_port(), free_port()
    server = start_uvicorn("config.asgi:application", port, app_env(**gc_env(port)))
    api_server = start_uvicorn("config.asgi:application", api_port, app_env())
    try:
        path = f"/ws/live/{fixtures['slug']}/"
        # The first readers pay for what a process sets up once (imports, pools, the hub),
        # so memory per connection is measured on the ones after them.
        readers = await connect_readers(BATCH, port, path, reconnect=True, ack=True)
        await asyncio.sleep(2)
        before = rss_kb(server.pid)
        readers += await connect_readers(n - BATCH, port, path, reconnect=True, ack=True)
        await asyncio.sleep(2)
        per_connection_kb = (rss_kb(server.pid) - before) / (n - BATCH)
        readers_held = held(readers)
        for i in range(WARM_UP_POSTS):  # first requests compile templates and open pools
            await publish(port, fixtures, f"Warm-up {i}")
        await asyncio.sleep(1)
        sent_at, api_times = {}, []
        for i in range(POSTS):
            seq, sent, took = await publish(port, fixtures, f"P{i}")
            sent_at[seq], _ = sent, api_times.append(took)
            await asyncio.sleep(PUBLISH_INTERVAL)
        await wait_all_received(readers, sent_at, 20)
        values, ratio = latencies(readers, sent_at)
        await asyncio.sleep(1.2)  # the figures are written every second
        gc_pause = longest_gc_pause_ms(port)
        storm = await reconnect_storm(readers, server, port, api_port, fixtures)
        server = storm.pop("server")
        for r in readers:
            r.close()
        return {"delivery": {**percentiles(values), "delivery_ratio": round(ratio, 5)}, "latencies": values,
                "readers_held": readers_held, "idle_kb_per_connection": round(per_connection_kb, 1),
                "api": percentiles(api_times), "storm": storm, "longest_gc_pause_ms": gc_pause}  # fmt: skip
    finally:
        stop(server)
        stop(api_server)


async def reconnect_storm(readers, server, port, api_port, fixtures) -> dict:
    """Restart the readers' server while publishing continues through another process."""
    published = []

    async def keep_publishing():
        for i in range(STORM_POSTS):
            seq, _, _ = await publish(api_port, fixtures, f"S{i}")
            published.append(seq)
            await asyncio.sleep(PUBLISH_INTERVAL)

    publisher = asyncio.create_task(keep_publishing())
    await asyncio.sleep(1)
    stop(server)
    server = await asyncio.to_thread(start_uvicorn, "config.asgi:application", port, app_env(**gc_env(port)))
    restarted = time.perf_counter()
    await publisher
    final = max(published)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(r.last_seq >= final for r in readers):
        await asyncio.sleep(0.05)
    caught_up = time.perf_counter() - restarted
    lost = sum(1 for r in readers for seq in range(1, final + 1) if seq not in r.received)
    await asyncio.sleep(1.2)  # the restarted server writes its figures every second
    return {"server": server, "seconds_to_catch_up": round(caught_up, 2), "events_lost": lost,
            "all_caught_up": all(r.last_seq >= final for r in readers),
            "longest_gc_pause_ms": longest_gc_pause_ms(port)}  # fmt: skip


def with_seq(payload: str, seq: int) -> str:
    """The sample frame as the post numbered `seq`, for the references to send."""
    return re.sub(r'data-seq="\d+"', f'data-seq="{seq}"', payload, count=1)


async def measure_reference(kind: str, n: int, payload: str) -> dict:
    port = free_port()
    if kind == "websockets":
        publish_port = free_port()
        server = subprocess.Popen([PYTHON, "-m", "bench.ref_websockets", str(port), str(publish_port)], cwd=ROOT)
        wait_for_port(port)
        wait_for_port(publish_port)
        path = "/"
    else:
        server = start_uvicorn("bench.ref_channels:application", port, app_env())
        path = "/ws/"
    try:
        readers = await connect_readers(n, port, path, reconnect=False, ack=False)
        await asyncio.sleep(2)
        readers_held = held(readers)
        sent_at = {}
        if kind == "websockets":
            _, writer = await asyncio.open_connection(HOST, publish_port)
            send = lambda text: writer.write(json.dumps(text).encode() + b"\n")  # noqa: E731
        else:
            from channels_redis.core import RedisChannelLayer

            layer = RedisChannelLayer(hosts=[REDIS_URL])

            async def send_channels(text):
                await layer.group_send("bench", {"type": "broadcast", "text": text})

        for seq in range(1, POSTS + 1):
            text = with_seq(payload, seq)
            sent_at[seq] = time.perf_counter()
            if kind == "websockets":
                send(text)
                await writer.drain()
            else:
                await send_channels(text)
            await asyncio.sleep(PUBLISH_INTERVAL)
        await wait_all_received(readers, sent_at, 30)
        values, ratio = latencies(readers, sent_at)
        for r in readers:
            r.close()
        return {"delivery": {**percentiles(values), "delivery_ratio": round(ratio, 5)}, "latencies": values,
                "readers_held": readers_held}  # fmt: skip
    finally:
        stop(server)


def sample_frame(fixtures: dict) -> str:
    port = free_port()
    server = start_uvicorn("config.asgi:application", port, app_env())
    try:
        seq, _, _ = publish_api(port, fixtures["slug"], fixtures["token"], "Sample")
        url = f"http://{HOST}:{port}/live/{fixtures['slug']}/events?after={seq - 1}"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.read().decode()
    finally:
        stop(server)


async def requests_per_second(port: int, path: str, seconds: float = 5.0, clients: int = 32) -> float:
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
    done = 0
    deadline = time.monotonic() + seconds

    async def client():
        nonlocal done
        reader, writer = await asyncio.open_connection(HOST, port)
        while time.monotonic() < deadline:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            await reader.readexactly(length)
            if head.startswith(b"HTTP/1.1 200"):
                done += 1
        writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return round(done / seconds, 1)


async def measure_pages(fixtures: dict) -> dict:
    results = {}
    for label, cache in (("cached", "1"), ("uncached", "0")):
        port = free_port()
        server = start_uvicorn("config.asgi:application", port, app_env(LIVEBLOG_PAGE_CACHE=cache))
        try:
            await requests_per_second(port, f"/live/{fixtures['slug']}/", seconds=1)  # warm up
            results[label] = await requests_per_second(port, f"/live/{fixtures['slug']}/")
        finally:
            stop(server)
    return results


def ratio(a, b):
    return round(a / b, 2) if a and b else None


async def main(sizes: list[int]) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = prepare_database()
    payload = sample_frame(fixtures)
    report = {"posts_per_run": POSTS, "payload_bytes": len(payload.encode()), "sizes": {}}
    curves = {}
    for n in sizes:
        print(f"== {n} readers", flush=True)
        ours = await measure_ours(n, fixtures)
        print("ours:", json.dumps({k: v for k, v in ours.items() if k != "latencies"}), flush=True)
        websockets_ref = await measure_reference("websockets", n, payload)
        channels_ref = await measure_reference("channels", n, payload)
        curves[f"this project, N={n}"] = [v * 1000 for v in ours.pop("latencies")]
        curves[f"websockets.broadcast, N={n}"] = [v * 1000 for v in websockets_ref.pop("latencies")]
        curves[f"Channels group_send, N={n}"] = [v * 1000 for v in channels_ref.pop("latencies")]
        report["sizes"][n] = {
            "ours": ours, "websockets_broadcast": websockets_ref, "channels_group_send": channels_ref,
            "p99_vs_websockets": ratio(ours["delivery"]["p99_ms"], websockets_ref["delivery"]["p99_ms"]),
            "channels_p99_vs_ours": ratio(channels_ref["delivery"]["p99_ms"], ours["delivery"]["p99_ms"]),
        }  # fmt: skip
        print(json.dumps(report["sizes"][n], indent=2), flush=True)
        write_out(report, curves)  # after each size, so a later failure keeps what was measured
    report["pages_per_second"] = await measure_pages(fixtures)
    print(json.dumps(report["pages_per_second"]), flush=True)
    write_out(report, curves)
    return report


def write_out(report: dict, curves: dict) -> None:
    (OUT / "results.json").write_text(json.dumps(report, indent=2))
    cdf_png(curves, str(OUT / "latency_cdf.png"), "Delivery latency CDF (API call or publish -> reader)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, action="append", help="N readers (repeatable)")
    args = parser.parse_args()
    asyncio.run(main(args.readers or [1000, 5000, 10000]))
