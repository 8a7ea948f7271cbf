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
        "| readers | held | delivered | p50 | p99 | max | websockets p99 | p99 vs websockets "
        "| Channels p99 of delivered (held, delivered) | Channels p99 of all | Channels p99 of delivered ÷ ours "
        "| KB per added connection | API p50 / p99 | storm: catch-up, lost |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n, row in report["sizes"].items():
        ours, ws, ch = row["ours"], row["websockets_broadcast"], row["channels_group_send"]
        d, storm, held = ours["delivery"], ours["storm"], ch["readers_held"]
        channels = f"{cell(ch['delivery']['p99_ms'], ' ms')} ({held:,}, {ch['delivery']['delivery_ratio']:.0%})"
        # Over every frame it should have delivered, a reference that misses over 1% has no p99.
        channels_all = "never" if ch["delivery"]["delivery_ratio"] < 0.99 else cell(ch["delivery"]["p99_ms"], " ms")
        api = f"{cell(ours['api']['p50_ms'])} / {cell(ours['api']['p99_ms'], ' ms')}"
        print(
            f"| {int(n):,} | {ours['readers_held']:,} | {d['delivery_ratio']:.1%} | {cell(d['p50_ms'], ' ms')} "
            f"| {cell(d['p99_ms'], ' ms')} | {cell(d['max_ms'], ' ms')} | {cell(ws['delivery']['p99_ms'], ' ms')} "
            f"| {cell(row['p99_vs_websockets'], '×')} | {channels} | {channels_all} "
            f"| {cell(row['channels_p99_vs_ours'], '×')} | {ours['idle_kb_per_connection']} | {api} "
            f"| {storm['seconds_to_catch_up']} s{'' if storm['all_caught_up'] else ' (not all)'}, "
            f"{storm['events_lost']:,} |"
        )
    pages = report.get("pages_per_second", {})
    if pages:
        print(
            f"\nReader page, 32 keep-alive clients, one process: {pages.get('cached')} req/s cached, "
            f"{pages.get('uncached')} req/s rendering every time."
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS)
