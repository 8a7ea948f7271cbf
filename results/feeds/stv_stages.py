"""A single transferable vote ballot's declared count in a feed: the quota, the stages, who was elected when.

    "result": {"declared_at": "...", "quota": 2842, "stages": [
        {"number": 1, "action": "First preferences", "totals": {"Kevin Lang": "6079", ...},
         "non_transferable": "0"},                         # optional
        {"number": 2, "action": "Surplus of Kevin Lang", "totals": {...}}, ...]}
    each winner: "elected_at_stage": 1 (with or without "elected": true)

Candidates need no votes_cast: their first preferences are stage 1's (and must agree where given).
The count is checked as declared (stv_declared.problems): a wrong quota, a stage that does not add up
or an elected list the stages do not elect is refused, each problem with its place.
"""

from ..models import Contest
from ..stv_declared import first_preferences, problems
from .values import SMALL_COLUMN_MAX, FeedValues


def read_stages(reader: FeedValues, result: dict, where: str, fields: dict) -> list[dict]:
    """Each stage, its figures checked; `fields` is the feed's known keys (ballots.FEED_FIELDS)."""
    stages = []
    for i, stage in reader.objects(result, "stages", where):
        place = f"{where}.stages[{i}]"
        reader.known_keys(stage, place, "stage", fields)
        totals = reader.mapping(stage, "totals", place)
        stages.append({
            "number": reader.count(stage, "number", place, required=True, maximum=SMALL_COLUMN_MAX),
            "action": reader.text(stage, "action", place, limit=120),
            "totals": {str(name).strip(): reader.votes_figure(totals, name, f"{place}.totals") for name in totals},
            "non_transferable": reader.votes_figure(stage, "non_transferable", place, required=False),
        })  # fmt: skip
    return stages


def settle_stv(reader: FeedValues, row) -> None:
    """Check an STV ballot's count against its candidates and itself; keep it as result["stv"]."""
    result = row.result or {}
    given = bool(result.get("stages") or result.get("quota") or any(c.elected_at_stage for c in row.candidates))
    if row.voting_system != Contest.VotingSystem.STV:
        if given:
            reader.fail(row.where, "quota, stages and elected_at_stage belong to a single transferable vote "
                        "ballot (voting_system “stv”)")  # fmt: skip
        return
    if result.get("status") != "declared":
        if given:
            reader.fail(row.where, "a count's stages and quota come with its declaration")
        return
    where = f"{row.where}.result"
    if not result.get("stages") or result.get("quota") is None:
        reader.fail(where, "a single transferable vote declaration gives its quota and stages")
        return
    if any(None in stage.values() or None in stage["totals"].values() for stage in _required(result["stages"])):
        return  # each missing or bad figure is already reported with its place
    elected = _elected(reader, row)
    stv = {"quota": result["quota"], "stages": result["stages"], "elected": elected}
    if _candidates_agree(reader, row, stv):
        for message in problems(stv, row.seats, {}):
            reader.fail(f"{where}.stages", message)
    result["stv"] = stv


def _required(stages: list[dict]) -> list[dict]:
    return [{key: value for key, value in stage.items() if key != "non_transferable"} for stage in stages]


def _elected(reader: FeedValues, row) -> dict[str, int]:
    elected = {}
    for candidate in row.candidates:
        if candidate.elected_at_stage is not None:
            if candidate.elected is False:
                reader.fail(candidate.where, "elected is false, but elected_at_stage is given")
            candidate.elected = True
            elected[candidate.name] = candidate.elected_at_stage
        elif candidate.elected:
            reader.fail(candidate.where, "elected_at_stage is required: the stage at which they were elected")
    return elected


def _candidates_agree(reader: FeedValues, row, stv: dict) -> bool:
    """The stages name the ballot's candidates, whose first preferences are stage 1's."""
    names = {c.name for c in row.candidates}
    agree = True
    for stage in stv["stages"]:
        unknown, missing = set(stage["totals"]) - names, names - set(stage["totals"])
        place = f"{row.where}.result.stages (stage {stage['number']})"
        if unknown:
            reader.fail(place, "names no candidate of this ballot: " + ", ".join(sorted(unknown)))
        if missing:
            reader.fail(place, "gives no total for " + ", ".join(sorted(missing)))
        agree = agree and not unknown and not missing
    if not agree:
        return False
    firsts = first_preferences(stv)
    for candidate in row.candidates:
        if candidate.votes is None:
            candidate.votes = firsts[candidate.name]
        elif candidate.votes != firsts[candidate.name]:
            reader.fail(candidate.where, f"votes_cast {candidate.votes:,} is not stage 1's "
                        f"{firsts[candidate.name]:,} first preferences")  # fmt: skip
    return True
