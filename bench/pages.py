"""Pages from memory: requests per second for one server process, against a minimal ASGI server.

    .venv/bin/python -m bench.pages            # three rounds
    .venv/bin/python -m bench.pages --rounds 1

One `bin/serve` process with production settings (PostgreSQL, Redis, DJANGO_DEBUG=0) serves
a blog of 20 posts; `wrk` (Debian's, installed if missing) loads it from 127.0.0.1 with 32
keep-alive connections for 10 s per figure: the reader page, the same page answered 304 by
its ETag, and the polling endpoint with nothing new. In the same round, the same wrk loads a
minimal ASGI app on the same server stack returning the reader page's own bytes and headers
(bench/ref_static_page.py); each figure is also given as a ratio to it.
"""

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import urllib.request

from bench.run import HOST, ROOT, app_env, free_port, prepare_database, publish_api, start_uvicorn, stop

SECONDS, CONNECTIONS, THREADS = 10, 32, 2
POSTS = 20


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def wrk(url: str, *headers: str) -> float:
    command = [ensure_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True, timeout=SECONDS + 30).stdout
    if re.search(r"Non-2xx or 3xx responses", out):
        raise RuntimeError(f"errors under load at {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def fetch(url: str, *headers: tuple[str, str]) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=dict(headers))
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.status, dict(response.headers.items()), response.read()


def one_round(fixtures: dict) -> dict:
    port, ref_port = free_port(), free_port()
    server = start_uvicorn("config.asgi:application", port, app_env())
    reference = None
    try:
        base = f"http://{HOST}:{port}"
        page = f"{base}/live/{fixtures['slug']}/"
        for _ in range(2):  # the first fills the memory, the second shows it is in use
            _, headers, body = fetch(page)
        headers = {k.lower(): v for k, v in headers.items()}
        latest = int(re.findall(rb'data-seq="(\d+)"', body)[0])
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as captured:
            # What the server itself adds per response (date, server, connection) is left to the reference's server.
            kept = [
                (k, v) for k, v in headers.items() if k not in ("date", "server", "connection", "transfer-encoding")
            ]
            json.dump({"headers": kept, "body": body.decode()}, captured)
        reference = start_uvicorn("bench.ref_static_page:app", ref_port, app_env(BENCH_PAGE_FILE=captured.name))
        polling = f"{base}/live/{fixtures['slug']}/events?after={latest}"
        fetch(polling)
        figures = {
            "page_bytes": len(body),
            "reference": wrk(f"http://{HOST}:{ref_port}/"),
            "page": wrk(page),
            "page_304": wrk(page, f"If-None-Match: {headers['etag']}"),
            "polling": wrk(polling),
        }
        for name in ("page", "page_304", "polling"):
            figures[f"{name}_ratio"] = round(figures[name] / figures["reference"], 2)
        return figures
    finally:
        stop(server)
        if reference is not None:
            stop(reference)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    fixtures = prepare_database()
    port = free_port()
    server = start_uvicorn("config.asgi:application", port, app_env())
    try:
        for n in range(POSTS):
            publish_api(port, fixtures["slug"], fixtures["token"], f"Count update {n}")
    finally:
        stop(server)
    rounds = []
    for n in range(1, args.rounds + 1):
        rounds.append(one_round(fixtures))
        print(f"round {n}: " + ", ".join(f"{k} {v}" for k, v in rounds[-1].items()), flush=True)
    for name in ("reference", "page", "page_304", "polling", "page_ratio", "page_304_ratio", "polling_ratio"):
        values = [r[name] for r in rounds]
        print(f"{name}: {min(values)}–{max(values)}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(rounds, indent=1))


if __name__ == "__main__":
    main()
