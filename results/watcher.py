"""Follows a results feed: a folder agency files are dropped into, or a URL polled politely.

Each new or changed file is imported whole or not at all, exactly as `import_results` does.
What was done with each file (by its content's SHA-256) is kept in the database, so a
restart re-applies nothing and two watchers of one source never apply a file twice: the
record is written first, in the import's own transaction, and the unique constraint
makes the second watcher wait, then skip.
"""

import hashlib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction

from .importer import ImportFailed, import_ballots, read_content
from .models import FeedFile

FEED_SUFFIXES = {".json", ".csv"}
# A file changed this recently may still be being written: it is read on the next look.
SETTLE_SECONDS = 0.3
HTTP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class Handled:
    name: str
    outcome: str  # "applied", "refused", "already applied elsewhere"
    lines: list[str]


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _summary(counts: dict) -> list[str]:
    """A line per result that changed, then what stayed as it was, and any new party."""
    lines = [f"{name}: {outcome}" for name, outcome in counts["contests"] if outcome != "unchanged"]
    if counts["unchanged"]:
        lines.append(f"{counts['unchanged']} result(s) unchanged")
    if not counts["contests"]:
        lines.append(f"{counts['ballots']} ballot(s) set up, nothing declared")
    lines += [f"new party: {party.name}" for party in counts["new_parties"]]
    return lines


def apply(source: str, name: str, content: bytes, suffix: str, *, actor, allow_new_parties: bool) -> Handled | None:
    """Import one file's content unless this source's file with this content was dealt with already."""
    digest = _digest(content)
    if FeedFile.objects.filter(source=source, name=name, digest=digest).exists():
        return None
    ballots, errors = read_content(content, suffix)
    if not errors:
        try:
            with transaction.atomic():
                record = FeedFile.objects.create(source=source, name=name, digest=digest, outcome="applied")
                counts = import_ballots(ballots, actor=actor, source_name=name, allow_new_parties=allow_new_parties)
                lines = _summary(counts)
                record.report = "\n".join(lines)
                record.save(update_fields=["report"])
            return Handled(name, "applied", lines)
        except IntegrityError:
            return Handled(name, "already applied elsewhere", [])
        except ImportFailed as failure:
            errors = failure.errors
    FeedFile.objects.get_or_create(
        source=source, name=name, digest=digest, defaults={"outcome": "refused", "report": "\n".join(errors)}
    )
    return Handled(name, "refused", errors)


class FolderSource:
    """Files dropped into a folder, taken oldest first; files still being written are left for the next look."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.key = str(self.folder)

    def files(self):
        if not self.folder.is_dir():
            raise OSError(f"{self.folder} is not a folder")
        settled = time.time() - SETTLE_SECONDS
        paths = [p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in FEED_SUFFIXES]
        for path in sorted(paths, key=lambda p: (p.stat().st_mtime, p.name)):
            if path.stat().st_mtime <= settled:
                yield path.name, path.read_bytes(), path.suffix.lower()


class UrlSource:
    """A feed at a URL, asked for with If-None-Match / If-Modified-Since so an unchanged feed costs a 304."""

    def __init__(self, url: str):
        self.url = self.key = url
        self.etag = self.modified = None
        path = url.split("?", 1)[0].lower()
        self.suffix = ".csv" if path.endswith(".csv") else ".json"

    def files(self):
        # Only http(s) URLs become a UrlSource (source_for).
        request = urllib.request.Request(self.url, headers={"User-Agent": "election-night-live watch_results"})  # noqa: S310
        if self.etag:
            request.add_header("If-None-Match", self.etag)
        if self.modified:
            request.add_header("If-Modified-Since", self.modified)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310 (the desk's URL)
                content = response.read()
                self.etag, self.modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return
            raise
        yield self.url, content, self.suffix


def source_for(text: str):
    if text.startswith(("http://", "https://")):
        return UrlSource(text)
    return FolderSource(Path(text))


def look_once(source, *, actor, allow_new_parties: bool = True) -> list[Handled]:
    """Everything new at the source, each file applied or refused on its own."""
    handled = []
    for name, content, suffix in source.files():
        done = apply(source.key, name, content, suffix, actor=actor, allow_new_parties=allow_new_parties)
        if done is not None:
            handled.append(done)
    return handled
