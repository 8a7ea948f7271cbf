"""Pages from memory: kept while the stream's seq stands still, with Django's own headers; the rest passes through."""

import asyncio

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.core.asgi import get_asgi_application

from streams.fanout import hub
from streams.memory import PageMemory
from tests.helpers import publish_post_async

pytestmark = pytest.mark.django_db(transaction=True)


class Counting:
    """Django's ASGI application, counting the requests that reach it."""

    def __init__(self):
        self.app, self.calls = get_asgi_application(), 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.app(scope, receive, send)


async def get(app, path: str, *, headers=(), method="GET") -> tuple[int, dict, bytes]:
    path, _, query = path.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip
    call = ApplicationCommunicator(app, scope)
    await call.send_input({"type": "http.request", "body": b""})
    start = await call.receive_output(5)
    body = b""
    while True:
        message = await call.receive_output(5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await call.wait(5)
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


async def seq_reaches(stream_key: str, seq: int) -> None:
    for _ in range(100):
        if hub().current_seq(stream_key) == seq:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the hub never saw seq {seq}")


async def test_a_reader_page_is_served_from_memory_until_its_seq_moves(blog, reporter):
    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    status, headers, body = await get(app, blog.get_absolute_url())
    assert status == 200 and b"First" in body and django.calls == 1
    await seq_reaches(blog.stream_key, 1)

    again_status, again_headers, again_body = await get(app, blog.get_absolute_url())
    assert (again_status, again_body) == (200, body) and django.calls == 1  # from memory
    assert again_headers == headers  # the same CSP, ETag, Cache-Control, Vary…
    assert "X-Stream-Seq" not in headers and "Content-Security-Policy" in headers

    not_modified, _, empty = await get(
        app, blog.get_absolute_url(), headers=[(b"if-none-match", headers["ETag"].encode())]
    )
    assert (not_modified, empty, django.calls) == (304, b"", 1)

    await publish_post_async(blog, reporter, headline="Second")
    await seq_reaches(blog.stream_key, 2)
    status, _, body = await get(app, blog.get_absolute_url())
    assert b"Second" in body and django.calls == 2  # the seq moved: Django renders it again


async def test_polling_with_nothing_new_is_answered_from_memory(blog, reporter):
    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    path = f"{blog.get_absolute_url()}events?after=1"
    first = await get(app, path)
    await seq_reaches(blog.stream_key, 1)
    assert await get(app, path) == first and django.calls == 1


async def test_htmx_fragments_are_kept_apart_from_whole_pages(blog, reporter):
    app = PageMemory(Counting())
    await publish_post_async(blog, reporter, headline="First")
    whole = await get(app, blog.get_absolute_url())
    await seq_reaches(blog.stream_key, 1)
    fragment = await get(app, f"{blog.get_absolute_url()}?fragment=live", headers=[(b"hx-request", b"true")])
    assert whole[2] != fragment[2] and b"<html" in whole[2] and b"<html" not in fragment[2]
    assert (await get(app, blog.get_absolute_url()))[2] == whole[2]


@pytest.mark.parametrize(
    ("path", "headers", "method"),
    [
        ("/live/hartlepool/", [(b"cookie", b"sessionid=abc")], "GET"),  # a logged-in desk
        ("/admin/login/", [], "GET"),  # not a stream's page
        ("/live/hartlepool/", [], "POST"),
    ],
)
async def test_everything_else_passes_through_every_time(blog, reporter, path, headers, method):
    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    for _ in range(3):
        await get(app, path, headers=headers, method=method)
    assert django.calls == 3


async def test_a_stream_this_process_cannot_follow_is_never_served_from_memory(blog, reporter, monkeypatch):
    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    await get(app, blog.get_absolute_url())
    monkeypatch.setattr(hub(), "channel", None)  # the channel layer is away: the seq cannot be trusted
    await get(app, blog.get_absolute_url())
    assert django.calls == 2
    await database_sync_to_async(lambda: None)()
