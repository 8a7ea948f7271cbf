"""A deleted or unpublished post's text leaves every public replay: stored events, resumes and the hub's memory."""

import pytest
from channels.db import database_sync_to_async

from liveblog.models import Post
from liveblog.services import post_delete, post_pin, post_update
from streams.models import Event
from tests.helpers import open_reader, publish_post, publish_post_async, seq_of

SECRET = "Figures the returning officer never announced"


def replay_after(client, blog, after: int = 0) -> str:
    response = client.get(f"{blog.get_absolute_url()}events?after={after}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_deleted_post_is_replayed_as_its_removal_at_the_same_seq(client, blog, reporter, editor):
    secret = publish_post(blog, reporter, headline=SECRET, body=f"<p>{SECRET}, in full.</p>")
    post_update(post=Post.objects.get(pk=secret.pk), actor=reporter)  # an edit: a second event showing it
    publish_post(blog, reporter, headline="Turnout at 42 per cent")
    assert SECRET in replay_after(client, blog)

    post_delete(post=secret, actor=editor)
    replay = replay_after(client, blog)
    assert SECRET not in replay and "Turnout at 42 per cent" in replay
    assert Event.objects.filter(stream__key=blog.stream_key).count() == 4  # tombstones keep their seq
    tombstone = Event.objects.get(stream__key=blog.stream_key, seq=1)
    assert seq_of(tombstone.html) == 1 and f'id="post-{secret.pk}"' in tombstone.html and SECRET not in tombstone.html


def test_an_unpublished_post_leaves_the_replay_too(client, blog, reporter, editor):
    secret = publish_post(blog, reporter, headline=SECRET)
    secret.status = Post.Status.DRAFT
    post_update(post=secret, actor=editor)
    assert SECRET not in replay_after(client, blog)
    assert SECRET in Post.objects.get(pk=secret.pk).headline  # the draft itself is kept for the newsroom


def test_a_deleted_key_event_leaves_the_key_events_lists_stored_with_other_posts(client, blog, reporter, editor):
    secret = publish_post(blog, reporter, headline=SECRET, is_key_event=True)
    other = publish_post(blog, reporter, headline="Labour hold the count hall")
    post_pin(post=other, actor=editor)  # its frame carries the Key events list, naming the secret
    assert SECRET in Event.objects.get(stream__key=blog.stream_key, seq=3).html

    post_delete(post=secret, actor=editor)
    replay = replay_after(client, blog)
    assert SECRET not in replay and "Labour hold the count hall" in replay


@pytest.mark.django_db(transaction=True)
async def test_a_socket_resuming_after_a_deletion_is_not_sent_the_deleted_text(blog, reporter, editor):
    first = await open_reader(blog)  # the hub now remembers the stream's frames for resumes
    secret = await publish_post_async(blog, reporter, headline=SECRET)
    await publish_post_async(blog, reporter, headline="Turnout at 42 per cent")
    await database_sync_to_async(post_delete)(post=secret, actor=editor)

    later = await open_reader(blog, after=0)
    replayed = "".join(later.replayed)
    assert SECRET not in replayed and "Turnout at 42 per cent" in replayed
    assert [seq_of(frame) for frame in later.replayed] == [1, 2, 3]
    await first.disconnect()
    await later.disconnect()
