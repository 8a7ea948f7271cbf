"""Values no column could hold, in every format the importer reads: a message naming the place, nothing imported.

These run on SQLite and, in the PostgreSQL mode, on PostgreSQL, where over-long text, NUL characters,
lone surrogates and numbers beyond a column would otherwise fail inside the database.
"""

import copy
import json
from pathlib import Path

import pytest

from results.models import Party
from tests.results.test_import_as_published import HARTLEPOOL, HARTLEPOOL_CSV, ballot, refused

pytestmark = pytest.mark.django_db

SHEFFIELD = json.loads((Path(__file__).parent / "data" / "dc-result-sets-sheffield-2021.json").read_text())
TOO_DEEP = "[" * 100_000 + "]" * 100_000


def changed(change, base=HARTLEPOOL):
    data = copy.deepcopy(base)
    change(data)
    return json.dumps(data)


def candidate(d, i=0):
    return ballot(d)["candidates"][i]


def result(d):
    return ballot(d)["result"]


JSON_CASES = [
    ("an hour of 25", lambda d: result(d).update(declared_at="2021-05-07T25:20:00+01:00"),
     "ballots[0].result: declared_at: “2021-05-07T25:20:00+01:00” is not a real date-time (hour must be in 0..23)"),
    ("a month of 13", lambda d: ballot(d).update(polls_close="2021-13-06T22:00:00+01:00"),
     "ballots[0]: polls_close: “2021-13-06T22:00:00+01:00” is not a real date-time (month must be in 1..12)"),
    ("an offset of +99:00", lambda d: result(d).update(declared_at="2021-05-07T04:20:00+99:00"),
     "ballots[0].result: declared_at: “2021-05-07T04:20:00+99:00” is not a real date-time"),
    ("a time before the calendar begins in UTC", lambda d: ballot(d).update(polls_close="0001-01-01T00:10:00+01:00"),
     "ballots[0]: polls_close: “0001-01-01T00:10:00+01:00” is out of range"),
    ("an election name longer than its column", lambda d: d["elections"][0].update(election_name="E" * 201),
     "ballots[0]: election_name is 201 characters; the most is 200"),
    ("a post name longer than its column", lambda d: ballot(d).update(post_name="P" * 161),
     "ballots[0]: post_name is 161 characters; the most is 160"),
    ("a candidate name longer than its column", lambda d: candidate(d).update(person_name="C" * 121),
     "candidates[0]: person_name is 121 characters; the most is 120"),
    ("a new party's name longer than its column", lambda d: candidate(d, 3).update(party_name="H" * 121),
     "candidates[3]: party_name is 121 characters; the most is 120"),
    ("a source longer than its column", lambda d: result(d).update(source="S" * 201),
     "ballots[0].result: source is 201 characters; the most is 200"),
    ("a previous winner's name longer than its column", lambda d: ballot(d)["previous"].update(winner_name="W" * 121),
     "ballots[0].previous: winner_name is 121 characters; the most is 120"),
    ("a NUL in a name", lambda d: candidate(d).update(person_name="Jill\x00Mortimer"),
     "candidates[0].person_name: contains a NUL character"),
    ("a NUL in a key", lambda d: ballot(d)["previous"].update(independents={"Sam\x00Lee": 5}),
     "previous.independents.Sam\\x00Lee: contains a NUL character"),
    ("a lone surrogate", lambda d: ballot(d).update(post_name="Hartlepool\ud800"),
     "ballots[0].post_name: contains a lone surrogate (\\ud800)"),
    ("seats beyond their column", lambda d: ballot(d).update(winner_count=40_000),
     "ballots[0]: winner_count: 40000 is more than 32,767"),
    ("a council size beyond its column", lambda d: ballot(d).update(total_seats=40_000),
     "ballots[0]: total_seats: 40000 is more than 32,767"),
    ("a ballot order beyond its column", lambda d: candidate(d).update(ballot_order=40_000),
     "candidates[0]: ballot_order: 40000 is more than 32,767"),
    ("votes beyond 2^31", lambda d: candidate(d).update(votes_cast=2**31),
     "candidates[0]: votes_cast: “2147483648” is more than any UK count could be"),
    ("a list where votes belong", lambda d: candidate(d).update(votes_cast=[1, 2]),
     "candidates[0]: votes_cast must be a number, not list"),
    ("a list where council seats belong", lambda d: result(d).update(council_seats=[1, 2]),
     "ballots[0].result: council_seats must be an object, not list"),
    ("a list as a council's seats", lambda d: result(d).update(council_seats={"PP52": [3]}),
     "ballots[0].result.council_seats: PP52 must be a number, not list"),
    ("a list as a reason", lambda d: result(d).update(reason=["recount"]),
     "ballots[0].result: reason must be text, not list"),
    ("an object as a source", lambda d: result(d).update(source={"who": "RO"}),
     "ballots[0].result: source must be text, not dict"),
    ("a blank beside a party's previous votes", lambda d: ballot(d)["previous"]["votes"].update(PP53=None),
     "ballots[0].previous.votes: PP53 is required"),
    ("a blank beside an independent's previous votes",
     lambda d: ballot(d)["previous"].update(independents={"Sam Lee": ""}),
     "ballots[0].previous.independents: Sam Lee is required"),
    ("a register id longer than its column", lambda d: candidate(d, 3).update(party_id="PP" + "9" * 40),
     "candidates[3]: party_id is 42 characters; the most is 30"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), JSON_CASES, ids=[case for case, _, _ in JSON_CASES])
def test_a_json_feed_value_no_column_could_hold_is_refused_with_its_place(
    tmp_path, results_desk, capsys, case, change, message
):
    assert message in refused(tmp_path, changed(change), capsys)
    assert not Party.objects.filter(name__startswith="H" * 20).exists()


def test_json_nested_a_hundred_thousand_deep_is_refused(tmp_path, results_desk, capsys):
    assert "file: not valid JSON: nested too deeply" in refused(tmp_path, TOO_DEEP, capsys)


def test_json_nested_deeper_than_any_feed_is_refused_with_its_place(tmp_path, results_desk, capsys):
    data = copy.deepcopy(HARTLEPOOL)
    nested = candidate(data)["notes"] = {}
    for _ in range(100):
        nested = nested.setdefault("more", {})
    assert "candidates[0].notes.more.more" in refused(tmp_path, data, capsys)


RESULT_SET_CASES = [
    ("candidate results that are a number", lambda d: d["results"][0].update(candidate_results=5),
     "results[0]: candidate_results must be a list, not int"),
    ("a NUL in a candidate's name",
     lambda d: d["results"][0]["candidate_results"][0]["membership"]["person"].update(name="A\x00B"),
     "results[0].candidate_results[0].membership.person.name: contains a NUL character"),
    ("a list where votes belong", lambda d: d["results"][0]["candidate_results"][0].update(num_ballots=[1]),
     "results[0].candidate_results[0]: votes_cast must be a number, not list"),
    ("a ward name longer than its column",
     lambda d: d["results"][0]["candidate_results"][0]["membership"]["post"].update(label="W" * 161),
     "results[0]: post_name is 161 characters; the most is 160"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), RESULT_SET_CASES, ids=[c for c, _, _ in RESULT_SET_CASES])
def test_a_democracy_club_result_set_value_no_column_could_hold_is_refused_with_its_place(
    tmp_path, results_desk, capsys, case, change, message
):
    assert message in refused(tmp_path, changed(change, SHEFFIELD), capsys)


def csv_with(column: str, value: str) -> str:
    header, first, second = HARTLEPOOL_CSV.strip().split("\n")
    names = header.split(",")
    cells = first.split(",")
    cells[names.index(column)] = value
    return "\n".join([header, ",".join(cells), second]) + "\n"


CSV_CASES = [
    ("an hour of 25", "declared_at", "2021-05-07T25:20:00+01:00",
     "row 2: declared_at: “2021-05-07T25:20:00+01:00” is not a real date-time (hour must be in 0..23)"),
    ("an offset of +99:00", "polls_close", "2021-05-06T22:00:00+99:00", "row 2: polls_close: “2021-05-06T22:00"),
    ("a candidate name longer than its column", "person_name", "C" * 121,
     "row 2: person_name is 121 characters; the most is 120"),
    ("a NUL in a name", "person_name", "Jill\x00Mortimer", "row 2.person_name: contains a NUL character"),
    ("votes beyond 2^31", "votes_cast", str(2**31), "row 2: votes_cast: “2147483648” is more than any UK count"),
    ("seats beyond their column", "electorate", "1" * 30, "row 2: electorate: “111111111111111111"),
    ("a field over the CSV module's limit", "person_name", "C" * 131_073,
     "row 2: a field is longer than 131,072 characters"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "column", "value", "message"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_a_csv_feed_value_no_column_could_hold_is_refused_with_its_place(
    tmp_path, results_desk, capsys, case, column, value, message
):
    assert message in refused(tmp_path, csv_with(column, value), capsys, "feed.csv")


def test_a_companion_file_with_a_field_over_the_csv_limit_is_refused_with_its_place(tmp_path, results_desk, capsys):
    from django.core.management import CommandError, call_command

    from tests.results.test_import_as_published import write

    feed = write(tmp_path, HARTLEPOOL_CSV, "feed.csv")
    previous = write(tmp_path, "ballot_paper_id,party_id,person_name,votes\nx,PP53," + "n" * 131_073 + ",1\n", "p.csv")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(feed), "--as", "desk", "--previous", str(previous))
    assert "previous row 2: a field is longer than 131,072 characters" in capsys.readouterr().err


def test_a_path_that_is_not_a_readable_file_is_said_not_raised(tmp_path, results_desk):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="cannot read .*: Is a directory"):
        call_command("import_results", str(tmp_path), "--as", "desk")
