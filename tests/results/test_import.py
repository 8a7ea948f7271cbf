import json

import pytest
from django.core.management import CommandError, call_command

from results.models import Candidacy, Contest, Election, Result
from streams.models import Event

pytestmark = pytest.mark.django_db


def feed(votes_jack=72, declared_at="2021-05-07T04:20:00+01:00", reason=""):
    return {
        "elections": [
            {
                "election_id": "parl.hartlepool.2021-05-06",
                "election_name": "Hartlepool by-election",
                "poll_open_date": "2021-05-06",
                "election_type": "westminster-by",
                "ballots": [
                    {
                        "ballot_paper_id": "parl.hartlepool.by.2021-05-06",
                        "post_name": "Hartlepool",
                        "ballot_type": "constituency",
                        "winner_count": 1,
                        "electorate": 70768,
                        "voting_system": "fptp",
                        "polls_close": "2021-05-06T22:00:00+01:00",
                        "previous": {"votes": {"lab": 15464, "con": 11869}, "winner": "lab"},
                        "candidates": [
                            {"person_name": "Jill Mortimer", "party_id": "con", "votes_cast": "15,529"},
                            {"person_name": "Paul Williams", "party_id": "lab", "ballot_order": 2, "votes_cast": 8589},
                            {"person_name": "Steve Jack", "party_id": "", "ballot_order": 3, "votes_cast": votes_jack},
                        ],
                        "result": {"declared_at": declared_at, "rejected_ballots": 0, "source": "feed",
                                   "reason": reason},
                    }
                ],
            }
        ]
    }  # fmt: skip


def write(tmp_path, data, name="feed.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_an_import_run_twice_changes_nothing_the_second_time(tmp_path, results_desk, capsys):
    path = write(tmp_path, feed())
    call_command("import_results", str(path), "--as", "desk")
    out = capsys.readouterr().out
    assert "[##############################] 1/1 ballots" in out and "1 declared" in out
    events_after_first = Event.objects.count()
    call_command("import_results", str(path), "--as", "desk")
    assert "1 unchanged" in capsys.readouterr().out
    assert Event.objects.count() == events_after_first
    result = Result.objects.get()
    assert result.revisions.count() == 1 and result.status == Result.Status.DECLARED
    assert Candidacy.objects.get(name="Steve Jack").party is None


def test_changed_figures_import_as_a_new_revision(tmp_path, results_desk):
    call_command("import_results", str(write(tmp_path, feed())), "--as", "desk")
    call_command("import_results", str(write(tmp_path, feed(votes_jack=75), "v2.json")), "--as", "desk")
    result = Result.objects.get()
    assert list(result.revisions.values_list("number", flat=True)) == [1, 2]
    assert result.current.reason == "Corrected figures from v2.json"


def test_a_file_with_errors_reports_each_and_imports_nothing(tmp_path, results_desk, capsys):
    bad = feed(votes_jack="-3", declared_at="yesterday")
    bad["elections"][0]["ballots"][0]["candidates"][1]["votes_cast"] = "8.589"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(write(tmp_path, bad)), "--as", "desk")
    err = capsys.readouterr().err
    assert "candidates[1]: votes_cast: “8.589” is not a whole number" in err
    assert "candidates[2]: votes_cast: “-3” is negative" in err
    assert "declared_at" in err
    assert not Election.objects.filter(slug="parl.hartlepool.2021-05-06").exists()


def test_an_import_interrupted_by_a_bad_ballot_leaves_nothing_half_imported(tmp_path, results_desk):
    data = feed()
    good = data["elections"][0]["ballots"][0]
    second = json.loads(json.dumps(good))
    second["ballot_paper_id"] = "second"
    second["result"]["declared_at"] = "2021-05-06T21:00:00+01:00"  # before polls close
    data["elections"][0]["ballots"].append(second)
    with pytest.raises(CommandError):
        call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert Contest.objects.filter(election__slug="parl.hartlepool.2021-05-06").count() == 0
    assert Result.objects.count() == 0 and Event.objects.count() == 0


def test_a_csv_feed_imports_the_same_way(tmp_path, results_desk, capsys):
    header = ("election_id,election_name,poll_open_date,election_type,ballot_paper_id,post_name,ballot_type,"
              "winner_count,electorate,voting_system,polls_close,person_name,party_id,ballot_order,votes_cast,"
              "declared_at,rejected_ballots,source")  # fmt: skip
    common = "local.redditch,Redditch,2021-05-06,local,redditch.abbey,Abbey,ward,1,5000,fptp,2021-05-06T22:00:00+01:00"
    rows = [
        f'{common},A Candidate,con,1,"1,200",2021-05-07T03:00:00+01:00,4,Count',
        f"{common},B Candidate,lab,2,900,2021-05-07T03:00:00+01:00,4,Count",
    ]
    path = write(tmp_path, "\n".join([header, *rows]), "feed.csv")
    call_command("import_results", str(path), "--as", "desk")
    result = Result.objects.get(contest__slug="redditch.abbey")
    assert result.current.votes.get(candidacy__name="A Candidate").votes == 1200
    assert result.current.rejected_ballots == 4


def test_an_import_as_someone_who_may_not_declare_is_refused(tmp_path, reporter):
    with pytest.raises(CommandError, match="not an active user allowed"):
        call_command("import_results", str(write(tmp_path, feed())), "--as", "reporter")
    assert Election.objects.filter(slug="parl.hartlepool.2021-05-06").count() == 0
