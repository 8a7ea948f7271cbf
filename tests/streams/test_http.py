import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
