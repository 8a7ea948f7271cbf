"""A party-list ballot applied: its lists as candidacies, its constituencies, its list votes and named members."""

from django.core.exceptions import ValidationError

from ..counting.dhondt import check_declared
from ..figures import FiguresError, independent_key
from ..list_count import declared_members
from ..models import Candidacy, Contest
from ..summary import Entry, summarise
from .ballots import BallotRow
from .list_ballots import ListRow
from .party_book import PartyBook


def list_party_problems(row: BallotRow, book: PartyBook, *, allow_new: bool) -> list[str]:
    problems = []
    for item in row.region.lists if row.region else ():
        if item.party and (problem := book.problem(item.party, item.party_name, allow_new=allow_new)):
            problems.append(f"{item.where}: {problem}")
    return problems


def contest_fields(row: BallotRow) -> dict:
    if row.region is None:
        return {}
    return {"threshold_percent": row.region.threshold_percent, "lists_complete": row.region.lists_complete}


def _key(item: ListRow, book: PartyBook) -> str:
    return book.party(item.party, item.party_name).code if item.party else independent_key(item.person_name)


def upsert_lists(row: BallotRow, contest: Contest, book: PartyBook) -> None:
    """The lists' candidates in their order, and the constituencies whose winners count."""
    region = row.region
    for order, item in enumerate(region.lists, start=1):
        party = book.party(item.party, item.party_name) if item.party else None
        for position, name in enumerate(item.candidates or [item.person_name], start=1):
            Candidacy.objects.update_or_create(
                contest=contest, name=name,
                defaults={"party": party, "ballot_order": order, "list_position": position},
            )  # fmt: skip
    found = dict(
        Contest.objects.filter(election=contest.election, slug__in=region.constituencies).values_list("slug", "pk")
    )
    missing = [slug for slug in region.constituencies if slug not in found]
    if missing:
        raise ValidationError(
            f"{row.where}: constituencies: {', '.join(missing)} is in neither this feed nor the election "
            f"{contest.election.slug}"
        )
    contest.constituencies.set(found.values())


def list_entry(row: BallotRow, book: PartyBook) -> Entry:
    """The result's list votes by party code (an individual's by `ind:<name>`); every list must have its votes."""
    votes = row.result.get("list_votes")
    where = f"{row.where}.result.list_votes"
    if votes is None:
        raise ValidationError(f"{row.where}.result: list_votes is required for a party-list ballot")
    lists = {item.vote_key: item for item in row.region.lists}
    unknown = [key for key in votes if key not in lists]
    missing = [key for key in lists if key not in votes]
    problems = [f"{where}: “{key}” has no list in this ballot" for key in unknown]
    problems += [f"{where}: no votes for “{key}”" for key in missing]
    if problems:
        raise ValidationError(problems)
    return Entry(
        list_votes={_key(lists[key], book): n for key, n in votes.items()},
        rejected_ballots=row.result["rejected_ballots"],
        ballot_papers=row.result["ballot_papers"],
    )


def check_named_members(row: BallotRow, contest: Contest, entry: Entry) -> None:
    """Where the feed names the members elected, the count must elect the same people for the same lists."""
    elected = row.result.get("elected")
    if not elected:
        return
    try:
        allocation = summarise(contest, entry).region.allocation
    except FiguresError:
        return  # the declaration itself reports what is wrong with the figures
    members = declared_members(allocation, elected)
    problems = [members] if isinstance(members, str) else check_declared(allocation, members=members)
    if problems:
        raise ValidationError([f"{row.where}.result.elected: {problem}" for problem in problems])
