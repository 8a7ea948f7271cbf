"""Writes frames to one socket without ever making the sender wait for a slow reader.

A send to a healthy socket completes at once, so it is run to completion on
the spot, with no task and no copy. Only a send that has to wait (the
reader's buffers are full) is finished in a task, with later frames queued
behind it. A reader whose queued text passes the limit is cut off, to reconnect and
resume from the database.
See docs/architecture.md.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


def run_eagerly(coro) -> tuple[bool, object]:
    """Step a coroutine until it first waits: (finished, what it waits on)."""
    try:
        return False, coro.send(None)
    except StopIteration:
        return True, None


class Outbox:
    def __init__(self, send: Callable[[dict], Awaitable[None]], limit_bytes: int):
        self._send = send
        self._limit_bytes = limit_bytes
        self._backlog: deque[dict] = deque()
        self._backlog_bytes = 0
        self._task: asyncio.Task | None = None

    @property
    def backlog(self) -> int:
        return len(self._backlog)

    @property
    def backlog_bytes(self) -> int:
        return self._backlog_bytes

    @property
    def limit_bytes(self) -> int:
        return self._limit_bytes

    def push(self, message: dict) -> bool:
        """Send or queue a message; False when the reader is too far behind to keep."""
        if self._task is not None:
            size = len(message["text"])
            if self._backlog_bytes + size > self._limit_bytes:
                return False
            self._backlog.append(message)
            self._backlog_bytes += size
            return True
        coro = self._send(message)
        try:
            finished, waiting_on = run_eagerly(coro)
        except Exception:
            logger.debug("send to a closing socket failed", exc_info=True)
            return True
        if not finished:
            self._task = asyncio.ensure_future(self._finish(coro, waiting_on))
        return True

    async def _finish(self, coro, waiting_on) -> None:
        try:
            while True:
                try:
                    if waiting_on is None:
                        await asyncio.sleep(0)
                    else:
                        await waiting_on
                except Exception:  # the coroutine sees the outcome when resumed
                    logger.debug("socket write finished with an error", exc_info=True)
                try:
                    waiting_on = coro.send(None)
                except StopIteration:
                    break
            while self._backlog:
                message = self._backlog.popleft()
                self._backlog_bytes -= len(message["text"])
                await self._send(message)
        except Exception:
            logger.debug("send to a closing socket failed", exc_info=True)
            self._clear()
        finally:
            self._task = None

    def _clear(self) -> None:
        self._backlog.clear()
        self._backlog_bytes = 0

    def cancel(self) -> None:
        self._clear()
        if self._task is not None:
            self._task.cancel()
            self._task = None
