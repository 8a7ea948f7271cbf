import pytest

from results.counting.blt import BltError, read_blt, read_blt_file
from results.counting.stv import Ballot

GOOD = (
    '4 2\n-4\n3 1 2 0\n2 3 0\n1 2 1 3 0\n0\n"Ann ADAMS (SNP)"\n"Bob BELL (Lab)"\n"Cat COX (Grn)"\n"Dan DEE (C)"\n'
    '"Ward 1 - Anytown"\n'
)


def test_reads_header_withdrawn_ballots_names_and_title():
    profile = read_blt(GOOD)
    assert profile.seats == 2
    assert profile.candidates == ("Ann ADAMS (SNP)", "Bob BELL (Lab)", "Cat COX (Grn)", "Dan DEE (C)")
    assert profile.title == "Ward 1 - Anytown"
    assert profile.withdrawn == frozenset({3})
    assert profile.ballots == (Ballot(3, (0, 1)), Ballot(2, (2,)), Ballot(1, (1, 0, 2)))


def test_crlf_blank_lines_byte_order_mark_and_unquoted_names_read_the_same():
    messy = "\ufeff" + GOOD.replace("\n", "\r\n\r\n").replace('"', "")
    assert read_blt(messy) == read_blt(GOOD)


def test_a_windows_1252_file_is_read(tmp_path):
    path = tmp_path / "ward.blt"
    path.write_bytes(GOOD.replace("Ann ADAMS", "Aonghas MACNÈILL").encode("cp1252"))
    assert read_blt_file(path).candidates[0] == "Aonghas MACNÈILL (SNP)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("4, 2\n", "line 1: the first line (candidates and seats) must be whole numbers, not “4,”"),
        ("4\n", "line 1: the first line must be two numbers"),
        ("2 3\n", "line 1: 3 seats but only 2 candidates"),
        ("2 1\n1 1 x 0\n", "line 2: ballot lines must be whole numbers, not “x”"),
        ("2 1\n1 1 2\n0\n", "line 2: a ballot line must end with 0"),
        ("2 1\n\n0 1 0\n0\n", "line 3: the weight (number of papers) must be at least 1, not 0"),
        ("2 1\n1 3 0\n0\n", "line 2: there is no candidate 3 (candidates are 1–2)"),
        ("2 1\n1 1 1 0\n0\n", "line 2: a candidate is given two preferences on the same ballot"),
        ("2 1\n-3\n", "line 2: there is no candidate 3 to withdraw"),
        ("2 1\n1 1 0\n", "the ballots never end"),
        ('2 1\n1 1 0\n0\n"A"\n', "the file names 1 of its 2 candidates"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n', "the file has no title"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', "line 7: unexpected text after the title"),
        ('2 1\n1 1 0\n0\n"A\n', "line 4: a quoted name must end with a quote"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n"T"\n', "two candidates have the same name"),
        ('2 1\n0\n"A"\n"B"\n"T"\n', "the file has no ballots"),
    ],
)
def test_malformed_files_are_refused_naming_the_line(text, message):
    with pytest.raises(BltError) as refused:
        read_blt(text)
    assert message in str(refused.value)
