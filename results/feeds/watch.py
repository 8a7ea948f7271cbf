"""Follows a results feed: a folder agency files are dropped into, or a URL polled politely.

Each new or changed file is imported whole or not at all, exactly as `import_results` does.
What was done with each file (by its content's SHA-256) is kept in the database, so a
restart re-applies nothing and two watchers of one source never apply a file twice: the
record is written first, in the import's own transaction, and the unique constraint
makes the second watcher wait, then skip.

Nothing a file holds can stop the watch. A file that cannot be read (unreadable, too big, a
link out of the folder, an answer that never ends) or cannot be imported (whatever the import
raises) is recorded as refused with a one-line reason, and the next file is read as usual.
"""

import hashlib
import logging
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction

from ..models import FeedFile
from .apply import ImportFailed, import_ballots
from .fetch import Refused, fetch, one_line
from .read import read_content
from .values import printable

logger = logging.getLogger(__name__)

FEED_SUFFIXES = {".json", ".csv"}
# A file changed this recently may still be being written: it is read on the next look.
SETTLE_SECONDS = 0.3


@dataclass(frozen=True)
class Handled:
    name: str
    outcome: str  # "applied", "refused", "already applied elsewhere"
    lines: list[str]


@dataclass(frozen=True)
class Arrival:
    """A file found at a source: its content, or why it could not be read."""

    name: str
    suffix: str
    content: bytes | None = None
    refusal: str = ""
    # Tells one unreadable state of a file from a later one (its size and time), so each is reported once.
    marker: str = ""

    @property
    def digest(self) -> str:
        if self.content is not None:
            return hashlib.sha256(self.content).hexdigest()
        # surrogatepass: a path that is not UTF-8 may be part of the marker.
        return hashlib.sha256(f"unread\n{self.refusal}\n{self.marker}".encode("utf-8", "surrogatepass")).hexdigest()


def _fitted(text: str, limit: int) -> str:
    """Text as a column of `limit` characters holds it: a long one keeps its start and a hash of the whole."""
    text = printable(text)
    if len(text) <= limit:
        return text
    whole = hashlib.sha256(text.encode()).hexdigest()
    return f"{text[: limit - len(whole) - 1]}…{whole}"


def _summary(counts: dict) -> list[str]:
    """A line per result that changed, then what stayed as it was, and any new party."""
    lines = [f"{name}: {outcome}" for name, outcome in counts["contests"] if outcome != "unchanged"]
    if counts["unchanged"]:
        lines.append(f"{counts['unchanged']} result(s) unchanged")
    if not counts["contests"]:
        lines.append(f"{counts['ballots']} ballot(s) set up, nothing declared")
    lines += [f"new party: {party.name}" for party in counts["new_parties"]]
    return lines


def _not_imported(error: BaseException) -> str:
    return f"could not be imported: {type(error).__name__}: {one_line(error)}"


def _refuse(source: str, name: str, digest: str, errors: list[str]) -> Handled:
    lines = [printable(error) for error in errors]
    try:
        with transaction.atomic():
            FeedFile.objects.get_or_create(
                source=source, name=name, digest=digest, defaults={"outcome": "refused", "report": "\n".join(lines)}
            )
    except DatabaseError:
        logger.exception("could not record %s as refused", name)
    return Handled(name, "refused", lines)


def _import(source: str, name: str, digest: str, arrival: Arrival, *, actor, allow_new_parties: bool) -> Handled:
    ballots, errors = read_content(arrival.content, arrival.suffix)
    if errors:
        return _refuse(source, name, digest, errors)
    try:
        with transaction.atomic():
            record = FeedFile.objects.create(source=source, name=name, digest=digest, outcome="applied")
            counts = import_ballots(ballots, actor=actor, source_name=name, allow_new_parties=allow_new_parties)
            lines = _summary(counts)
            record.report = "\n".join(lines)
            record.save(update_fields=["report"])
        return Handled(name, "applied", lines)
    except ImportFailed as failure:
        return _refuse(source, name, digest, failure.errors)
    except IntegrityError as error:
        if FeedFile.objects.filter(source=source, name=name, digest=digest).exists():
            return Handled(name, "already applied elsewhere", [])
        return _refuse(source, name, digest, [_not_imported(error)])


def apply(source: str, arrival: Arrival, *, actor, allow_new_parties: bool) -> Handled | None:
    """Import one file unless this source's file with this content was dealt with already."""
    source, name, digest = _fitted(source, 500), _fitted(arrival.name, 300), arrival.digest
    if FeedFile.objects.filter(source=source, name=name, digest=digest).exists():
        return None
    if arrival.refusal:
        return _refuse(source, name, digest, [arrival.refusal])
    try:
        return _import(source, name, digest, arrival, actor=actor, allow_new_parties=allow_new_parties)
    except Exception as error:  # whatever a file's content causes refuses that file, and the watch goes on
        logger.exception("importing %s failed", name)
        return _refuse(source, name, digest, [_not_imported(error)])


def read_at_most(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, refused when there are more than `max_bytes`; never blocks on a pipe or device."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise Refused("is not a regular file")
        if status.st_size > max_bytes:
            raise Refused(f"is {status.st_size:,} bytes; the most taken is {max_bytes:,}")
        content = file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise Refused(f"is more than {max_bytes:,} bytes, the most taken")
    return content


class FolderSource:
    """Files dropped into a folder, taken oldest first; files still being written are left for the next look."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.key = str(self.folder)

    def files(self):
        if not self.folder.is_dir():
            raise OSError(f"{self.folder} is not a folder")
        settled = time.time() - SETTLE_SECONDS
        found = []
        for path in self.folder.iterdir():
            try:
                if path.suffix.lower() in FEED_SUFFIXES and path.is_file():
                    found.append((path.stat().st_mtime, path.name, path))
            except OSError:
                continue  # gone since the folder was listed
        for modified, _, path in sorted(found):
            if modified <= settled:
                yield self._read(path, marker=str(modified))

    def _read(self, path: Path, *, marker: str) -> Arrival:
        # A name that is not UTF-8 is shown with its odd bytes escaped (\xff), as it is stored.
        name, suffix = os.fsencode(path.name).decode("utf-8", "backslashreplace"), path.suffix.lower()
        try:
            real = path.resolve(strict=True)
            if not real.is_relative_to(self.folder):
                return Arrival(name, suffix, refusal="links to a file outside the watched folder", marker=str(real))
            return Arrival(name, suffix, content=read_at_most(real, settings.RESULTS_FEED_MAX_BYTES))
        except Refused as refusal:
            return Arrival(name, suffix, refusal=str(refusal), marker=marker)
        except OSError as error:
            return Arrival(name, suffix, refusal=f"cannot be read: {error.strerror or error}", marker=marker)


class UrlSource:
    """A feed at a URL, asked for with If-None-Match / If-Modified-Since so an unchanged feed costs a 304."""

    def __init__(self, url: str):
        self.url = self.key = url
        self.etag = self.modified = None
        path = urlsplit(url).path.lower()
        self.suffix = ".csv" if path.endswith(".csv") else ".json"

    def files(self):
        try:
            fetched = fetch(
                self.url, etag=self.etag, modified=self.modified,
                timeout=settings.RESULTS_FEED_TIMEOUT, max_bytes=settings.RESULTS_FEED_MAX_BYTES,
            )  # fmt: skip
        except Refused as refusal:
            yield Arrival(self.url, self.suffix, refusal=str(refusal))
            return
        if fetched.content is None:
            return
        self.etag, self.modified = fetched.etag, fetched.modified
        yield Arrival(self.url, self.suffix, content=fetched.content)


def source_for(text: str):
    if text.startswith(("http://", "https://")):
        if not urlsplit(text).hostname:
            raise ValueError(f"{text} has no host")
        return UrlSource(text)
    return FolderSource(Path(text))


def look_once(source, *, actor, allow_new_parties: bool = True) -> list[Handled]:
    """Everything new at the source, each file applied or refused on its own."""
    handled = []
    for arrival in source.files():
        try:
            done = apply(source.key, arrival, actor=actor, allow_new_parties=allow_new_parties)
        except Exception as error:  # not even the refusal could be recorded: say so, and look again next time
            logger.exception("could not deal with %s", printable(arrival.name))
            done = Handled(printable(arrival.name), "refused", [_not_imported(error)])
        if done is not None:
            handled.append(done)
    return handled
