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


def test_a_post_with_nothing_in_it_is_refused_for_that_alone(client, blog, reporter):
    response = post_json(client, token_for(reporter), {"headline": ""})
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["A post needs a headline, a body, a picture or an embed link."]}


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


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"headline": "x", "published_at": 12}, "published_at"),
        ({"headline": "x", "published_at": ["2021-05-07"]}, "published_at"),
        ({"headline": "\ud800"}, "headline"),
        ({"body": "<p>\ud800</p>"}, "body"),
        ({"headline": "q", "quotes": [{"text": "\ud800", "speaker_name": "A"}]}, "quotes[0].text"),
        ({"headline": "q", "quotes": ["not an object"]}, "quotes[0]"),
        ({"headline": "x", "is_key_event": [True]}, "is_key_event"),
    ],
)
def test_values_of_the_wrong_shape_get_a_400_naming_the_field(client, blog, reporter, payload, field):
    response = post_json(client, token_for(reporter), payload)
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("published_at", "says"),
    [("9999-12-31T20:00:00+00:00", "at most 7 days ahead"), ("2030-01-01T09:00:00+00:00", "at most 7 days ahead"),
     ("2020-12-31T09:00:00+00:00", "coverage starts")],
)  # fmt: skip
def test_a_time_outside_the_publishing_window_is_refused_with_the_limit(client, blog, reporter, published_at, says):
    response = post_json(client, token_for(reporter), {"headline": "When?", "published_at": published_at})
    assert response.status_code == 400 and says in " ".join(response.json()["errors"]["published_at"])
    assert not Post.objects.exists()


def test_a_retry_with_the_same_idempotency_key_posts_once_and_gets_the_first_answer(client, blog, reporter):
    key = token_for(reporter)
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "wire-7781"}
    send = lambda: client.post(URL, json.dumps({"headline": "Once"}), content_type="application/json", headers=headers)  # noqa: E731
    first, retry = send(), send()
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Post.objects.count() == 1 and Event.objects.count() == 1
    other = client.post(URL, json.dumps({"headline": "Twice"}), content_type="application/json",
                        headers={**headers, "Idempotency-Key": "wire-7782"})  # fmt: skip
    assert other.status_code == 201 and Post.objects.count() == 2


def test_a_token_past_its_rate_gets_429_with_retry_after(client, blog, reporter, settings):
    settings.LIVEBLOG_API_RATE_PER_MINUTE = 3
    key = token_for(reporter)
    answers = [post_json(client, key, {"headline": f"Fast {n}"}) for n in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 61
    assert Post.objects.count() == 3


def test_a_picture_bomb_sent_to_the_api_is_refused_with_the_pixel_limit(client, blog, reporter, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.liveblog.test_services import _png_declaring

    settings.MEDIA_ROOT = tmp_path
    bomb = SimpleUploadedFile("c.png", _png_declaring(12_000, 12_000))
    response = client.post(
        URL, {"headline": "Count", "image_credit": "Agency", "image": bomb},
        headers={"Authorization": f"Bearer {token_for(reporter)}"},
    )  # fmt: skip
    assert response.status_code == 400 and "million pixels" in response.json()["errors"]["image"][0]
    assert not Post.objects.exists() and not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_user_with_two_tokens_shares_one_rate_limit(client, blog, reporter, settings):
    settings.LIVEBLOG_API_RATE_PER_MINUTE = 3
    first, second = token_for(reporter, "Wire bot"), token_for(reporter, "Results bot")
    answers = [post_json(client, key, {"headline": f"Fast {n}"}) for n, key in enumerate([first, second] * 2)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert "this user" in answers[-1].json()["error"]
    assert Post.objects.count() == 3


def test_one_users_rate_limit_leaves_another_users_alone(client, blog, reporter, other_reporter, settings):
    settings.LIVEBLOG_API_RATE_PER_MINUTE = 1
    assert post_json(client, token_for(reporter), {"headline": "Mine"}).status_code == 201
    assert post_json(client, token_for(other_reporter), {"headline": "Theirs"}).status_code == 201


def _deeply_nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"headline": "x", "extra": ' + _deeply_nested(100_000) + "}", "nest"),
        ('{"headline": "x", "quotes": ' + _deeply_nested(100_000) + "}", "nest"),
        ('{"headline": "x", "quotes": [{"text": ' + _deeply_nested(900) + "}]}", "nest"),
        (_deeply_nested(100_000), "nest"),
        ('{"headline": "x", "extra": NaN}', "NaN"),
        ('{"headline": "x", "extra": -Infinity}', "Infinity"),
        ('{"headline": "x", "extra": ' + "9" * 5000 + "}", "Could not read"),
        ('{"headline": "x", "allow_ended": 1e999}', "too large"),
        (b'{"headline": "caf\xe9"}', "Could not read"),
        (b"\xff\xfe\x00", "Could not read"),
    ],
    ids=["deep", "deep-quotes", "deep-in-a-quote", "deep-body", "nan", "infinity", "long-number", "huge-float",
         "latin-1", "bad-bytes"],
)  # fmt: skip
def test_malformed_json_bodies_are_a_400_saying_why(client, blog, reporter, body, says):
    response = client.post(URL, body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token_for(reporter)}"})  # fmt: skip
    assert response.status_code == 400
    assert says in json.dumps(response.json()["errors"])
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "quotes", [_deeply_nested(100_000), "[" + _deeply_nested(900) + "]", "[NaN]", "[{"],
    ids=["deep", "deep-in-a-quote", "nan", "unclosed"],
)  # fmt: skip
def test_a_malformed_quotes_form_field_is_a_400_naming_quotes(client, blog, reporter, quotes):
    response = client.post(URL, {"headline": "Count", "quotes": quotes},
                           headers={"Authorization": f"Bearer {token_for(reporter)}"})  # fmt: skip
    assert response.status_code == 400 and "quotes" in json.dumps(response.json()["errors"])
    assert not Post.objects.exists()


def test_a_broken_multipart_body_is_a_400_saying_why(client, blog, reporter):
    response = client.post(URL, b"--xyz\r\ngarbage", content_type="multipart/form-data",
                           headers={"Authorization": f"Bearer {token_for(reporter)}"})  # fmt: skip
    assert response.status_code == 400 and "boundary" in json.dumps(response.json()["errors"])


def test_huge_numbers_in_fields_are_a_400_naming_the_field(client, blog, reporter):
    response = post_json(client, token_for(reporter), {"headline": 10**400, "is_key_event": 1e308})
    assert response.status_code == 400 and {"headline", "is_key_event"} <= set(response.json()["errors"])
