import pytest

from liveblog.models import Post
from streams.models import Event

pytestmark = pytest.mark.django_db


def form_data(blog, **fields):
    return {
        "blog": str(blog.pk),
        "body": "<p>From the count</p>",
        "status": "published",
        "published_at_0": "07/05/2021",
        "published_at_1": "04:20:00",
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
    assert response["Location"] == f"/admin/liveblog/post/add/?blog={blog.pk}"
    post = Post.objects.get()
    assert post.author == reporter and post.headline == "Turnout is low"
    assert Event.objects.filter(stream__key=blog.stream_key).count() == 1


def test_a_reporter_cannot_edit_another_reporters_post_in_the_admin(client, blog, reporter, other_reporter, publish):
    post = publish(other_reporter, headline="Theirs")
    client.force_login(reporter)
    response = client.post(f"/admin/liveblog/post/{post.pk}/change/", form_data(blog, headline="Mine now"))
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.headline == "Theirs"


def test_a_reporter_has_no_pin_action_and_a_forged_one_pins_nothing(client, blog, reporter, publish):
    post = publish(reporter)
    client.force_login(reporter)
    changelist = client.get("/admin/liveblog/post/").content.decode()
    assert "pin_posts" not in changelist
    client.post("/admin/liveblog/post/", {"action": "pin_posts", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert not post.is_pinned


def test_an_editor_pins_from_the_changelist(client, blog, reporter, editor, publish):
    post = publish(reporter)
    client.force_login(editor)
    client.post("/admin/liveblog/post/", {"action": "pin_posts", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.is_pinned


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
