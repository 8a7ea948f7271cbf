"""Reference for bench.pages: a minimal ASGI app answering every request with one fixed response.

It serves the bytes and headers of a page captured from the project's server (BENCH_PAGE_FILE,
JSON: {"headers": [[name, value], ...], "body": "..."}), so the two are compared on equal bytes.
"""

import json
import os

with open(os.environ["BENCH_PAGE_FILE"]) as captured:
    _page = json.load(captured)
HEADERS = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in _page["headers"]]
BODY = _page["body"].encode()


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
