"""Contributors submit posts; editors publish or return them; readers never see a submission."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liveblog import services
from liveblog.models import Post
from streams.models import Event
from tests.conftest import make_user
from tests.helpers import api_token

pytestmark = pytest.mark.django_db


def submit(blog, contributor, headline="From the count at Mill House", **fields):
    post = Post(blog=blog, headline=headline, status=Post.Status.SUBMITTED, **fields)
    return services.post_create(post=post, actor=contributor).post


def public_events(blog):
    return list(Event.objects.filter(stream__key=blog.stream_key).values_list("kind", flat=True))


def test_a_contributor_cannot_publish_or_schedule(blog, contributor):
    with pytest.raises(PermissionDenied, match="approval"):
        services.post_create(post=Post(blog=blog, headline="Straight out"), actor=contributor)
    later = timezone.now() + timezone.timedelta(hours=1)
    with pytest.raises(PermissionDenied, match="approval"):
        services.post_create(post=Post(blog=blog, headline="Later", published_at=later), actor=contributor)
    assert not Post.objects.exists() and public_events(blog) == []


def test_a_submission_is_invisible_to_readers_until_an_editor_approves_it(client, blog, contributor, editor):
    post = submit(blog, contributor, body="<p>Ballot boxes arriving.</p>")
    assert post.published_at is None and public_events(blog) == []
    assert "Mill House" not in client.get(blog.get_absolute_url()).content.decode()
    assert client.get(post.get_permalink()).status_code == 404
    assert "Mill House" not in client.get(f"{blog.get_absolute_url()}events?after=0").content.decode()

    before = timezone.now()
    change = services.post_approve(post=post, actor=editor)
    assert change.post.status == Post.Status.PUBLISHED and change.seq == 1
    assert before <= change.post.published_at <= timezone.now()  # stamped at approval, not at submission
    assert change.post.author == contributor
    assert "Mill House" in client.get(blog.get_absolute_url()).content.decode()


def test_a_reporter_cannot_approve_and_only_submissions_can_be_approved(blog, contributor, reporter, editor):
    post = submit(blog, contributor)
    with pytest.raises(PermissionDenied):
        services.post_approve(post=post, actor=reporter)
    services.post_approve(post=post, actor=editor)
    with pytest.raises(ValidationError, match="waiting for approval"):
        services.post_approve(post=post, actor=editor)


def test_a_returned_submission_carries_the_note_and_comes_back_when_resubmitted(blog, contributor, editor):
    post = submit(blog, contributor)
    with pytest.raises(ValidationError, match="Say what"):
        services.post_return(post=post, actor=editor, note="  ")
    returned = services.post_return(post=post, actor=editor, note="Which ward? Add the count centre.").post
    assert returned.status == Post.Status.RETURNED and returned.review_note == "Which ward? Add the count centre."

    returned.headline, returned.status = "Seaton ward boxes at Mill House", Post.Status.SUBMITTED
    services.post_update(post=returned, actor=contributor)
    approved = services.post_approve(post=returned, actor=editor).post
    assert approved.review_note == "" and public_events(blog) == ["post.published"]


def test_a_contributor_cannot_change_a_post_once_it_is_published(blog, contributor, editor):
    post = services.post_approve(post=submit(blog, contributor), actor=editor).post
    post.headline = "Quietly changed after approval"
    with pytest.raises(PermissionDenied):
        services.post_update(post=post, actor=contributor)


def test_the_contributors_form_offers_submit_not_publish(client, blog, contributor):
    client.force_login(contributor)
    html = client.get(f"/admin/liveblog/post/add/?blog={blog.pk}").content.decode()
    assert 'value="submitted"' in html and 'value="published"' not in html
    assert 'value="Submit for approval"' in html
    assert 'name="published_at"' not in html


def test_a_contributor_submits_through_the_admin_and_sees_the_editors_note(client, blog, contributor, editor):
    client.force_login(contributor)
    response = client.post(
        "/admin/liveblog/post/add/",
        {"blog": blog.pk, "headline": "Recount rumour", "body": "<p>Agents ask for a bundle check.</p>",
         "status": "submitted", "quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == Post.Status.SUBMITTED and public_events(blog) == []

    client.force_login(editor)
    queue = client.get("/admin/liveblog/post/approval/").content.decode()
    assert "Recount rumour" in queue and "Sam Okafor" in queue
    client.post("/admin/liveblog/post/approval/", {"post": post.pk, "return": "1", "note": "Source, please."})

    client.force_login(contributor)
    listing = client.get("/admin/liveblog/post/").content.decode()
    assert "Source, please." in listing and '<td class="field-state">Returned</td>' in listing
    form = client.get(f"/admin/liveblog/post/add/?blog={blog.pk}").content.decode()
    assert "Source, please." in form


def test_an_editor_publishes_from_the_queue_in_one_click(client, blog, contributor, editor):
    post = submit(blog, contributor)
    client.force_login(editor)
    response = client.post("/admin/liveblog/post/approval/", {"post": post.pk, "publish": "Publish"}, follow=True)
    assert "Published: From the count at Mill House" in response.content.decode()
    post.refresh_from_db()
    assert post.is_published and public_events(blog) == ["post.published"]


def test_the_approval_queue_is_for_editors_only_and_odd_input_is_not_an_error(client, blog, contributor, reporter):
    client.force_login(reporter)
    assert client.get("/admin/liveblog/post/approval/").status_code == 403
    client.force_login(contributor)
    assert client.get("/admin/liveblog/post/approval/").status_code == 403
    client.force_login(make_user("chief", "Editor"))
    assert client.post("/admin/liveblog/post/approval/", {"post": "x"}).status_code == 404
    assert client.post("/admin/liveblog/post/approval/", {"post": "999"}).status_code == 404


def test_contributors_see_only_their_own_posts_in_the_list(client, blog, contributor, reporter, publish):
    publish(reporter, headline="Filed by the reporter")
    submit(blog, contributor, headline="Sent in by the contributor")
    client.force_login(contributor)
    listing = client.get("/admin/liveblog/post/").content.decode()
    assert "Sent in by the contributor" in listing and "Filed by the reporter" not in listing


def test_a_contributors_api_post_is_submitted_not_published(client, blog, contributor):
    key = api_token(contributor)

    def send(payload):
        url = f"/api/live/{blog.slug}/posts/"
        return client.post(url, payload, content_type="application/json", headers={"Authorization": f"Bearer {key}"})

    response = send({"headline": "Via the wire tool"})
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    response = send({"headline": "Forced", "status": "published"})
    assert response.status_code == 403 and "approval" in response.json()["error"]
    assert public_events(blog) == []


def test_the_admin_index_tells_editors_how_many_wait(client, blog, contributor, editor, reporter):
    submit(blog, contributor)
    client.force_login(editor)
    assert "Waiting for approval (1)" in client.get("/admin/").content.decode()
    client.force_login(reporter)
    assert "Waiting for approval" not in client.get("/admin/").content.decode()
