"""The seats that changed hands, newest declaration first, read from each declaration's stored facts.

A gain is a declared contest whose facts say so. The Speaker's seat is nobody's gain or loss:
neither the Speaker re-elected nor a seat the Speaker held last time is listed.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from .figures import INDEPENDENT_CODE
from .models import Election, Party, Result
from .seat_table import night_clock


@dataclass(frozen=True)
class Gain:
    pk: int  # the contest's
    name: str
    slug: str  # its ballot id
    headline: str  # "Lab GAIN from Con", "LD GAIN from Con (notional)"
    party: str  # the gaining party's code; "ind" for an independent
    declared_at: datetime
    time: str  # as night_clock gives it

    @property
    def datetime(self) -> str:
        return timezone.localtime(self.declared_at).isoformat(timespec="minutes")


@dataclass(frozen=True)
class GainingParty:
    code: str
    name: str
    gains: int


@dataclass(frozen=True)
class GainsList:
    """The gains shown (all, or one party's), the parties that have any, and the filter as asked."""

    shown: list[Gain]
    parties: list[GainingParty]
    party: str = ""  # the code of the party filtered by, if any
    party_name: str = ""
    unknown_party: bool = False  # a filter asked for a party code that does not exist

    @property
    def total(self) -> int:
        return sum(p.gains for p in self.parties)


def _gain_rows(election: Election, only_contest: int | None = None):
    facts = "current__facts"
    rows = (
        Result.objects.filter(contest__election=election, current__isnull=False, current__facts__gain=True)
        .exclude(contest__previous_winner_is_speaker=True)
        .filter(**({"contest_id": only_contest} if only_contest else {}))
        .order_by("-current__declared_at", "-current_id")
        .annotate(
            headline=KeyTextTransform("headline", facts), winner=KeyTextTransform("0", KeyTransform("elected", facts))
        )
    )
    return rows.values_list(
        "contest_id", "contest__name", "contest__slug", "current__declared_at", "headline", "winner"
    )


def _gain(row, polling_day) -> Gain:
    pk, name, slug, declared_at, headline, winner = row
    return Gain(
        pk=pk, name=name, slug=slug, headline=headline or "", party=winner or INDEPENDENT_CODE,
        declared_at=declared_at, time=night_clock(declared_at, polling_day),
    )  # fmt: skip


def all_gains(election: Election) -> list[Gain]:
    """Every gain of the election, newest declaration first, in one query."""
    return [_gain(row, election.polling_day) for row in _gain_rows(election)]


def gain_of(election: Election, contest_id: int) -> Gain | None:
    """The contest's gain, if its current declaration is one: the line a live frame inserts."""
    rows = list(_gain_rows(election, only_contest=contest_id))
    return _gain(rows[0], election.polling_day) if rows else None


def gains_list(election: Election, party: str = "") -> GainsList:
    """The gains list as shown: filtered by the gaining party's code when one is asked for.

    Two queries: the gains, then the names of the parties that made them (and of the one asked for)."""
    gains = all_gains(election)
    counts = Counter(gain.party for gain in gains)
    names = dict(Party.objects.filter(code__in={*counts, party}).values_list("code", "name"))
    names[INDEPENDENT_CODE] = "Independent"
    parties = sorted((GainingParty(code, names.get(code, code), n) for code, n in counts.items()),
                     key=lambda p: (-p.gains, p.name))  # fmt: skip
    if not party:
        return GainsList(shown=gains, parties=parties)
    if party not in names:
        return GainsList(shown=gains, parties=parties, unknown_party=True)
    return GainsList(
        shown=[g for g in gains if g.party == party], parties=parties, party=party, party_name=names[party]
    )
