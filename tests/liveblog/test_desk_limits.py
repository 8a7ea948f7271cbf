"""The desk's presence socket: only for blogs the user may post to, claims checked, sockets and messages capped."""

import json
from datetime import UTC, datetime

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied

from liveblog import services
from liveblog.models import LiveBlog, Post
from streams.presence import MAX_MESSAGES, PresenceConsumer
from tests.helpers import POLICY_VIOLATION, TOO_MANY_SOCKETS, close_code, publish_post
from tests.liveblog.test_desk import desk_socket, next_message

NOT_ALLOWED = 4403


@pytest.fixture
def draft_blog(db):
    return LiveBlog.objects.create(
        title="Mayoral count: in preparation", slug="mayoral-count", status=LiveBlog.Status.DRAFT,
        starts_at=datetime(2021, 1, 1, tzinfo=UTC),
    )  # fmt: skip


@pytest.mark.django_db
def test_a_contributor_is_not_offered_a_draft_blog_and_cannot_post_into_it(
    client, blog, draft_blog, contributor, reporter
):
    publish_post(draft_blog, reporter, headline="Published before the blog opens")
    post = Post(blog=draft_blog, headline="From the count", status=Post.Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.post_create(post=post, actor=contributor)
    client.force_login(contributor)
    for page in ("/admin/", "/admin/liveblog/post/add/", f"/admin/liveblog/post/add/?blog={draft_blog.pk}"):
        html = client.get(page).content.decode()
        assert blog.title in html and draft_blog.title not in html, page
        assert "Published before the blog opens" not in html, page


@pytest.mark.django_db(transaction=True)
async def test_a_contributor_cannot_sit_at_a_draft_blogs_desk_where_reporters_can(draft_blog, contributor, reporter):
    _, connected, code = await desk_socket(draft_blog, contributor)
    assert not connected and code == NOT_ALLOWED
    socket, connected, _ = await desk_socket(draft_blog, reporter)
    assert connected
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_claim_to_edit_a_post_of_another_blog_is_refused(blog, draft_blog, reporter, editor):
    elsewhere = await database_sync_to_async(services.post_create)(
        post=Post(blog=draft_blog, headline="Elsewhere", status=Post.Status.DRAFT), actor=editor
    )
    _, connected, code = await desk_socket(blog, reporter, post=elsewhere.post)
    assert not connected and code == NOT_ALLOWED


@pytest.mark.django_db(transaction=True)
async def test_nobody_is_shown_editing_a_post_they_may_not_edit(blog, reporter, other_reporter, publish):
    theirs = await database_sync_to_async(publish)(other_reporter, headline="Tom's update")
    watcher, _, _ = await desk_socket(blog, other_reporter)
    claimant, connected, _ = await desk_socket(blog, reporter, post=theirs)
    assert connected  # the reporter may still look at it
    arrived = await next_message(watcher)
    assert arrived["who"]["name"] == "Amira Shah" and arrived["who"]["post"] is None
    await claimant.disconnect()
    await watcher.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_one_person_holds_only_so_many_desk_sockets(blog, reporter):
    cap = PresenceConsumer.sockets_per_person
    sockets = []
    for _ in range(cap):
        socket, connected, _ = await desk_socket(blog, reporter)
        assert connected
        sockets.append(socket)
    _, connected, code = await desk_socket(blog, reporter)
    assert not connected and code == TOO_MANY_SOCKETS
    await sockets.pop().disconnect()
    again, connected, _ = await desk_socket(blog, reporter)
    assert connected
    for socket in [*sockets, again]:
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_desk_socket_that_keeps_talking_is_closed(blog, reporter):
    socket, _, _ = await desk_socket(blog, reporter)
    for _ in range(MAX_MESSAGES + 1):
        await socket.send_to(text_data=json.dumps({"type": "still-here"}))
    assert await close_code(socket) == POLICY_VIOLATION
