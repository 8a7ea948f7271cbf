"""Hostile content, forged requests, stale forms and misbehaving sockets never reach readers."""

import json
import logging

import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from config.asgi import application
from liveblog.models import Post, Quote
from liveblog.services import QuoteData, post_create, post_delete, post_restore, post_update
from streams.models import Event
from tests.helpers import POLICY_VIOLATION, open_reader, publish_post_async
from tests.liveblog.test_admin import form_data

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p>Count <img src=x onerror="alert(1)"> done</p>'
    '<a href="javascript:alert(2)">click</a>'
    '<div hx-get="/admin/" hx-trigger="load" data-hx-post="/x" id="pinned" style="position:fixed;top:0">Over</div>'
    "<script>alert(3)</script>"
)


def test_a_hostile_body_is_stored_clean(blog, reporter, publish):
    post = publish(reporter, body=HOSTILE)
    post.refresh_from_db()
    for forbidden in ("onerror", "javascript:", "hx-", "<script", 'id="pinned"', "style=", "<img"):
        assert forbidden not in post.body, forbidden
    assert "Count" in post.body and "Over" in post.body


def test_user_content_sits_in_an_htmx_disabled_container(client, blog, reporter, publish):
    publish(reporter, body="<p>Plain</p>")
    html = client.get(blog.get_absolute_url()).content.decode()
    assert '<div class="post__body" hx-disable><p>Plain</p></div>' in html


def test_reader_pages_send_a_strict_content_security_policy(client, blog, night):
    for url in (blog.get_absolute_url(), "/results/hartlepool-2021/", "/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert '"allowEval": false' in client.get(blog.get_absolute_url()).content.decode()


async def test_a_socket_from_a_foreign_origin_is_refused(blog):
    communicator = WebsocketCommunicator(
        application, f"/ws/live/{blog.slug}/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected


@override_settings(DEBUG=False, ALLOWED_HOSTS=["live.example.org"])
async def test_a_socket_without_an_origin_is_refused_in_production(blog):
    communicator = WebsocketCommunicator(application, f"/ws/live/{blog.slug}/")
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_a_client_that_keeps_sending_is_closed_and_others_are_unaffected(blog, reporter):
    from channels.db import database_sync_to_async

    noisy = await open_reader(blog)
    quiet = await open_reader(blog)
    for _ in range(5):
        await noisy.send_to(text_data=json.dumps({"type": "resume", "after": 0}))
    closed = None
    for _ in range(20):
        output = await noisy.receive_output(timeout=2)
        if output["type"] == "websocket.close":
            closed = output
            break
    assert closed == {"type": "websocket.close", "code": POLICY_VIOLATION}
    await publish_post_async(blog, reporter, headline="Still flowing")
    assert "Still flowing" in await quiet.receive_from(timeout=3)
    await quiet.disconnect()
    await database_sync_to_async(lambda: None)()


def test_a_reporters_forged_changelist_edit_of_anothers_post_writes_nothing(client, blog, reporter, other_reporter):
    post = post_create(post=Post(blog=blog, headline="Theirs"), actor=other_reporter).post
    client.force_login(reporter)
    response = client.post(
        "/admin/liveblog/post/",
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(post.pk),
         "form-0-is_key_event": "on", "_save": "Save"},
    )  # fmt: skip
    assert response.status_code in (200, 302, 403)
    post.refresh_from_db()
    assert not post.is_key_event


def test_an_editors_changelist_edit_keeps_the_quotes(client, blog, reporter, editor):
    post = post_create(
        post=Post(blog=blog, headline="Quoted"), actor=reporter, quotes=[QuoteData("Words.", "Someone")]
    ).post
    client.force_login(editor)
    client.post(
        "/admin/liveblog/post/",
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(post.pk),
         "form-0-is_key_event": "on", "_save": "Save"},
    )  # fmt: skip
    post.refresh_from_db()
    assert post.is_key_event and post.quotes.count() == 1


def test_a_stale_edit_form_gets_a_conflict_showing_what_changed_and_keeps_the_typing(client, blog, reporter, editor):
    post = post_create(post=Post(blog=blog, headline="Original"), actor=reporter).post
    client.force_login(editor)
    page = client.get(f"/admin/liveblog/post/{post.pk}/change/").content.decode()
    assert 'name="edited_version" value="0"' in page
    post.headline = "Reporter's fix"
    post_update(post=post, actor=reporter)
    response = client.post(
        f"/admin/liveblog/post/{post.pk}/change/",
        form_data(blog, headline="Editor's rewrite", edited_version="0"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "reporter saved this post" in html and "“Original” → “Reporter&#x27;s fix”" in html
    assert 'value="Editor&#x27;s rewrite"' in html  # nothing typed is lost
    post.refresh_from_db()
    assert post.headline == "Reporter's fix"


def test_every_change_is_recorded_with_who_made_it(blog, reporter, editor):
    from liveblog.services import post_pin

    post = post_create(post=Post(blog=blog, headline="First"), actor=reporter).post
    post.headline = "Second"
    post_update(post=post, actor=reporter)
    post_pin(post=post, actor=editor)
    post_delete(post=post, actor=editor)
    history = list(Post.history.filter(id=post.pk).order_by("history_date"))
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", reporter), ("~", reporter), ("~", editor), ("-", editor)
    ]  # fmt: skip


def test_an_editor_restores_a_deleted_post_with_its_quotes_and_readers_get_it_back(blog, reporter, editor):
    post = post_create(post=Post(blog=blog, headline="Gone too soon"), actor=reporter,
                     quotes=[QuoteData("First words.", "A"), QuoteData("Second words.", "B")]).post  # fmt: skip
    post.headline = "Edited before deletion"
    post_update(post=post, actor=reporter, quotes=[QuoteData("Only these.", "C")])
    post_delete(post=post, actor=editor)
    record = Post.history.get(id=post.pk, history_type="-")
    restored = post_restore(history_id=record.history_id, actor=editor)
    assert restored.pk == post.pk and restored.headline == "Edited before deletion"
    assert list(Quote.objects.filter(post=restored).values_list("text", flat=True)) == ["Only these."]
    assert Event.objects.order_by("-seq").first().kind == "post.published"


def test_a_reporter_cannot_restore_deleted_posts(client, blog, reporter, editor):
    post = post_create(post=Post(blog=blog, headline="Gone"), actor=reporter).post
    post_delete(post=post, actor=editor)
    client.force_login(reporter)
    assert client.get("/admin/liveblog/post/deleted/").status_code == 403
    client.force_login(editor)
    assert "Gone" in client.get("/admin/liveblog/post/deleted/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_save_writes_no_history(blog, reporter):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        post_create(post=Post(blog=blog, headline="Never"), actor=reporter)
        raise RuntimeError("abort")
    assert Post.history.count() == 0 and Event.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_a_reporter_still_saves_from_the_admin_and_the_failure_is_logged(
    client, blog, reporter, caplog
):
    dead_redis = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                              "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]}}}  # fmt: skip
    from channels.layers import channel_layers

    client.force_login(reporter)
    with override_settings(CHANNEL_LAYERS=dead_redis), caplog.at_level(logging.ERROR, logger="streams.events"):
        channel_layers.backends.clear()
        response = client.post("/admin/liveblog/post/add/", form_data(blog, headline="Saved anyway"))
    channel_layers.backends.clear()
    assert response.status_code == 302
    assert Post.objects.filter(headline="Saved anyway").exists()
    assert Event.objects.filter(stream__key=blog.stream_key).count() == 1  # readers catch up from this
    assert "readers will catch up" in caplog.text


def test_admin_logins_lock_after_repeated_failures(client, reporter):
    for _ in range(5):
        client.post("/admin/login/?next=/admin/", {"username": "reporter", "password": "wrong"})
    response = client.post("/admin/login/?next=/admin/", {"username": "reporter", "password": "pw-reporter"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works_before_any_lockout(client, reporter):
    response = client.post("/admin/login/?next=/admin/", {"username": "reporter", "password": "pw-reporter"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(reporter.pk)


def test_production_settings_pass_the_deploy_check():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 30 + "-production-like-secret-0123456789",
           "DJANGO_ALLOWED_HOSTS": "live.example.org"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
