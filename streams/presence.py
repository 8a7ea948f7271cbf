"""Who else has a room open: advisory presence over the channel layer, kept by nobody.

Each socket announces itself to its room's group when it opens, and every socket
already there answers the newcomer directly, so each page learns who is in the room
without any shared list to go stale. A socket that closes says goodbye; one whose
process died simply stops refreshing, and pages forget it after a while
(PRESENCE_FORGET_SECONDS on the page, refreshed every PRESENCE_REFRESH_SECONDS).
"""

import json
import time

from channels.generic.websocket import AsyncWebsocketConsumer

NOT_ALLOWED = 4403
PRESENCE_REFRESH_SECONDS = 20
MAX_MESSAGE_BYTES = 256


class PresenceConsumer(AsyncWebsocketConsumer):
    """Subclasses say, from the scope, which room a socket joins and how its user is named."""

    room: str | None = None

    async def identify(self) -> tuple[str, dict] | None:
        """(room, what others see of this socket, e.g. {"name": …}), or None to refuse it."""
        raise NotImplementedError

    @property
    def group(self) -> str:
        return f"presence.{self.room}"

    async def connect(self):
        found = await self.identify()
        if found is None:
            await self.close(code=NOT_ALLOWED)
            return
        self.room, seen = found
        self.me = {**seen, "id": self.channel_name}
        self.announced_at = 0.0
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._announce(ask_back=True)

    async def receive(self, text_data=None, bytes_data=None):
        """The page's only message is a refresh; anything else is ignored."""
        if not text_data or len(text_data) > MAX_MESSAGE_BYTES:
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            return
        refresh_due = time.monotonic() - self.announced_at >= PRESENCE_REFRESH_SECONDS / 2
        if message == {"type": "still-here"} and refresh_due:
            await self._announce(ask_back=False)

    async def disconnect(self, code):
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
