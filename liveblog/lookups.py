"""Short-lived, per-process memory of which stream a socket URL means.

A reconnect storm opens thousands of sockets at once; each would otherwise read
the same blog row. Thirty seconds is short enough that a blog taken down
stops accepting new sockets promptly.
"""

import time
from collections.abc import Awaitable, Callable

TTL_SECONDS = 30.0


class StreamLookup:
    def __init__(self, find: Callable[[str], Awaitable[str | None]]):
        self._find = find
        self._known: dict[str, tuple[str | None, float]] = {}

    async def __call__(self, slug: str) -> str | None:
        hit = self._known.get(slug)
        now = time.monotonic()
        if hit is not None and hit[1] > now:
            return hit[0]
        key = await self._find(slug)
        if len(self._known) > 10_000:
            self._known.clear()
        self._known[slug] = (key, now + TTL_SECONDS)
        return key

    def forget(self) -> None:
        self._known.clear()
