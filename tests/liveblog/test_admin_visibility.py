"""Every admin page about a post applies the Posts list's rule: contributors see their own posts and nothing else."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages

from liveblog import services
from liveblog.models import Post

pytestmark = pytest.mark.django_db

SECRET = "Embargoed: recount likely in Seaton"


@pytest.fixture
def others_draft(blog, reporter):
    return services.post_create(post=Post(blog=blog, headline=SECRET, status=Post.Status.DRAFT), actor=reporter).post


def first_version(post):
    return Post.history.filter(id=post.pk).earliest("history_date")


def admin_pages(post):
    base = f"/admin/liveblog/post/{post.pk}"
    return [
        f"{base}/change/",
        f"{base}/history/",
        f"{base}/history/{first_version(post).history_id}/",
        f"{base}/delete/",
    ]


def test_a_contributor_cannot_read_another_writers_draft_on_any_admin_page(client, contributor, others_draft):
    client.force_login(contributor)
    for url in admin_pages(others_draft):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        assert SECRET not in response.content.decode(), url


def test_view_on_site_leads_a_contributor_nowhere_near_another_writers_draft(client, contributor, others_draft):
    post_type = ContentType.objects.get_for_model(Post)
    client.force_login(contributor)
    assert client.get(f"/admin/r/{post_type.pk}/{others_draft.pk}/").status_code == 404
    assert client.get(f"/admin/r/{post_type.pk}/abc/").status_code == 404


def test_view_on_site_still_leads_a_reporter_to_a_published_post(client, reporter, other_reporter, publish):
    post = publish(other_reporter, headline="On the page")
    client.force_login(reporter)
    response = client.get(f"/admin/r/{ContentType.objects.get_for_model(Post).pk}/{post.pk}/")
    assert response.status_code == 302 and response["Location"].endswith(post.get_permalink())


def test_a_contributor_cannot_read_a_deleted_post_of_someone_else_through_its_history(
    client, contributor, editor, others_draft
):
    version = first_version(others_draft)
    services.post_delete(post=others_draft, actor=editor)
    client.force_login(contributor)
    base = f"/admin/liveblog/post/{version.id}/history/"
    for url in (base, f"{base}{version.history_id}/"):
        assert client.get(url).status_code == 404, url


def test_a_contributor_still_reads_the_history_of_their_own_submission(client, blog, contributor):
    post = services.post_create(
        post=Post(blog=blog, headline="My note from the count", status=Post.Status.SUBMITTED), actor=contributor
    ).post
    client.force_login(contributor)
    for url in admin_pages(post)[1:3]:
        response = client.get(url)
        assert response.status_code == 200 and "My note from the count" in response.content.decode(), url


def test_a_refused_pin_does_not_name_the_post(client, contributor, reporter, others_draft, publish):
    published = publish(reporter, headline="Published by a reporter")
    client.force_login(contributor)
    for post in (others_draft, published):
        response = client.post(f"/admin/liveblog/post/{post.pk}/pin/", follow=True)
        assert post.headline not in response.content.decode()
        post.refresh_from_db()
        assert not post.is_pinned


def test_a_reporters_refused_pin_says_why_without_the_headline(client, reporter, other_reporter, publish):
    post = publish(other_reporter, headline="Count at Mill House")
    client.force_login(reporter)
    response = client.post(f"/admin/liveblog/post/{post.pk}/pin/")
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["Only editors can pin posts."]


def test_a_post_cannot_be_reverted_through_its_history_page(client, blog, editor, publish):
    post = publish(editor, headline="First wording")
    version = first_version(post)
    post.headline = "Second wording"
    services.post_update(post=post, actor=editor)
    client.force_login(editor)
    page = client.get(f"/admin/liveblog/post/{post.pk}/history/{version.history_id}/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(f"/admin/liveblog/post/{post.pk}/history/{version.history_id}/", {"headline": "Forced"})
    assert response.status_code == 405
    post.refresh_from_db()
    assert post.headline == "Second wording"
