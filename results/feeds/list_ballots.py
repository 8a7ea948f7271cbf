"""A party-list ballot (d'Hondt) in the project's JSON feed: its lists, threshold and constituencies.

{"ballot_paper_id": "sp.r.highlands-and-islands.2021-05-06", "post_name": "Highlands and Islands",
 "ballot_type": "region", "voting_system": "dhondt", "winner_count": 7, "threshold_percent": 5,
 "constituencies": ["sp.c.orkney-islands.2021-05-06", ...],   # contests whose declared winners count
 "lists_complete": false,                                       # only the heads of lists are given
 "lists": [{"party_id": "PP52", "candidates": ["Douglas Ross", ...]},   # in list order
           {"person_name": "Andy Wightman"}],                   # an individual list candidate
 "result": {"declared_at": "...", "list_votes": {"PP52": 60779, "Andy Wightman": 3367},
            "elected": ["Douglas Ross", ...]}}                  # optional: checked against the count
"""

from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Candidacy, Party
from .values import FeedValues

DHONDT = "dhondt"


@dataclass
class ListRow:
    where: str
    party: str | None  # the feed's party id; None for an individual list candidate
    party_name: str
    person_name: str  # an individual list candidate's name
    candidates: list[str] = field(default_factory=list)

    @property
    def vote_key(self) -> str:
        """How the result's list_votes names this list: by party id, or the individual's name."""
        return self.party or self.person_name


@dataclass
class RegionRow:
    threshold_percent: Decimal | None
    constituencies: list[str]
    lists: list[ListRow]
    lists_complete: bool


def _limit(name: str) -> int:
    return Candidacy._meta.get_field(name).max_length


def names(reader: FeedValues, data: dict, key: str, where: str) -> list[str]:
    """A list of names (or ids), each text that fits a candidate's name."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        reader.fail(where, f"{key} must be a list of names, not {type(value).__name__}")
        return []
    found = [reader.text({key: item}, key, f"{where}.{key}[{i}]", limit=_limit("name")) for i, item in enumerate(value)]
    return [name for name in found if name]


def _list_row(reader: FeedValues, data: dict, where: str) -> ListRow:
    party_limit = Party._meta.get_field("code").max_length
    row = ListRow(
        where=where,
        party=reader.text(data, "party_id", where, required=False, limit=party_limit) or None,
        party_name=reader.text(
            data, "party_name", where, required=False, limit=Party._meta.get_field("name").max_length
        ),
        person_name=reader.text(data, "person_name", where, required=False, limit=_limit("name")),
        candidates=names(reader, data, "candidates", where),
    )
    if bool(row.party) == bool(row.person_name):
        reader.fail(where, "a list is a party's (party_id) or an individual candidate's (person_name): give one")
    elif row.person_name and row.candidates:
        reader.fail(where, "an individual list candidate stands alone: no candidates")
    return row


def region_row(reader: FeedValues, ballot: dict, where: str, fields: dict) -> RegionRow | None:
    """The ballot's lists when it is a list ballot; list keys on any other ballot are refused."""
    region_keys = [key for key in ("lists", "constituencies", "threshold_percent", "lists_complete") if key in ballot]
    if ballot.get("voting_system") != DHONDT:
        if region_keys:
            reader.fail(where, f"{', '.join(region_keys)}: only a party-list ballot (voting_system “dhondt”) has these")
        return None
    if ballot.get("candidates"):
        reader.fail(where, "candidates: a party-list ballot names its lists (`lists`), not candidates")
    threshold = reader.percentage(ballot, "threshold_percent", where)
    if threshold is not None and not 0 < threshold < 100:
        reader.fail(where, f"threshold_percent: {threshold} is not between 0 and 100")
    lists = []
    for i, item in reader.objects(ballot, "lists", where):
        reader.known_keys(item, f"{where}.lists[{i}]", "list", fields)
        lists.append(_list_row(reader, item, f"{where}.lists[{i}]"))
    if not lists:
        reader.fail(where, "lists: a party-list ballot needs its lists")
    _check_names_apart(reader, lists)
    complete = ballot.get("lists_complete", True)
    if not isinstance(complete, bool):
        reader.fail(where, "lists_complete must be true or false")
    return RegionRow(threshold, names(reader, ballot, "constituencies", where), lists, complete is not False)


def _check_names_apart(reader: FeedValues, lists: list[ListRow]) -> None:
    seen: dict[str, str] = {}
    for item in lists:
        for name in item.candidates if item.party else [item.person_name]:
            if name and name.casefold() in seen:
                reader.fail(item.where, f"“{name}” is already on a list, at {seen[name.casefold()]}")
            seen.setdefault(name.casefold(), item.where)
    first: dict[str, str] = {}
    for item in lists:
        if item.vote_key in first:
            reader.fail(item.where, f"“{item.vote_key}” already has a list, at {first[item.vote_key]}")
        first.setdefault(item.vote_key, item.where)


def list_result(reader: FeedValues, result: dict, where: str) -> dict:
    """A list ballot's declared list votes and (optionally) the members it names, in order."""
    if "list_votes" not in result and "elected" not in result:
        return {}
    return {
        "list_votes": reader.counts(result, "list_votes", where, required=True),
        "elected": names(reader, result, "elected", where),
    }
