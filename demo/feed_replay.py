"""A feed's night replayed: its declarations applied one at a time, in the order and at the pace they came.

Each ballot goes through the feed importer (results/feeds/apply.py) exactly as `import_results` applies
a file, so every check a real feed meets is met here too. The first run sets up every contest in the
feed, its candidates and previous result, with nothing declared; then each declaration is applied with
its own `declared_at`, so cards, blog posts and the scoreboard show the night as it happened. A ballot
already declared is passed over: running it again continues with what is left.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from django.utils.timezone import localtime

from results.feeds.apply import ImportFailed, import_ballots
from results.feeds.ballots import BallotRow
from results.feeds.read import read_file
from results.models import Contest, Election

from .pacing import paced

NIGHT_2024 = Path(__file__).parent / "data" / "ge-2024" / "results.json"
PREVIOUS_NATIONAL = [Path(__file__).parent / "data" / "ge-2024" / "previous-national-2019.json"]


def give_previous_national_shares(paths=PREVIOUS_NATIONAL) -> None:
    """The previous election's national shares, for elections that have none yet (an editor's stay)."""
    for path in paths:
        given = json.loads(path.read_text())
        Election.objects.filter(slug=given["election"], previous_shares={}).update(
            previous_shares=given["shares"], previous_year=given["year"]
        )


class ReplayFailed(Exception):
    """The feed cannot be read or applied; the message says where."""


@dataclass(frozen=True)
class Night:
    path: Path
    ballots: list[BallotRow]

    @property
    def election_ids(self) -> list[str]:
        return list(dict.fromkeys(row.election_id for row in self.ballots))

    @property
    def declarations(self) -> list[BallotRow]:
        """The declared ballots in the order they were declared."""
        declared = [row for row in self.ballots if row.result.get("status") == "declared"]
        return sorted(declared, key=lambda row: row.result["declared_at"])


def read_night(path: Path) -> Night:
    if not path.exists():
        raise ReplayFailed(f"No such file: {path}")
    ballots, errors = read_file(path)
    if errors:
        raise ReplayFailed(f"{path.name}: " + "; ".join(errors[:5]) + (" …" if len(errors) > 5 else ""))
    return Night(path, ballots)


def apply_rows(night: Night, rows: list[BallotRow], actor) -> None:
    """Apply these ballots as import_results would; a refusal is a ReplayFailed with its places."""
    try:
        import_ballots(rows, actor=actor, source_name=night.path.name)
    except ImportFailed as failure:
        raise ReplayFailed(f"{night.path.name}: " + "; ".join(failure.errors[:5])) from failure


def set_up(night: Night, actor) -> int:
    """Create the contests the feed has and the database lacks, nothing declared; returns how many."""
    known = set(Contest.objects.filter(election__slug__in=night.election_ids).values_list("election__slug", "slug"))
    missing = [replace(row, result={}) for row in night.ballots if (row.election_id, row.ballot_paper_id) not in known]
    if missing:
        apply_rows(night, missing, actor)
    return len(missing)


def elections(night: Night) -> list[Election]:
    return list(Election.objects.filter(slug__in=night.election_ids))


def waiting(night: Night) -> list[BallotRow]:
    """The declarations not yet applied, in declaration order."""
    declared = set(
        Contest.objects.filter(election__slug__in=night.election_ids, result__current__isnull=False).values_list(
            "election__slug", "slug"
        )
    )
    return [row for row in night.declarations if (row.election_id, row.ballot_paper_id) not in declared]


def replay(
    night: Night, *, speed: float, max_gap: float, stop_after: int | None, actor, say: Callable[[str], None], sleep
) -> int:
    """Apply the waiting declarations one at a time, paced; returns how many were applied."""
    count = 0
    rows = paced(waiting(night), lambda row: row.result["declared_at"], speed=speed, max_wait=max_gap, sleep=sleep)
    for row in islice(rows, stop_after):  # stops before waiting for the one after the last
        apply_rows(night, [row], actor)
        count += 1
        say(f"{localtime(row.result['declared_at']):%a %H:%M}  declared {row.name}")
    return count
