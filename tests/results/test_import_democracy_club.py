"""Democracy Club's CSV and result sets: every column they publish that carries a figure or a fact is used."""

import json

import pytest
from django.core.management import call_command

from results.models import Contest, Election, Result

from .test_import_as_published import DC_CSV, SHEFFIELD, refused, write

pytestmark = pytest.mark.django_db

HEADER = (
    "person_id,person_name,election_id,ballot_paper_id,election_date,party_id,party_name,post_label,seats_contested"
)
WARD = "local.sheffield.2021-05-06,local.sheffield.ecclesall.2021-05-06,2021-05-06"


def dc_csv(columns: str, rows: list[str]) -> str:
    return "\n".join([f"{HEADER},{columns}", *rows]) + "\n"


def imported(tmp_path, text, capsys, name="sheffield.csv") -> str:
    call_command("import_results", str(write(tmp_path, text, name)), "--as", "desk")
    return capsys.readouterr().out


def ecclesall(client) -> dict:
    contests = client.get("/api/results/local.sheffield.2021-05-06/").json()["contests"]
    return next(c for c in contests if c["slug"] == "local.sheffield.ecclesall.2021-05-06")


# Ecclesall 2021's votes as Democracy Club published them; the spoilt, issued and electorate figures are
# illustrative (Democracy Club has none for this ward), chosen so the turnout figures are easy to check.
ECCLESALL_FIGURES = dc_csv(
    "elected,votes_cast,spoilt_ballots,turnout_reported,total_electorate,results_source",
    [
        f"12318,Roger Noel Davison,{WARD},party:90,Liberal Democrats,Ecclesall,1,True,2904,20,7208,14416,Sheffield CC",
        f"12567,Zoe Sykes,{WARD},party:53,Labour Party,Ecclesall,1,False,2168,20,7208,14416,Sheffield CC",
        f"12324,Jason Leman,{WARD},party:63,Green Party,Ecclesall,1,False,2116,20,7208,14416,Sheffield CC",
    ],
)


def test_democracy_clubs_spoilt_issued_electorate_and_source_columns_are_read(tmp_path, client, results_desk, capsys):
    assert "1 ballot(s): 1 declared" in imported(tmp_path, ECCLESALL_FIGURES, capsys)
    contest = Contest.objects.get()
    revision = contest.result.current
    assert contest.electorate == 14416
    assert (revision.rejected_ballots, revision.ballot_papers, revision.source) == (20, 7188, "Sheffield CC")
    declaration = ecclesall(client)["declaration"]
    assert declaration["rejected_ballots"] == 20
    assert declaration["turnout_ballot_papers_pct"] == "50.00"  # (7,188 valid + 20 rejected) ÷ 14,416


def test_ballot_papers_issued_fewer_than_the_spoilt_is_refused_with_its_place(tmp_path, results_desk, capsys):
    wrong = ECCLESALL_FIGURES.replace(",20,7208,", ",20,12,")
    assert "row 2: ballot_papers_issued: 12 is fewer than the 20 rejected" in refused(
        tmp_path, wrong, capsys, "sheffield.csv"
    )


# A tie, decided by lot: illustrative figures in Democracy Club's columns.
TIED = dc_csv(
    "elected,votes_cast,tied_vote_winner",
    [
        f"1,Ann Able,{WARD},party:90,Liberal Democrats,Ecclesall,1,True,1200,True",
        f"2,Ben Baker,{WARD},party:53,Labour Party,Ecclesall,1,False,1200,False",
        f"3,Cat Cole,{WARD},party:63,Green Party,Ecclesall,1,False,800,False",
    ],
)


def test_democracy_clubs_tied_vote_winner_is_the_winner_by_lot(tmp_path, client, results_desk, capsys):
    imported(tmp_path, TIED, capsys)
    revision = Result.objects.get().current
    assert revision.winner_by_lot.name == "Ann Able"
    declaration = ecclesall(client)["declaration"]
    assert declaration["decided_by_lot"] is True and declaration["winner"] == "Ann Able"


def test_a_cancelled_poll_with_its_winner_marked_is_elected_unopposed(tmp_path, client, results_desk, capsys):
    text = dc_csv(
        "cancelled_poll,elected,votes_cast", [f"1,Ann Able,{WARD},party:90,Liberal Democrats,Ecclesall,1,t,t,"]
    )
    imported(tmp_path, text, capsys)
    result = Result.objects.get()
    assert result.status == Result.Status.UNCONTESTED and result.current.uncontested
    assert "Elected unopposed" in client.get("/results/local.sheffield.2021-05-06/").content.decode()


def test_a_cancelled_poll_with_nobody_elected_is_postponed_and_said_so(tmp_path, client, results_desk, capsys):
    text = dc_csv(
        "cancelled_poll,elected,votes_cast",
        [f"1,Ann Able,{WARD},party:90,Liberal Democrats,Ecclesall,1,t,f,",
         f"2,Ben Baker,{WARD},party:53,Labour Party,Ecclesall,1,t,f,"],
    )  # fmt: skip
    out = imported(tmp_path, text, capsys)
    assert "Ecclesall: postponed (poll cancelled)" in out
    assert Result.objects.get().status == Result.Status.POSTPONED
    assert ecclesall(client)["status"] == "postponed"


def test_a_cancelled_poll_with_votes_is_refused(tmp_path, results_desk, capsys):
    text = dc_csv(
        "cancelled_poll,elected,votes_cast", [f"1,Ann Able,{WARD},party:90,Liberal Democrats,Ecclesall,1,t,t,900"]
    )
    assert "cancelled_poll: a cancelled poll has no votes" in refused(tmp_path, text, capsys, "sheffield.csv")


def test_result_sets_spoilt_issued_and_electorate_are_read(tmp_path, client, results_desk, capsys):
    data = json.loads(SHEFFIELD.read_text())
    ward = next(r for r in data["results"] if r["ballot_paper_id"] == "local.sheffield.ecclesall.2021-05-06")
    ward.update(num_spoilt_ballots=20, num_turnout_reported=7208, total_electorate=14416)  # illustrative
    imported(tmp_path, {"results": [ward]}, capsys, "sets.json")
    revision = Result.objects.get().current
    assert (revision.rejected_ballots, revision.ballot_papers) == (20, 7188)
    assert Contest.objects.get().electorate == 14416


def test_a_result_sets_tied_vote_winner_is_the_winner_by_lot(tmp_path, results_desk, capsys):
    data = json.loads(SHEFFIELD.read_text())
    ward = data["results"][0]
    ward["candidate_results"][1]["num_ballots"] = ward["candidate_results"][0]["num_ballots"]
    ward["candidate_results"][0]["tied_vote_winner"] = True
    imported(tmp_path, {"results": [ward]}, capsys, "sets.json")
    assert Result.objects.get().current.winner_by_lot.name == "Roger Noel Davison"


def test_the_elections_name_replaces_its_id_once_a_feed_gives_it(tmp_path, results_desk, capsys):
    imported(tmp_path, DC_CSV, capsys)  # Democracy Club's CSV has no election name
    assert Election.objects.get().name == "local.sheffield.2021-05-06"
    imported(tmp_path, SHEFFIELD.read_text(), capsys, "sets.json")
    assert Election.objects.get().name == "Sheffield local election"
