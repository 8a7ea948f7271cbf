"""A lean WebSocket reader for load tests: thousands fit in one process.

It speaks just enough of RFC 6455 for a read-only reader: the upgrade, one
masked text message (the resume handshake), unmasked server frames, pings
and close. It records when each seq arrives and reconnects with jittered
backoff, resuming from the last seq it has.
"""

import asyncio
import base64
import json
import os
import random
import re
import time

SEQ = re.compile(rb'data-seq="(\d+)"')
HEARTBEAT = b'data-kind="heartbeat"'


def masked_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    length = len(payload)
    if length < 126:
        header += bytes([0x80 | length])
    elif length < 65536:
        header += bytes([0x80 | 126]) + length.to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + length.to_bytes(8, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Reader(asyncio.Protocol):
    def __init__(self, host: str, port: int, path: str, *, resume: bool, reconnect: bool, ack: bool = True):
        """ack: the server answers the resume handshake with a heartbeat (references do not)."""
        self.host, self.port, self.path = host, port, path
        self.resume, self.reconnect, self.ack = resume, reconnect, ack
        self.received: dict[int, float] = {}
        self.last_seq = 0
        self.ready = asyncio.get_running_loop().create_future()
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.attempts = 0
        self.closed_by_us = False

    # Connection lifecycle
    async def start(self) -> None:
        while True:
            try:
                await asyncio.get_running_loop().create_connection(lambda: self, self.host, self.port)
                return
            except OSError:
                if not self.reconnect:
                    raise
                await self._backoff()

    async def _backoff(self) -> None:
        self.attempts += 1
        await asyncio.sleep(random.random() * min(5.0, 0.25 * 2 ** min(self.attempts, 5)))

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.buffer.clear()
        self.upgraded = False
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://{self.host}:{self.port}\r\n\r\n".encode()
        )

    def connection_lost(self, exc) -> None:
        self.transport = None
        if self.reconnect and not self.closed_by_us:
            asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        await self._backoff()
        await self.start()

    def close(self) -> None:
        self.closed_by_us = True
        if self.transport is not None:
            self.transport.abort()

    # Frames
    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in self.buffer[:end]:
                self.transport.abort()
                return
            del self.buffer[: end + 4]
            self.upgraded = True
            self.attempts = 0
            if self.resume:
                message = json.dumps({"type": "resume", "after": self.last_seq}).encode()
                self.transport.write(masked_frame(0x1, message))
            if not self.ack and not self.ready.done():
                self.ready.set_result(True)
        while len(self.buffer) >= 2:
            opcode, length, offset = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if length == 126:
                if len(self.buffer) < 4:
                    return
                length, offset = int.from_bytes(self.buffer[2:4], "big"), 4
            elif length == 127:
                if len(self.buffer) < 10:
                    return
                length, offset = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < offset + length:
                return
            payload = bytes(self.buffer[offset : offset + length])
            del self.buffer[: offset + length]
            self._on_frame(opcode, payload, now)

    def _on_frame(self, opcode: int, payload: bytes, now: float) -> None:
        if opcode == 0x1:
            match = SEQ.search(payload, 0, 200)
            if match is None:
                return
            seq = int(match.group(1))
            if HEARTBEAT in payload[:200]:
                if not self.ready.done():
                    self.ready.set_result(True)
                return
            self.received.setdefault(seq, now)
            self.last_seq = max(self.last_seq, seq)
        elif opcode == 0x9:
            self.transport.write(masked_frame(0xA, payload))
        elif opcode == 0x8 and self.transport is not None:
            self.transport.close()
