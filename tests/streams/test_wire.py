import asyncio

import pytest
from websockets.frames import Frame as WsFrame
from websockets.frames import Opcode
from websockets.streams import StreamReader

from streams.events import Frame
from streams.wire import AsgiWriter, TransportWriter, encode_text_message, socket_writer


def parse(data: bytes) -> WsFrame:
    """Read one frame back with the websockets library's own parser, as a client would."""
    reader = StreamReader()
    reader.feed_data(data)
    parser = WsFrame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        return done.value
    raise AssertionError("incomplete frame")


@pytest.mark.parametrize("length", [0, 125, 126, 65535, 65536])
def test_a_frame_is_encoded_as_one_unmasked_final_text_message_of_any_length(length):
    text = "é" * (length // 2) + "x" * (length % 2)
    parsed = parse(encode_text_message(text))
    assert parsed.opcode is Opcode.TEXT and parsed.fin
    assert parsed.data.decode() == text


def test_a_frame_is_encoded_once_however_many_readers_take_it():
    frame = Frame(seq=1, text="<div>x</div>")
    assert frame.wire is frame.wire
    assert frame.message is frame.message and frame.message == {"type": "websocket.send", "text": "<div>x</div>"}


class Transport:
    def __init__(self, buffered=0):
        self.written, self.buffered, self.aborted = [], buffered, False

    def get_write_buffer_size(self):
        return self.buffered

    def write(self, data):
        self.written.append(data)

    def abort(self):
        self.aborted = True

    def get_extra_info(self, name):
        return None  # no real socket behind it


class Connection:
    """The attributes of uvicorn's websockets-sansio connection that the writer reads."""

    def __init__(self, transport):
        self.transport, self.close_sent, self.disconnected = transport, False, False


def test_a_healthy_reader_gets_the_frames_bytes_written_to_its_transport():
    transport = Transport()
    frame = Frame(seq=1, text="<div>x</div>")
    assert TransportWriter(Connection(transport), limit_bytes=1024).write(frame)
    assert transport.written == [frame.wire]


def test_a_reader_whose_unsent_bytes_pass_the_limit_is_refused_and_cut_off_without_waiting():
    transport = Transport(buffered=2048)
    writer = TransportWriter(Connection(transport), limit_bytes=1024)
    assert not writer.write(Frame(seq=1, text="<div>x</div>"))
    assert transport.written == []
    writer.cut_off()
    assert transport.aborted


def test_a_closing_connection_is_not_written_to():
    connection = Connection(Transport())
    connection.close_sent = True
    assert TransportWriter(connection, limit_bytes=1024).write(Frame(seq=1, text="x"))
    assert connection.transport.written == []


async def test_uvicorn_sansio_connections_get_the_transport_writer_and_others_the_asgi_one():
    from uvicorn.config import Config
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from uvicorn.server import ServerState

    async def app(scope, receive, send):
        pass

    connection = WebSocketsSansIOProtocol(Config(app=app), ServerState(), {}, _loop=asyncio.get_running_loop())
    assert isinstance(socket_writer(connection.send, limit_bytes=1), TransportWriter)

    async def other_server_send(message):
        pass

    assert isinstance(socket_writer(other_server_send, limit_bytes=1), AsgiWriter)


async def test_the_transport_writer_works_on_a_real_uvicorn_sansio_connection():
    """Fails loudly if an upgrade of the pinned uvicorn moves the internals the fast writer reads."""
    import socket

    import uvicorn
    from websockets.asyncio.client import connect

    writers, kernel_buffers, closed = [], [], asyncio.Event()
    frame = Frame(seq=7, text='<div data-seq="7">over the wire</div>')

    async def app(scope, receive, send):
        assert scope["type"] == "websocket"
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        writer = socket_writer(send, limit_bytes=64 * 1024)
        writers.append(writer)
        sock = send.__self__.transport.get_extra_info("socket")
        kernel_buffers.append(sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))
        assert writer.write(frame)
        assert (await receive())["type"] == "websocket.disconnect"
        assert writer.write(frame)  # a gone connection is not written to, and the reader is not cut off
        closed.set()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, ws="websockets-sansio", lifespan="off", log_level="error")
    server = uvicorn.Server(config)
    serving = asyncio.ensure_future(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        async with connect(f"ws://127.0.0.1:{port}/", compression=None) as client:
            assert await asyncio.wait_for(client.recv(), 5) == frame.text
        await asyncio.wait_for(closed.wait(), 5)
    finally:
        server.should_exit = True
        await serving
    assert [type(writer) for writer in writers] == [TransportWriter]
    # The kernel's share of the reader's bound is capped (Linux doubles what it is asked for),
    # and what the transport may hold is the rest of the bound.
    [kernel] = kernel_buffers
    assert 0 < kernel <= 2 * (64 * 1024 // 4)
    assert writers[0].limit_bytes == 64 * 1024 - kernel
