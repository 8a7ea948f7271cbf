"""Real server processes sharing Redis: fan-out across processes and surviving a Redis restart."""

import asyncio
import json
import urllib.request

import pytest
from websockets.asyncio.client import connect

from liveblog.models import ApiToken
from liveblog.tokens import issue

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def api_token(user) -> str:
    token = ApiToken(user=user, name="test")
    key = issue(token)
    token.save()
    return key


def publish(host: str, slug: str, key: str, headline: str) -> dict:
    request = urllib.request.Request(
        f"http://{host}/api/live/{slug}/posts/",
        data=json.dumps({"headline": headline}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback test server)
        assert response.status == 201
        return json.loads(response.read())


async def open_reader(host: str, slug: str):
    socket = await connect(f"ws://{host}/ws/live/{slug}/", origin=f"http://{host}", compression=None)
    await socket.send(json.dumps({"type": "resume", "after": 0}))
    assert 'data-kind="heartbeat"' in await asyncio.wait_for(socket.recv(), 5)
    return socket


async def next_post(socket, timeout: float) -> str:
    """The next frame that is not a heartbeat."""
    while True:
        frame = await asyncio.wait_for(socket.recv(), timeout)
        if 'data-kind="heartbeat"' not in frame:
            return frame


def test_a_post_published_through_one_process_reaches_a_reader_on_another(servers, blog, reporter):
    key = api_token(reporter)
    first, second = servers(), servers()

    async def scenario():
        reader = await open_reader(first, blog.slug)
        await asyncio.to_thread(publish, second, blog.slug, key, "Across processes")
        frame = await next_post(reader, timeout=3)
        await reader.close()
        return frame

    frame = asyncio.run(scenario())
    assert "Across processes" in frame and 'data-seq="1"' in frame


def test_readers_catch_up_after_redis_restarts_and_keep_receiving(servers, redis_server, blog, reporter):
    key = api_token(reporter)
    host = servers(REDIS_URL=redis_server.url, LIVEBLOG_HEARTBEAT_SECONDS="1")

    async def scenario():
        reader = await open_reader(host, blog.slug)
        await asyncio.to_thread(publish, host, blog.slug, key, "Before the restart")
        assert "Before the restart" in await next_post(reader, timeout=3)

        redis_server.stop()
        during = [await asyncio.to_thread(publish, host, blog.slug, key, f"During outage {n}") for n in (1, 2)]
        assert [p["seq"] for p in during] == [2, 3]  # saved, whatever happened to the broadcast
        redis_server.start()

        caught_up = [await next_post(reader, timeout=10) for _ in range(2)]
        await asyncio.to_thread(publish, host, blog.slug, key, "After the restart")
        after = await next_post(reader, timeout=10)
        await reader.close()
        return caught_up, after

    caught_up, after = asyncio.run(scenario())
    assert "During outage 1" in caught_up[0] and "During outage 2" in caught_up[1]
    assert "After the restart" in after and 'data-seq="4"' in after
