"""Every key of a feed is one the importer reads, at the level it belongs: anything else is refused with its place."""

import copy
import json

import pytest
from django.core.management import call_command

from results.feeds.ballots import DC_CSV_ALIASES, DC_CSV_IGNORED
from results.models import Contest, Election, Revision

from .test_import_as_published import DC_CSV, HARTLEPOOL, SHEFFIELD, ballot, refused, write

pytestmark = pytest.mark.django_db


def changed(change):
    data = copy.deepcopy(HARTLEPOOL)
    change(data)
    return data


MISPLACED = [
    ("a result's status on the ballot", lambda d: ballot(d).update(status="counting"),
     "elections[0].ballots[0]: `status` belongs in `result`"),
    ("a candidate's votes on the ballot", lambda d: ballot(d).update(votes_cast=3),
     "elections[0].ballots[0]: `votes_cast` belongs in a candidate (`candidates[]`)"),
    ("a ballot's electorate in the result", lambda d: ballot(d)["result"].update(electorate=70768),
     "elections[0].ballots[0].result: `electorate` belongs in a ballot (`ballots[]`)"),
    ("the election's name on a ballot", lambda d: ballot(d).update(election_name="Hartlepool"),
     "elections[0].ballots[0]: `election_name` belongs in the election"),
    ("a previous winner on a candidate", lambda d: ballot(d)["candidates"][3].update(winner="PP53"),
     "elections[0].ballots[0].candidates[3]: `winner` belongs in `previous`"),
    ("ballots at the top of the file", lambda d: d.update(ballots=[]),
     "file: `ballots` belongs in the election"),
]  # fmt: skip

UNKNOWN = [
    ("file", lambda d: d.update(version=2), "file: `version` is not a field of the file"),
    ("election", lambda d: d["elections"][0].update(country="England"),
     "elections[0]: `country` is not a field of the election"),
    ("ballot", lambda d: ballot(d).update(county="Durham"),
     "elections[0].ballots[0]: `county` is not a field of a ballot"),
    ("candidate", lambda d: ballot(d)["candidates"][0].update(vote_cast=15529),
     "elections[0].ballots[0].candidates[0]: `vote_cast` is not a field of a candidate"),
    ("result", lambda d: ballot(d)["result"].update(declared="2021-05-07T04:20:00+01:00"),
     "elections[0].ballots[0].result: `declared` is not a field of `result`"),
    ("previous", lambda d: ballot(d)["previous"].update(majority=3595),
     "elections[0].ballots[0].previous: `majority` is not a field of `previous`"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), MISPLACED, ids=[c for c, _, _ in MISPLACED])
def test_a_misplaced_key_is_refused_saying_where_it_belongs(tmp_path, results_desk, capsys, case, change, message):
    assert message in refused(tmp_path, changed(change), capsys)


@pytest.mark.parametrize(("level", "change", "message"), UNKNOWN, ids=[c for c, _, _ in UNKNOWN])
def test_an_unknown_key_is_refused_at_every_level_with_its_place(
    tmp_path, results_desk, capsys, level, change, message
):
    assert message in refused(tmp_path, changed(change), capsys)
    assert not Election.objects.exists()


def test_every_misplaced_key_in_a_file_is_reported_not_just_the_first(tmp_path, results_desk, capsys):
    def two(d):
        ballot(d).update(status="counting")
        ballot(d)["candidates"][1].update(colour="#E4003B")

    err = refused(tmp_path, changed(two), capsys)
    assert "`status` belongs in `result`" in err and "candidates[1]: `colour` is not a field of a candidate" in err


def test_an_unknown_csv_column_is_refused_naming_the_column(tmp_path, results_desk, capsys):
    misspelt = DC_CSV.replace("votes_cast", "vote_cast", 1)
    err = refused(tmp_path, misspelt, capsys, "sheffield.csv")
    assert "header: column `vote_cast` is not a column the importer reads" in err


def test_every_column_democracy_club_publishes_is_known(tmp_path, results_desk, capsys):
    published = [*DC_CSV_ALIASES, *DC_CSV_IGNORED]
    extra = [c for c in published if c not in DC_CSV.splitlines()[0].split(",")]
    lines = DC_CSV.splitlines()
    text = "\n".join([lines[0] + "," + ",".join(extra)] + [line + "," * len(extra) for line in lines[1:]]) + "\n"
    call_command("import_results", str(write(tmp_path, text, "sheffield.csv")), "--as", "desk")
    assert "2 ballot(s): 2 declared" in capsys.readouterr().out


def test_democracy_clubs_own_result_set_fields_are_passed_over_not_refused(tmp_path, results_desk, capsys):
    """The API's fields that carry nothing a card shows (urls, user, rank) import as published."""
    data = json.loads(SHEFFIELD.read_text())
    for result_set in data["results"][:2]:
        result_set.update(url="https://candidates.democracyclub.org.uk/api/v0.9/result_sets/1/", user="dc-user",
                          user_id=7)  # fmt: skip
        for candidate in result_set["candidate_results"]:
            candidate.update(result_set="https://candidates.democracyclub.org.uk/", rank=1)
    call_command("import_results", str(write(tmp_path, {"results": data["results"][:2]})), "--as", "desk")
    assert "2 ballot(s): 2 declared" in capsys.readouterr().out
    assert Contest.objects.count() == 2 and Revision.objects.count() == 2
