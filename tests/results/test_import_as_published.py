"""Feeds shaped as Democracy Club publishes them, and every kind of bad input: a message, never a traceback."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from results.models import Candidacy, Contest, Election, Party, Result

pytestmark = pytest.mark.django_db

ELECTION_ID = "parl.hartlepool.2021-05-06"
BALLOT_ID = "parl.hartlepool.by.2021-05-06"

# The Hartlepool by-election of 6 May 2021 as declared (the returning officer's figures),
# with Democracy Club's ids: register ids for parties, ynmp-party:2 for independents.
HARTLEPOOL = {
    "elections": [{
        "election_id": ELECTION_ID, "election_name": "Hartlepool by-election", "poll_open_date": "2021-05-06",
        "election_type": "westminster-by",
        "ballots": [{
            "ballot_paper_id": BALLOT_ID, "post_name": "Hartlepool", "ballot_type": "constituency",
            "winner_count": 1, "electorate": 70768, "polls_close": "2021-05-06T22:00:00+01:00",
            "previous": {"votes": {"PP53": 15464, "PP52": 11869}, "winner": "PP53", "turnout": 57.9},
            "candidates": [
                {"person_name": "Jill Mortimer", "party_id": "PP52", "votes_cast": 15529},
                {"person_name": "Paul Williams", "party_id": "joint-party:53-119", "votes_cast": 8589},
                {"person_name": "Sam Lee", "party_id": "ynmp-party:2", "votes_cast": 2904},
                # A party the project does not know, to be created: illustrative (she stood for the Heritage Party).
                {"person_name": "Claire Martin", "party_id": "PP99999", "party_name": "Headland Heritage Party",
                 "votes_cast": 468},
                {"person_name": "John Prescott", "party_id": "PP7931", "votes_cast": 368},
            ],
            "result": {"declared_at": "2021-05-07T04:20:00+01:00", "rejected_ballots": 0},
        }],
    }]
}  # fmt: skip


def write(tmp_path, data, name="feed.json"):
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def refused(tmp_path, data, capsys, name="feed.json", *extra) -> str:
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(write(tmp_path, data, name)), "--as", "desk", *extra)
    assert not Contest.objects.exists() and not Result.objects.exists()
    return capsys.readouterr().err


def ballot(data):
    return data["elections"][0]["ballots"][0]


def test_a_democracy_club_shaped_feed_imports_with_dotted_ids_register_ids_and_a_new_party(
    tmp_path, client, results_desk, editor, capsys
):
    call_command("import_results", str(write(tmp_path, HARTLEPOOL)), "--as", "desk")
    out = capsys.readouterr().out
    assert "New party: Headland Heritage Party" in out and "1 declared" in out
    contest = Contest.objects.get(slug=BALLOT_ID)
    parties = {c.name: (c.party.code if c.party else None) for c in Candidacy.objects.filter(contest=contest)}
    assert parties["Jill Mortimer"] == "con" and parties["Paul Williams"] == "lab"  # lead party of a joint one
    assert parties["Sam Lee"] is None and parties["John Prescott"] == "reform"
    heritage = Party.objects.get(name="Headland Heritage Party")
    assert heritage.register_id == "PP99999" and parties["Claire Martin"] == heritage.code
    assert contest.previous_votes == {"lab": 15464, "con": 11869} and contest.previous_winner.code == "lab"
    assert contest.previous_turnout == Decimal("57.90")

    page = client.get(f"/results/{ELECTION_ID}/")
    assert page.status_code == 200
    assert "Con GAIN from Lab" in page.content.decode() and "15,529" in page.content.decode()
    assert client.get(f"/api/results/{ELECTION_ID}/").json()["election"]["slug"] == ELECTION_ID
    assert client.get(f"/embed/results/{ELECTION_ID}/").status_code == 200
    client.force_login(editor)
    assert client.get("/admin/results/election/").status_code == 200
    assert client.get("/admin/results/contest/").status_code == 200


def test_a_live_blog_covering_a_dotted_election_renders(tmp_path, client, blog, results_desk):
    call_command("import_results", str(write(tmp_path, HARTLEPOOL)), "--as", "desk")
    blog.elections.add(Election.objects.get(slug=ELECTION_ID))
    page = client.get(blog.get_absolute_url())
    assert page.status_code == 200 and f"/results/{ELECTION_ID}/" in page.content.decode()


def test_a_results_socket_follows_a_dotted_election_id(tmp_path, results_desk):
    from asgiref.sync import async_to_sync

    from tests.helpers import open_reader

    call_command("import_results", str(write(tmp_path, HARTLEPOOL)), "--as", "desk")

    async def connect():
        reader = await open_reader(path=f"/ws/results/{ELECTION_ID}/")
        await reader.disconnect()
        return reader.replayed

    assert async_to_sync(connect)() is not None


def test_new_parties_can_be_refused(tmp_path, results_desk, capsys):
    err = refused(tmp_path, HARTLEPOOL, capsys, "feed.json", "--no-new-parties")
    assert "“PP99999” (Headland Heritage Party) is not a known party, and new parties are refused" in err


def test_every_unknown_party_is_reported_not_just_the_first(tmp_path, results_desk, capsys):
    data = copy.deepcopy(HARTLEPOOL)
    for candidate in ballot(data)["candidates"][3:]:
        candidate.pop("party_name", None)
        candidate["party_id"] = "mystery-" + candidate["person_name"].split()[0].lower()
    err = refused(tmp_path, data, capsys)
    assert "candidates[3]: party_id “mystery-claire”" in err and "candidates[4]: party_id “mystery-john”" in err


def with_change(change):
    data = copy.deepcopy(HARTLEPOOL)
    change(data)
    return data


BAD_FEEDS = [
    ("election id with a space", lambda d: d["elections"][0].update(election_id="parl hartlepool"),
     "election_id “parl hartlepool”: Use letters, digits, dots"),
    ("ballot id with a slash", lambda d: ballot(d).update(ballot_paper_id="parl/hartlepool"),
     "ballot_paper_id “parl/hartlepool”"),
    ("a turnout that is not a number", lambda d: ballot(d)["previous"].update(turnout="lots"),
     "previous: turnout: “lots” is not a percentage"),
    ("a turnout over 100", lambda d: ballot(d)["previous"].update(turnout=126.68),
     "previous: turnout: 126.68 is not between 0 and 100"),
    ("elections that are not objects", lambda d: d.update(elections=[1]), "elections[0]: must be an object"),
    ("ballots that are not a list", lambda d: d["elections"][0].update(ballots="x"),
     "elections[0]: ballots must be a list, not str"),
    ("candidates that are not objects", lambda d: ballot(d).update(candidates=["Jill"]),
     "candidates[0]: must be an object"),
    ("votes of a trillion", lambda d: ballot(d)["candidates"][0].update(votes_cast=10**12),
     "is more than any UK count could be"),
    ("a name that is not text", lambda d: ballot(d)["candidates"][0].update(person_name={"first": "Jill"}),
     "person_name must be text, not dict"),
    ("two candidates with one name", lambda d: ballot(d)["candidates"][1].update(person_name="Jill Mortimer"),
     "“Jill Mortimer” is already a candidate in this ballot"),
    ("ind as a party", lambda d: ballot(d)["candidates"][2].update(party_id="ind"),
     "party_id “ind”: an independent has no party"),
    ("previous votes for an unknown party", lambda d: ballot(d)["previous"]["votes"].update(xyz=5),
     "previous.votes: “xyz” is not a known party"),
    ("a previous result that is not an object", lambda d: ballot(d).update(previous=[1, 2]),
     "previous must be an object, not list"),
    ("a result that is not an object", lambda d: ballot(d).update(result="declared"),
     "result must be an object, not str"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "message"), BAD_FEEDS, ids=[case for case, _, _ in BAD_FEEDS])
def test_bad_input_gets_its_message_and_nothing_is_imported(tmp_path, results_desk, capsys, case, change, message):
    assert message in refused(tmp_path, with_change(change), capsys)


def test_a_document_that_is_not_an_object_is_refused(tmp_path, results_desk, capsys):
    assert "file: must be an object with an elections list, not list" in refused(tmp_path, "[1, 2]", capsys)


def test_a_csv_that_is_not_utf8_is_refused_with_a_message(tmp_path, results_desk, capsys):
    text = "election_id,ballot_paper_id,person_name\nparl.x.2021-05-06,parl.x.2021-05-06,Zoë Smith\n"
    err = refused(tmp_path, text.encode("cp1252"), capsys, "feed.csv")
    assert "not UTF-8 text (byte 0xeb" in err and "save it as UTF-8" in err


def test_a_turnout_as_a_string_or_a_decimal_is_read(tmp_path, results_desk):
    for turnout in ("26.68", 26.68, "26.68%"):
        data = with_change(lambda d, t=turnout: ballot(d)["previous"].update(turnout=t))
        call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
        assert Contest.objects.get().previous_turnout == Decimal("26.68")


def test_a_ballot_with_no_candidates_yet_imports(tmp_path, results_desk):
    data = with_change(lambda d: ballot(d).update(candidates=None, result=None))
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert Contest.objects.get().candidacies.count() == 0


SHEFFIELD = Path(__file__).parent / "data" / "dc-result-sets-sheffield-2021.json"


def test_democracy_clubs_published_result_sets_for_sheffield_2021_import_as_they_are(client, results_desk, capsys):
    """The 28 wards of Sheffield's 2021 local election, as Democracy Club's result_sets API published them."""
    call_command("import_results", str(SHEFFIELD), "--as", "desk")
    out = capsys.readouterr().out
    assert "28 ballot(s): 28 declared" in out
    assert "New party" not in out  # every party that stood is registered, and known by its register id
    election = Election.objects.get(slug="local.sheffield.2021-05-06")
    assert election.contests.count() == 28 and election.name == "Sheffield local election"

    contests = {c["slug"]: c for c in client.get(f"/api/results/{election.slug}/").json()["contests"]}
    ecclesall = contests["local.sheffield.ecclesall.2021-05-06"]["declaration"]
    votes = {line["name"]: (line["votes"], line["party"], line["elected"]) for line in ecclesall["candidates"]}
    assert votes["Roger Noel Davison"] == (2904, "ld", True) and votes["Zoe Sykes"] == (2168, "lab", False)
    assert ecclesall["headline"] == "LD win"  # no previous result: neither GAIN nor HOLD
    richmond = contests["local.sheffield.richmond.2021-05-06"]["declaration"]
    elected = [line["name"] for line in richmond["candidates"] if line["elected"]]
    assert elected == ["David Charles Barker", "Mike Drabble"]  # two councillors elected in Richmond that year
    assert richmond["headline"] == "Lab 2 elected"  # no previous seats in the feed: neither hold nor gain
    assert richmond["share_basis"] == "all votes cast (each voter had up to 2)"  # no ballot-paper count published

    page = client.get(f"/results/{election.slug}/").content.decode()
    assert "Declared 28 of 28" in page and "GAIN" not in page
    call_command("import_results", str(SHEFFIELD), "--as", "desk")
    assert "28 unchanged" in capsys.readouterr().out


def test_a_reimport_with_only_previous_data_changed_redraws_the_card_without_a_new_revision(
    tmp_path, client, blog, results_desk, capsys
):
    from streams.models import Event

    call_command("import_results", str(write(tmp_path, HARTLEPOOL)), "--as", "desk")
    blog.elections.add(Election.objects.get(slug=ELECTION_ID))
    events_before = Event.objects.count()
    data = with_change(lambda d: ballot(d)["previous"].update(winner="PP52"))  # a wrong previous winner fixed
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert "1 card(s) redrawn with new previous data" in capsys.readouterr().out
    result = Result.objects.get()
    assert result.revisions.count() == 1
    assert "Con HOLD" in result.current.card_html
    assert Event.objects.count() > events_before  # the results page and the blog get the card again
    assert "Con HOLD" in client.get(blog.get_absolute_url()).content.decode()
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert "1 unchanged" in capsys.readouterr().out


def ward(candidates, result, polls_close="2021-05-06T22:00:00+01:00"):
    """A one-seat ward (made-up names and figures, shaped as a council's feed)."""
    return {"elections": [{
        "election_id": "local.exampleshire.2021-05-06", "poll_open_date": "2021-05-06", "election_type": "local",
        "ballots": [{
            "ballot_paper_id": "local.exampleshire.mill-end.2021-05-06", "post_name": "Mill End",
            "ballot_type": "ward", "polls_close": polls_close, "candidates": candidates, "result": result,
        }],
    }]}  # fmt: skip


def test_a_tie_decided_by_lot_comes_from_a_feed_and_the_card_says_so(tmp_path, client, results_desk, capsys):
    tied = [{"person_name": "Ann Able", "party_id": "con", "votes_cast": 512},
            {"person_name": "Ben Baker", "party_id": "lab", "votes_cast": 512},
            {"person_name": "Cat Cole", "party_id": "ld", "votes_cast": 97}]  # fmt: skip
    result = {"declared_at": "2021-05-07T02:10:00+01:00", "lot_winner": "Zed Zee"}
    assert "lot_winner “Zed Zee” is not a candidate" in refused(tmp_path, ward(tied, result), capsys)
    result["lot_winner"] = "Ben Baker"
    call_command("import_results", str(write(tmp_path, ward(tied, result))), "--as", "desk")
    [contest] = client.get("/api/results/local.exampleshire.2021-05-06/").json()["contests"]
    declaration = contest["declaration"]
    assert declaration["winner"] == "Ben Baker" and declaration["decided_by_lot"] is True
    assert "tied on votes, decided by drawing lots" in Result.objects.get().current.card_html


def test_an_uncontested_return_is_declared_before_polling_day(tmp_path, results_desk):
    from datetime import timedelta

    from django.utils import timezone

    polls_close = (timezone.now() + timedelta(days=20)).replace(microsecond=0).isoformat()
    alone = [{"person_name": "Dee Dunn", "party_id": "green"}]
    result = {"declared_at": timezone.now().replace(microsecond=0).isoformat(), "uncontested": True}
    call_command("import_results", str(write(tmp_path, ward(alone, result, polls_close))), "--as", "desk")
    current = Result.objects.get()
    assert current.status == Result.Status.UNCONTESTED and "Elected unopposed" in current.current.card_html


def test_a_feed_reports_counting_then_a_recount_then_the_declaration(tmp_path, results_desk, capsys):
    two = [{"person_name": "Ann Able", "party_id": "con", "votes_cast": 700},
           {"person_name": "Ben Baker", "party_id": "lab", "votes_cast": 690}]  # fmt: skip
    for status in ("counting", "recount"):
        call_command("import_results", str(write(tmp_path, ward(two, {"status": status}))), "--as", "desk")
        assert Result.objects.get().status == status
    assert "status: “paused” is not one of declared, counting, recount, postponed" in refused_again(
        tmp_path, ward(two, {"status": "paused"}), capsys
    )
    assert "status “recount” cannot carry a declared_at" in refused_again(
        tmp_path, ward(two, {"status": "recount", "declared_at": "2021-05-07T03:00:00+01:00"}), capsys
    )
    call_command("import_results", str(write(tmp_path, ward(two, {"declared_at": "2021-05-07T03:30:00+01:00"}))),
                 "--as", "desk")  # fmt: skip
    assert Result.objects.get().status == Result.Status.DECLARED
    assert "the result is declared; the feed cannot set it back to counting" in refused_again(
        tmp_path, ward(two, {"status": "counting"}), capsys
    )


def refused_again(tmp_path, data, capsys) -> str:
    """A refused file when earlier files have been imported: nothing more changes."""
    revisions = list(Result.objects.values_list("status", "version"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert list(Result.objects.values_list("status", "version")) == revisions
    return capsys.readouterr().err


def test_a_multi_member_ward_gives_shares_of_ballot_papers_and_holds_and_gains_seat_by_seat(
    tmp_path, client, results_desk
):
    """A two-seat ward (made-up figures): 1,900 ballot papers, two votes each."""
    candidates = [{"person_name": "Ann Able", "party_id": "lab", "votes_cast": 1100},
                  {"person_name": "Ben Baker", "party_id": "con", "votes_cast": 1000},
                  {"person_name": "Cat Cole", "party_id": "lab", "votes_cast": 950},
                  {"person_name": "Dan Dale", "party_id": "ld", "votes_cast": 500}]  # fmt: skip
    data = ward(candidates, {"declared_at": "2021-05-07T02:10:00+01:00", "ballot_papers": 1900})
    ballot(data).update(winner_count=2, previous={"seats": {"lab": 2}})
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    answer = client.get("/api/results/local.exampleshire.2021-05-06/").json()
    declaration = answer["contests"][0]["declaration"]
    assert declaration["headline"] == "Lab hold, Con gain 1 from Lab"
    assert declaration["share_basis"] == "ballot papers"
    able = declaration["candidates"][0]
    assert (able["share"], able["share_of_votes"]) == ("57.89", "30.99")  # 1,100 of 1,900 papers; of 3,550 votes
    assert [c["name"] for c in declaration["candidates"] if c["elected"]] == ["Ann Able", "Ben Baker"]
    page = client.get("/results/local.exampleshire.2021-05-06/").content.decode()
    assert "of ballot papers" in page and "Con gain 1 from Lab" in page
    from results.models import Election as ElectionModel
    from results.scoreboard import scoreboard

    scores = {s.party.code: (s.seats, s.gains, s.losses) for s in scoreboard(ElectionModel.objects.get()).parties}
    assert scores == {"lab": (1, 0, 1), "con": (1, 1, 0)}  # the seat Labour lost is the one the Conservatives gained


def test_a_multi_member_ward_without_ballot_papers_says_its_shares_are_of_all_votes(
    tmp_path, client, results_desk, capsys
):
    candidates = [{"person_name": "Ann Able", "party_id": "lab", "votes_cast": 1100},
                  {"person_name": "Ben Baker", "party_id": "con", "votes_cast": 1000},
                  {"person_name": "Cat Cole", "party_id": "lab", "votes_cast": 950}]  # fmt: skip
    data = ward(candidates, {"declared_at": "2021-05-07T02:10:00+01:00", "ballot_papers": 1000})
    ballot(data).update(winner_count=2)
    assert "3,050 votes is more than 1,000 ballot papers with 2 votes each" in refused(tmp_path, data, capsys)
    ballot(data)["result"].pop("ballot_papers")
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    declaration = client.get("/api/results/local.exampleshire.2021-05-06/").json()["contests"][0]["declaration"]
    assert declaration["share_basis"] == "all votes cast (each voter had up to 2)"
    assert declaration["headline"] == "Lab 1, Con 1 elected"  # no previous seats: neither hold nor gain


# Two Sheffield wards of 2021 in Democracy Club's CSV columns (figures as Democracy Club published them).
DC_CSV = """person_id,person_name,election_id,ballot_paper_id,election_date,party_id,party_name,post_label,seats_contested,elected,votes_cast
12318,Roger Noel Davison,local.sheffield.2021-05-06,local.sheffield.ecclesall.2021-05-06,2021-05-06,party:90,Liberal Democrats,Ecclesall,1,True,2904
12567,Zoe Sykes,local.sheffield.2021-05-06,local.sheffield.ecclesall.2021-05-06,2021-05-06,party:53,Labour Party,Ecclesall,1,False,2168
12324,Jason Leman,local.sheffield.2021-05-06,local.sheffield.ecclesall.2021-05-06,2021-05-06,party:63,Green Party,Ecclesall,1,False,2116
73116,Lewis Chinchen,local.sheffield.2021-05-06,local.sheffield.stocksbridge-upper-don.2021-05-06,2021-05-06,party:52,Conservative and Unionist Party,Stocksbridge & Upper Don,1,True,1822
12398,Lisa Banes,local.sheffield.2021-05-06,local.sheffield.stocksbridge-upper-don.2021-05-06,2021-05-06,party:53,Labour Party,Stocksbridge & Upper Don,1,False,1325
12529,Jack Clarkson,local.sheffield.2021-05-06,local.sheffield.stocksbridge-upper-don.2021-05-06,2021-05-06,ynmp-party:2,Independent,Stocksbridge & Upper Don,1,False,522
"""  # noqa: E501


def test_a_democracy_club_csv_imports_as_published(tmp_path, client, results_desk, capsys):
    call_command("import_results", str(write(tmp_path, DC_CSV, "sheffield.csv")), "--as", "desk")
    assert "2 ballot(s): 2 declared" in capsys.readouterr().out
    stocksbridge = Contest.objects.get(slug="local.sheffield.stocksbridge-upper-don.2021-05-06")
    assert stocksbridge.name == "Stocksbridge & Upper Don" and stocksbridge.kind == Contest.Kind.WARD
    assert Candidacy.objects.get(name="Jack Clarkson").party is None
    page = client.get("/results/local.sheffield.2021-05-06/").content.decode()
    assert "Declared 2 of 2" in page and "Con win" in page


def test_an_elected_flag_the_votes_contradict_is_refused(tmp_path, results_desk, capsys):
    wrong = DC_CSV.replace(
        "Zoe Sykes,local.sheffield.2021-05-06,local.sheffield.ecclesall.2021-05-06,2021-05-06,"
        "party:53,Labour Party,Ecclesall,1,False",
        "Zoe Sykes,local.sheffield.2021-05-06,"
        "local.sheffield.ecclesall.2021-05-06,2021-05-06,party:53,Labour Party,Ecclesall,1,True",
    )
    err = refused(tmp_path, wrong, capsys, "sheffield.csv")
    assert "the feed says Roger Noel Davison, Zoe Sykes elected, but the votes elect Roger Noel Davison" in err


def test_previous_independents_count_in_the_total_and_get_their_own_change(tmp_path, client, results_desk):
    candidates = [{"person_name": "Ann Able", "party_id": "lab", "votes_cast": 600},
                  {"person_name": "Sam Lee", "party_id": "", "votes_cast": 400}]  # fmt: skip
    data = ward(candidates, {"declared_at": "2021-05-07T02:10:00+01:00"})
    ballot(data)["previous"] = {"votes": {"lab": 800}, "independents": {"Sam Lee": 200}, "winner": "lab"}
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    lines = client.get("/api/results/local.exampleshire.2021-05-06/").json()["contests"][0]["declaration"]["candidates"]
    changes = {line["name"]: line["share_change"] for line in lines}
    assert changes == {"Ann Able": "-20.00", "Sam Lee": "20.00"}  # Lab 80% before, not 100%; Sam Lee 20% before


def test_both_turnouts_are_in_the_api_and_the_card_shows_the_contests_choice(tmp_path, client, results_desk):
    candidates = [{"person_name": "Ann Able", "party_id": "lab", "votes_cast": 1000},
                  {"person_name": "Ben Baker", "party_id": "con", "votes_cast": 900}]  # fmt: skip
    data = ward(candidates, {"declared_at": "2021-05-07T02:10:00+01:00", "rejected_ballots": 20})
    ballot(data).update(electorate=5000, turnout_basis="ballots")
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    declaration = client.get("/api/results/local.exampleshire.2021-05-06/").json()["contests"][0]["declaration"]
    assert declaration["turnout_valid_votes_pct"] == "38.00" and declaration["turnout_ballot_papers_pct"] == "38.40"
    assert declaration["turnout_pct"] == "38.40"
    assert declaration["turnout_basis"] == "ballot papers incl. rejected / electorate"
    card = Result.objects.get().current.card_html
    assert "ballot papers, rejected included, ÷ electorate" in card and "38.4%" in card


# Hartlepool's 2019 general election figures (all but the Socialist Labour Party's 494), as a companion file.
HARTLEPOOL_CSV = """election_id,election_name,poll_open_date,election_type,ballot_paper_id,post_name,ballot_type,polls_close,electorate,person_name,party_id,votes_cast,declared_at
parl.hartlepool.2021-05-06,Hartlepool by-election,2021-05-06,westminster-by,parl.hartlepool.by.2021-05-06,Hartlepool,constituency,2021-05-06T22:00:00+01:00,70768,Jill Mortimer,PP52,15529,2021-05-07T04:20:00+01:00
parl.hartlepool.2021-05-06,Hartlepool by-election,2021-05-06,westminster-by,parl.hartlepool.by.2021-05-06,Hartlepool,constituency,2021-05-06T22:00:00+01:00,70768,Paul Williams,PP53,8589,2021-05-07T04:20:00+01:00
"""  # noqa: E501
PREVIOUS_CSV = """ballot_paper_id,party_id,person_name,votes,winner,turnout
parl.hartlepool.by.2021-05-06,PP53,,15464,yes,57.9
parl.hartlepool.by.2021-05-06,PP52,,11869,,
parl.hartlepool.by.2021-05-06,brexit,,10603,,
parl.hartlepool.by.2021-05-06,PP90,,1696,,
parl.hartlepool.by.2021-05-06,,Independent candidate 2019,911,,
"""


def test_a_csv_feed_takes_previous_results_from_a_companion_file(tmp_path, client, results_desk):
    feed, previous = write(tmp_path, HARTLEPOOL_CSV, "feed.csv"), write(tmp_path, PREVIOUS_CSV, "previous.csv")
    call_command("import_results", str(feed), "--as", "desk", "--previous", str(previous))
    contest = Contest.objects.get()
    assert contest.previous_winner.code == "lab" and contest.previous_turnout == Decimal("57.90")
    assert contest.previous_votes["ind:Independent candidate 2019"] == 911
    declaration = client.get(f"/api/results/{ELECTION_ID}/").json()["contests"][0]["declaration"]
    assert declaration["headline"] == "Con GAIN from Lab"


def test_a_companion_file_naming_a_ballot_the_feed_lacks_is_refused(tmp_path, results_desk, capsys):
    feed = write(tmp_path, HARTLEPOOL_CSV, "feed.csv")
    stray = write(tmp_path, "ballot_paper_id,party_id,votes\nparl.elsewhere.2021-05-06,PP53,100\n", "previous.csv")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(feed), "--as", "desk", "--previous", str(stray))
    assert (
        "previous results for “parl.elsewhere.2021-05-06”, which is not a ballot in the feed" in capsys.readouterr().err
    )
