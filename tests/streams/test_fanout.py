import asyncio
from collections import deque

import pytest
from asgiref.sync import sync_to_async

from streams import events
from streams.events import Frame
from streams.fanout import FAN_OUT_CHUNK, Hub


class Reader:
    def __init__(self, number, log):
        self.number, self.log, self.frames = number, log, []

    def deliver(self, frame):
        self.frames.append(frame)
        self.log.append(self.number)


async def test_a_frame_for_many_readers_lets_other_work_run_between_chunks_and_reaches_them_all():
    hub, log = Hub(), []
    readers = [Reader(n, log) for n in range(2 * FAN_OUT_CHUNK + 1)]
    hub.readers["blog-1"] = set(readers)
    asyncio.get_running_loop().call_soon(log.append, "a reporter's request")
    await hub.dispatch("blog-1", 1, '<div data-seq="1"></div>')
    assert log.index("a reporter's request") == FAN_OUT_CHUNK
    assert all(len(reader.frames) == 1 for reader in readers)
    assert len({id(reader.frames[0]) for reader in readers}) == 1  # one frame object, encoded once for all


async def test_readers_asking_for_the_same_thing_together_share_one_call():
    hub, calls = Hub(), []

    async def look_up():
        calls.append(1)
        await asyncio.sleep(0.01)
        return "blog-1"

    found = await asyncio.gather(*(hub.once(("blog", "slug"), look_up) for _ in range(50)))
    assert found == ["blog-1"] * 50 and len(calls) == 1
    assert await hub.once(("blog", "slug"), look_up) == "blog-1" and len(calls) == 2  # later callers ask again


async def test_a_frame_that_arrives_directly_and_through_the_channel_layer_fans_out_once():
    hub, log = Hub(), []
    reader = Reader(0, log)
    hub.readers["blog-1"] = {reader}
    await hub.fan_out("blog-1", Frame(seq=1, text='<div data-seq="1"></div>'))  # directly, from this process
    await hub.dispatch("blog-1", 1, '<div data-seq="1"></div>')  # the same frame, through Redis
    await hub.dispatch("blog-1", 2, '<div data-seq="2"></div>')
    assert [frame.seq for frame in reader.frames] == [1, 2]


async def test_a_found_stream_is_remembered_briefly_and_a_missing_one_not_at_all():
    hub, calls = Hub(), []

    async def look_up(found):
        calls.append(found)
        return found

    assert await hub.recall(("blog", "a"), lambda: look_up("blog-1"), seconds=60) == "blog-1"
    assert await hub.recall(("blog", "a"), lambda: look_up("blog-1"), seconds=60) == "blog-1"
    assert calls == ["blog-1"]
    assert await hub.recall(("blog", "b"), lambda: look_up(None), seconds=60) is None
    assert await hub.recall(("blog", "b"), lambda: look_up(None), seconds=60) is None
    assert calls == ["blog-1", None, None]
    assert await hub.recall(("blog", "c"), lambda: look_up("blog-3"), seconds=0) == "blog-3"
    assert await hub.recall(("blog", "c"), lambda: look_up("blog-3"), seconds=0) == "blog-3"
    assert calls[-2:] == ["blog-3", "blog-3"]  # remembered for no time: asked again


class EndingReader(Reader):
    ended = False

    def heartbeat(self, heartbeat, *, write=True):
        pass

    def end(self):
        self.ended = True


async def until(condition) -> None:
    for _ in range(250):  # a bounded wait for the channel layer to carry the message
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the other process's hub was never told")


@pytest.mark.django_db(transaction=True)
async def test_another_process_forgets_a_rewritten_stream_and_lets_go_of_a_deleted_one():
    other_process, reader = Hub(), EndingReader(0, [])  # not in this process's hubs: it hears only by the layer
    await other_process.join("blog-1", reader)
    try:
        other_process.recent["blog-1"] = deque([Frame(seq=1, text="<div>withdrawn text</div>")])
        await sync_to_async(events.forget_replay)("blog-1")
        await until(lambda: "blog-1" not in other_process.recent)

        await sync_to_async(events._forget_stream)("blog-1")
        await until(lambda: reader.ended)
        assert "blog-1" not in other_process.readers
    finally:
        for task in other_process._tasks:
            task.cancel()
