"""A blog taken back to draft and made public again: readers are told both, and see nothing in between."""

import json

import pytest
from channels.db import database_sync_to_async

from liveblog.models import LiveBlog
from liveblog.services import blog_save
from tests.helpers import (
    HEARTBEAT,
    STREAM_CLOSED,
    close_code,
    next_frame,
    open_reader,
    publish_post_async,
    reader_socket,
    seq_of,
)

pytestmark = pytest.mark.django_db(transaction=True)

IN_THE_DRAFT = "Written while the blog was withdrawn"


async def set_status(blog, editor, status) -> None:
    blog.status = status
    await database_sync_to_async(blog_save)(blog=blog, actor=editor)


async def test_a_withdrawn_blog_tells_its_readers_and_sends_them_nothing_until_it_returns(blog, editor, reporter):
    reader = await open_reader(blog)
    await set_status(blog, editor, LiveBlog.Status.DRAFT)
    closed = await next_frame(reader)
    assert 'data-kind="stream.closed"' in closed and "unavailable" in closed

    await publish_post_async(blog, reporter, headline=IN_THE_DRAFT)
    assert await reader.receive_nothing(timeout=0.5)  # the socket stays open, and quiet

    await set_status(blog, editor, LiveBlog.Status.LIVE)
    reopened = await next_frame(reader)
    assert 'data-kind="stream.reopened"' in reopened and 'id="withdrawn"' in reopened
    # The page asks again from the withdrawal; what went in meanwhile is public now.
    await reader.send_to(text_data=json.dumps({"type": "resume", "after": seq_of(closed)}))
    caught_up = [await next_frame(reader) for _ in range(3)]
    assert IN_THE_DRAFT in caught_up[0] and caught_up[1] == reopened and HEARTBEAT in caught_up[2]
    await reader.disconnect()


@pytest.mark.parametrize("after", ["withdrawal", 0])
async def test_a_socket_resuming_only_after_a_withdrawal_is_sent_nothing_from_the_draft_blog(
    blog, editor, reporter, after
):
    socket = reader_socket(f"/ws/live/{blog.slug}/")
    assert (await socket.connect())[0]
    await set_status(blog, editor, LiveBlog.Status.DRAFT)
    await publish_post_async(blog, reporter, headline=IN_THE_DRAFT)

    resume_after = 1 if after == "withdrawal" else 0  # the withdrawal is the stream's first event
    await socket.send_to(text_data=json.dumps({"type": "resume", "after": resume_after}))
    assert await close_code(socket) == STREAM_CLOSED
    await socket.disconnect()


async def test_a_reader_resuming_from_before_a_withdrawal_after_the_blog_returned_is_sent_everything_in_order(
    blog, editor, reporter
):
    await publish_post_async(blog, reporter, headline="Before")
    await set_status(blog, editor, LiveBlog.Status.DRAFT)
    await publish_post_async(blog, reporter, headline=IN_THE_DRAFT)
    await set_status(blog, editor, LiveBlog.Status.LIVE)
    await publish_post_async(blog, reporter, headline="After")

    reader = await open_reader(blog, after=1)
    kinds = [frame.split('data-kind="', 1)[1].split('"', 1)[0] for frame in reader.replayed]
    # The draft-time post is held back behind the withdrawal; the page asks for it when the blog returns.
    assert kinds == ["stream.closed", "stream.reopened", "post.published"]
    assert "After" in reader.replayed[2]
    await reader.disconnect()
