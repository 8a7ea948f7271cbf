"""As in production: two server processes behind nginx with deploy/nginx.conf."""

import asyncio
import gzip
import json
import urllib.request

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.e2e.conftest import free_port
from tests.helpers import api_token, next_post, open_network_reader, publish_via_api

# Real server processes and nginx, but no browser: these run in the PostgreSQL + Redis pass,
# where no Playwright event loop holds the thread and asyncio.run may drive the readers.
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_readers_through_nginx_get_posts_published_through_it_whichever_process_serves_them(
    servers, nginx, blog, reporter
):
    front = nginx(servers(DJANGO_PROXY_COUNT="1"), servers(DJANGO_PROXY_COUNT="1"))
    key = api_token(reporter)
    with urllib.request.urlopen(f"http://{front}{blog.get_absolute_url()}", timeout=10) as page:  # noqa: S310
        assert page.status == 200 and b"Hartlepool by-election" in page.read()
    with urllib.request.urlopen(f"http://{front}/healthz", timeout=10) as health:  # noqa: S310
        assert json.loads(health.read())["database"] == "ok"
    asking_gzip = urllib.request.Request(
        f"http://{front}{blog.get_absolute_url()}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(asking_gzip, timeout=10) as page:  # noqa: S310
        assert page.headers["Content-Encoding"] == "gzip"
        assert b"Hartlepool by-election" in gzip.decompress(page.read())

    async def scenario():
        readers = [await open_network_reader(front, blog.slug) for _ in range(4)]
        published = [await asyncio.to_thread(publish_via_api, front, blog.slug, key, f"Through nginx {n}")
                     for n in range(4)]  # fmt: skip
        got = [[await next_post(reader, timeout=10) for _ in published] for reader in readers]
        for reader in readers:
            await reader.close()
        return published, got

    published, got = asyncio.run(scenario())
    for frames in got:  # every reader, on either process, got every post once and in order
        assert [f"Through nginx {n}" in frame for n, frame in enumerate(frames)] == [True] * 4


def test_a_forged_forwarded_for_does_not_escape_the_per_address_socket_limit(servers, nginx, blog):
    front = nginx(servers(DJANGO_PROXY_COUNT="1", LIVEBLOG_SOCKETS_PER_ADDRESS="2"))

    async def scenario():
        opened, refused = [], []
        for n in range(3):
            headers = {"X-Forwarded-For": f"203.0.113.{n}"}  # a different "client" each time, by lying
            try:
                socket = await connect(f"ws://{front}/ws/live/{blog.slug}/", origin=f"http://{front}",
                                       additional_headers=headers)  # fmt: skip
            except InvalidStatus as refusal:  # closed before it was accepted: the handshake is refused
                refused.append(refusal.response.status_code)
                continue
            await socket.send(json.dumps({"type": "resume", "after": 0}))
            await asyncio.wait_for(socket.recv(), 5)
            opened.append(socket)
        for socket in opened:
            await socket.close()
        return len(opened), refused

    # All three came from 127.0.0.1 as nginx saw it, whatever they claimed: the third is one too many.
    assert asyncio.run(scenario()) == (2, [403])


def test_with_one_process_cut_off_from_its_database_pages_are_still_served_by_the_other(servers, nginx, blog):
    unreachable = f"postgres://postgres@127.0.0.1:{free_port()}/gone"
    cut_off = servers(DJANGO_PROXY_COUNT="1", DATABASE_URL=unreachable, DATABASE_POOL_TIMEOUT="1")
    front = nginx(cut_off, servers(DJANGO_PROXY_COUNT="1"))
    for _ in range(6):  # both processes are asked, in turn, until the cut-off one is taken out
        with urllib.request.urlopen(f"http://{front}{blog.get_absolute_url()}", timeout=20) as page:  # noqa: S310
            assert page.status == 200 and b"Hartlepool by-election" in page.read()


def test_pictures_from_media_are_served_with_nosniff(servers, nginx, tmp_path):
    (tmp_path / "media" / "posts").mkdir(parents=True)
    (tmp_path / "media" / "posts" / "count.jpg").write_bytes(b"<html><script>alert(1)</script>")
    front = nginx(servers(DJANGO_PROXY_COUNT="1"), media_root=tmp_path / "media")
    with urllib.request.urlopen(f"http://{front}/media/posts/count.jpg", timeout=10) as picture:  # noqa: S310
        assert picture.headers["X-Content-Type-Options"] == "nosniff"
