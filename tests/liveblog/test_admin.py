import pytest

from liveblog.models import Post
from streams.models import Event

pytestmark = pytest.mark.django_db


def form_data(blog, **fields):
    return {
        "blog": str(blog.pk),
        "body": "<p>From the count</p>",
        "status": "published",
        "published_at": "2021-05-07T04:20:00",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_the_admin_index_offers_post_an_update_in_one_click(client, blog, reporter):
    client.force_login(reporter)
    html = client.get("/admin/").content.decode()
    assert f'href="/admin/liveblog/post/add/?blog={blog.pk}"' in html
    assert "Post an update" in html


def test_the_update_form_shows_the_blogs_latest_posts(client, blog, reporter, publish):
    publish(reporter, headline="Earlier update")
    client.force_login(reporter)
    html = client.get(f"/admin/liveblog/post/add/?blog={blog.pk}").content.decode()
    assert 'id="latest-posts"' in html and "Earlier update" in html
    assert f'<option value="{blog.pk}" selected>' in html


def test_posting_from_the_admin_publishes_and_returns_to_the_form(client, blog, reporter):
    client.force_login(reporter)
    response = client.post("/admin/liveblog/post/add/", form_data(blog, headline="Turnout is low"))
    assert response.status_code == 302
    post = Post.objects.get()
    assert response["Location"] == f"/admin/liveblog/post/add/?blog={blog.pk}&just={post.pk}"
    assert post.author == reporter and post.headline == "Turnout is low"
    assert Event.objects.filter(stream__key=blog.stream_key).count() == 1


def test_a_reporter_cannot_edit_another_reporters_post_in_the_admin(client, blog, reporter, other_reporter, publish):
    post = publish(other_reporter, headline="Theirs")
    client.force_login(reporter)
    response = client.post(f"/admin/liveblog/post/{post.pk}/change/", form_data(blog, headline="Mine now"))
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.headline == "Theirs"


def test_a_reporter_has_no_pin_button_and_a_forged_pin_pins_nothing(client, blog, reporter, publish):
    post = publish(reporter)
    client.force_login(reporter)
    changelist = client.get("/admin/liveblog/post/").content.decode()
    assert "pin-toggle" not in changelist
    response = client.post(f"/admin/liveblog/post/{post.pk}/pin/", follow=True)
    assert "Only editors can pin posts." in response.content.decode()
    post.refresh_from_db()
    assert not post.is_pinned


def test_an_editor_pins_and_unpins_a_post_with_one_click_on_its_row(client, blog, reporter, editor, publish):
    post = publish(reporter)
    client.force_login(editor)
    changelist = client.get("/admin/liveblog/post/?status=published").content.decode()
    assert f'formaction="/admin/liveblog/post/{post.pk}/pin/"' in changelist
    response = client.post(
        f"/admin/liveblog/post/{post.pk}/pin/", HTTP_REFERER="http://testserver/admin/liveblog/post/?status=published"
    )
    assert response["Location"] == "http://testserver/admin/liveblog/post/?status=published"
    post.refresh_from_db()
    assert post.is_pinned
    client.post(f"/admin/liveblog/post/{post.pk}/pin/", HTTP_REFERER="https://elsewhere.example/")
    post.refresh_from_db()
    assert not post.is_pinned
    assert client.get(f"/admin/liveblog/post/{post.pk}/pin/").status_code == 405
    assert [kind for _, kind in Event.objects.values_list("seq", "kind").order_by("seq")][-2:] == [
        "post.pinned", "post.unpinned",
    ]  # fmt: skip


def test_the_posts_list_links_deleted_posts_and_the_approval_queue_for_editors(client, editor, reporter):
    client.force_login(editor)
    html = client.get("/admin/liveblog/post/").content.decode()
    assert 'href="/admin/liveblog/post/deleted/"' in html
    assert 'href="/admin/liveblog/post/approval/"' in html
    client.force_login(reporter)
    html = client.get("/admin/liveblog/post/").content.decode()
    assert "/admin/liveblog/post/deleted/" not in html and "/admin/liveblog/post/approval/" not in html


def test_an_editor_ends_a_blog_and_readers_are_told(client, blog, editor):
    client.force_login(editor)
    response = client.post(
        f"/admin/liveblog/liveblog/{blog.pk}/change/",
        {
            "title": blog.title,
            "slug": blog.slug,
            "standfirst": "",
            "status": "ended",
            "time_zone": "Europe/London",
            "starts_at_0": "01/01/2021",
            "starts_at_1": "00:00:00",
        },  # fmt: skip
    )
    assert response.status_code == 302
    event = Event.objects.get(stream__key=blog.stream_key)
    assert 'id="blog-status" hx-swap-oob="true"' in event.html and "ENDED" in event.html


def test_groups_are_created_by_the_data_migration(db):
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="Editor")
    reporter = Group.objects.get(name="Reporter")
    assert editor.permissions.filter(codename="pin_post").exists()
    assert not reporter.permissions.filter(codename="pin_post").exists()


def test_after_all_migrations_each_group_has_exactly_its_roles_permissions(db):
    from django.contrib.auth.models import Group

    from liveblog.roles import ROLES

    for name, perms in ROLES.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(perms), name
