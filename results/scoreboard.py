"""The running totals above the results: declared x of y, seats and councils per party.

The totals are kept, not recounted: each declaration or correction moves them by the
difference between its facts and the ones it replaces (`record`), in the declaration's
own transaction, so the 650th declaration of a general election costs what the first did.
`rebuild` recounts them from every declared result, for data changed behind the services.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db.models import Count, F, QuerySet

from .models import Election, Party, PartyTotal, Result

DECLARED_STATUSES = (Result.Status.DECLARED, Result.Status.CORRECTED, Result.Status.UNCONTESTED)
STRIP_LEADERS = 4  # parties named on a blog's strip for an election
TOTALS = ("seats", "gains", "losses", "councils", "councils_gained", "councils_lost", "votes")


@dataclass
class PartyScore:
    party: Party
    seats: int = 0
    gains: int = 0
    losses: int = 0
    councils: int = 0
    councils_gained: int = 0
    councils_lost: int = 0
    votes: int = 0

    @property
    def net(self) -> int:
        return self.gains - self.losses

    @property
    def councils_net(self) -> int:
        return self.councils_gained - self.councils_lost

    @property
    def has_any(self) -> bool:
        """A seat, a council or a change of either: a party with votes alone is not on the board."""
        return any(getattr(self, name) for name in TOTALS if name != "votes")


@dataclass
class Scoreboard:
    declared: int
    total: int
    parties: list[PartyScore]
    has_councils: bool
    speaker_seats: int = 0  # the Speaker's seat, counted apart: nobody's party seat


def contribution(facts: dict) -> dict[str, Counter]:
    """What one declaration's stored facts add to each party's totals, by party code.

    Independents and the Speaker (None) are not a party and add to no one; the Speaker's
    seat is counted on its own line (`speaker_seat`).
    """
    adds: dict[str, Counter] = defaultdict(Counter)

    def add(code, name, amount=1):
        if code and amount:
            adds[code][name] += amount

    if facts.get("council"):
        before, after = facts.get("control_before"), facts.get("control_after")
        add(after, "councils")
        if before != after:
            add(after, "councils_gained")
            add(before, "councils_lost")
        return adds
    for code in facts.get("elected", []):
        add(code, "seats")
    for code, votes in (facts.get("votes") or {}).items():
        add(code, "votes", votes)
    for code, change in (facts.get("seat_changes") or {}).items():
        add(code, "gains", max(change, 0))
        add(code, "losses", max(-change, 0))
    if facts.get("gain"):
        winners = facts.get("elected", [])
        add(winners[0] if winners else None, "gains")
        add(facts.get("lost_by"), "losses")
    return adds


def valid_votes(facts: dict | None) -> int:
    """The valid votes a single seat's declaration adds to the national total (0 for any other kind)."""
    return (facts or {}).get("valid", 0) if (facts or {}).get("votes") else 0


def speaker_seat(facts: dict | None) -> int:
    """1 where the declaration elected the Speaker, else 0."""
    return 1 if (facts or {}).get("speaker") else 0


def _difference(before: dict | None, after: dict) -> dict[str, Counter]:
    change: dict[str, Counter] = defaultdict(Counter)
    for code, adds in contribution(after).items():
        change[code].update(adds)
    for code, adds in contribution(before or {}).items():
        change[code].subtract(adds)
    return {code: moves for code, moves in change.items() if any(moves.values())}


def record(election_id: int, before: dict | None, after: dict) -> None:
    """Move the election's totals from one declaration's facts (None: not declared before) to another's.

    Runs in the declaring transaction. The election's row is updated first, so concurrent
    declarations in one election queue there and never take party rows in different orders.
    """
    Election.objects.filter(pk=election_id).update(
        declared_count=F("declared_count") + (1 if before is None else 0),
        councils_declared=F("councils_declared")
        + (bool(after.get("council")) - bool(before and before.get("council"))),
        speaker_seats=F("speaker_seats") + (speaker_seat(after) - speaker_seat(before)),
        votes_declared=F("votes_declared") + (valid_votes(after) - valid_votes(before)),
    )
    change = _difference(before, after)
    if not change:
        return
    party_ids = dict(Party.objects.filter(code__in=change).values_list("code", "pk"))
    PartyTotal.objects.bulk_create(
        [PartyTotal(election_id=election_id, party_id=pk) for pk in party_ids.values()], ignore_conflicts=True
    )
    for code, pk in sorted(party_ids.items(), key=lambda item: item[1]):
        moves = {name: F(name) + amount for name, amount in change[code].items() if amount}
        PartyTotal.objects.filter(election_id=election_id, party_id=pk).update(**moves)


@dataclass
class CountedUp:
    totals: dict[str, Counter]
    declared: int = 0
    councils: int = 0
    speakers: int = 0
    votes: int = 0


def count_up(facts_list) -> CountedUp:
    """Totals by party code, declarations, councils declared, the Speaker's seats and the valid votes of single
    seats, counted from every declaration's facts."""
    counted = CountedUp(totals=defaultdict(Counter))
    for facts in facts_list:
        counted.declared += 1
        counted.councils += bool((facts or {}).get("council"))
        counted.speakers += speaker_seat(facts)
        counted.votes += valid_votes(facts)
        for code, adds in contribution(facts or {}).items():
            counted.totals[code].update(adds)
    return counted


def rebuild(election, get_model=django_apps.get_model) -> None:
    """Recount the election's totals from every declared result (after data changed behind the services).

    `get_model` lets a migration run it on its historical models.
    """
    Election_, Party_, PartyTotal_, Result_ = (
        get_model("results", name) for name in ("Election", "Party", "PartyTotal", "Result")
    )
    counted = count_up(
        Result_.objects.filter(contest__election=election, status__in=DECLARED_STATUSES).values_list(
            "current__facts", flat=True
        )
    )
    parties = dict(Party_.objects.filter(code__in=counted.totals).values_list("code", "pk"))
    kept_totals = {f.name for f in PartyTotal_._meta.get_fields()}
    PartyTotal_.objects.filter(election=election).delete()
    PartyTotal_.objects.bulk_create(
        PartyTotal_(election_id=election.pk, party_id=parties[code],
                    **{name: adds[name] for name in TOTALS if name in kept_totals})
        for code, adds in counted.totals.items()
        if code in parties
    )  # fmt: skip
    counts = {"declared_count": counted.declared, "councils_declared": counted.councils,
              "speaker_seats": counted.speakers, "votes_declared": counted.votes}  # fmt: skip
    # An earlier migration's historical Election may not have every count yet.
    kept = {f.name for f in Election_._meta.get_fields()}
    Election_.objects.filter(pk=election.pk).update(**{name: n for name, n in counts.items() if name in kept})


@dataclass
class Strip:
    election: object
    declared: int
    total: int
    chart: object = None  # a general election's seat chart (results.national.SeatChart)
    leaders: tuple = ()  # elsewhere, the parties with most seats so far (PartyTotal rows), for "Con 3 +1 · Lab 2"


def _score(total: PartyTotal) -> PartyScore:
    return PartyScore(party=total.party, **{name: getattr(total, name) for name in TOTALS})


def declared_counts(elections: QuerySet) -> list[Strip]:
    """ "Declared x of y" for each of these elections, oldest polling day first, in one query; with a general
    election's seat chart (four more), or any other election's leading parties by seats (one more)."""
    from .national import national_picture

    elections = elections.annotate(total=Count("contests")).order_by("polling_day", "name")
    strips = []
    for e in elections:
        picture = national_picture(e)
        leading = PartyTotal.objects.filter(election=e, seats__gt=0).order_by("-seats", "party__name")
        leaders = () if picture else tuple(_score(t) for t in leading.select_related("party")[:STRIP_LEADERS])
        strip = Strip(election=e, declared=e.declared_count, total=e.total, chart=picture and picture.chart,
                      leaders=leaders)  # fmt: skip
        strips.append(strip)
    return strips


def scoreboard(election: Election) -> Scoreboard:
    """The election's board as it stands now, in two queries whatever the number declared."""
    counts = (
        Election.objects.filter(pk=election.pk)
        .annotate(total=Count("contests"))
        .values("declared_count", "councils_declared", "speaker_seats", "total")
        .get()
    )
    scores = (_score(t) for t in PartyTotal.objects.filter(election=election).select_related("party"))
    return Scoreboard(
        declared=counts["declared_count"],
        total=counts["total"],
        parties=sorted((s for s in scores if s.has_any), key=lambda s: (-s.seats, -s.councils, s.party.name)),
        has_councils=counts["councils_declared"] > 0,
        speaker_seats=counts["speaker_seats"],
    )
