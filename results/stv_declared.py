"""A single transferable vote count as declared, in the shape a revision keeps it (Revision.stv_count).

    {"quota": 2842,
     "stages": [{"number": 1, "action": "First preferences", "totals": {key: "6079", ...},
                 "non_transferable": "0" or None}, ...],
     "elected": {key: 1, ...}}                  # the stage each winner was elected at

Keys are candidacy ids (as strings) once stored, the candidates' names while a feed is read; running
totals stay the decimal strings the returning officer gave, so the card and the API show them as declared.
Pure: checked by counting.stv_check, laid out for the card here.
"""

from dataclasses import dataclass
from decimal import Decimal

from .counting.stv_check import DeclaredCount, DeclaredStage, check_declared


@dataclass(frozen=True)
class StageRow:
    """One line of the card's stage table: a candidate's running totals, or the non-transferable papers."""

    label: str
    figures: tuple[str, ...]
    elected_at: int | None = None


def first_preferences(stv: dict) -> dict[str, int]:
    """Stage 1's totals: whole votes (check_declared refuses fractions there)."""
    stages = stv.get("stages") or []
    return {key: int(Decimal(votes)) for key, votes in stages[0]["totals"].items()} if stages else {}


def problems(stv: dict, seats: int, names: dict[str, str]) -> list[str]:
    """What does not hold in a declared count, each message naming its stage and candidates by `names`."""
    stages = [
        DeclaredStage(
            number=stage["number"],
            totals={names.get(key, key): Decimal(votes) for key, votes in stage["totals"].items()},
            non_transferable=None if stage.get("non_transferable") is None else Decimal(stage["non_transferable"]),
        )
        for stage in stv.get("stages") or []
    ]
    valid = sum(first_preferences(stv).values())
    declared = DeclaredCount(
        seats=seats, valid_votes=valid, quota=stv.get("quota") or 0, stages=stages,
        elected={names.get(key, key): stage for key, stage in (stv.get("elected") or {}).items()},
    )  # fmt: skip
    return check_declared(declared)


def stage_rows(stv: dict, order: list[tuple[str, str]]) -> list[StageRow]:
    """The stage table: each candidate in `order` (key, label), then non-transferable papers where given."""
    stages = stv.get("stages") or []
    elected = stv.get("elected") or {}
    rows = [
        StageRow(label, tuple(stage["totals"].get(key, "") for stage in stages), elected.get(key))
        for key, label in order
    ]
    if any(stage.get("non_transferable") is not None for stage in stages):
        rows.append(StageRow("Non-transferable", tuple(stage.get("non_transferable") or "" for stage in stages)))
    return rows
