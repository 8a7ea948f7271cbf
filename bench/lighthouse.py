"""Lighthouse scores for the demo's reader page and results page, in mobile emulation (a benchmark, not a test).

Start the demo (bin/demo), then:

    .venv/bin/python -m bench.lighthouse                 # three runs of each page
    .venv/bin/python -m bench.lighthouse --runs 1 --base http://127.0.0.1:8000
    .venv/bin/python -m bench.lighthouse --page /results/parl.2024-07-04/   # one page only

The general election's summary page is measured as it is in the demo: to measure it with every
seat declared, replay the night first (manage.py rehearse_general_election --speed 1000000
--max-gap 0, about two minutes).

Pages are measured as a reader gets them in production: through deploy/nginx.conf (which
compresses them), started here in front of --base; `--direct` measures the server alone.
Lighthouse is pinned in bench/lighthouse/package.json and installed there (npm ci) on first
use; it drives Debian's Chromium. Each page's four category scores are printed per run,
then as the spread of the runs.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench import nginx

HERE = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = {
    "reader page": "/live/hartlepool-by-election-2021/",
    "results page": "/results/mayors-2021/",
    "general election summary": "/results/parl.2024-07-04/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
RUN_TIMEOUT_SECONDS = 180
NGINX_PORT = 8090


def install() -> None:
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True)


def scores(url: str, attempts: int = 2) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
    ]  # fmt: skip
    run = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    if run.returncode != 0:
        if attempts > 1 and "Please run Lighthouse again" in run.stderr:  # a trace it failed to record: once more
            return scores(url, attempts - 1)
        raise RuntimeError(f"lighthouse failed on {url}: {run.stderr.strip()[-500:]}")
    report = json.loads(run.stdout)
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--direct", action="store_true", help="measure the server itself, without nginx in front")
    parser.add_argument("--page", action="append", help="a path to measure instead of the demo's pages (repeatable)")
    args = parser.parse_args()
    if not args.base.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        sys.exit("Benchmarks run against this machine only (127.0.0.1, localhost or ::1).")
    try:
        urllib.request.urlopen(args.base + "/healthz", timeout=5)  # noqa: S310 (loopback, checked above)
    except OSError as error:
        sys.exit(f"No demo at {args.base} ({error}); start it with bin/demo.")
    install()
    pages = {path: path for path in args.page} if args.page else PAGES
    if args.direct:
        measure(args.base, pages, args.runs)
        return
    with tempfile.TemporaryDirectory() as folder:
        media = Path(os.environ.get("DJANGO_MEDIA_ROOT", nginx.ROOT / "media"))  # the demo's pictures
        proxy = nginx.start(Path(folder), [urlsplit(args.base).netloc], NGINX_PORT, media_root=media)
        try:
            measure(f"http://127.0.0.1:{NGINX_PORT}", pages, args.runs)
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)


def measure(base: str, pages: dict[str, str], runs: int) -> None:
    for name, path in pages.items():
        scored = []
        for n in range(1, runs + 1):
            scored.append(scores(base + path))
            print(f"{name} run {n}: " + ", ".join(f"{c} {s}" for c, s in scored[-1].items()), flush=True)
        spread = ", ".join(f"{c} {min(r[c] for r in scored)}–{max(r[c] for r in scored)}" for c in CATEGORIES)
        print(f"{name}: {spread}")


if __name__ == "__main__":
    main()
