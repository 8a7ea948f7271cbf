"""Every complete Northern Ireland Assembly 2017 count sheet, as ElectionsNI transcribed it, through check_declared.

The sheets (tests/results/data/stv/ni-assembly-2017-declared.json, see SOURCE.md there) give the valid poll,
the quota, every stage's running totals and non-transferable papers, and who was elected at which stage.
Many stop before the last transfers, the last seats going to the leaders below the quota. The slips in the
transcription are kept as they are, and the checker must name them.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from results.counting.stv_check import DeclaredCount, DeclaredStage, check_declared

DATA = Path(__file__).parents[1] / "data" / "stv" / "ni-assembly-2017-declared.json"
SHEETS = {sheet["name"]: sheet for sheet in json.loads(DATA.read_text(encoding="utf-8"))["constituencies"]}

# Mid Ulster and West Tyrone are not in the file: their ConstituencyCount.csv gives no valid poll (nor spoilt
# papers), so their counts are incomplete. The other 16 of the 18 constituencies are.
COMPLETE = {
    "Belfast East", "Belfast North", "Belfast South", "Belfast West", "East Antrim", "East Londonderry",
    "Fermanagh and South Tyrone", "Foyle", "Lagan Valley", "Newry and Armagh", "North Antrim", "North Down",
    "South Antrim", "South Down", "Strangford", "Upper Bann",
}  # fmt: skip

SLIPS = {
    # Stage 6 excludes Nelson McCausland (4,709 votes), but the sheet's transfers (4,544) and non-transferable
    # papers (164) account for only 4,708: from there the totals and non-transferable papers come to 41,485.
    "Belfast North": [
        "Stage 6: the figures add up to 41485.00, 1.00 short of the 41,486 valid votes "
        "(at most 0.07000 can be lost to truncation).",
        "Stage 7: the figures add up to 41485.00, 1.00 short of the 41,486 valid votes "
        "(at most 0.48486 can be lost to truncation).",
    ],
}

# Foyle: Colum Eastwood has 7595.30 at stages 3 and 4 (his surplus is never transferred), but 7595.00 at
# stages 5 and 6, so those stages add up to 44,615.70 of 44,616. The checker lets this through (see below).
FOYLE_SLIP_STAGE = 5


def declared(sheet: dict) -> DeclaredCount:
    non_transferable = sheet.get("non_transferable")
    stages = [
        DeclaredStage(
            number,
            {name: Decimal(column[number - 1]) for name, column in sheet["totals"].items()},
            None if non_transferable is None else Decimal(non_transferable[number - 1]),
        )
        for number in range(1, len(non_transferable or next(iter(sheet["totals"].values()))) + 1)
    ]
    return DeclaredCount(sheet["seats"], sheet["valid_poll"], sheet["quota"], stages, sheet["elected"])


def test_the_file_holds_every_complete_constituency_with_five_seats():
    assert set(SHEETS) == COMPLETE
    assert {sheet["seats"] for sheet in SHEETS.values()} == {5}
    assert all(len(sheet["elected"]) == 5 for sheet in SHEETS.values())


@pytest.mark.parametrize("name", sorted(COMPLETE - set(SLIPS) - {"Foyle"}))
def test_a_complete_sheet_passes_the_checker(name):
    assert check_declared(declared(SHEETS[name])) == []


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_a_slip_in_the_transcription_is_named(name):
    assert check_declared(declared(SHEETS[name])) == SLIPS[name]


def test_foyles_sheet_holds_the_slip_at_stage_5():
    foyle = declared(SHEETS["Foyle"])
    eastwood = [stage.totals["Colum Eastwood"] for stage in foyle.stages]
    assert eastwood[2:] == [Decimal("7595.30"), Decimal("7595.30"), Decimal("7595.00"), Decimal("7595.00")]
    added_up = [sum(stage.totals.values()) + stage.non_transferable for stage in foyle.stages]
    assert added_up == [Decimal(44616)] * 4 + [Decimal("44615.70")] * 2


def test_the_checker_names_foyles_slip():
    assert check_declared(declared(SHEETS["Foyle"])) == [
        f"Stage {FOYLE_SLIP_STAGE}: Colum Eastwood falls from 7595.30 to 7595.00; a surplus transferred leaves "
        "exactly the quota (7,437)."
    ]
