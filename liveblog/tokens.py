"""Creating and checking API tokens."""

import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken


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
    token = ApiToken.objects.active().select_related("user").filter(key_hash=hash_key(key)).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
