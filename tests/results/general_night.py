"""A general election of many seats for the summary's tests, declared cheaply.

A few seats are declared through the service, as the desk would; the rest take those declarations'
stored facts and cards in turn (Revision rows made in bulk, the running totals recounted), so 650
declared seats cost seconds, not minutes, and every row reads like a real one.
"""

from django.db import transaction
from django.utils.text import slugify

from demo import general_election
from results import scoreboard, services
from results.models import Contest, Election, Result, Revision

REAL_DECLARATIONS = 12
# Some real names, and the rest as long as real ones (17 characters on average in 2024, ballot ids 33).
# None is a seat the tests import from a real feed (Harrogate and Knaresborough, Chorley).
NAMES = {
    1: "Hartlepool",
    2: "Harborough, Oadby and Wigston",
    3: "Harlow",
    4: "Ynys Môn",
    5: "St Albans",
    6: "St Ives",
    7: "Stoke-on-Trent Central",
    8: "Weston-super-Mare",
}


def seat_name(position: int) -> str:
    return NAMES.get(position, f"Seat {position:03d} Borough")


def create(seats: int = 650, slug: str = "parl.2024-07-04") -> Election:
    """The generated election with names and ballot ids as long as real ones; nothing declared."""
    election = general_election.create(slug=slug, seats=seats)
    contests = list(Contest.objects.filter(election=election))
    for contest in contests:
        contest.name = seat_name(contest.position)
        contest.slug = f"parl.{slugify(contest.name)}.2024-07-04"
    Contest.objects.bulk_update(contests, ["name", "slug"])
    return election


def in_order(election: Election) -> list[Contest]:
    return list(Contest.objects.filter(election=election).select_related("election").order_by("position"))


def declaration_time(contest: Contest):
    """When the seat is declared if it is the next of the night."""
    seats = Contest.objects.filter(election=contest.election_id).count()
    declared = Result.objects.filter(contest__election=contest.election_id, current__isnull=False).count()
    return general_election.declaration_time(declared + 1, seats)


def declare_one(contest: Contest, actor) -> None:
    """Declare one seat through the service, after every seat declared so far."""
    services.result_declare(
        contest=contest, entry=general_election.entry(contest), declared_at=declaration_time(contest), actor=actor,
        expected_version=None, source="Generated count",
    )  # fmt: skip


def declare(election: Election, actor, count: int | None = None, *, through_service: int = REAL_DECLARATIONS) -> None:
    """Declare seats in order of position until the first `count` (all by default) are declared, the nth of the
    night at the nth time: the first `through_service` of those still to declare through the service."""
    contests = in_order(election)
    count = len(contests) if count is None else count
    declared = Result.objects.filter(contest__election=election, current__isnull=False)
    done = set(declared.values_list("contest", flat=True))
    todo = [c for c in contests[:count] if c.pk not in done]
    real, rest = todo[:through_service], todo[through_service:]
    for contest in real:
        declare_one(contest, actor)
    if not rest:
        return
    samples = list(Revision.objects.filter(result__contest__election=election).order_by("pk")[:REAL_DECLARATIONS])
    first = len(done) + len(real) + 1
    with transaction.atomic():
        existing = {r.contest_id: r for r in Result.objects.filter(contest__in=rest)}
        Result.objects.bulk_create([Result(contest=c) for c in rest if c.pk not in existing], batch_size=500)
        results = list(Result.objects.filter(contest__in=rest).order_by("contest__position"))
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    result=result, number=1, source="Generated count", facts=samples[n % len(samples)].facts,
                    card_html=samples[n % len(samples)].card_html,
                    declared_at=general_election.declaration_time(first + n, len(contests)),
                )
                for n, result in enumerate(results)
            ],
            batch_size=500,
        )  # fmt: skip
        for result, revision in zip(results, revisions, strict=True):
            result.current, result.status = revision, Result.Status.DECLARED
        Result.objects.bulk_update(results, ["current", "status"], batch_size=500)
        scoreboard.rebuild(election)


def summary_night(actor, declared: int, seats: int = 70) -> Election:
    """A general election just big enough for the summary page, its first `declared` seats declared through
    the service as the desk would."""
    election = create(seats=seats)
    declare(election, actor, count=declared, through_service=declared)
    return election
