"""TEST FIXTURES WITH MADE-UP FIGURES: the 2024 general election's constituencies, as the hex layout names them,
with invented candidates, votes and previous winners.

None of these figures is a real result. They exist so tests and screenshots can fill the hex map; every
contest is marked "Made-up test figures" on its card. Real 2024 results for two seats are in
tests/results/data (Chorley, Harrogate and Knaresborough).
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from results import hexmap, services
from results.models import Candidacy, Contest, Election, Party
from results.summary import Entry

ELECTION = "parl.2024-07-04"
POLLING_DAY = date(2024, 7, 4)
POLLS_CLOSE = datetime.combine(POLLING_DAY, time(22, 0), tzinfo=ZoneInfo("Europe/London"))
NOTE = "Made-up test figures"
HOLDS = 0.5
SCOTLAND, WALES, NORTHERN_IRELAND = "S92000003", "W92000004", "N92000002"

# Invented chances of winning now and of having won last time, by nation; "ind" is an independent.
CHANCES = {
    "england": ({"lab": 60, "con": 22, "ld": 12, "reform": 3, "green": 2, "ind": 1},
                {"con": 62, "lab": 33, "ld": 4, "green": 1}),
    SCOTLAND: ({"lab": 55, "snp": 25, "ld": 10, "con": 10}, {"snp": 80, "con": 10, "ld": 6, "lab": 4}),
    WALES: ({"lab": 80, "pc": 10, "ld": 5, "con": 5}, {"lab": 55, "con": 35, "pc": 10}),
    NORTHERN_IRELAND: ({"sf": 40, "dup": 30, "alliance": 10, "sdlp": 10, "uup": 5, "ind": 5},
                       {"dup": 45, "sf": 40, "sdlp": 10, "alliance": 5}),
}  # fmt: skip


def election() -> Election:
    made, _ = Election.objects.get_or_create(
        slug=ELECTION,
        defaults={"name": "UK general election 2024", "polling_day": POLLING_DAY, "kind": Election.Kind.GENERAL},
    )
    return made


def _chances(cell: hexmap.Cell) -> tuple[dict, dict]:
    return CHANCES.get(cell.region, CHANCES["england"])


def _pick(rng: random.Random, chances: dict[str, int]) -> str:
    return rng.choices(list(chances), weights=list(chances.values()))[0]


def _previous_winner(cell: hexmap.Cell) -> str:
    return _pick(random.Random(f"before:{cell.slug}"), _chances(cell)[1])


def create(slugs) -> list[Contest]:
    """Contests for these layout slugs (parl.<slug>.2024-07-04), each with a candidate for every party that
    could win it; nothing declared."""
    cells = hexmap.layout(hexmap.WESTMINSTER_2024)
    parties = {p.code: p for p in Party.objects.all()}
    made = election()
    contests = Contest.objects.bulk_create(
        Contest(election=made, name=cells[slug].name, slug=f"parl.{slug}.{POLLING_DAY}", position=position,
                polls_close=POLLS_CLOSE, previous_winner=parties[_previous_winner(cells[slug])], previous_year=2019,
                previous_basis=Contest.PreviousBasis.NOTIONAL, figures_note=NOTE)
        for position, slug in enumerate(slugs, start=1)
    )  # fmt: skip
    Candidacy.objects.bulk_create(
        Candidacy(contest=contest, ballot_order=order, name=f"{code.title()} candidate, {contest.name}",
                  party=None if code == "ind" else parties[code])
        for contest in contests
        for order, code in enumerate(sorted(_chances(cells[hexmap.ballot_slug(contest.slug)])[0]), start=1)
    )  # fmt: skip
    return contests


def entry(contest: Contest, winner: str | None = None) -> Entry:
    """Invented votes: `winner` (a party code, "ind" for the independent) first, else a seeded pick: the
    previous winner about half the time, so about half the seats change hands."""
    rng = random.Random(f"now:{contest.slug}")
    now, _ = _chances(hexmap.layout(hexmap.WESTMINSTER_2024)[hexmap.ballot_slug(contest.slug)])
    previous = contest.previous_winner.code if contest.previous_winner else None
    winner = winner or (previous if previous in now and rng.random() < HOLDS else _pick(rng, now))
    votes = {}
    for candidacy in contest.candidacies.select_related("party"):
        code = candidacy.party.code if candidacy.party else "ind"
        votes[candidacy.pk] = rng.randint(18_000, 26_000) if code == winner else rng.randint(500, 15_000)
    return Entry(votes=votes, rejected_ballots=rng.randint(50, 200))


def declare(contest: Contest, actor, *, winner: str | None = None, minutes_after_close: int = 120, **kwargs):
    return services.result_declare(
        contest=contest, entry=entry(contest, winner), actor=actor, expected_version=None,
        declared_at=POLLS_CLOSE.astimezone(UTC) + timedelta(minutes=minutes_after_close), **kwargs,
    )  # fmt: skip
