"""The 6 May 2021 results for the demo: Hartlepool, three councils and two mayoralties.

Hartlepool and the mayoral first rounds are the declared figures. Council seat
numbers, and the mayoralties' 2017 comparisons, are illustrative and say so on
their cards.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from results.models import Candidacy, Contest, Election, Party
from results.parties import upsert_parties
from results.summary import Entry

LONDON = ZoneInfo("Europe/London")
POLLS_CLOSE = datetime(2021, 5, 6, 22, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2021, 5, day, hour, minute, tzinfo=LONDON)


@dataclass(frozen=True)
class DemoContest:
    election: str
    slug: str
    name: str
    kind: str
    declared_at: datetime
    candidates: list = field(default_factory=list)  # (name, party code or None, votes, transfers)
    electorate: int | None = None
    voting_system: str = Contest.VotingSystem.FPTP
    previous_votes: dict = field(default_factory=dict)
    previous_shares: dict = field(default_factory=dict)
    previous_winner: str | None = None
    previous_turnout: str | None = None
    rejected: int = 0
    source: str = ""
    previous_seats: dict = field(default_factory=dict)
    seats_after: dict = field(default_factory=dict)
    total_seats: int | None = None
    note: str = ""


ELECTIONS = {
    "hartlepool-2021": ("Hartlepool by-election 2021", Election.Kind.BY_ELECTION),
    "local-2021": ("English council elections 2021", Election.Kind.LOCAL),
    "mayors-2021": ("Mayoral elections 2021", Election.Kind.MAYORAL),
}

EXTRA_PARTIES = [
    ("heritage", "Heritage Party", "Heritage", "#0C2C5C"),
    ("nep", "The North East Party", "NEP", "#5B2C6F"),
    ("wep", "Women's Equality Party", "WEP", "#68217A"),
    ("loony", "Official Monster Raving Loony Party", "Loony", "#E6D400"),
    ("sdp", "Social Democratic Party", "SDP", "#004A63"),
    ("fa", "Freedom Alliance", "FA", "#7A7A7A"),
]

CONTESTS = [
    DemoContest(
        "hartlepool-2021", "hartlepool", "Hartlepool", Contest.Kind.CONSTITUENCY, at(7, 4, 20),
        candidates=[
            ("Jill Mortimer", "con", 15529, None), ("Paul Williams", "lab", 8589, None),
            ("Sam Lee", None, 2904, None), ("Claire Martin", "heritage", 468, None),
            ("John Prescott", "reform", 368, None), ("Rachel Featherstone", "green", 358, None),
            ("Andy Hagon", "ld", 349, None), ("Thelma Walker", None, 250, None),
            ("Chris Killick", None, 248, None), ("Hilton Dawson", "nep", 163, None),
            ("Ralph Ward-Jackson", None, 157, None), ("Gemma Evans", "wep", 140, None),
            ("Adam Gaines", None, 126, None), ("The Incredible Flying Brick", "loony", 108, None),
            ("David Bettney", "sdp", 104, None), ("Steve Jack", "fa", 72, None),
        ],
        electorate=70768,
        # 2019 general election; Reform UK's change is measured against the Brexit Party, which it succeeded.
        previous_votes={"lab": 15464, "con": 11869, "brexit": 10603, "ld": 1696, "ind-2019": 911, "slp-2019": 494},
        previous_winner="lab",
        previous_turnout="57.9",
        source="Acting returning officer, Mill House Leisure Centre",
    ),
    DemoContest(
        "local-2021", "harlow", "Harlow", Contest.Kind.COUNCIL, at(7, 11, 30),
        previous_seats={"lab": 18, "con": 15}, seats_after={"con": 20, "lab": 13}, total_seats=33,
        previous_winner="lab", note="Illustrative seat figures.",
    ),
    DemoContest(
        "local-2021", "nuneaton-and-bedworth", "Nuneaton and Bedworth", Contest.Kind.COUNCIL, at(7, 14, 5),
        previous_seats={"lab": 19, "con": 14, "green": 1}, seats_after={"con": 24, "lab": 9, "green": 1},
        total_seats=34, previous_winner="lab", note="Illustrative seat figures.",
    ),
    DemoContest(
        "local-2021", "redditch", "Redditch", Contest.Kind.COUNCIL, at(7, 15, 40),
        previous_seats={"con": 19, "lab": 10}, seats_after={"con": 23, "lab": 6}, total_seats=29,
        previous_winner="con", note="Illustrative seat figures.",
    ),
    DemoContest(
        "mayors-2021", "tees-valley", "Tees Valley", Contest.Kind.MAYORALTY, at(7, 14, 20),
        candidates=[("Ben Houchen", "con", 121964, None), ("Jessie Joe Jacobs", "lab", 45641, None)],
        voting_system=Contest.VotingSystem.SV, rejected=1056,
        previous_shares={"con": "39.5", "lab": "38.9"}, previous_winner="con",
        note="Electorate not entered, so no turnout; 2017 comparison is first-round shares.",
    ),
    DemoContest(
        "mayors-2021", "west-midlands", "West Midlands", Contest.Kind.MAYORALTY, at(8, 15, 30),
        candidates=[
            ("Andy Street", "con", 299318, 15351), ("Liam Byrne", "lab", 244009, 23617),
            ("Steve Caudwell", "green", 35559, None), ("Jenny Wilkinson", "ld", 21836, None),
            ("Pete Durnell", "reform", 13568, None),
        ],
        electorate=1968302, voting_system=Contest.VotingSystem.SV,
        previous_shares={"con": "41.9", "lab": "40.9", "ld": "6.1", "green": "4.7"}, previous_winner="con",
        previous_turnout="26.7", note="2017 comparison shares are illustrative.",
    ),
]  # fmt: skip


@transaction.atomic
def load_elections() -> dict[str, Election]:
    upsert_parties(Party, EXTRA_PARTIES)
    parties = {p.code: p for p in Party.objects.all()}
    elections = {}
    for slug, (name, kind) in ELECTIONS.items():
        elections[slug], _ = Election.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "polling_day": date(2021, 5, 6)}
        )
    for position, spec in enumerate(CONTESTS):
        contest, _ = Contest.objects.update_or_create(
            election=elections[spec.election],
            slug=spec.slug,
            defaults={
                "name": spec.name, "kind": spec.kind, "electorate": spec.electorate,
                "voting_system": spec.voting_system, "polls_close": POLLS_CLOSE,
                "previous_votes": spec.previous_votes, "previous_shares": spec.previous_shares,
                "previous_winner": parties.get(spec.previous_winner),
                "previous_turnout": spec.previous_turnout, "previous_seats": spec.previous_seats,
                "total_seats": spec.total_seats, "figures_note": spec.note, "position": position,
            },
        )  # fmt: skip
        for order, (name, party, _votes, _transfers) in enumerate(spec.candidates, start=1):
            Candidacy.objects.update_or_create(
                contest=contest, name=name, defaults={"party": parties.get(party), "ballot_order": order}
            )
    return elections


def demo_entry(contest: Contest):
    """The figures the demo declares for a contest, as the results desk would enter them."""

    spec = next(s for s in CONTESTS if s.slug == contest.slug and s.election == contest.election.slug)
    ids = dict(contest.candidacies.values_list("name", "pk"))
    return spec, Entry(
        votes={ids[name]: votes for name, _, votes, _ in spec.candidates},
        transfers={ids[name]: transfers for name, _, _, transfers in spec.candidates if transfers is not None},
        rejected_ballots=spec.rejected,
        council_seats=spec.seats_after,
    )
