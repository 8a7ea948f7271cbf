"""Creating and checking API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken

# "Last used" is for editors auditing tokens; recording it to the minute keeps
# a wire bot posting every few seconds from adding a write to each request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(token: ApiToken) -> str:
    """Give an unsaved token a fresh key; returns the key, which is never stored."""
    key = secrets.token_urlsafe(32)
    token.prefix = key[:8]
    token.key_hash = hash_key(key)
    return key


def authenticate(header: str | None) -> ApiToken | None:
    if not header or not header.startswith("Bearer "):
        return None
    key = header.removeprefix("Bearer ").strip()
    # The author profile comes along for the byline the post's frame renders.
    token = ApiToken.objects.active().select_related("user__author_profile").filter(key_hash=hash_key(key)).first()
    now = timezone.now()
    if token is not None and (token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
