"""Real server processes sharing Redis: fan-out across processes and surviving a Redis restart."""

import asyncio
import contextlib
import json
import re
import socket

import pytest
from django.db import connection
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench.wsclient import masked_frame
from tests.helpers import MESSAGE_TOO_BIG, api_token, next_post, open_network_reader, publish_via_api

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def open_raw_reader(host: str, slug: str, receive_buffer: int | None = None) -> socket.socket:
    """A reader on a plain socket, which the test can stop reading from."""
    address, port = host.split(":")
    raw = socket.socket()
    if receive_buffer:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)  # before connecting: a small window
    raw.connect((address, int(port)))
    raw.sendall(
        f"GET /ws/live/{slug}/ HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://{host}\r\n\r\n".encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:  # a client sends nothing more until the handshake is answered
        response += raw.recv(1)
    assert response.startswith(b"HTTP/1.1 101")
    raw.sendall(masked_frame(0x1, b'{"type": "resume", "after": 0}'))
    return raw


def test_a_post_published_through_one_process_reaches_a_reader_on_another(servers, blog, reporter):
    key = api_token(reporter)
    first, second = servers(), servers()

    async def scenario():
        reader = await open_network_reader(first, blog.slug)
        await asyncio.to_thread(publish_via_api, second, blog.slug, key, "Across processes")
        frame = await next_post(reader, timeout=3)
        await reader.close()
        return frame

    frame = asyncio.run(scenario())
    assert "Across processes" in frame and 'data-seq="1"' in frame


def test_readers_catch_up_after_redis_restarts_and_keep_receiving(servers, redis_server, blog, reporter):
    key = api_token(reporter)
    host = servers(REDIS_URL=redis_server.url, LIVEBLOG_HEARTBEAT_SECONDS="1")

    async def scenario():
        reader = await open_network_reader(host, blog.slug)
        await asyncio.to_thread(publish_via_api, host, blog.slug, key, "Before the restart")
        assert "Before the restart" in await next_post(reader, timeout=3)

        redis_server.stop()
        during = [await asyncio.to_thread(publish_via_api, host, blog.slug, key, f"During outage {n}") for n in (1, 2)]
        assert [p["seq"] for p in during] == [2, 3]  # saved, whatever happened to the broadcast
        redis_server.start()

        caught_up = [await next_post(reader, timeout=10) for _ in range(2)]
        await asyncio.to_thread(publish_via_api, host, blog.slug, key, "After the restart")
        after = await next_post(reader, timeout=10)
        await reader.close()
        return caught_up, after

    caught_up, after = asyncio.run(scenario())
    assert "During outage 1" in caught_up[0] and "During outage 2" in caught_up[1]
    assert "After the restart" in after and 'data-seq="4"' in after


def test_a_2_mib_frame_closes_that_connection_and_the_server_carries_on(servers, blog, reporter):
    key = api_token(reporter)
    host = servers()

    async def scenario():
        attacker = await open_network_reader(host, blog.slug)
        bystander = await open_network_reader(host, blog.slug)
        try:
            await attacker.send("x" * (2 * 1024 * 1024))  # the server may refuse it before it is all sent
            while True:
                await asyncio.wait_for(attacker.recv(), 5)
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
        await asyncio.to_thread(publish_via_api, host, blog.slug, key, "Unaffected")
        frame = await next_post(bystander, timeout=3)
        await bystander.close()
        return code, frame

    code, frame = asyncio.run(scenario())
    assert code == MESSAGE_TOO_BIG
    assert "Unaffected" in frame


def test_a_reader_who_stops_reading_holds_up_nobody_and_still_gets_every_event(servers, blog, reporter):
    """A stalled reader costs others nothing; when it comes back it resumes and misses nothing.

    (The stalled reader's unread frames sit in its own receive buffer here; cutting off a reader
    whose unread bytes pass the bound is the next tests.) The resumed reader's replay, 500 KB,
    is more than its bound: it is paced by what the reader takes in, not cut off.
    """
    from liveblog.models import Post
    from liveblog.services import post_create

    host = servers()
    stalled = open_raw_reader(host, blog.slug)

    async def scenario():
        healthy = await open_network_reader(host, blog.slug)
        body = "<p>" + "Turnout figures from every ward are coming in. " * 50 + "</p>"

        def write(n):
            try:
                post_create(post=Post(blog=blog, headline=f"Event {n}", body=body), actor=reporter)
            finally:
                connection.close()  # worker threads outlive the test; their connections must not

        for n in range(200):
            await asyncio.to_thread(write, n)
        got = [await next_post(healthy, timeout=5) for _ in range(200)]
        await healthy.close()
        stalled.close()  # it never read a byte
        resumed = await connect(f"ws://{host}/ws/live/{blog.slug}/", origin=f"http://{host}", max_size=None)
        await resumed.send(json.dumps({"type": "resume", "after": 0}))
        replayed = []
        while 'data-kind="heartbeat"' not in (frame := await asyncio.wait_for(resumed.recv(), 10)):
            replayed.append(frame)
        await resumed.close()
        return got, replayed

    got, replayed = asyncio.run(scenario())
    seqs = lambda frames: [int(re.search(r'data-seq="(\d+)"', f).group(1)) for f in frames]  # noqa: E731
    assert seqs(got) == list(range(1, 201))
    assert seqs(replayed) == list(range(1, 201))


def test_a_reader_who_never_reads_is_cut_off_once_its_unsent_bytes_pass_the_limit(servers, blog, reporter):
    """The server holds at most LIVEBLOG_SOCKET_BACKLOG_KB for a reader, then drops the connection."""
    key = api_token(reporter)
    host = servers(LIVEBLOG_SOCKET_BACKLOG_KB="256")  # the default: a couple of these posts
    stalled = open_raw_reader(host, blog.slug, receive_buffer=4096)
    body = "<p>" + "Ballot boxes from the last wards have arrived at the count. " * 1600 + "</p>"  # ~100 KB
    # The kernel buffers up to its send-buffer maximum before the server holds anything itself.
    kernel_buffer = int(open("/proc/sys/net/ipv4/tcp_wmem").read().split()[2])  # noqa: SIM115
    posts = (3 * kernel_buffer // 2 + 256 * 1024) // len(body)

    async def scenario():
        # It keeps reading everything that arrives (no queue limit), however slowly the test takes it.
        url = f"ws://{host}/ws/live/{blog.slug}/"
        healthy = await connect(url, origin=f"http://{host}", max_size=None, max_queue=None)
        await healthy.send(json.dumps({"type": "resume", "after": 0}))
        assert 'data-kind="heartbeat"' in await asyncio.wait_for(healthy.recv(), 5)
        for n in range(posts):
            await asyncio.to_thread(publish_via_api, host, blog.slug, key, f"Update {n}", body)
        got = [await next_post(healthy, timeout=5) for _ in range(posts)]
        await healthy.close()
        return got

    got = asyncio.run(scenario())
    assert len(got) == posts  # the healthy reader was not held up

    stalled.settimeout(10)
    received, ended = 0, False
    try:
        while chunk := stalled.recv(1 << 20):
            received += len(chunk)
        ended = True  # the server closed it
    except ConnectionResetError:
        ended = True  # the server dropped it, unsent bytes and all
    except TimeoutError:
        pass  # still open: nothing cut it off
    stalled.close()
    assert ended
    assert received < posts * len(body)


def test_a_stalled_reader_holds_no_more_than_its_bound_kernel_buffer_included(servers, blog, reporter):
    """What a reader has not read, in the kernel and in the server, stays within LIVEBLOG_SOCKET_BACKLOG_KB."""
    key = api_token(reporter)
    bound = 256 * 1024
    host = servers(LIVEBLOG_SOCKET_BACKLOG_KB=str(bound // 1024))
    stalled = open_raw_reader(host, blog.slug, receive_buffer=4096)
    body = "<p>" + "Ballot boxes from the last wards have arrived at the count. " * 1600 + "</p>"  # ~100 KB
    for n in range(12):  # 1.2 MB: far less than the kernel alone would take for a socket left uncapped
        publish_via_api(host, blog.slug, key, f"Update {n}", body)
    stalled.settimeout(5)
    received, cut_off = 0, False
    try:
        while chunk := stalled.recv(1 << 20):
            received += len(chunk)
        cut_off = True
    except ConnectionResetError:
        cut_off = True
    except TimeoutError:
        pass
    stalled.close()
    assert cut_off
    assert received <= bound + 64 * 1024  # what it had taken in before stalling, plus its own small window


def test_a_scheduled_post_arrives_by_itself_exactly_once_with_two_server_processes(servers, blog, reporter):
    from datetime import timedelta

    from django.utils import timezone

    from liveblog.models import Post
    from liveblog.services import post_create
    from streams.models import Event

    first, second = servers(LIVEBLOG_SCHEDULE_CHECK_SECONDS="0.5"), servers(LIVEBLOG_SCHEDULE_CHECK_SECONDS="0.5")

    async def scenario():
        readers = [await open_network_reader(host, blog.slug) for host in (first, second)]
        at = timezone.now() + timedelta(seconds=3)
        await asyncio.to_thread(
            post_create, post=Post(blog=blog, headline="Scheduled for three seconds on", published_at=at),
            actor=reporter,
        )  # fmt: skip
        frames = [await next_post(reader, timeout=15) for reader in readers]
        quiet = []
        for reader in readers:
            with contextlib.suppress(TimeoutError):
                quiet.append(await next_post(reader, timeout=2))
            await reader.close()
        return at, frames, quiet

    at, frames, quiet = asyncio.run(scenario())
    assert all("Scheduled for three seconds on" in frame and 'data-seq="1"' in frame for frame in frames)
    assert quiet == []  # nobody got it twice
    assert Event.objects.filter(stream__key=blog.stream_key).count() == 1
    post = Post.objects.get()
    assert post.status == Post.Status.PUBLISHED and post.published_at == at
