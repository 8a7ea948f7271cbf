"""HTTP for pages that follow a stream: cached by seq, revalidated by ETag, CDN-friendly.

Each app's views call these with their stream's key. See docs/architecture.md.
"""

import logging
import zlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotModified

from . import events, frames

logger = logging.getLogger(__name__)

PAGE_CACHE_CONTROL = "public, max-age=5, stale-while-revalidate=30"
EVENTS_CACHE_CONTROL = "public, max-age=2, stale-while-revalidate=10"
PAGE_CACHE_SECONDS = 300
MEMORY_HEADER = "X-Stream-Seq"  # read, and removed, by streams.memory
MEMORY_QUERY_HEADER = "X-Stream-Query"  # likewise
# A seq or an id is a PostgreSQL bigint: at most 19 digits, and fewer than 2**63.
_LARGEST_NUMBER = 2**63 - 1


def whole_number(raw: str | None) -> int | None:
    """A query-string seq or id: plain ASCII digits that fit a bigint, else None."""
    if not raw or len(raw) > 19 or not (raw.isascii() and raw.isdigit()):
        return None
    number = int(raw)
    return number if number <= _LARGEST_NUMBER else None


def _etag(*parts) -> str:
    return '"' + "-".join(str(p) for p in parts) + '"'


def _not_modified(request, etag: str, cache_control: str) -> HttpResponse | None:
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = cache_control
        return response
    return None


def page_for_seq(
    request, *, stream_key: str, variant: str, render: Callable[[], HttpResponse], reads: tuple[str, ...] = ()
) -> HttpResponse:
    """Serve a reader page that changes only when its stream does.

    `reads` names every query parameter the view reads: the page is the same whatever else the query holds.

    The rendered bytes are cached under the stream's latest seq, so a spike of
    readers costs one render per change; a matching ETag costs no render at all.
    Pages carry absolute links, so the cache and the ETag are per scheme and host.
    With the cache away (Redis down), every request renders, and nothing fails.
    """
    seq = events.latest_seq(stream_key)
    origin = f"{request.scheme}://{request.get_host()}"
    etag = _etag(stream_key, seq, variant, zlib.crc32(origin.encode()))
    if response := _not_modified(request, etag, PAGE_CACHE_CONTROL):
        return response
    cache_key = f"page:{origin}:{stream_key}:{seq}:{variant}"
    content = _cached(cache_key)
    if content is None:
        rendered = render()
        if rendered.status_code != 200:
            return rendered
        content = rendered.content
        _cache(cache_key, content)
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = PAGE_CACHE_CONTROL
    mark_for_memory(response, stream_key, seq, reads)
    return response


def mark_for_memory(response: HttpResponse, stream_key: str, seq: int, reads: tuple[str, ...]) -> None:
    """Say which stream and seq this response shows, and which query parameters made it, so
    streams.memory may keep it until the seq moves, for any query with those parameters alike."""
    response[MEMORY_HEADER] = f"{stream_key} {seq}"
    response[MEMORY_QUERY_HEADER] = ",".join(reads)


def _cached(key: str) -> bytes | None:
    if not settings.LIVEBLOG_PAGE_CACHE:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Page cache unreachable; rendering", exc_info=True)
        return None


def _cache(key: str, content: bytes) -> None:
    try:
        cache.set(key, content, PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Page cache unreachable; not stored", exc_info=True)


def events_since(request, *, stream_key: str) -> HttpResponse:
    """The polling fallback: every frame after ?after=<seq>, or a reload frame if too far behind."""
    after = whole_number(request.GET.get("after", "0"))
    if after is None:
        return HttpResponseBadRequest("after must be a whole number (a seq).")
    latest = events.latest_seq(stream_key)
    etag = _etag(stream_key, after, latest)
    if response := _not_modified(request, etag, EVENTS_CACHE_CONTROL):
        return response
    window = settings.LIVEBLOG_REPLAY_WINDOW
    if after > latest or latest - after > window:
        body = frames.reload_frame(latest)
    else:
        body = "".join(frame.text for frame in events.events_after(stream_key, after, window))
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = EVENTS_CACHE_CONTROL
    response["X-Latest-Seq"] = str(latest)
    mark_for_memory(response, stream_key, latest, ("after",))
    return response
