"""Optimistic locking: a save names the version it started from, and a stale one is refused.

Used by every app's services (posts, results). See docs/architecture.md.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.text import Truncator


class ConflictError(ValidationError):
    """Someone else saved this record after the form was opened; nothing was overwritten."""

    def __init__(self, message: str):
        super().__init__(message, code="conflict")


def _show(value) -> str:
    return Truncator(strip_tags(str(value))).chars(80) or "(empty)"


def describe_changes(before, after, fields: list[str]) -> str:
    """'headline: “A” → “B”; body: …' for the fields that differ."""
    changes = []
    for name in fields:
        old, new = getattr(before, name, None), getattr(after, name)
        if before is not None and old != new:
            changes.append(f"{after._meta.get_field(name).verbose_name}: “{_show(old)}” → “{_show(new)}”")
    return "; ".join(changes)


def stale(*, who, when, what: str, changes: str = "") -> ConflictError:
    name = who.get_username() if who else "someone"
    at = date_format(timezone.localtime(when), "H:i:s") if when else "an earlier moment"
    detail = f" Their changes: {changes}." if changes else ""
    return ConflictError(
        f"{name} saved this {what} at {at} while you were editing it.{detail} "
        "Nothing of yours was saved: your version is still in the form; review theirs and save again."
    )
