"""The 4 a.m. spike: page loads and socket connects arriving together at one server process.

    .venv/bin/python -m bench.spike              # three rounds
    .venv/bin/python -m bench.spike --rounds 1

One `bin/serve` process with production settings serves a blog of 20 posts. For 20 s, wrk
loads the reader page from 64 keep-alive connections (as many loads as it can: the goal
is at least 20,000) while 20,000 WebSocket readers connect and resume in the same window.
Reported: page loads, their p99 time, non-2xx answers and socket errors from wrk, and the
sockets connected by the end of the window. Loopback only; every loop is bounded.
"""

import argparse
import asyncio
import re
import resource
import subprocess
import time

from bench import run
from bench.pages import POSTS, ensure_wrk

WINDOW_SECONDS, SOCKETS, PAGE_CONNECTIONS = 20, 20_000, 64


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


async def one_round(fixtures: dict) -> dict:
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env())
    try:
        page = f"http://{run.HOST}:{port}/live/{fixtures['slug']}/"
        command = [ensure_wrk(), "-t1", f"-c{PAGE_CONNECTIONS}", f"-d{WINDOW_SECONDS}s", "--latency", page]
        loads = await asyncio.create_subprocess_exec(*command, stdout=subprocess.PIPE)
        started = time.monotonic()
        run.CONNECT_SECONDS = WINDOW_SECONDS
        readers = await run.connect_readers(SOCKETS, port, f"/ws/live/{fixtures['slug']}/", reconnect=False, ack=True)
        connected_in = time.monotonic() - started
        connected = run.held(readers)
        out = (await loads.communicate())[0].decode()
        for reader in readers:
            reader.close()
        errors = re.search(r"Socket errors: (.*)", out)
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {
            "page_loads": int(re.search(r"(\d+) requests in", out).group(1)),
            "page_p99_ms": _ms(re.search(r"99%\s+(\S+)", out).group(1)),
            "page_errors": (errors.group(1) if errors else "none"),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
            "sockets": connected,
            "sockets_seconds": round(connected_in, 1),
        }
    finally:
        run.stop(server)


async def main(rounds: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    fixtures = run.prepare_database()
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env())
    try:
        for n in range(POSTS):
            run.publish_api(port, fixtures["slug"], fixtures["token"], f"Count update {n}")
    finally:
        run.stop(server)
    for n in range(1, rounds + 1):
        result = await one_round(fixtures)
        print(f"round {n}: " + ", ".join(f"{k} {v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))
