"""The posting form as reporters share it: who else is here, and a refused save that can be saved again."""

import json
import re

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from liveblog import services
from liveblog.models import Post
from tests.helpers import reader_socket

QUOTES_NONE = {"quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0"}


def edit_form(post, **fields):
    return {
        "blog": post.blog_id, "headline": post.headline, "body": post.body, "status": post.status,
        "published_at": post.published_at.strftime("%Y-%m-%dT%H:%M:%S"), **QUOTES_NONE, **fields,
    }  # fmt: skip


@pytest.mark.django_db
def test_a_refused_save_shows_the_other_text_and_a_second_save_goes_through(client, blog, reporter, editor, publish):
    post = publish(reporter, headline="Turnout estimate", body="<p>Around 40%.</p>")
    client.force_login(reporter)
    opened = client.get(f"/admin/liveblog/post/{post.pk}/change/").content.decode()
    started_from = re.search(r'name="edited_version" value="(\d+)"', opened).group(1)

    post.body = "<p>Agents now say 42%.</p>"
    services.post_update(post=post, actor=editor)

    mine = edit_form(post, body="<p>Around 40%, say agents at the count.</p>", edited_version=started_from)
    refused = client.post(f"/admin/liveblog/post/{post.pk}/change/", mine)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert 'id="conflict"' in html and "Agents now say 42%." in html  # their text, beside…
    assert "Around 40%, say agents at the count." in html  # …the reporter's own, still in the form
    carried = re.search(r'name="edited_version" value="(\d+)"', html).group(1)
    assert int(carried) == Post.objects.get().version

    merged = edit_form(post, body="<p>Agents now say 42%, up from 40%.</p>", edited_version=carried)
    assert client.post(f"/admin/liveblog/post/{post.pk}/change/", merged).status_code == 302
    assert Post.objects.get().body == "<p>Agents now say 42%, up from 40%.</p>"


@pytest.mark.django_db
def test_after_publishing_the_form_is_empty_and_the_new_post_tops_the_list_with_its_time(client, blog, reporter):
    client.force_login(reporter)
    data = {"blog": blog.pk, "headline": "Count under way", "body": "<p>Boxes open.</p>", "status": "published"}
    response = client.post("/admin/liveblog/post/add/", {**data, **QUOTES_NONE}, follow=True)
    html = response.content.decode()
    post = Post.objects.get()
    assert 'id="id_headline"' in html and 'value="Count under way"' not in html
    latest = html.split('id="latest-posts"')[1]
    first_row = latest.split("<tr")[1]
    assert "Just saved" in first_row and "Count under way" in first_row
    assert post.published_at.astimezone(blog.zone).strftime("%H:%M") in first_row


@pytest.mark.django_db
def test_editing_a_post_returns_to_the_blogs_form(client, blog, reporter, publish):
    post = publish(reporter, headline="First count")
    client.force_login(reporter)
    response = client.post(f"/admin/liveblog/post/{post.pk}/change/", edit_form(post, headline="First count: Seaton"))
    assert response["Location"] == f"/admin/liveblog/post/add/?blog={blog.pk}&just={post.pk}"


@pytest.mark.django_db
def test_the_form_folds_picture_and_embed_and_shows_the_ended_blog_box_only_when_needed(client, blog, reporter):
    client.force_login(reporter)
    html = client.get(f"/admin/liveblog/post/add/?blog={blog.pk}").content.decode()
    assert html.count("<details>") >= 3  # picture, social post, quotes
    assert html.index('id="id_body"') < html.index("<details>")
    assert "post_to_ended_blog" not in html
    blog.status = blog.Status.ENDED
    blog.save()
    html = client.get(f"/admin/liveblog/post/add/?blog={blog.pk}").content.decode()
    assert 'name="post_to_ended_blog"' in html


# Presence: real routing, session cookies and the channel layer (in memory, or Redis in that pass).


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def desk_socket(blog, user, post=None):
    path = f"/ws/desk/{blog.pk}/" + (f"?post={post.pk}" if post else "")
    headers = [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    socket = reader_socket(path, headers=headers)
    connected, code = await socket.connect()
    return socket, connected, code


async def next_message(socket):
    return json.loads(await socket.receive_from(timeout=3))


async def next_news(socket, seen: set):
    """The next message that says something new: the same arrival may be told twice, as pages expect."""
    while True:
        message = await next_message(socket)
        key = (message["type"], message.get("id") or message["who"]["id"])
        if key not in seen:
            seen.add(key)
            return message


@pytest.mark.django_db(transaction=True)
async def test_reporters_on_one_blog_see_each_other_arrive_edit_and_leave(blog, reporter, other_reporter, publish):
    post = await database_sync_to_async(publish)(other_reporter, headline="Tom's own")
    amira, connected, _ = await desk_socket(blog, reporter)
    assert connected
    tom, connected, _ = await desk_socket(blog, other_reporter, post=post)
    assert connected
    amira_heard, tom_heard = set(), set()
    arrived = await next_news(amira, amira_heard)
    assert arrived["type"] == "here" and arrived["who"]["name"] == "Tom Ellery" and arrived["who"]["post"] == post.pk
    already_there = await next_news(tom, tom_heard)  # the newcomer is told who was already here
    assert already_there["who"]["name"] == "Amira Shah" and already_there["who"]["post"] is None
    await tom.disconnect()
    gone = await next_news(amira, amira_heard)
    assert gone == {"type": "gone", "id": arrived["who"]["id"]}
    await amira.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["nobody", "results_desk"])
async def test_the_desk_socket_is_refused_to_anyone_who_cannot_post(blog, results_desk, who):
    user = results_desk if who == "results_desk" else None
    socket, connected, code = await desk_socket(blog, user)
    assert not connected and code == 4403


@pytest.mark.django_db(transaction=True)
async def test_odd_messages_on_the_desk_socket_are_ignored(blog, reporter, other_reporter):
    amira, _, _ = await desk_socket(blog, reporter)
    for odd in ["not json", "x" * 5000, json.dumps([1]), json.dumps({"type": "still-here", "extra": 1})]:
        await amira.send_to(text_data=odd)
    tom, _, _ = await desk_socket(blog, other_reporter)
    assert (await next_message(amira))["who"]["name"] == "Tom Ellery"  # still open and listening
    await amira.disconnect()
    await tom.disconnect()
