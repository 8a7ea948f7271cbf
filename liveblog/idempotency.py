"""Idempotency-Key handling for the publishing API: of the requests sent with one key, one writes.

A request claims its key before it writes anything, by inserting a pending ApiReplay; the
unique constraint lets exactly one claim in. The post and the claim's answer then commit in
one transaction, which also checks that the claim is still this request's. A request that
finds the key claimed for an identical request waits a little for that one's answer and
replays it; one that finds it claimed for a different request is refused.

A claim is replaced, never deleted and inserted again, by a conditional update that matches
only the row as it was read, so two requests cannot both take over one key.
"""

import hashlib
import json
import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone

from .models import ApiReplay, ApiToken

REPLAY_FOR = timedelta(hours=24)
# A server stopped between claiming a key and answering leaves the claim pending; past
# this, a retry takes it over. Far longer than a post takes, and safe if one does take
# longer: the slow request finds its claim gone when it commits, and rolls back.
ABANDONED_AFTER = timedelta(seconds=10)
WAIT_FOR_ANSWER = 5.0  # seconds a second request waits for the first one's answer
POLL_EVERY = 0.05


class ClaimLost(Exception):
    """The claim was taken over while its request was still writing: the write must roll back."""


def request_hash(*, slug: str, data: dict, files) -> str:
    """The same request however its JSON keys are ordered or its form is split into parts."""
    digest = hashlib.sha256(json.dumps({"blog": slug, "data": data}, sort_keys=True).encode())
    for name in sorted(files):
        for upload in files.getlist(name):
            digest.update(name.encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)  # the form reads it again
    return digest.hexdigest()


def claim(*, token: ApiToken, key: str, request_hash: str) -> ApiReplay | JsonResponse:
    """The claim on the key, or the answer to give instead: the first request's, or why there is none yet."""
    give_up_at = time.monotonic() + WAIT_FOR_ANSWER
    while True:
        try:
            with transaction.atomic():
                return ApiReplay.objects.create(token=token, key=key, request_hash=request_hash)
        except IntegrityError:
            pass
        held = ApiReplay.objects.filter(token=token, key=key).first()
        if held is None:
            continue  # released between the insert and the read: try again
        if _is_free(held):
            if taken := _take_over(held, request_hash):
                return taken
            continue
        # Keys claimed before requests were hashed have no hash; they are replayed as before.
        if held.request_hash and held.request_hash != request_hash:
            return JsonResponse(
                {"error": "This Idempotency-Key was already used for a different request; use a new key."},
                status=422,
            )
        if held.is_answered:
            return replay(held)
        if time.monotonic() >= give_up_at:
            return still_in_progress()
        time.sleep(POLL_EVERY)


def answer(held: ApiReplay, *, status: int, body: dict) -> None:
    """Record the answer; called in the transaction that wrote, so the two commit or roll back together."""
    if not _matching(held).update(status=status, body=body):
        raise ClaimLost


def release(held: ApiReplay) -> None:
    """Free the key after a request that wrote nothing, so a corrected retry may use it."""
    _matching(held).delete()


def still_in_progress() -> JsonResponse:
    response = JsonResponse({"error": "A request with this Idempotency-Key is still in progress; retry."}, status=409)
    response["Retry-After"] = "1"
    return response


def replay(held: ApiReplay) -> JsonResponse:
    response = JsonResponse(held.body, status=held.status)
    response["Idempotent-Replayed"] = "true"
    return response


def _matching(held: ApiReplay):
    """The row only as it was read: any change since, by another request, matches nothing."""
    return ApiReplay.objects.filter(pk=held.pk, created_at=held.created_at, status=held.status)


def _is_free(held: ApiReplay) -> bool:
    age = timezone.now() - held.created_at
    return age > REPLAY_FOR if held.is_answered else age > ABANDONED_AFTER


def _take_over(held: ApiReplay, request_hash: str) -> ApiReplay | None:
    now = timezone.now()
    if not _matching(held).update(created_at=now, request_hash=request_hash, status=None, body=None):
        return None
    held.created_at, held.request_hash, held.status, held.body = now, request_hash, None, None
    return held
