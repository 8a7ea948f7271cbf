"""Reference: the plainest fast Python broadcast, websockets.broadcast to every connection.

Run: python -m bench.ref_websockets READERS_PORT PUBLISH_PORT. Readers connect to
ws://127.0.0.1:READERS_PORT; the bench sends each frame as one line of JSON (a JSON
string, so the frame's own newlines are escaped) to 127.0.0.1:PUBLISH_PORT, and it is
broadcast as it is.
"""

import asyncio
import json
import sys

from websockets.asyncio.server import broadcast, serve
from websockets.exceptions import ConnectionClosed

connections = set()


async def reader(websocket):
    connections.add(websocket)
    try:
        async for _message in websocket:
            pass  # the resume handshake is read and ignored
    except ConnectionClosed:
        pass  # benchmark readers drop their connections without a closing handshake
    finally:
        connections.discard(websocket)


async def publisher(stream_reader, stream_writer):
    while line := await stream_reader.readline():
        broadcast(connections, json.loads(line))
    stream_writer.close()


async def main(port: int, publish_port: int):
    # Keepalive pings stay at the library's default (every 20 s), as uvicorn's do for the project's server.
    async with serve(reader, "127.0.0.1", port, compression=None, max_queue=None):
        server = await asyncio.start_server(publisher, "127.0.0.1", publish_port)
        async with server:
            await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
