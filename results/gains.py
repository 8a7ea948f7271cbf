"""The seats that changed hands, newest declaration first, read from each declaration's stored facts.

A gain is a declared contest whose facts say so. The Speaker's seat is nobody's gain or loss:
neither the Speaker re-elected nor a seat the Speaker held last time is listed.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from .figures import INDEPENDENT_CODE
from .models import Election, Party, Result


@dataclass(frozen=True)
class Gain:
    pk: int  # the contest's
    name: str
    slug: str  # its ballot id
    headline: str  # "Lab GAIN from Con", "LD GAIN from Con (notional)"
    party: str  # the gaining party's code; "ind" for an independent
    party_name: str
    declared_at: datetime

    @property
    def time(self) -> str:
        return timezone.localtime(self.declared_at).strftime("%H:%M")

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
    winner = KeyTextTransform("0", KeyTransform("elected", facts))
    party = Party.objects.filter(code=OuterRef("winner"))
    rows = (
        Result.objects.filter(contest__election=election, current__isnull=False, current__facts__gain=True)
        .exclude(contest__previous_winner_is_speaker=True)
        .filter(**({"contest_id": only_contest} if only_contest else {}))
        .annotate(winner=winner, winner_name=Subquery(party.values("name")[:1]))
        .annotate(headline=KeyTextTransform("headline", facts), declared_at=F("current__declared_at"))
        .order_by("-current__declared_at", "-current_id")
    )
    return rows.values_list("contest_id", "contest__name", "contest__slug", "headline", "winner", "winner_name",
                            "declared_at")  # fmt: skip


def _gain(row) -> Gain:
    pk, name, slug, headline, winner, winner_name, declared_at = row
    return Gain(
        pk=pk, name=name, slug=slug, headline=headline or "", party=winner or INDEPENDENT_CODE,
        party_name=winner_name or "Independent", declared_at=declared_at,
    )  # fmt: skip


def all_gains(election: Election) -> list[Gain]:
    """Every gain of the election, newest declaration first, in one query."""
    return [_gain(row) for row in _gain_rows(election)]


def gain_of(election: Election, contest_id: int) -> Gain | None:
    """The contest's gain, if its current declaration is one: the line a live frame inserts."""
    rows = list(_gain_rows(election, only_contest=contest_id))
    return _gain(rows[0]) if rows else None


def gains_list(election: Election, party: str = "") -> GainsList:
    """The gains list as shown: filtered by the gaining party's code when one is asked for."""
    gains = all_gains(election)
    counts: dict[str, GainingParty] = {}
    for gain in gains:
        seen = counts.get(gain.party)
        counts[gain.party] = GainingParty(gain.party, gain.party_name, (seen.gains if seen else 0) + 1)
    parties = sorted(counts.values(), key=lambda p: (-p.gains, p.name))
    if not party:
        return GainsList(shown=gains, parties=parties)
    name = _party_name(party, counts)
    if name is None:
        return GainsList(shown=gains, parties=parties, unknown_party=True)
    return GainsList(shown=[g for g in gains if g.party == party], parties=parties, party=party, party_name=name)


def _party_name(code: str, gaining: dict[str, GainingParty]) -> str | None:
    """The name of the party a filter asks for: one with gains, an independent, or any in the party book."""
    if code in gaining:
        return gaining[code].name
    if code == INDEPENDENT_CODE:
        return "Independent"
    return Party.objects.filter(code=code).values_list("name", flat=True).first()
