"""The publishing API's Idempotency-Key: one post per key, however the requests arrive."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from liveblog import idempotency
from liveblog.models import ApiReplay, ApiToken, Post
from liveblog.tokens import issue
from streams.models import Event

pytestmark = pytest.mark.django_db

URL = "/api/live/hartlepool/posts/"


def token_for(user, name="Wire bot"):
    token = ApiToken(user=user, name=name)
    key = issue(token)
    token.save()
    return key


def send(client, token_key, idempotency_key, payload):
    headers = {"Authorization": f"Bearer {token_key}", "Idempotency-Key": idempotency_key}
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


def send_at_once(token_key, idempotency_key, payloads):
    """Each payload sent from its own thread and connection, all released together."""
    barrier = threading.Barrier(len(payloads))
    responses = [None] * len(payloads)

    def run(i):
        try:
            client = Client()
            barrier.wait()
            responses[i] = send(client, token_key, idempotency_key, payloads[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_key_sent_twice_at_once_stores_one_post(blog, reporter):
    token_key = token_for(reporter)
    for round_number in range(8):
        payload = {"headline": f"Round {round_number}", "body": "<p>Counting continues.</p>"}
        first, second = send_at_once(token_key, f"race-{round_number}", [payload, payload])
        assert first.status_code == second.status_code == 201, (first.content, second.content)
        assert first.json()["id"] == second.json()["id"]
        assert Post.objects.filter(headline=f"Round {round_number}").count() == 1
        replayed = sorted(r.get("Idempotent-Replayed", "") for r in (first, second))
        assert replayed == ["", "true"]
    assert Event.objects.count() == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_key_with_different_bodies_at_once_stores_one_post_and_refuses_the_other(blog, reporter):
    token_key = token_for(reporter)
    for round_number in range(4):
        payloads = [{"headline": f"Round {round_number} A"}, {"headline": f"Round {round_number} B"}]
        answers = send_at_once(token_key, f"clash-{round_number}", payloads)
        assert sorted(a.status_code for a in answers) == [201, 422], [a.content for a in answers]
    assert Post.objects.count() == 4


def test_the_same_key_with_a_different_body_is_a_422_and_posts_nothing(client, blog, reporter):
    token_key = token_for(reporter)
    first = send(client, token_key, "wire-1", {"headline": "Turnout 42%"})
    other = send(client, token_key, "wire-1", {"headline": "Turnout 24%"})
    assert first.status_code == 201
    assert other.status_code == 422 and "different request" in other.json()["error"]
    assert list(Post.objects.values_list("headline", flat=True)) == ["Turnout 42%"]


def test_the_same_body_with_its_keys_in_another_order_is_the_same_request(client, blog, reporter):
    token_key = token_for(reporter)
    first = send(client, token_key, "wire-2", {"headline": "Once", "body": "<p>x</p>"})
    retry = client.post(
        URL, '{"body": "<p>x</p>", "headline": "Once"}', content_type="application/json",
        headers={"Authorization": f"Bearer {token_key}", "Idempotency-Key": "wire-2"},
    )  # fmt: skip
    assert retry.status_code == 201 and retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Post.objects.count() == 1


def test_a_refused_request_leaves_its_key_free_for_a_corrected_retry(client, blog, reporter):
    token_key = token_for(reporter)
    refused = send(client, token_key, "wire-3", {"body": "<script>only</script>"})
    assert refused.status_code == 400
    again = send(client, token_key, "wire-3", {"body": "<script>only</script>"})
    assert again.status_code == 400 and "Idempotent-Replayed" not in again
    corrected = send(client, token_key, "wire-3", {"headline": "Fixed"})
    assert corrected.status_code == 201 and Post.objects.count() == 1


def test_a_key_answered_more_than_a_day_ago_may_be_used_again(client, blog, reporter):
    token_key = token_for(reporter)
    send(client, token_key, "wire-4", {"headline": "Yesterday"})
    ApiReplay.objects.update(created_at=timezone.now() - timedelta(days=2))
    today = send(client, token_key, "wire-4", {"headline": "Today"})
    assert today.status_code == 201 and "Idempotent-Replayed" not in today
    assert Post.objects.count() == 2 and ApiReplay.objects.get().body["id"] == today.json()["id"]


def test_a_key_still_being_answered_gets_a_409_to_retry(client, blog, reporter, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_FOR_ANSWER", 0.2)
    token_key = token_for(reporter)
    send(client, token_key, "wire-5", {"headline": "Slow"})
    ApiReplay.objects.update(status=None, body=None, created_at=timezone.now())
    busy = send(client, token_key, "wire-5", {"headline": "Slow"})
    assert busy.status_code == 409 and "in progress" in busy.json()["error"]
    assert busy["Retry-After"] == "1" and Post.objects.count() == 1


def test_a_claim_abandoned_by_a_stopped_server_is_taken_over_by_the_retry(client, blog, reporter):
    token_key = token_for(reporter)
    send(client, token_key, "wire-6", {"headline": "Lost"})
    # As a server stopped between claiming the key and posting leaves it: claimed, never answered.
    Post.objects.all().delete()
    ApiReplay.objects.update(status=None, body=None, created_at=timezone.now() - timedelta(minutes=5))
    retry = send(client, token_key, "wire-6", {"headline": "Lost"})
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert Post.objects.get().pk == retry.json()["id"] == ApiReplay.objects.get().body["id"]


def test_a_request_whose_claim_was_taken_over_cannot_record_its_answer(blog, reporter):
    token_for(reporter)
    token = ApiToken.objects.get()
    mine = idempotency.claim(token=token, key="wire-7", request_hash="a" * 64)
    # Another request took the claim over, as it may once the claim looks abandoned.
    ApiReplay.objects.update(created_at=timezone.now() + timedelta(seconds=1))
    with pytest.raises(idempotency.ClaimLost):
        idempotency.answer(mine, status=201, body={"id": 1})
    idempotency.release(mine)
    assert ApiReplay.objects.get().status is None


def test_a_slow_request_that_lost_its_claim_rolls_its_post_back(client, blog, reporter, monkeypatch):
    token_key = token_for(reporter)
    real_claim = idempotency.claim

    def claim_then_lose_it(**kwargs):
        held = real_claim(**kwargs)
        # Another request takes the claim over while this one is still writing its post.
        ApiReplay.objects.filter(pk=held.pk).update(created_at=timezone.now() + timedelta(seconds=1))
        return held

    monkeypatch.setattr(idempotency, "claim", claim_then_lose_it)
    lost = send(client, token_key, "wire-8", {"headline": "Slow"})
    assert lost.status_code == 409 and not Post.objects.exists() and not Event.objects.exists()
    assert ApiReplay.objects.get().status is None
