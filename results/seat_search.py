"""Finding a contest by a few letters of its name: "hartl" finds Hartlepool, "mon" finds Ynys Môn.

Names and what is typed are folded alike (case and accents dropped, apostrophes removed,
other punctuation a word break), and every word typed must begin a word of the name. The
election's names are read in one query and matched here: 650 short names take well under a
millisecond, so no stored copy of each name folded is needed.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import F
from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse

from .models import Contest, Election, Result

MAX_QUERY_LENGTH = 100  # the longest constituency name is 40 characters
SUGGESTIONS_SHOWN = 8
_APOSTROPHES = "'’‘`"


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes gone, every other run of punctuation a single space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = []
    for char in decomposed:
        if unicodedata.combining(char) or char in _APOSTROPHES:
            continue
        letters.append(char if char.isalnum() else " ")
    return " ".join("".join(letters).split())


@dataclass(frozen=True)
class Query:
    """What was typed, and the problem with it if it cannot be searched for."""

    typed: str
    words: tuple[str, ...]
    problem: str = ""

    @classmethod
    def parse(cls, raw: str | None) -> "Query":
        typed = (raw or "").strip()
        if len(typed) > MAX_QUERY_LENGTH:
            return cls(typed=typed[:MAX_QUERY_LENGTH], words=(),
                       problem=f"That is longer than any constituency's name: type up to {MAX_QUERY_LENGTH} "
                       "characters, such as the first few letters of one.")  # fmt: skip
        if not typed:
            return cls(typed="", words=(), problem="Type a few letters of a constituency's name.")
        words = tuple(fold(typed).split())
        if not words:
            return cls(typed=typed, words=(), problem="Type letters or numbers: a constituency's name has them.")
        return cls(typed=typed, words=words)


@dataclass(frozen=True)
class Match:
    pk: int
    name: str
    slug: str
    status: str
    headline: str
    url: str

    @property
    def status_label(self) -> str:
        return Result.Status(self.status).label


def matches(name: str, words: tuple[str, ...]) -> bool:
    """Every word typed begins some word of the name, in any order."""
    name_words = fold(name).split()
    return all(any(w.startswith(word) for w in name_words) for word in words)


def _rank(name: str, words: tuple[str, ...]) -> tuple:
    """The name itself first, then names that begin with what was typed, then the rest, each alphabetically."""
    folded, typed = fold(name), " ".join(words)
    return (folded != typed, not folded.startswith(typed), folded)


def find(election: Election, query: Query) -> list[Match]:
    """The election's contests whose names match, best first, in one query."""
    if not query.words:
        return []
    rows = (
        Contest.objects.filter(election=election)
        .annotate(status=F("result__status"), headline=KeyTextTransform("headline", "result__current__facts"))
        .values_list("pk", "name", "slug", "status", "headline")
    )
    found = [
        Match(pk=pk, name=name, slug=slug, status=status or Result.Status.EXPECTED, headline=headline or "",
              url=reverse("results:contest", kwargs={"slug": election.slug, "contest": slug}))
        for pk, name, slug, status, headline in rows
        if matches(name, query.words)
    ]  # fmt: skip
    return sorted(found, key=lambda m: _rank(m.name, query.words))
