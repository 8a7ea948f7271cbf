"""A generated general election: single-seat constituencies with realistic party shares.

For the benchmark (bench/general_election.py) and `rehearse_general_election --generated`.
Each seat's shares start from its nation's vote at the 2019 general election (the previous
result from 2017's), moved by a Labour–Conservative lean shared by both results and by
noise of its own, so seats change hands, swings vary and majorities range from a handful
of votes to tens of thousands. Figures come from a seeded generator: the same seat always
gets the same figures. Northern Ireland's parties are not in the party book; its 18 seats
are drawn as English ones.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from results import services
from results.models import Candidacy, Contest, Election, Party
from results.summary import Entry

UK = ZoneInfo("Europe/London")
POLLING_DAY = date(2019, 12, 12)

# Nation, seats, then shares (%) by party code in 2019 and in 2017 (the previous result).
NATIONS = [
    ("England", 551,
     {"con": 47.2, "lab": 33.9, "ld": 12.4, "green": 3.0, "brexit": 2.0},
     {"con": 45.6, "lab": 41.9, "ld": 7.8, "green": 1.9, "ukip": 2.1}),
    ("Scotland", 59,
     {"snp": 45.0, "con": 25.1, "lab": 18.6, "ld": 9.5, "green": 1.0},
     {"snp": 36.9, "con": 28.6, "lab": 27.1, "ld": 6.8, "green": 0.2}),
    ("Wales", 40,
     {"lab": 40.9, "con": 36.1, "pc": 9.9, "ld": 6.0, "brexit": 5.4},
     {"lab": 48.9, "con": 33.6, "pc": 10.4, "ld": 4.5, "ukip": 2.0}),
]  # fmt: skip
LEAN_POINTS = 14.0  # spread of a seat's Labour-over-Conservative lean
NOISE = 0.18  # spread of each party's own variation, as a fraction of its share
# Smaller parties' votes are concentrated: in a few seats they are three times as strong.
STRONGHOLDS = {"ld": 0.07, "pc": 0.12, "green": 0.005}


@dataclass(frozen=True)
class Seat:
    position: int
    nation: str
    shares: dict[str, float]
    previous_shares: dict[str, float]
    electorate: int
    turnout: float
    previous_turnout: float


def _seat_shares(rng: random.Random, national: dict[str, float], lean: float, strong: set[str]) -> dict[str, float]:
    shares = {}
    for code, share in national.items():
        moved = share + (lean if code == "lab" else -lean if code == "con" else 0.0)
        shares[code] = max(0.3, moved * rng.lognormvariate(0, NOISE) * (3 if code in strong else 1))
    total = sum(shares.values())
    return {code: share / total for code, share in shares.items()}


def _nation_of(position: int) -> tuple[str, dict, dict]:
    first = 1
    for nation, count, now, before in NATIONS:
        if position < first + count:
            return nation, now, before
        first += count
    return NATIONS[0][0], NATIONS[0][2], NATIONS[0][3]  # past the nations' seats: drawn as English


def seat(position: int, seed: int = 2019) -> Seat:
    """The figures of seat number `position` (1-based): the same every time for the same seed."""
    rng = random.Random(f"{seed}:{position}")
    nation, now, before = _nation_of(position)
    lean = rng.gauss(0, LEAN_POINTS)
    strong = {code for code, chance in STRONGHOLDS.items() if rng.random() < chance}
    return Seat(
        position=position,
        nation=nation,
        shares=_seat_shares(rng, now, lean, strong),
        previous_shares=_seat_shares(rng, before, lean + rng.gauss(0, 3), strong),
        electorate=max(40_000, int(rng.gauss(73_000, 7_000))),
        turnout=min(0.8, max(0.5, rng.gauss(0.673, 0.05))),
        previous_turnout=min(0.8, max(0.5, rng.gauss(0.687, 0.05))),
    )


def _votes(shares: dict[str, float], valid: int) -> dict[str, int]:
    return {code: max(1, round(share * valid)) for code, share in shares.items()}


def create(slug: str = "parl.2019-12-12", seats: int = 650, seed: int = 2019) -> Election:
    """The election, its seats and their candidates, with every previous result; nothing declared."""
    parties = {p.code: p for p in Party.objects.all()}
    polls_close = datetime.combine(POLLING_DAY, time(22, 0), tzinfo=UK)
    with transaction.atomic():
        election = Election.objects.create(
            name=f"General election {POLLING_DAY.year} (rehearsal)", slug=slug,
            polling_day=POLLING_DAY, kind=Election.Kind.GENERAL,
        )  # fmt: skip
        contests, candidacies = [], []
        for position in range(1, seats + 1):
            s = seat(position, seed)
            previous = _votes(s.previous_shares, round(s.electorate * s.previous_turnout))
            contests.append(
                Contest(
                    election=election,
                    name=f"{s.nation} {position:03d}",
                    slug=f"parl.seat-{position:03d}.{POLLING_DAY}",
                    position=position,
                    electorate=s.electorate,
                    polls_close=polls_close,
                    previous_votes=previous,
                    previous_winner=parties[max(previous, key=previous.get)],
                    previous_turnout=round(s.previous_turnout * 100, 2),
                    figures_note="Generated figures",
                )  # fmt: skip
            )
        for contest in Contest.objects.bulk_create(contests):
            for order, code in enumerate(sorted(seat(contest.position, seed).shares), start=1):
                candidacies.append(
                    Candidacy(
                        contest=contest,
                        name=f"{parties[code].short_name} candidate {contest.position:03d}",
                        party=parties[code],
                        ballot_order=order,
                    )  # fmt: skip
                )
        Candidacy.objects.bulk_create(candidacies)
    return election


def entry(contest: Contest, seed: int = 2019) -> Entry:
    """The figures the desk enters for a generated seat."""
    s = seat(contest.position, seed)
    votes = _votes(s.shares, round(s.electorate * s.turnout))
    ids = dict(contest.candidacies.values_list("party__code", "pk"))
    return Entry(votes={ids[code]: n for code, n in votes.items()}, rejected_ballots=round(sum(votes.values()) * 0.003))


def declaration_time(number: int, seats: int) -> datetime:
    """When the `number`th declaration of the night is stamped: from 23:00 to 07:00, busiest towards 04:00."""
    fraction = (number / seats) ** 0.8
    return datetime.combine(POLLING_DAY, time(23, 0), tzinfo=UK) + timedelta(hours=8 * fraction)


def declare(contest: Contest, number: int, seats: int, actor, seed: int = 2019) -> None:
    """Declare one generated seat as the `number`th of the night."""
    services.result_declare(
        contest=contest, entry=entry(contest, seed), declared_at=declaration_time(number, seats),
        actor=actor, expected_version=None, source="Generated count",
    )  # fmt: skip
