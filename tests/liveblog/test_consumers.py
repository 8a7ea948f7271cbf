import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client

from liveblog.models import Post
from liveblog.services import post_delete, post_pin, post_update
from tests.helpers import (
    NOT_FOUND,
    POLICY_VIOLATION,
    next_frame,
    open_reader,
    publish_post_async,
    reader_socket,
    seq_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def admin_post(user, data):
    client = Client()
    client.force_login(user)
    form = {
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
        "status": "published",
        "published_at": "2021-05-07T04:20:00",
        **data,
    }
    return client.post("/admin/liveblog/post/add/", form)


async def test_a_reporter_publishing_through_the_admin_reaches_a_connected_socket(blog, reporter):
    communicator = await open_reader(blog)
    response = await admin_post(
        reporter,
        {
            "blog": str(blog.pk),
            "headline": "Mortimer wins",
            "body": "<p>Con gain</p>",
            "quotes-0-text": "A new chapter.",
            "quotes-0-speaker_name": "Jill Mortimer",
            "quotes-0-speaker_role": "Conservative candidate",
        },
    )
    assert response.status_code == 302
    frame = await next_frame(communicator)
    assert seq_of(frame) == 1
    assert "Mortimer wins" in frame
    assert "A new chapter." in frame and "Jill Mortimer" in frame
    assert 'hx-swap-oob="afterbegin:#stream"' in frame
    await communicator.disconnect()


async def test_a_draft_does_not_reach_the_socket(blog, reporter):
    communicator = await open_reader(blog)
    await publish_post_async(blog, reporter, status=Post.Status.DRAFT)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_edits_deletions_and_pins_reach_the_socket_replacing_elements_by_id(blog, reporter, editor):
    post = await publish_post_async(blog, reporter, headline="First")
    communicator = await open_reader(blog, after=1)

    post.headline = "Second"
    await database_sync_to_async(post_update)(post=post, actor=reporter)
    edit = await next_frame(communicator)
    assert seq_of(edit) == 2
    assert f'<article id="post-{post.pk}"' in edit and 'hx-swap-oob="true"' in edit and "Second" in edit

    await database_sync_to_async(post_pin)(post=post, actor=editor)
    pin = await next_frame(communicator)
    assert seq_of(pin) == 3
    assert 'hx-swap-oob="afterbegin:#pinned"' in pin and f'id="post-{post.pk}"' in pin

    await database_sync_to_async(post_delete)(post=post, actor=editor)
    deletion = await next_frame(communicator)
    assert seq_of(deletion) == 4
    assert f'<div id="post-{post.pk}" hx-swap-oob="delete">' in deletion
    await communicator.disconnect()


async def test_resume_replays_every_missed_event_in_order(blog, reporter):
    for n in range(3):
        await publish_post_async(blog, reporter, headline=f"Missed {n}")
    communicator = await open_reader(blog, after=1)
    assert [seq_of(frame) for frame in communicator.replayed] == [2, 3]
    await publish_post_async(blog, reporter, headline="Live")
    assert seq_of(await next_frame(communicator)) == 4
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_a_resume_beyond_the_replay_window_is_told_to_reload(blog, reporter, monkeypatch):
    monkeypatch.setattr(settings, "LIVEBLOG_REPLAY_WINDOW", 2)
    for _ in range(4):
        await publish_post_async(blog, reporter)
    communicator = await open_reader(blog, after=0)
    [frame] = communicator.replayed
    assert 'data-kind="reload"' in frame and seq_of(frame) == 4
    await communicator.disconnect()


async def test_any_message_other_than_the_resume_handshake_closes_the_socket(blog):
    communicator = reader_socket(f"/ws/live/{blog.slug}/")
    await communicator.connect()
    await communicator.send_to(text_data='{"type": "publish", "body": "hi"}')
    assert await communicator.receive_output(timeout=2) == {"type": "websocket.close", "code": POLICY_VIOLATION}


async def test_a_socket_for_an_unknown_blog_is_refused(db):
    communicator = reader_socket("/ws/live/no-such-blog/")
    connected, code = await communicator.connect()
    assert not connected and code == NOT_FOUND


@pytest.mark.redis
async def test_the_redis_channel_layer_carries_frames_between_processes(blog, reporter):
    from channels.layers import get_channel_layer

    assert type(get_channel_layer()).__module__.startswith("channels_redis")
    communicator = await open_reader(blog)
    await publish_post_async(blog, reporter, headline="Through Redis")
    assert "Through Redis" in await next_frame(communicator)
    await communicator.disconnect()
