"""The running totals above the results: declared x of y, seats and councils per party."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import Contest, Party, Result

DECLARED_STATUSES = (Result.Status.DECLARED, Result.Status.CORRECTED, Result.Status.UNCONTESTED)


@dataclass
class PartyScore:
    party: Party
    seats: int = 0
    gains: int = 0
    losses: int = 0
    councils: int = 0
    councils_gained: int = 0
    councils_lost: int = 0

    @property
    def net(self) -> int:
        return self.gains - self.losses

    @property
    def councils_net(self) -> int:
        return self.councils_gained - self.councils_lost

    @property
    def has_any(self) -> bool:
        return any((self.seats, self.gains, self.losses, self.councils, self.councils_gained, self.councils_lost))


@dataclass
class Scoreboard:
    declared: int
    total: int
    parties: list[PartyScore]
    has_councils: bool


def tally(facts_list: list[dict], parties: dict[str, Party]) -> list[PartyScore]:
    """Adds up stored declaration facts. Independents (None) are not a party and are not listed."""
    scores = {code: PartyScore(party=party) for code, party in parties.items()}

    def score(code):
        return scores.get(code) if code else None

    for facts in facts_list:
        if facts.get("council"):
            before, after = facts.get("control_before"), facts.get("control_after")
            if s := score(after):
                s.councils += 1
                if before != after:
                    s.councils_gained += 1
            if before != after and (s := score(before)):
                s.councils_lost += 1
            continue
        for code in facts.get("elected", []):
            if s := score(code):
                s.seats += 1
        for code, change in (facts.get("seat_changes") or {}).items():
            if s := score(code):
                s.gains += max(change, 0)
                s.losses += max(-change, 0)
        if facts.get("gain"):
            winners = facts.get("elected", [])
            if winners and (s := score(winners[0])):
                s.gains += 1
            if s := score(facts.get("lost_by")):
                s.losses += 1
    return sorted((s for s in scores.values() if s.has_any), key=lambda s: (-s.seats, -s.councils, s.party.name))


@dataclass
class Strip:
    election: object
    declared: int
    total: int


def declared_counts(elections: QuerySet) -> list[Strip]:
    """ "Declared x of y" for each of these elections, oldest polling day first, in one query."""
    elections = elections.annotate(
        total=Count("contests", distinct=True),
        declared=Count("contests", filter=Q(contests__result__status__in=DECLARED_STATUSES), distinct=True),
    ).order_by("polling_day", "name")
    return [Strip(election=e, declared=e.declared, total=e.total) for e in elections]


def scoreboard(election) -> Scoreboard:
    facts_list = list(
        Result.objects.filter(contest__election=election, status__in=DECLARED_STATUSES).values_list(
            "current__facts", flat=True
        )
    )
    parties = {p.code: p for p in Party.objects.all()}
    return Scoreboard(
        declared=len(facts_list),
        total=Contest.objects.filter(election=election).count(),
        parties=tally([f or {} for f in facts_list], parties),
        has_councils=any((f or {}).get("council") for f in facts_list),
    )
