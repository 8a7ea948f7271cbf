"""A reader sees every change once, in order, however the connection behaves."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError

from liveblog import selectors
from liveblog.models import Post
from liveblog.services import post_delete, post_update
from streams import events
from streams.fanout import hub
from tests.helpers import next_frames, open_reader, publish_post_async, seq_of

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_frame_delivered_twice_is_written_once(blog, reporter):
    reader = await open_reader(blog)
    await publish_post_async(blog, reporter, headline="Once")
    [frame] = await next_frames(reader, 1)
    await hub().dispatch(blog.stream_key, seq_of(frame), frame)
    assert await reader.receive_nothing(timeout=0.3)
    await reader.disconnect()


async def test_a_frame_written_in_this_process_reaches_its_readers_without_the_channel_layer(
    blog, reporter, monkeypatch
):
    reader = await open_reader(blog)

    async def lost_on_the_way(group, message):
        pass

    monkeypatch.setattr(get_channel_layer(), "group_send", lost_on_the_way)
    await publish_post_async(blog, reporter, headline="Straight to the reader")
    [frame] = await next_frames(reader, 1)
    assert "Straight to the reader" in frame
    await reader.disconnect()


async def test_socket_events_do_not_wait_for_the_database_thread(blog, reporter, monkeypatch):
    hops = []

    async def close_old_connections_on_the_database_thread():
        hops.append(1)

    monkeypatch.setattr("channels.consumer.aclose_old_connections", close_old_connections_on_the_database_thread)
    reader = await open_reader(blog)
    await publish_post_async(blog, reporter, headline="Arrives")
    await next_frames(reader, 1)
    await reader.disconnect()
    assert hops == []  # connect, resume and disconnect: none queued behind reporters' requests


async def test_a_post_published_between_render_and_join_arrives_exactly_once(blog, reporter):
    page = await database_sync_to_async(selectors.reader_page)(blog)
    await publish_post_async(blog, reporter, headline="In the gap")
    reader = await open_reader(blog, after=page.seq)
    [frame] = reader.replayed
    assert "In the gap" in frame and seq_of(frame) == page.seq + 1
    assert await reader.receive_nothing(timeout=0.3)
    await reader.disconnect()


async def test_a_lost_frame_is_recovered_from_the_database_at_the_next_frame(blog, reporter, monkeypatch):
    reader = await open_reader(blog)
    monkeypatch.setattr(events, "broadcast", lambda key, frame: None)  # seq 1 never reaches the layer
    await publish_post_async(blog, reporter, headline="Lost")
    monkeypatch.undo()
    await publish_post_async(blog, reporter, headline="Next")
    first, second = await next_frames(reader, 2)
    assert (seq_of(first), seq_of(second)) == (1, 2)
    assert "Lost" in first and "Next" in second
    await reader.disconnect()


async def test_a_heartbeat_catches_up_a_reader_when_nothing_new_is_published(blog, reporter, monkeypatch):
    reader = await open_reader(blog)
    monkeypatch.setattr(events, "broadcast", lambda key, frame: None)
    await publish_post_async(blog, reporter, headline="Missed while Redis was away")
    assert await reader.receive_nothing(timeout=0.2)
    await hub().beat()
    [frame] = await next_frames(reader, 1)
    assert "Missed while Redis was away" in frame
    await hub().beat()
    [heartbeat] = await next_frames(reader, 1)
    assert 'data-kind="heartbeat"' in heartbeat and seq_of(heartbeat) == 1
    await reader.disconnect()


async def test_after_frames_went_out_a_heartbeat_writes_nothing_to_readers_who_are_up_to_date(blog, reporter):
    reader = await open_reader(blog)
    await publish_post_async(blog, reporter, headline="Fresh")
    [frame] = await next_frames(reader, 1)
    await hub().beat()
    assert await reader.receive_nothing(timeout=0.2)
    await hub().beat()  # nothing was sent in between: this one is written
    [heartbeat] = await next_frames(reader, 1)
    assert 'data-kind="heartbeat"' in heartbeat and seq_of(heartbeat) == seq_of(frame)
    await reader.disconnect()


async def test_a_deleted_post_is_never_brought_back_by_a_late_edit(blog, reporter, editor):
    post = await publish_post_async(blog, reporter, headline="Soon gone")
    stale = await database_sync_to_async(Post.objects.get)(pk=post.pk)
    reader = await open_reader(blog, after=1)
    await database_sync_to_async(post_delete)(post=post, actor=editor)
    stale.headline = "Late edit"
    with pytest.raises(ValidationError, match="deleted"):
        await database_sync_to_async(post_update)(post=stale, actor=reporter)
    [deletion] = await next_frames(reader, 1)
    assert 'hx-swap-oob="delete"' in deletion
    assert await reader.receive_nothing(timeout=0.3)
    assert not await database_sync_to_async(Post.objects.filter(pk=post.pk).exists)()
    await reader.disconnect()


async def test_events_arrive_in_seq_order_after_a_resume_with_live_ones_interleaved(blog, reporter):
    for n in range(5):
        await publish_post_async(blog, reporter, headline=f"Before {n}")
    reader = await open_reader(blog, after=2)
    await publish_post_async(blog, reporter, headline="During")
    received = [seq_of(f) for f in reader.replayed + await next_frames(reader, 1)]
    assert received == [3, 4, 5, 6]
    await reader.disconnect()


async def test_a_reconnect_storm_reads_the_database_once_per_stream(blog, reporter, monkeypatch):
    import asyncio

    from streams import fanout

    for n in range(3):
        await publish_post_async(blog, reporter, headline=f"Before the storm {n}")
    loads = []
    real_load = fanout._load_recent

    async def counting_load(stream_key, limit):
        loads.append(stream_key)
        return await real_load(stream_key, limit)

    monkeypatch.setattr(fanout, "_load_recent", counting_load)
    readers = await asyncio.gather(*(open_reader(blog, after=1) for _ in range(20)))
    assert all([seq_of(f) for f in reader.replayed] == [2, 3] for reader in readers)
    assert loads == [blog.stream_key]
    for reader in readers:
        await reader.disconnect()


async def test_readers_connecting_together_share_one_subscription_and_one_heartbeat(blog, monkeypatch):
    import asyncio

    from channels.layers import get_channel_layer

    from streams import fanout

    layer = get_channel_layer()
    real_new_channel = layer.new_channel

    async def slow_new_channel(prefix):
        await asyncio.sleep(0.05)  # as over a network: other readers connect meanwhile
        return await real_new_channel(prefix)

    monkeypatch.setattr(layer, "new_channel", slow_new_channel)
    monkeypatch.setattr(fanout, "get_channel_layer", lambda: layer)
    readers = await asyncio.gather(*(open_reader(blog) for _ in range(10)))
    the_hub = hub()
    running = [t.get_coro().__qualname__ for t in asyncio.all_tasks() if not t.done()]
    assert running.count("Hub._heartbeat") == 1 and running.count("Hub._receive") == 1
    assert len(the_hub.readers[blog.stream_key]) == 10
    for reader in readers:
        await reader.disconnect()
