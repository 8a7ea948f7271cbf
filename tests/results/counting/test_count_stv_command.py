import json

import pytest
from django.core.management import CommandError, call_command

from tests.results.counting.test_blt import GOOD


@pytest.fixture
def ward_file(tmp_path):
    path = tmp_path / "ward.blt"
    path.write_text(GOOD)
    return path


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("count_stv", *args, stdout=out)
    return out.getvalue()


def test_prints_the_quota_the_stages_table_and_who_was_elected_when(ward_file):
    out = run(str(ward_file))
    assert "Valid votes 6; 2 seat(s); quota 3." in out
    assert "Stage 1" in out and "Non-transferable" in out
    assert "Elected at stage 1: Ann ADAMS (SNP)" in out
    assert "Stage 2: exclusion of Bob BELL (Lab)" in out
    assert "Elected at stage 2: Cat COX (Grn)" in out
    rows = {line.rsplit(None, 2)[0]: line.split()[-2:] for line in out.splitlines() if line.endswith("0")}
    assert rows["Bob BELL (Lab)"] == ["1.00000", "0.00000"]
    assert rows["Cat COX (Grn)"] == ["2.00000", "3.00000"]
    assert "Dan DEE (C)" not in out


def test_json_prints_the_count_structure(ward_file):
    data = json.loads(run(str(ward_file), "--json"))
    assert data["quota"] == 3
    assert data["stages"][0]["totals"]["Ann ADAMS (SNP)"] == "3.00000"
    assert data["elected"][0] == {"candidate": "Ann ADAMS (SNP)", "stage": 1}


def test_a_malformed_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "bad.blt"
    path.write_text("2 1\n1 9 0\n0\n")
    with pytest.raises(CommandError, match="line 2: there is no candidate 9"):
        run(str(path))


def test_a_missing_file_is_refused_plainly(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "none.blt"))


def test_a_tie_left_to_the_lot_asks_for_it_and_the_lot_option_settles_it(tmp_path):
    path = tmp_path / "tie.blt"
    path.write_text('3 1\n4 1 0\n2 2 1 0\n2 3 1 0\n0\n"A"\n"B"\n"C"\n"Tied ward"\n')
    with pytest.raises(CommandError, match="B, C are tied at every stage"):
        run(str(path))
    assert "Stage 2: exclusion of C" in run(str(path), "--lot", "C; B")
