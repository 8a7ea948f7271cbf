"""Edinburgh 2017, Ward 1 (Almond): the council's ballot data against its declaration.

See tests/results/data/stv/SOURCE.md for where each comes from; the ballot data
is the council's published file, kept beside it.
"""

import hashlib
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from results.counting.stv_check import DeclaredCount, DeclaredStage, check_declared

BLT_NAME = "edinburgh_2017_ward1.blt"
BLT_SHA256 = "e12161fcbd9a0547f6c1d5e250262a4988733a73d35b02b10bf6362c581637d0"

VALID, SEATS, QUOTA = 14207, 4, 2842
# The declaration's running totals, stage 1 to 10, as the council gave them.
DECLARED_TOTALS = {
    "Daniel FRASER (Libtn)":
        "99 112.84448 118.77174 123.46495 134.04779 138.92441 0 0 0 0",
    "Graham HUTCHISON (C)":
        "2395 2727.80000 2995.20116 2842 2842 2842 2842 2842 2842 2842",
    "Otto INGLIS (UKIP)":
        "68 78.64960 85.42152 100.36583 0 0 0 0 0 0",
    "Kevin LANG (LD)":
        "6079 2842 2842 2842 2842 2842 2842 2842 2842 2842",
    "John LONGSTAFF (Ind)":
        "56 68.77952 89.07802 101.69775 120.02266 0 0 0 0 0",
    "Iain MCKINNON-WADDELL (Grn)":
        "375 430.37792 495.07024 502.04986 509.77452 537.25106 558.00493 0 0 0",
    "Pamela MITCHELL (SNP)":
        "1240 1285.79328 1305.99084 1308.58395 1321.62385 1326.06421 1342.59669 1485.08781 1691.38006 0",
    "Bruce WHITEHEAD (Lab)":
        "786 868.53440 966.00526 984.64241 995.72368 1014.74685 1037.63616 1167.34097 0 0",
    "Norrie WORK (SNP)":
        "1971 2054.59936 2105.59490 2108.27576 2110.83547 2117.29025 2123.30834 2225.03865 2387.69036 3744.20084",
    "Louise YOUNG (LD)":
        "1138 3652.90304 2842 2842 2842 2842 2842 2842 2842 2842",
}  # fmt: skip
DECLARED_ELECTED = {"Kevin LANG (LD)": 1, "Louise YOUNG (LD)": 2, "Graham HUTCHISON (C)": 3, "Norrie WORK (SNP)": 10}


def declared_stages() -> list[dict[str, Decimal]]:
    columns = {name: [Decimal(v) for v in row.split()] for name, row in DECLARED_TOTALS.items()}
    return [{name: values[i] for name, values in columns.items()} for i in range(10)]


def ballot_data() -> Path:
    path = Path(__file__).parents[1] / "data" / "stv" / BLT_NAME
    assert hashlib.sha256(path.read_bytes()).hexdigest() == BLT_SHA256, f"{path} is not the published file"
    return path


def test_the_declaration_of_almond_passes_the_checker():
    declared = DeclaredCount(
        seats=SEATS,
        valid_votes=VALID,
        quota=QUOTA,
        stages=[DeclaredStage(n, totals) for n, totals in enumerate(declared_stages(), start=1)],
        elected=DECLARED_ELECTED,
    )
    assert check_declared(declared) == []


def test_counting_the_almond_ballot_data_reproduces_the_declaration_stage_by_stage():
    out = StringIO()
    call_command("count_stv", str(ballot_data()), "--json", stdout=out)
    count = json.loads(out.getvalue())

    assert (count["valid_votes"], count["seats"], count["quota"]) == (VALID, SEATS, QUOTA)
    assert {e["candidate"]: e["stage"] for e in count["elected"]} == DECLARED_ELECTED
    assert [e["candidate"] for e in count["elected"]] == list(DECLARED_ELECTED)
    assert len(count["stages"]) == 10
    for stage, declared in zip(count["stages"], declared_stages(), strict=True):
        assert {name: Decimal(v) for name, v in stage["totals"].items()} == declared, f"stage {stage['number']}"
        assert sum(declared.values()) + Decimal(stage["non_transferable"]) == VALID
