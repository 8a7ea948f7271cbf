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


async def test_query_parameters_and_cookies_the_page_does_not_read_share_one_kept_copy(blog, reporter):
    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    status, _, body = await get(app, blog.get_absolute_url())
    await seq_reaches(blog.stream_key, 1)
    for n in range(40):
        assert (await get(app, f"{blog.get_absolute_url()}?utm_source=feed-{n}&x{n}=1"))[2] == body
        assert (await get(app, blog.get_absolute_url(), headers=[(b"cookie", f"_ga={n}".encode())]))[2] == body
    assert django.calls == 1 and len(app.pages) == 1 and app.kept_bytes < 2 * len(body)


async def test_a_parameter_the_page_reads_still_makes_its_own_page(blog, reporter):
    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    await publish_post_async(blog, reporter, headline="Second")
    path = f"{blog.get_absolute_url()}events"
    everything = await get(app, f"{path}?after=0&utm_source=a")
    await seq_reaches(blog.stream_key, 2)
    latest_only = await get(app, f"{path}?after=1&utm_source=a")
    assert b"First" in everything[2] and b"First" not in latest_only[2] and b"Second" in latest_only[2]
    assert (await get(app, f"{path}?utm_source=b&after=1"))[2] == latest_only[2] and django.calls == 2


async def test_pages_kept_in_memory_never_add_up_to_more_than_the_byte_bound(blog, reporter):
    body = "<p>" + "Counting at the Mill House. " * 400 + "</p>"
    await publish_post_async(blog, reporter, headline="First", body=body)
    probe = PageMemory(Counting())
    await get(probe, blog.get_absolute_url())
    [one_page] = probe.pages.values()
    bound = int(2.5 * one_page.size)
    app = PageMemory(Counting(), max_bytes=bound)
    await seq_reaches(blog.stream_key, 1)
    for n in range(10):  # each a page of its own: the view reads ?before=
        await get(app, f"{blog.get_absolute_url()}?before=x{n}")
        assert app.kept_bytes <= bound
        assert sum(page.size for page in app.pages.values()) == app.kept_bytes
    assert len(app.pages) == 2


async def test_a_page_larger_than_the_whole_bound_is_served_but_not_kept(blog, reporter):
    await publish_post_async(blog, reporter, headline="First")
    app = PageMemory(Counting(), max_bytes=100)
    status, _, body = await get(app, blog.get_absolute_url())
    assert status == 200 and b"First" in body and app.pages == {} and app.kept_bytes == 0


async def test_a_deleted_blog_is_no_longer_served_from_memory_and_its_readers_are_let_go(blog, reporter):
    from streams.models import Event
    from tests.helpers import NOT_FOUND, close_code, open_reader

    django = Counting()
    app = PageMemory(django)
    await publish_post_async(blog, reporter, headline="First")
    await get(app, blog.get_absolute_url())
    await seq_reaches(blog.stream_key, 1)
    reader = await open_reader(blog)  # the hub now remembers the stream's frames for resumes
    assert blog.stream_key in hub().recent

    await database_sync_to_async(blog.delete)()  # what the admin does, for a superuser
    assert await close_code(reader) == NOT_FOUND
    for _ in range(100):  # a bounded wait for the hub to be told
        if not app.pages:
            break
        await asyncio.sleep(0.02)
    assert app.pages == {} and app.kept_bytes == 0
    assert blog.stream_key not in hub().recent and hub().current_seq(blog.stream_key) is None
    status, _, _ = await get(app, blog.get_absolute_url())
    assert status == 404 and django.calls == 2
    assert not await database_sync_to_async(Event.objects.exists)()
