import json

import pytest

from liveblog.models import ApiToken, Post
from liveblog.tokens import issue
from streams.models import Event

pytestmark = pytest.mark.django_db

URL = "/api/live/hartlepool/posts/"


def token_for(user, name="Wire bot"):
    token = ApiToken(user=user, name=name)
    key = issue(token)
    token.save()
    return key


def post_json(client, key, payload, url=URL):
    return client.post(
        url, json.dumps(payload), content_type="application/json", headers={"Authorization": f"Bearer {key}"}
    )


def test_a_good_token_publishes_and_returns_the_url_and_seq(client, blog, reporter):
    key = token_for(reporter)
    response = post_json(client, key, {
        "headline": "Turnout estimate", "body": "<p>About 42%.</p><script>x()</script>", "is_key_event": True,
        "quotes": [{"text": "Busy all day.", "speaker_name": "Presiding officer", "speaker_role": "Rift House"}],
    })  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    post = Post.objects.get(pk=data["id"])
    assert data["seq"] == 1 and data["url"] == f"http://testserver/live/hartlepool/posts/{post.pk}/"
    assert post.author == reporter and post.body == "<p>About 42%.</p>" and post.is_key_event
    assert post.quotes.get().speaker_name == "Presiding officer"
    assert Event.objects.get().seq == 1


def test_a_token_records_when_it_was_last_used_to_the_minute(client, blog, reporter):
    from datetime import timedelta

    key = token_for(reporter)
    post_json(client, key, {"body": "<p>One</p>"})
    first_use = ApiToken.objects.get().last_used_at
    assert first_use is not None
    post_json(client, key, {"body": "<p>Two</p>"})
    assert ApiToken.objects.get().last_used_at == first_use
    ApiToken.objects.update(last_used_at=first_use - timedelta(minutes=2))
    post_json(client, key, {"body": "<p>Three</p>"})
    assert ApiToken.objects.get().last_used_at > first_use


def test_a_draft_through_the_api_has_no_seq(client, blog, reporter):
    data = post_json(client, token_for(reporter), {"body": "<p>Hold</p>", "status": "draft"}).json()
    assert data["seq"] is None and data["status"] == "draft"


@pytest.mark.parametrize("header", [None, "Bearer not-a-real-token", "Token abc", "Bearer "])
def test_a_missing_or_bad_token_is_refused_and_writes_nothing(client, blog, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(URL, json.dumps({"body": "<p>x</p>"}), content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert not Post.objects.exists()


def test_a_revoked_token_is_refused(client, blog, reporter):
    from django.utils import timezone

    key = token_for(reporter)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert post_json(client, key, {"body": "<p>x</p>"}).status_code == 401


def test_bad_fields_get_a_400_with_field_errors(client, blog, reporter):
    response = post_json(client, token_for(reporter), {
        "status": "shouting", "published_at": "yesterday", "embed_url": "javascript:alert(1)",
        "quotes": [{"text": "No speaker"}],
    })  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"status", "published_at", "embed_url", "quotes[0]"} <= set(errors)
    assert "speaker_name" in errors["quotes[0]"]
    assert not Post.objects.exists()


def test_an_empty_post_is_a_400_from_the_service_rules(client, blog, reporter):
    response = post_json(client, token_for(reporter), {"body": "<script>only</script>"})
    assert response.status_code == 400
    assert "needs a headline" in json.dumps(response.json())


def test_malformed_json_is_a_400(client, blog, reporter):
    response = client.post(URL, "{not json", content_type="application/json",
                           headers={"Authorization": f"Bearer {token_for(reporter)}"})  # fmt: skip
    assert response.status_code == 400


def test_a_token_of_a_user_who_may_not_post_is_forbidden(client, blog, results_desk):
    assert post_json(client, token_for(results_desk), {"body": "<p>x</p>"}).status_code == 403
    assert not Post.objects.exists()


def test_the_api_accepts_only_post(client, blog, reporter):
    assert client.get(URL, headers={"Authorization": f"Bearer {token_for(reporter)}"}).status_code == 405


def test_editors_create_tokens_in_the_admin_and_see_the_key_once(client, editor, reporter):
    client.force_login(editor)
    response = client.post("/admin/liveblog/apitoken/add/", {"user": reporter.pk, "name": "Wire"}, follow=True)
    text = response.content.decode()
    assert "Copy it now" in text
    token = ApiToken.objects.get()
    key = text.split("it is not shown again: ")[1].split("<")[0].strip()
    assert token.prefix == key[:8] and key not in token.key_hash
