"""Pages from memory: an ASGI layer in front of Django for pages that change only with their stream.

Django's stream pages (streams.http) mark their responses with the stream and seq they
were rendered at. This layer keeps such a response, by method, scheme, host, path, query
and the headers it varies on, and serves it again, with the same headers, for as long as
the process's hub (streams.fanout) says the stream's latest seq is the one it was
rendered at: no database, no Redis, no middleware. An If-None-Match that matches gets a
304 the same way. Anything else goes to Django untouched: other methods, other pages,
requests carrying a session cookie, responses that set a cookie or are not a 200.
The first page of a stream also has the hub follow it (a reader with no socket), so its
seq is known from then on.
"""

from collections import OrderedDict
from dataclasses import dataclass

from .fanout import hub

# Set by streams.http on pages it may keep: "<stream key> <seq>". Never sent to the client.
STREAM_HEADER = b"x-stream-seq"
SESSION_COOKIES = (b"sessionid=", b"csrftoken=")
# The request headers a kept page may vary on; a page varying on anything else is not kept.
KEYED_HEADERS = (b"hx-request", b"cookie")
# Bounded: a flood of odd query strings only churns this, as it would churn Django's cache.
MAX_PAGES = 256


@dataclass(frozen=True)
class Page:
    stream_key: str
    seq: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def _passes_through(scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return True
    cookie = _header(scope, b"cookie") or b""
    return any(name in cookie for name in SESSION_COOKIES)


def _without_marker(headers) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() != STREAM_HEADER]


def _key(scope) -> tuple:
    return (
        scope.get("scheme", "http"), _header(scope, b"host"), scope["path"], scope.get("query_string", b""),
        *(_header(scope, name) for name in KEYED_HEADERS),
    )  # fmt: skip


def _varies_only_on_keyed_headers(headers: dict) -> bool:
    named = {part.strip().lower().encode() for part in headers.get(b"vary", b"").decode("latin-1").split(",")}
    return named - {b""} <= set(KEYED_HEADERS)


class PageMemory:
    def __init__(self, app, max_pages: int = MAX_PAGES):
        self.app = app
        self.max_pages = max_pages
        self.pages: OrderedDict[tuple, Page] = OrderedDict()  # least recently used first

    async def __call__(self, scope, receive, send):
        if _passes_through(scope):
            return await self.app(scope, receive, send)
        key = _key(scope)
        page = self.pages.get(key)
        if page is not None and hub().current_seq(page.stream_key) == page.seq:
            self.pages.move_to_end(key)
            return await self._serve(page, scope, send)
        await self._render(scope, receive, send, key)

    async def _serve(self, page: Page, scope, send) -> None:
        if page.etag is not None and _header(scope, b"if-none-match") == page.etag:
            headers = [(k, v) for k, v in page.headers if k.lower() in (b"etag", b"cache-control", b"vary")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": page.headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else page.body})

    async def _render(self, scope, receive, send, key: tuple) -> None:
        """Let Django answer, passing it on as it comes, and keep it if it is a page of a stream."""
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                message = {**message, "headers": _without_marker(message["headers"])}
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if scope["method"] == "GET" and start.get("status") == 200:
            await self._keep(key, start["headers"], b"".join(body))

    async def _keep(self, key: tuple, raw_headers, body: bytes) -> None:
        named = {k.lower(): v for k, v in raw_headers}  # Django sends names as written, not lowercased
        marker = named.get(STREAM_HEADER)
        if marker is None or b"set-cookie" in named or not _varies_only_on_keyed_headers(named):
            return
        stream_key, _, seq = marker.decode("latin-1").rpartition(" ")
        headers = _without_marker(raw_headers)
        self.pages[key] = Page(stream_key, int(seq), headers, body, named.get(b"etag"))
        self.pages.move_to_end(key)
        while len(self.pages) > self.max_pages:
            self.pages.popitem(last=False)
        await hub().watch(stream_key)
