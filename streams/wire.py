"""Writing frames to reader sockets: encoded once, then written as the same bytes to each.

A frame becomes one WebSocket text message (RFC 6455: FIN, text opcode, unmasked
because the server sends it, no compression) a single time, by whoever first needs
it. On the connection type bin/serve runs (uvicorn's websockets-sansio protocol),
writing it to a reader is one `transport.write` of those bytes: no encoding, no
framing and no coroutine per reader. Any other ASGI server, including the test
communicator, gets the standard `websocket.send` message through an Outbox.

A reader whose unsent bytes pass the limit has stopped reading. It is cut off,
reconnects, and resumes from the database; it never makes anyone else wait.
See docs/architecture.md.
"""

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Protocol

from .outbox import Outbox

logger = logging.getLogger(__name__)

TRY_AGAIN_LATER = 1013


def encode_text_message(text: str) -> bytes:
    payload = text.encode()
    length = len(payload)
    if length < 126:
        header = bytes((0x81, length))
    elif length < 1 << 16:
        header = bytes((0x81, 126)) + length.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + length.to_bytes(8, "big")
    return header + payload


class Encoded(Protocol):
    """A frame as readers are sent it: its bytes on the wire and its ASGI message."""

    wire: bytes
    message: dict


class SocketWriter(Protocol):
    """What a reader socket writes its frames through."""

    def write(self, frame: Encoded) -> bool:
        """Write or queue the frame; False when the reader is too far behind to keep."""

    def has_room(self) -> bool:
        """Whether a replay may write more now: at most half the bound is waiting to be sent."""

    def discard(self) -> None:
        """The socket closed: drop whatever is still held for it."""

    def cut_off(self) -> None:
        """Drop the connection of a reader too far behind; it reconnects and resumes."""


# What a reader's socket may hold in the kernel. Left alone, Linux grows a socket's send
# buffer to megabytes on a fast link (net.ipv4.tcp_wmem), all of it held for a reader who
# has stopped reading; capped, the kernel's share counts against the reader's bound.
KERNEL_SEND_BUFFER = 64 * 1024


def cap_kernel_send_buffer(transport, limit_bytes: int) -> int:
    """Cap the socket's kernel send buffer; returns what the kernel granted (Linux doubles the request)."""
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None:
        return 0
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, min(KERNEL_SEND_BUFFER, limit_bytes // 4))
        return sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    except OSError:
        return 0


class TransportWriter:
    """Writes a frame's bytes straight to a uvicorn websockets-sansio connection.

    A reader holds at most `limit_bytes` in all: the kernel's capped send buffer, and
    the rest in the transport's own buffer.
    """

    def __init__(self, connection, limit_bytes: int):
        self.connection = connection
        self.limit_bytes = max(limit_bytes - cap_kernel_send_buffer(connection.transport, limit_bytes), 0)

    def write(self, frame: Encoded) -> bool:
        """False when the reader is too far behind to keep."""
        connection = self.connection
        if connection.close_sent or connection.disconnected:
            return True  # closing: its disconnect is on the way
        transport = connection.transport
        if transport.get_write_buffer_size() > self.limit_bytes:
            return False
        transport.write(frame.wire)
        return True

    def has_room(self) -> bool:
        connection = self.connection
        if connection.close_sent or connection.disconnected:
            return True
        return connection.transport.get_write_buffer_size() <= self.limit_bytes // 2

    def discard(self) -> None:
        pass  # nothing is held here: unsent bytes live in the transport, which closes with the socket

    def cut_off(self) -> None:
        # A close frame would wait behind everything the reader has not read; drop it all instead.
        self.connection.transport.abort()


class AsgiWriter:
    """Any ASGI server: standard `websocket.send` messages, queued while a send has to wait."""

    def __init__(self, send, limit_bytes: int):
        self.send = send
        self.outbox = Outbox(send, limit_bytes=limit_bytes)

    def write(self, frame: Encoded) -> bool:
        return self.outbox.push(frame.message)

    def has_room(self) -> bool:
        return self.outbox.backlog_bytes <= self.outbox.limit_bytes // 2

    def discard(self) -> None:
        self.outbox.cancel()

    def cut_off(self) -> None:
        self.outbox.cancel()
        asyncio.ensure_future(self.send({"type": "websocket.close", "code": TRY_AGAIN_LATER}))


def _sansio_protocol() -> type | None:
    """uvicorn's sans-I/O WebSocket protocol class, when uvicorn and websockets are installed.

    TransportWriter reads its `transport`, `close_sent` and `disconnected`: private
    internals of the pinned uvicorn, checked by tests/streams/test_wire.py against a
    real uvicorn server, so an upgrade that moves them fails there, not in production.
    """
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    except ImportError:
        return None
    return WebSocketsSansIOProtocol


def _writer_for(protocol: type | None) -> Callable[..., SocketWriter]:
    """Chosen once, at start-up: the fastest writer this installation allows."""
    if protocol is None:
        return AsgiWriter

    def fastest_writer(send, limit_bytes: int) -> SocketWriter:
        connection = getattr(send, "__self__", None)
        if isinstance(connection, protocol):
            return TransportWriter(connection, limit_bytes)
        return AsgiWriter(send, limit_bytes)

    return fastest_writer


_make_writer = _writer_for(_sansio_protocol())


def socket_writer(send, *, limit_bytes: int) -> SocketWriter:
    """The writer for the connection behind `send`: its transport on uvicorn's sans-I/O protocol, else ASGI."""
    return _make_writer(send, limit_bytes)
