"""The first post after a server starts, against the posts after it: is the process warm?

    .venv/bin/python -m bench.cold_start            # three rounds
    .venv/bin/python -m bench.cold_start --rounds 1

Each round starts one `bin/serve` process (production settings) twice, with start-up warming
on and off (LIVEBLOG_WARM_START), connects one reader, and publishes 10 posts through the
API, 0.5 s apart, the first as soon as the reader is in. Reported: the first post's time from
API call to the reader, the median of the other nine, and their ratio (goal: within 1.25).
"""

import argparse
import asyncio
import statistics

from bench import run

POSTS = 10


async def first_and_rest(fixtures: dict, warm: bool) -> tuple[float, float]:
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env(LIVEBLOG_WARM_START="1" if warm else "0"))
    try:
        readers = await run.connect_readers(1, port, f"/ws/live/{fixtures['slug']}/", reconnect=False, ack=True)
        times = []
        for i in range(POSTS):
            seq, sent, _ = await run.publish(port, fixtures, f"After start {i}")
            await run.wait_all_received(readers, [seq], 10)
            times.append((readers[0].received[seq] - sent) * 1000)
            await asyncio.sleep(run.PUBLISH_INTERVAL)
        for reader in readers:
            reader.close()
        return times[0], statistics.median(times[1:])
    finally:
        run.stop(server)


async def main(rounds: int) -> None:
    fixtures = run.prepare_database()
    for n in range(1, rounds + 1):
        line = []
        for warm in (True, False):
            first, rest = await first_and_rest(fixtures, warm)
            line.append(f"{'warm' if warm else 'cold'} start: first {first:.1f} ms, then median {rest:.1f} ms, "
                        f"ratio {first / rest:.2f}")  # fmt: skip
        print(f"round {n}: " + "; ".join(line), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args().rounds))
