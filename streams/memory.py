"""Pages from memory: an ASGI layer in front of Django for pages that change only with their stream.

Django's stream pages (streams.http) mark their responses with the stream and seq they
were rendered at, and the query parameters the view reads. This layer keeps such a response,
by scheme, host, path and the values of the headers it varies on and of those parameters
alone (a utm_source or an analytics cookie is no new page), and serves it again, with the
same headers, for as long as the process's hub (streams.fanout) says the stream's latest
seq is the one it was rendered at: no database, no Redis, no middleware. An If-None-Match that matches gets a
304 the same way. Anything else goes to Django untouched: other methods, other pages,
requests carrying a session cookie, responses that set a cookie or are not a 200.
The first page of a stream also has the hub follow it (a reader with no socket), so its
seq is known from then on. What is kept is bounded by bytes (STREAMS_PAGES_MAX_BYTES),
least recently served first out.
"""

from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings

from .fanout import hub

# Set by streams.http on pages it may keep: "<stream key> <seq>", and the names of the query
# parameters the view reads, comma-separated. Never sent to the client.
STREAM_HEADER = b"x-stream-seq"
QUERY_HEADER = b"x-stream-query"
MARKERS = (STREAM_HEADER, QUERY_HEADER)
SESSION_COOKIES = (b"sessionid=", b"csrftoken=")
# The request headers a kept page may vary on; a page varying on anything else is not kept.
KEYED_HEADERS = (b"hx-request", b"cookie")
# Besides the byte bound: a flood of small pages only churns this, as it would churn Django's cache.
MAX_PAGES = 256


@dataclass(frozen=True)
class Page:
    stream_key: str
    seq: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


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


def _without_markers(headers) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() not in MARKERS]


def _route(scope) -> tuple:
    """Where a request goes: one view, reading the same parameters and varying on the same headers."""
    return scope.get("scheme", "http"), _header(scope, b"host"), scope["path"]


@dataclass(frozen=True)
class Variants:
    """What a route's pages differ by, as its view said: query parameters it reads, headers it varies on."""

    reads: tuple[str, ...]
    varies: tuple[bytes, ...]


def _key(route: tuple, scope, variants: Variants) -> tuple:
    """The page's key: its route and the values of what its view reads and varies on, and nothing else
    (a utm_source, or a cookie it does not read, is the same page)."""
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return (
        *route, variants, *(_header(scope, name) for name in variants.varies),
        *(tuple(value for name, value in query if name == read) for read in variants.reads),
    )  # fmt: skip


def _varied(headers: dict) -> set[bytes]:
    return {part.strip().lower().encode() for part in headers.get(b"vary", b"").decode("latin-1").split(",")} - {b""}


class PageMemory:
    def __init__(self, app, max_pages: int = MAX_PAGES, max_bytes: int | None = None):
        self.app = app
        self.max_pages = max_pages
        self._max_bytes = max_bytes
        self.pages: OrderedDict[tuple, Page] = OrderedDict()  # least recently used first
        self.kept_bytes = 0
        # What each route's pages differ by, as its kept pages said.
        self.variants: dict[tuple, Variants] = {}

    @property
    def max_bytes(self) -> int:
        return settings.STREAMS_PAGES_MAX_BYTES if self._max_bytes is None else self._max_bytes

    async def __call__(self, scope, receive, send):
        if _passes_through(scope):
            return await self.app(scope, receive, send)
        route = _route(scope)
        variants = self.variants.get(route)
        key = None if variants is None else _key(route, scope, variants)
        page = self.pages.get(key)
        if page is not None and hub().current_seq(page.stream_key) == page.seq:
            self.pages.move_to_end(key)
            return await self._serve(page, scope, send)
        await self._render(scope, receive, send, route)

    async def _serve(self, page: Page, scope, send) -> None:
        if page.etag is not None and _header(scope, b"if-none-match") == page.etag:
            headers = [(k, v) for k, v in page.headers if k.lower() in (b"etag", b"cache-control", b"vary")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": page.headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else page.body})

    async def _render(self, scope, receive, send, route: tuple) -> None:
        """Let Django answer, passing it on as it comes, and keep it if it is a page of a stream."""
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
                message = {**message, "headers": _without_markers(message["headers"])}
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if scope["method"] == "GET" and start.get("status") == 200:
            await self._keep(route, scope, start["headers"], b"".join(body))

    async def _keep(self, route: tuple, scope, raw_headers, body: bytes) -> None:
        named = {k.lower(): v for k, v in raw_headers}  # Django sends names as written, not lowercased
        marker = named.get(STREAM_HEADER)
        if marker is None or b"set-cookie" in named or not _varied(named) <= set(KEYED_HEADERS):
            return
        stream_key, _, seq = marker.decode("latin-1").rpartition(" ")
        page = Page(stream_key, int(seq), _without_markers(raw_headers), body, named.get(b"etag"))
        if page.size > self.max_bytes:
            return
        variants = Variants(
            reads=tuple(name for name in named.get(QUERY_HEADER, b"").decode("latin-1").split(",") if name),
            varies=tuple(name for name in KEYED_HEADERS if name in _varied(named)),
        )
        if len(self.variants) >= self.max_pages and route not in self.variants:
            self.variants.clear()  # routes are few; past the bound, they are learned again as pages are kept
        self.variants[route] = variants
        key = _key(route, scope, variants)
        self._drop(key)
        self.pages[key] = page
        self.kept_bytes += page.size
        while len(self.pages) > self.max_pages or self.kept_bytes > self.max_bytes:
            self._drop(next(iter(self.pages)))
        hub().keepers.add(self)
        await hub().watch(stream_key)

    def forget(self, stream_key: str) -> None:
        """The stream is gone (streams.fanout.Hub.end_stream): none of its pages is served again."""
        for key in [key for key, page in self.pages.items() if page.stream_key == stream_key]:
            self._drop(key)

    def _drop(self, key: tuple) -> None:
        page = self.pages.pop(key, None)
        if page is not None:
            self.kept_bytes -= page.size
