"""What every live page's script needs to know of the engine: how often the server sends a heartbeat."""

from django.conf import settings


def live(request) -> dict:
    # live.js takes three missed heartbeats as a dead connection (one that dropped without closing).
    return {"live_heartbeat_ms": round(settings.LIVEBLOG_HEARTBEAT_SECONDS * 1000)}
