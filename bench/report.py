"""Prints the README's Performance table from bench/out/results.json."""

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "out" / "results.json"


def cell(value, unit=""):
    return "—" if value is None else f"{value}{unit}"


def main(path: Path = RESULTS) -> None:
    report = json.loads(path.read_text())
    print(f"Payload {report['payload_bytes']} bytes; {report['posts_per_run']} posts per run.\n")
    print(
        "| readers | held | delivered | p50 | p99 | max | websockets p99 | Channels p99 (held) | p99 vs websockets "
        "| Channels p99 vs ours | idle KB/conn | API p50 / p99 | storm catch-up, lost |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, row in report["sizes"].items():
        ours, ws, ch = row["ours"], row["websockets_broadcast"], row["channels_group_send"]
        d, storm, held = ours["delivery"], ours["storm"], ch["readers_held"]
        channels = f"{cell(ch['delivery']['p99_ms'], ' ms')} ({held:,}, {ch['delivery']['delivery_ratio']:.0%})"
        api = f"{cell(ours['api']['p50_ms'])} / {cell(ours['api']['p99_ms'], ' ms')}"
        print(
            f"| {int(n):,} | {ours['readers_held']:,} | {d['delivery_ratio']:.1%} | {cell(d['p50_ms'], ' ms')} "
            f"| {cell(d['p99_ms'], ' ms')} | {cell(d['max_ms'], ' ms')} | {cell(ws['delivery']['p99_ms'], ' ms')} "
            f"| {channels} "
            f"| {cell(row['p99_vs_websockets'], '×')} | {cell(row['channels_p99_vs_ours'], '×')} "
            f"| {ours['idle_kb_per_connection']} | {api} "
            f"| {storm['seconds_to_catch_up']} s, {storm['events_lost']:,} |"
        )
    pages = report.get("pages_per_second", {})
    if pages:
        print(
            f"\nReader page, 32 keep-alive clients, one process: {pages.get('cached')} req/s cached, "
            f"{pages.get('uncached')} req/s rendering every time."
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS)
