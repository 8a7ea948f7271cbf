"""Checks an STV declaration as councils publish it, stage by stage.

A declaration gives the valid vote, the quota, each stage's running totals
(and usually the non-transferable papers) and who was elected at which stage.
`check_declared` returns what does not hold, one message a problem, naming the
stage; an empty list means the sheet is consistent.

How far a stage may fall short of the valid vote. The Order truncates each
paper's transfer value to five decimal places, so a surplus transfer loses less
than 0.00001 of a vote a paper moved, and a transfer moves no more papers than
there are valid votes: each surplus transfer so far may lose up to
valid votes × 0.00001. A sheet that credits that loss as non-transferable (as
`count_stv` does) adds up exactly; one that drops it is still accepted. Figures
published to fewer than five places may be off by half their last place each,
in either direction. A stage never adds up to more than the valid vote beyond
that rounding, and, where non-transferable papers are not given, the shortfall
never shrinks: votes that left the count do not come back.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from results.counting.stv import droop_quota

TRUNCATION_PER_PAPER = Decimal("0.00001")


@dataclass(frozen=True)
class DeclaredStage:
    number: int
    totals: Mapping[str, Decimal]
    non_transferable: Decimal | None = None


@dataclass(frozen=True)
class DeclaredCount:
    seats: int
    valid_votes: int
    quota: int
    stages: Sequence[DeclaredStage]
    elected: Mapping[str, int] = field(default_factory=dict)


def _rounding(stage: DeclaredStage) -> Decimal:
    figures = [*stage.totals.values(), *([stage.non_transferable] if stage.non_transferable is not None else [])]
    places = min(max(-figure.as_tuple().exponent, 0) for figure in figures)
    if places >= 5:
        return Decimal(0)
    return len(figures) * Decimal("0.5").scaleb(-places)


def _check_quota(declared: DeclaredCount) -> list[str]:
    if declared.seats < 1:
        return [f"{declared.seats} seats: there must be at least one."]
    right = droop_quota(declared.valid_votes, declared.seats)
    if declared.quota != right:
        return [
            f"The quota is {declared.quota:,}, but {declared.valid_votes:,} valid votes for {declared.seats} "
            f"seat(s) give {right:,} (valid votes ÷ {declared.seats + 1}, fraction ignored, plus one)."
        ]
    return []


def _check_shape(declared: DeclaredCount) -> list[str]:
    if not declared.stages:
        return ["The declaration has no stages."]
    errors = []
    numbers = [stage.number for stage in declared.stages]
    if numbers != list(range(1, len(numbers) + 1)):
        errors.append(f"The stages are numbered {numbers}; they must run 1, 2, 3… with none missing.")
    names = set(declared.stages[0].totals)
    for stage in declared.stages[1:]:
        if set(stage.totals) != names:
            errors.append(f"Stage {stage.number} names different candidates from stage 1.")
    first = declared.stages[0]
    if any(value != value.to_integral_value() for value in first.totals.values()):
        errors.append("Stage 1: first preferences must be whole numbers of votes.")
    return errors


def _surplus_stages(declared: DeclaredCount) -> set[int]:
    """Stages at which a candidate already at the quota gave votes away."""
    found = set()
    for before, stage in zip(declared.stages, declared.stages[1:], strict=False):
        if any(
            before.totals[name] >= declared.quota and stage.totals[name] < before.totals[name] for name in stage.totals
        ):
            found.add(stage.number)
    return found


def _check_sums(declared: DeclaredCount) -> list[str]:
    errors = []
    surpluses = _surplus_stages(declared)
    valid = Decimal(declared.valid_votes)
    shortfall_before = Decimal(0)
    surpluses_so_far = 0
    for stage in declared.stages:
        surpluses_so_far += stage.number in surpluses
        rounding = _rounding(stage)
        counted = sum(stage.totals.values(), Decimal(0))
        if stage.non_transferable is not None:
            counted += stage.non_transferable
        shortfall = valid - counted
        if shortfall < -rounding:
            excess = f"the figures add up to {counted}, more than the {valid:,} valid votes"
            errors.append(f"Stage {stage.number}: {excess}.")
        elif stage.non_transferable is not None:
            allowed = surpluses_so_far * declared.valid_votes * TRUNCATION_PER_PAPER + rounding
            if shortfall > allowed:
                errors.append(
                    f"Stage {stage.number}: the figures add up to {counted}, {shortfall} short of the "
                    f"{valid:,} valid votes (at most {allowed} can be lost to truncation)."
                )
        elif shortfall < shortfall_before - 2 * rounding:
            errors.append(
                f"Stage {stage.number}: the figures add up to {counted}, more than at stage {stage.number - 1}; "
                "votes that left the count cannot come back."
            )
        shortfall_before = shortfall
    return errors


def _leaders_settled(
    declared: DeclaredCount, last: DeclaredStage, elected: Mapping[str, int], continuing: list[str], vacancies: int
) -> list[str]:
    """The continuing candidates who fill the last seats at the last stage, or [] when the stages leave it open.

    With as many continuing as seats left, they fill them. A sheet may also stop before transferring the last
    papers (Northern Ireland's do, excluding the lowest without moving their votes): that settles the seats only
    when the candidates left behind, together with every surplus not yet transferred, trail each of the leaders,
    so no transfer could change who is elected.
    """
    if len(continuing) <= vacancies:
        return continuing if len(continuing) == vacancies else []
    ranked = sorted(continuing, key=lambda name: last.totals[name], reverse=True)
    leaders, behind = ranked[:vacancies], ranked[vacancies:]
    untransferred = sum((max(last.totals[name] - declared.quota, 0) for name in elected), Decimal(0))
    trailing = sum((last.totals[name] for name in behind), Decimal(0)) + untransferred
    return leaders if trailing < min(last.totals[name] for name in leaders) else []


def _check_surplus_falls(declared: DeclaredCount) -> list[str]:
    """A candidate over the quota gives away only the surplus: whatever falls, falls to the quota exactly."""
    errors = []
    for before, stage in zip(declared.stages, declared.stages[1:], strict=False):
        for name, votes in stage.totals.items():
            had = before.totals[name]
            if had >= declared.quota and votes < had and votes != declared.quota:
                errors.append(
                    f"Stage {stage.number}: {name} falls from {had} to {votes}; a surplus transferred leaves "
                    f"exactly the quota ({declared.quota:,})."
                )
    return errors


def elected_by_stages(declared: DeclaredCount) -> tuple[dict[str, int], str | None]:
    """Who the stages elect and when: at the quota, or as the last continuing filling the last seats."""
    elected: dict[str, int] = {}
    excluded: set[str] = set()
    previous: Mapping[str, Decimal] = {}
    for stage in declared.stages:
        for name, votes in stage.totals.items():
            if name in elected or name in excluded:
                continue
            if votes >= declared.quota:
                elected[name] = stage.number
            elif name in previous and votes < previous[name]:
                excluded.add(name)
        previous = stage.totals
    last = declared.stages[-1]
    continuing = [name for name in last.totals if name not in elected and name not in excluded]
    vacancies = declared.seats - len(elected)
    if vacancies > 0 and (leaders := _leaders_settled(declared, last, elected, continuing, vacancies)):
        elected.update(dict.fromkeys(leaders, last.number))
    elif vacancies > 0:
        return elected, (
            f"Stage {last.number}: the stages fill {len(elected)} of {declared.seats} seats, and "
            f"{len(continuing)} candidate(s) are still continuing for the {vacancies} left."
        )
    return elected, None


def _check_elected(declared: DeclaredCount) -> list[str]:
    errors = []
    if len(declared.elected) != declared.seats:
        errors.append(f"{len(declared.elected)} candidate(s) are declared elected for {declared.seats} seat(s).")
    by_stages, unfilled = elected_by_stages(declared)
    if unfilled:
        errors.append(unfilled)
    for name, stage in declared.elected.items():
        if name not in declared.stages[0].totals:
            errors.append(f"{name} is declared elected but is not a candidate in the stages.")
        elif name not in by_stages:
            errors.append(
                f"Stage {stage}: {name} is declared elected but never reached the quota ({declared.quota:,}) "
                "nor was left to fill the last seats."
            )
        elif by_stages[name] != stage:
            errors.append(f"Stage {stage}: {name} is declared elected here, but the stages elect them at stage "
                          f"{by_stages[name]}.")  # fmt: skip
    for name, stage in by_stages.items():
        if name not in declared.elected:
            errors.append(f"Stage {stage}: the stages elect {name}, who is not declared elected.")
    return errors


def check_declared(declared: DeclaredCount) -> list[str]:
    quota_errors = _check_quota(declared)
    shape_errors = _check_shape(declared)
    if shape_errors or declared.seats < 1:
        return quota_errors + shape_errors
    # Who the stages elect depends on the quota, so a wrong quota is the one finding about election.
    if quota_errors:
        return quota_errors + _check_sums(declared)
    return _check_sums(declared) + _check_surplus_falls(declared) + _check_elected(declared)
