import io
import logging
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

pytestmark = pytest.mark.django_db


def test_polling_returns_every_frame_after_a_seq_with_an_etag(client, blog, reporter, publish):
    for n in range(3):
        publish(reporter, headline=f"Update {n}")
    response = client.get("/live/hartlepool/events?after=1")
    assert response.status_code == 200
    assert re.findall(r'data-seq="(\d+)"', response.content.decode()) == ["2", "3"]
    assert response["ETag"] == f'"blog-{blog.pk}-1-3"'
    assert "stale-while-revalidate" in response["Cache-Control"] and "max-age=2" in response["Cache-Control"]

    again = client.get("/live/hartlepool/events?after=1", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""

    publish(reporter, headline="Newer")
    changed = client.get("/live/hartlepool/events?after=1", headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200 and "Newer" in changed.content.decode()


def test_polling_beyond_the_window_says_reload(client, blog, reporter, publish, settings):
    settings.LIVEBLOG_REPLAY_WINDOW = 2
    for _ in range(4):
        publish(reporter)
    body = client.get("/live/hartlepool/events?after=0").content.decode()
    assert 'data-kind="reload"' in body and 'data-seq="4"' in body


def test_polling_rejects_a_malformed_seq(client, blog):
    assert client.get("/live/hartlepool/events?after=abc").status_code == 400


def test_the_reader_page_answers_a_matching_etag_with_304_without_rendering(client, blog, reporter, publish):
    publish(reporter, headline="Cached")
    first = client.get("/live/hartlepool/")
    assert "Cached" in first.content.decode()
    assert "public" in first["Cache-Control"] and "stale-while-revalidate" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/live/hartlepool/", headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 304
    assert len(queries) == 2  # the blog and its latest seq; no posts read, nothing rendered


def test_the_rendered_page_is_cached_by_seq_and_a_change_renders_it_again(client, blog, reporter, publish):
    publish(reporter, headline="One")
    client.get("/live/hartlepool/")
    with CaptureQueriesContext(connection) as queries:
        assert "One" in client.get("/live/hartlepool/").content.decode()
    assert len(queries) == 2
    publish(reporter, headline="Two")
    assert "Two" in client.get("/live/hartlepool/").content.decode()


def test_results_page_has_its_own_polling_url(client, night):
    response = client.get("/results/hartlepool-2021/events?after=0")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize("after", ["²", "-1", "1.5", "9" * 5000, str(2**63)])
def test_polling_refuses_anything_but_a_plain_seq_with_a_400(client, blog, night, after):
    assert client.get(f"/live/hartlepool/events?after={after}").status_code == 400
    assert client.get(f"/results/hartlepool-2021/events?after={after}").status_code == 400


@pytest.mark.parametrize("before", ["²", "9" * 5000, "x"])
def test_an_odd_older_posts_cursor_shows_the_page(client, blog, before):
    assert client.get(f"/live/hartlepool/?before={before}").status_code == 200


def test_the_page_cache_keeps_each_host_and_scheme_its_own_links(client, blog, reporter, publish, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    publish(reporter, headline="Links")
    client.get("/live/hartlepool/", headers={"host": "localhost"})
    page = client.get("/live/hartlepool/", headers={"host": "127.0.0.1"}).content.decode()
    assert 'href="http://127.0.0.1/live/hartlepool/"' in page and "localhost" not in page
    secure = client.get("/live/hartlepool/", headers={"host": "127.0.0.1"}, secure=True).content.decode()
    assert 'href="https://127.0.0.1/live/hartlepool/"' in secure


def test_pages_that_answer_htmx_differently_say_so_in_vary(client, blog, night):
    for url in ("/live/hartlepool/", "/live/hartlepool/?before=1", "/results/hartlepool-2021/"):
        assert "HX-Request" in client.get(url)["Vary"]


DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_with_the_page_cache_unreachable_the_page_still_renders(client, blog, reporter, publish, settings, caplog):
    publish(reporter, headline="Still readable")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}}
    response = client.get("/live/hartlepool/")
    assert response.status_code == 200 and "Still readable" in response.content.decode()
    assert "Page cache unreachable" in caplog.text


@pytest.mark.django_db(transaction=True)
async def test_with_the_channel_layer_unreachable_a_reader_still_connects_and_catches_up(blog, reporter, settings):
    from streams.fanout import hub
    from tests.helpers import next_frame, open_reader, publish_post_async

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [DEAD_REDIS]}}
    }
    reader = await open_reader(blog)
    await publish_post_async(blog, reporter, headline="Published while Redis is away")
    await hub().beat()  # what the heartbeat does every few seconds
    assert "Published while Redis is away" in await next_frame(reader)
    await reader.disconnect()


def test_healthz_reports_the_database_and_redis_separately(client, settings):
    settings.REDIS_URL = ""
    assert client.get("/healthz").json() == {"database": "ok", "redis": "not used"}
    settings.REDIS_URL = DEAD_REDIS
    response = client.get("/healthz")
    assert response.status_code == 200  # pages and sockets still work without Redis
    assert response.json()["database"] == "ok" and response.json()["redis"].startswith("down")
    assert "no-cache" in response["Cache-Control"]


def _broken(request):
    raise RuntimeError("a fault nobody expected")


urlpatterns = [path("broken/", _broken)]  # this module is the URLconf of the test below


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_in_production_is_written_with_its_traceback(client, settings):
    [handler] = [h for h in logging.getLogger("django.request").handlers if h.name == "stderr"]
    assert "stream" not in settings.LOGGING["handlers"]["stderr"]  # a StreamHandler's default is stderr
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        client.raise_request_exception = False
        assert client.get("/broken/").status_code == 500
    finally:
        handler.setStream(previous)
    assert "Traceback" in written.getvalue() and "RuntimeError: a fault nobody expected" in written.getvalue()
