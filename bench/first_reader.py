"""How long a post takes from the publishing API call to a single connected reader.

    .venv/bin/python -m bench.first_reader

This is the part of every delivery latency that no broadcast reference pays: the
request itself (authentication, validation, the write, rendering, commit) and the
trip through Redis. One server process, one reader, 20 posts 0.5 s apart; loopback only.
"""

import asyncio
import statistics

from bench import run

POSTS = 20


async def main() -> None:
    fixtures = run.prepare_database()
    port = run.free_port()
    server = run.start_uvicorn("config.asgi:application", port, run.app_env())
    try:
        readers = await run.connect_readers(1, port, f"/ws/live/{fixtures['slug']}/", reconnect=False, ack=True)
        for i in range(run.WARM_UP_POSTS):
            await run.publish(port, fixtures, f"Warm-up {i}")
        firsts, requests = [], []
        for i in range(POSTS):
            seq, sent, took = await run.publish(port, fixtures, f"P{i}")
            await run.wait_all_received(readers, [seq], 10)
            if seq in readers[0].received:
                firsts.append((readers[0].received[seq] - sent) * 1000)
            requests.append(took * 1000)
            await asyncio.sleep(run.PUBLISH_INTERVAL)
        for label, values in (("API call to the reader", firsts), ("API call to its response", requests)):
            print(f"{label}: p50 {statistics.median(values):.1f} ms, max {max(values):.1f} ms, {len(values)} posts")
        for r in readers:
            r.close()
    finally:
        run.stop(server)


if __name__ == "__main__":
    asyncio.run(main())
