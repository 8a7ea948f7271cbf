"""Broadcasting when Redis drops its connections or freezes: the write stands, the failure is one line."""

import asyncio
import logging
import runpy
import threading
from pathlib import Path

import pytest
import redis
from asgiref.sync import sync_to_async
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.db import connection

from liveblog.models import Post
from streams import events
from tests.helpers import publish_post

LAYER_NAME = "engine-test-layer"


def _layers(url: str, **extra) -> dict:
    host = {"address": url, **settings.REDIS_TIMEOUTS, **extra}
    return {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [host]}}}


def _kill_connections_named(url: str, name: str) -> int:
    """What a Redis restart does to a process's connections, without restarting the shared server."""
    admin = redis.Redis.from_url(url)
    try:
        ids = [client["id"] for client in admin.client_list() if client.get("name") == name]
        for client_id in ids:
            admin.client_kill_filter(_id=client_id)
        return len(ids)
    finally:
        admin.close()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
async def test_the_first_broadcast_after_redis_drops_its_connections_still_reaches_other_processes(
    blog, settings, caplog
):
    settings.CHANNEL_LAYERS = _layers(settings.REDIS_URL, client_name=LAYER_NAME)
    other_process = RedisPubSubChannelLayer(hosts=[settings.REDIS_URL])
    channel = await other_process.new_channel()
    await other_process.group_add(events.group_name(blog.stream_key), channel)
    try:
        broadcast = sync_to_async(events.broadcast)
        await broadcast(blog.stream_key, events.Frame(seq=1, text="<div>one</div>"))
        assert (await asyncio.wait_for(other_process.receive(channel), 5))["seq"] == 1
        assert await sync_to_async(_kill_connections_named)(settings.REDIS_URL, LAYER_NAME) >= 1

        with caplog.at_level(logging.WARNING, logger="streams.events"):
            await broadcast(blog.stream_key, events.Frame(seq=2, text="<div>two</div>"))
        assert (await asyncio.wait_for(other_process.receive(channel), 5))["seq"] == 2
        assert "failed" not in caplog.text
    finally:
        await other_process.flush()


@pytest.mark.django_db(transaction=True)
def test_a_failed_broadcast_is_logged_in_one_line_without_a_traceback(blog, settings, caplog):
    settings.CHANNEL_LAYERS = _layers("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with caplog.at_level(logging.WARNING, logger="streams.events"):
        events.broadcast(blog.stream_key, events.Frame(seq=1, text="<div>one</div>"))
    [record] = [r for r in caplog.records if r.name == "streams.events"]
    assert "readers will catch up" in record.getMessage() and "\n" not in record.getMessage()
    assert record.exc_info is None


def _redis_settings(url: str, monkeypatch) -> dict:
    """The project's own channel layer and cache settings, as config/settings.py makes them for `url`."""
    monkeypatch.setenv("REDIS_URL", url)
    loaded = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))
    return {"CHANNEL_LAYERS": loaded["CHANNEL_LAYERS"], "CACHES": loaded["CACHES"]}


def test_the_channel_layer_and_the_cache_give_up_on_a_silent_redis_after_the_configured_seconds(monkeypatch):
    monkeypatch.setenv("REDIS_SOCKET_TIMEOUT_SECONDS", "0.5")
    configured = _redis_settings("redis://127.0.0.1:6379/0", monkeypatch)
    [host] = configured["CHANNEL_LAYERS"]["default"]["CONFIG"]["hosts"]
    assert host["socket_timeout"] == 0.5 and host["socket_connect_timeout"] == 1
    assert configured["CACHES"]["default"]["OPTIONS"] == {"socket_connect_timeout": 1, "socket_timeout": 0.5}


@pytest.mark.django_db(transaction=True)
def test_with_redis_frozen_a_reporter_still_publishes_and_the_post_is_stored(
    blog, reporter, settings, redis_server, monkeypatch, caplog
):
    for name, value in _redis_settings(redis_server.url, monkeypatch).items():
        setattr(settings, name, value)
    redis_server.freeze()
    outcome = {}

    def publish():
        try:
            outcome["post"] = publish_post(blog, reporter, headline="Filed while Redis is frozen")
        except Exception as error:  # noqa: BLE001 - the test reports whatever escaped
            outcome["error"] = error
        finally:
            connection.close()

    # A bounded wait, not a timing: without timeouts the call never returns while Redis is frozen.
    writer = threading.Thread(target=publish, daemon=True)
    writer.start()
    writer.join(60)
    redis_server.thaw()
    assert not writer.is_alive(), "the publish hung on the frozen Redis"
    assert "error" not in outcome, outcome.get("error")
    assert Post.objects.filter(headline="Filed while Redis is frozen").exists()
    assert "readers will catch up" in caplog.text
