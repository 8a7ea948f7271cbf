import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from liveblog.models import LiveBlog, Post
from liveblog.services import QuoteData, blog_save, post_create, post_delete, post_pin, post_unpin, post_update
from streams import events
from streams.models import Event

pytestmark = pytest.mark.django_db


def kinds(blog):
    return list(Event.objects.filter(stream__key=blog.stream_key).values_list("seq", "kind"))


def test_publishing_appends_an_event_whose_frame_carries_its_seq(blog, reporter, publish):
    post = publish(reporter, headline="Polls close")
    event = Event.objects.get()
    assert (event.seq, event.kind) == (1, events.POST_PUBLISHED)
    assert event.html.startswith('<div class="frame" data-seq="1"')
    assert f'id="post-{post.pk}"' in event.html
    assert events.latest_seq(blog.stream_key) == 1


def test_only_frames_that_can_change_the_key_events_list_carry_it(blog, reporter, publish):
    ordinary = publish(reporter, headline="Queue at Rift House")
    publish(reporter, headline="Turnout 42%", is_key_event=True)
    ordinary.is_key_event = True
    post_update(post=ordinary, actor=reporter)
    carries_list = dict(Event.objects.values_list("seq", "html"))
    assert {seq: 'id="key-events"' in html for seq, html in carries_list.items()} == {1: False, 2: True, 3: True}
    assert "Queue at Rift House" in carries_list[3].split('id="key-events"')[1]


def test_a_draft_appends_no_event_until_it_is_published(blog, reporter, publish):
    post = publish(reporter, status=Post.Status.DRAFT)
    assert kinds(blog) == []
    post.status = Post.Status.PUBLISHED
    post_update(post=post, actor=reporter)
    assert kinds(blog) == [(1, events.POST_PUBLISHED)]


def test_sequence_numbers_rise_by_one_with_no_gaps_across_every_kind_of_change(blog, reporter, editor, publish):
    post = publish(reporter)
    post.headline = "Edited"
    post_update(post=post, actor=reporter)
    post_pin(post=post, actor=editor)
    post_unpin(post=post, actor=editor)
    post_delete(post=post, actor=editor)
    assert kinds(blog) == [
        (1, events.POST_PUBLISHED),
        (2, events.POST_UPDATED),
        (3, events.POST_PINNED),
        (4, events.POST_UNPINNED),
        (5, events.POST_DELETED),
    ]


def test_the_body_is_sanitised_on_save(reporter, publish):
    post = publish(reporter, body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"


def test_a_post_with_nothing_in_it_is_rejected_and_nothing_is_written(blog, reporter, publish):
    with pytest.raises(ValidationError):
        publish(reporter, body="<script>only a script</script>")
    assert Post.objects.count() == 0
    assert kinds(blog) == []


def test_a_reporter_cannot_pin_a_post(reporter, publish):
    post = publish(reporter)
    with pytest.raises(PermissionDenied):
        post_pin(post=post, actor=reporter)
    post.refresh_from_db()
    assert not post.is_pinned


def test_an_editor_can_pin_and_unpin_a_post(blog, reporter, editor, publish):
    post = publish(reporter)
    post_pin(post=post, actor=editor)
    assert list(blog.posts.pinned()) == [post]
    assert post not in blog.posts.stream()
    post_unpin(post=post, actor=editor)
    assert list(blog.posts.pinned()) == []


def test_a_reporter_can_edit_only_their_own_posts(reporter, other_reporter, publish):
    post = publish(other_reporter)
    post.headline = "Hijacked"
    with pytest.raises(PermissionDenied):
        post_update(post=post, actor=reporter)
    post.refresh_from_db()
    assert post.headline == ""


def test_a_reporter_cannot_delete_someone_elses_post(reporter, other_reporter, publish):
    post = publish(other_reporter)
    with pytest.raises(PermissionDenied):
        post_delete(post=post, actor=reporter)
    assert Post.objects.filter(pk=post.pk).exists()


def test_an_editor_can_edit_and_delete_any_post(blog, reporter, editor, publish):
    post = publish(reporter)
    post.headline = "Tidied by the desk"
    post_update(post=post, actor=editor)
    post.refresh_from_db()
    assert post.headline == "Tidied by the desk"
    assert post.author == reporter
    post_delete(post=post, actor=editor)
    assert not Post.objects.exists()


def test_editing_a_published_post_marks_it_updated_and_replaces_it_by_id(blog, reporter, publish):
    post = publish(reporter, headline="First take")
    assert post.edited_at is None
    post.headline = "Second take"
    post_update(post=post, actor=reporter, quotes=[QuoteData("We won.", "Jill Mortimer", "Conservative candidate")])
    post.refresh_from_db()
    assert post.edited_at is not None
    frame = Event.objects.get(seq=2).html
    assert f'<article id="post-{post.pk}"' in frame
    assert 'hx-swap-oob="true"' in frame
    assert "Updated" in frame
    assert "Jill Mortimer" in frame


def test_saving_a_published_post_unchanged_does_not_mark_it_updated(reporter, publish):
    post = publish(reporter, headline="Same")
    post_update(post=post, actor=reporter)
    post.refresh_from_db()
    assert post.edited_at is None


def test_unpublishing_a_post_removes_it_from_readers(blog, reporter, publish):
    post = publish(reporter)
    post.status = Post.Status.DRAFT
    post_update(post=post, actor=reporter)
    event = Event.objects.get(seq=2)
    assert event.kind == events.POST_DELETED
    assert f'id="post-{post.pk}" hx-swap-oob="delete"' in event.html


def test_saving_a_stale_blog_never_rewinds_its_sequence(blog, reporter, editor, publish):
    stale = LiveBlog.objects.get(pk=blog.pk)
    publish(reporter)
    stale.status = LiveBlog.Status.ENDED
    blog_save(blog=stale, actor=editor)
    assert events.latest_seq(blog.stream_key) == 2
    assert kinds(blog)[-1] == (2, events.BLOG_UPDATED)


def test_a_reporter_cannot_change_a_blogs_status(blog, reporter):
    blog.status = LiveBlog.Status.ENDED
    with pytest.raises(PermissionDenied):
        blog_save(blog=blog, actor=reporter)


@pytest.mark.django_db(transaction=True)
async def test_a_rolled_back_save_broadcasts_nothing(blog, reporter, publish):
    from channels.db import database_sync_to_async

    from tests.helpers import open_reader

    class Abort(Exception):
        pass

    @database_sync_to_async
    def publish_then_roll_back():
        with pytest.raises(Abort), transaction.atomic():
            publish(reporter, headline="Never seen")
            raise Abort

    reader = await open_reader(blog)
    await publish_then_roll_back()
    await database_sync_to_async(publish)(reporter, headline="Seen")
    frame = await reader.receive_from(timeout=3)
    assert 'data-seq="1"' in frame and "Seen" in frame and "Never seen" not in frame
    assert await reader.receive_nothing(timeout=0.3)
    assert await database_sync_to_async(Event.objects.count)() == 1
    await reader.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_failed_broadcast_does_not_fail_the_save(blog, reporter, publish, monkeypatch, caplog):
    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(events, "get_channel_layer", lambda: BrokenLayer())
    post = publish(reporter, headline="Saved anyway")
    assert Post.objects.filter(pk=post.pk).exists()
    assert Event.objects.filter(seq=1).exists()
    assert "readers will catch up" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_get_gapless_unique_sequence_numbers(blog, reporter):
    writers, per_writer = 6, 5
    barrier = threading.Barrier(writers)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(per_writer):
                post_create(post=Post(blog_id=blog.pk, body=f"<p>{n}-{i}</p>"), actor=reporter)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(Event.objects.filter(stream__key=blog.stream_key).values_list("seq", flat=True))
    assert seqs == list(range(1, writers * per_writer + 1))
    assert events.latest_seq(blog.stream_key) == writers * per_writer


def _picture(name="count.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), (0, 135, 220)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db(transaction=True)
def test_picture_renditions_are_made_before_the_posts_transaction_takes_any_lock(blog, reporter, settings, tmp_path):
    from liveblog import images

    settings.MEDIA_ROOT = tmp_path
    real_make, seen = images.make_renditions, []

    def watching_make(name):
        seen.append(connection.in_atomic_block)
        return real_make(name)

    images.make_renditions = watching_make
    try:
        post = post_create(
            post=Post(blog=blog, headline="Count", image=_picture(), image_credit="Agency"), actor=reporter
        )
    finally:
        images.make_renditions = real_make
    assert seen == [False]
    assert post.post.image_widths == [480, 960]
    stored = Post.objects.get(pk=post.post.pk)
    assert stored.image_widths == [480, 960]
    assert (stored.image_width, stored.image_height) == (1000, 500)  # the page reserves its space


def test_a_refused_save_leaves_no_picture_files_behind(blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="credit"):
        post_create(post=Post(blog=blog, headline="No credit", image=_picture()), actor=reporter)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
    assert not Post.objects.exists() and not Event.objects.exists()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG file whose header declares a picture of width x height: small to send, huge to decode."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("bomb.png", _png_declaring(12_000, 12_000), "million pixels"),
        ("count.eps", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n", "JPEG, PNG, WebP or GIF"),
        ("notes.png", b"not a picture at all", "JPEG, PNG, WebP or GIF"),
    ],
)
def test_a_picture_that_would_hurt_the_server_is_refused_unread_and_leaves_no_file(
    blog, reporter, settings, tmp_path, name, content, says
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    picture = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=says):
        post_create(post=Post(blog=blog, headline="Count", image=picture, image_credit="Agency"), actor=reporter)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
    assert not Post.objects.exists()


def test_a_picture_over_the_size_limit_is_refused_with_the_limit(blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LIVEBLOG_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="A picture can be at most"):
        post_create(post=Post(blog=blog, headline="Big", image=_picture(), image_credit="Agency"), actor=reporter)
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_concurrent_writers_on_the_embedded_sqlite_database_all_get_their_posts_in(tmp_path):
    """The laptop demo: eight reporters publishing at once queue for SQLite's lock instead of failing."""
    import os
    import subprocess
    import sys

    script = """
import threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Group
from liveblog.models import LiveBlog, Post
from liveblog.services import post_create
from tests.conftest import make_user
from streams.models import Event
blog = LiveBlog.objects.create(title="Busy", slug="busy", status="live")
reporter = make_user("reporter", "Reporter")
errors = []

def write(n):
    try:
        for i in range(10):
            post_create(post=Post(blog=blog, body=f"<p>{n}-{i}</p>"), actor=reporter)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
seqs = sorted(Event.objects.values_list("seq", flat=True))
print(len(errors), Post.objects.count(), seqs == list(range(1, 81)))
"""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-3:] == ["0", "80", "True"]
