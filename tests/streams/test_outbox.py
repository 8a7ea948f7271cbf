import asyncio

from streams.outbox import Outbox


class Socket:
    """Stands in for an ASGI send: instant, or blocked until released, like a full TCP buffer."""

    def __init__(self):
        self.sent = []
        self.gate = None

    async def send(self, message):
        if self.gate is not None:
            await self.gate.wait()
        self.sent.append(message["text"])


async def test_a_healthy_socket_is_written_at_once_without_a_task():
    socket = Socket()
    outbox = Outbox(socket.send, limit_bytes=5)
    assert outbox.push({"text": "a"}) and outbox.push({"text": "b"})
    assert socket.sent == ["a", "b"] and outbox._task is None


async def test_a_blocked_socket_queues_in_order_and_catches_up_when_it_drains():
    socket = Socket()
    socket.gate = asyncio.Event()
    outbox = Outbox(socket.send, limit_bytes=5)
    for text in "abc":
        assert outbox.push({"text": text})
    assert socket.sent == [] and outbox.backlog == 2
    socket.gate.set()
    await asyncio.sleep(0.01)
    assert socket.sent == ["a", "b", "c"] and outbox.backlog == 0


async def test_a_reader_that_stops_reading_is_bounded_and_never_holds_up_others():
    stuck, healthy = Socket(), Socket()
    stuck.gate = asyncio.Event()
    stuck_box, healthy_box = Outbox(stuck.send, limit_bytes=300), Outbox(healthy.send, limit_bytes=300)
    accepted = []
    for n in range(200):
        accepted.append(stuck_box.push({"text": f"{n:03}"}))
        healthy_box.push({"text": f"{n:03}"})
    assert healthy.sent == [f"{n:03}" for n in range(200)]
    assert stuck_box.backlog == 100  # bounded by bytes (3 each); the rest is refused, to be resynced
    assert accepted.count(False) == 99
    stuck_box.cancel()
