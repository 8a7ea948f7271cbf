"""Who else has a room open: advisory presence over the channel layer, kept by nobody.

Each socket announces itself to its room's group when it opens, and every socket
already there answers the newcomer directly, so each page learns who is in the room
without any shared list to go stale. A socket that closes says goodbye; one whose
process died simply stops refreshing, and pages forget it after a while
(PRESENCE_FORGET_SECONDS on the page, refreshed every PRESENCE_REFRESH_SECONDS).

Every arrival is told to the whole room and answered by each member, so the sockets
one person may hold open on a process are capped, and a socket that talks faster
than a page refreshes is closed.
"""

import json
import time
from collections import Counter, deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import ClassVar

from channels.generic.websocket import AsyncWebsocketConsumer

NOT_ALLOWED = 4403
TOO_MANY_SOCKETS = 4429
POLICY_VIOLATION = 1008
PRESENCE_REFRESH_SECONDS = 20
MAX_MESSAGE_BYTES = 256
# A page sends one refresh every PRESENCE_REFRESH_SECONDS: this is a generous margin over that.
MAX_MESSAGES, PER_SECONDS = 5, 10.0


@dataclass(frozen=True)
class Seat:
    """Where a socket sits: its room, whose it is (counted against the cap) and what others see of it."""

    room: str
    person: Hashable
    seen: dict


class PresenceConsumer(AsyncWebsocketConsumer):
    """Subclasses say, from the scope, which room a socket joins and how its user is named."""

    # Enough for a person's posting form open in a few tabs and windows.
    sockets_per_person: ClassVar[int] = 6
    _open_by_person: ClassVar[Counter] = Counter()  # this process's sockets, by Seat.person

    room: str | None = None
    person: Hashable | None = None

    async def identify(self) -> Seat | None:
        """Where this socket sits, or None to refuse it."""
        raise NotImplementedError

    @property
    def group(self) -> str:
        return f"presence.{self.room}"

    async def connect(self):
        seat = await self.identify()
        if seat is None:
            await self.close(code=NOT_ALLOWED)
            return
        if self._open_by_person[seat.person] >= self.sockets_per_person:
            await self.close(code=TOO_MANY_SOCKETS)
            return
        self._open_by_person[seat.person] += 1
        self.person, self.room = seat.person, seat.room
        self.me = {**seat.seen, "id": self.channel_name}
        self.announced_at = 0.0
        self.recent_messages = deque(maxlen=MAX_MESSAGES)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._announce(ask_back=True)

    async def receive(self, text_data=None, bytes_data=None):
        """The page's only message is a refresh; anything else is ignored, and too many of anything closes."""
        now = time.monotonic()
        recent = self.recent_messages
        if len(recent) == MAX_MESSAGES and now - recent[0] < PER_SECONDS:
            await self.close(code=POLICY_VIOLATION)
            return
        recent.append(now)
        if not text_data or len(text_data) > MAX_MESSAGE_BYTES:
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            return
        refresh_due = now - self.announced_at >= PRESENCE_REFRESH_SECONDS / 2
        if message == {"type": "still-here"} and refresh_due:
            await self._announce(ask_back=False)

    async def disconnect(self, code):
        if self.person is not None:
            self._open_by_person[self.person] -= 1
            if self._open_by_person[self.person] <= 0:
                del self._open_by_person[self.person]
            self.person = None
        if self.room is None:
            return
        await self.channel_layer.group_send(self.group, {"type": "presence.gone", "id": self.channel_name})
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _announce(self, *, ask_back: bool) -> None:
        self.announced_at = time.monotonic()
        await self.channel_layer.group_send(self.group, {"type": "presence.here", "who": self.me, "ask_back": ask_back})

    async def presence_here(self, event):
        who = event["who"]
        if who["id"] == self.channel_name:
            return
        await self.send(text_data=json.dumps({"type": "here", "who": who}))
        if event["ask_back"]:
            await self.channel_layer.send(who["id"], {"type": "presence.here", "who": self.me, "ask_back": False})

    async def presence_gone(self, event):
        if event["id"] != self.channel_name:
            await self.send(text_data=json.dumps({"type": "gone", "id": event["id"]}))
