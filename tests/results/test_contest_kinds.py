"""The Speaker, notional previous results, police areas, no previous result, and a recount's provisional figures.

Real results where they exist (tests/results/data/SOURCE.md says where each comes from).
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from results import scoreboard, services
from results.feeds.ballot_ids import kinds_for
from results.models import Candidacy, Contest, Election, Party, PartyTotal, Result
from results.summary import Entry

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
CHORLEY = DATA / "chorley-2024.json"
HARROGATE = DATA / "harrogate-and-knaresborough-2024-notional.json"
CLEVELAND = DATA / "pcc-cleveland-2024.json"


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def write(tmp_path, data, name="feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def the_ballot(data: dict) -> dict:
    return data["elections"][0]["ballots"][0]


def api_contest(client, election_slug: str) -> dict:
    [contest] = client.get(f"/api/results/{election_slug}/").json()["contests"]
    return contest


def card_of(slug: str) -> str:
    return Result.objects.get(contest__slug=slug).current.card_html


# The Speaker


def test_chorley_2024_reads_speaker_re_elected_with_the_speakers_own_change(client, results_desk):
    call_command("import_results", str(CHORLEY), "--as", "desk")
    card = card_of("parl.chorley.2024-07-04")
    assert "Speaker re-elected" in card and "HOLD" not in card and "GAIN" not in card
    assert "Speaker seeking re-election" in card
    # 25,238 of 33,964 (74.3%) against his own 26,831 of 39,870 in 2019 (67.3%); Green 13.7% against 9.0%.
    for text in ["25,238", "74.3", "+7.0", "4,663", "13.7", "+4.7", "20,575", "since 2019"]:
        assert text in card, text
    assert card.count(">new<") == 3  # Democracy for Chorley, the English Constitution Party and TUSC: not there in 2019

    declaration = api_contest(client, "parl.2024-07-04")["declaration"]
    hoyle = next(line for line in declaration["candidates"] if line["name"] == "Lindsay Hoyle")
    assert hoyle == {**hoyle, "party": None, "party_name": "Speaker seeking re-election", "speaker": True,
                     "votes": 25238, "share": "74.31", "share_change": "7.01", "elected": True}  # fmt: skip
    assert declaration["headline"] == "Speaker re-elected" and declaration["speaker_elected"] is True
    assert declaration["gain"] is False and declaration["winner_party"] is None
    assert declaration["majority"] == 20575 and declaration["previous_basis"] == "actual"


def test_the_speaker_is_no_party_and_the_seat_is_counted_apart_from_the_parties(client, results_desk):
    call_command("import_results", str(CHORLEY), "--as", "desk")
    assert not Party.objects.filter(name__icontains="Speaker").exists()
    hoyle = Candidacy.objects.get(name="Lindsay Hoyle")
    assert hoyle.is_speaker and hoyle.party is None
    election = Election.objects.get(slug="parl.2024-07-04")
    board = scoreboard.scoreboard(election)
    assert board.speaker_seats == 1 and board.declared == 1
    assert not PartyTotal.objects.filter(election=election).exclude(seats=0, gains=0, losses=0).exists()
    kept = (board.speaker_seats, sorted((s.party.code, s.seats, s.gains, s.losses) for s in board.parties))
    scoreboard.rebuild(election)
    board = scoreboard.scoreboard(election)
    assert (board.speaker_seats, sorted((s.party.code, s.seats, s.gains, s.losses) for s in board.parties)) == kept
    page = client.get(election.get_absolute_url()).content.decode()
    assert 'class="scoreboard__speaker"' in page and "Speaker re-elected" in page


def test_a_democracy_club_result_set_giving_the_speaker_as_a_party_description_imports(tmp_path, client, results_desk):
    """Democracy Club gives the Speaker's description as the party: ynmp-party:12522, "Speaker seeking re-election"."""
    ballot = the_ballot(load(CHORLEY))
    result_set = {"ballot_paper_id": ballot["ballot_paper_id"], "candidate_results": [
        {"is_winner": c.get("elected", False), "num_ballots": c["votes_cast"], "membership": {
            "election": {"id": "parl.2024-07-04", "name": "UK Parliament elections"},
            "post": {"label": "Chorley"}, "person": {"name": c["person_name"]},
            "on_behalf_of": {"id": c["party_id"], "name": c["party_name"]}}}
        for c in ballot["candidates"]]}  # fmt: skip
    call_command("import_results", str(write(tmp_path, {"results": [result_set]})), "--as", "desk")
    declaration = api_contest(client, "parl.2024-07-04")["declaration"]
    assert declaration["headline"] == "Speaker re-elected" and declaration["winner"] == "Lindsay Hoyle"
    assert Candidacy.objects.get(name="Lindsay Hoyle").is_speaker
    assert not Party.objects.filter(name__icontains="Speaker").exists()
    assert scoreboard.scoreboard(Election.objects.get()).speaker_seats == 1


def test_a_party_that_beats_the_speaker_gains_from_the_speaker_and_no_party_loses(tmp_path, client, results_desk):
    data = load(CHORLEY)  # illustrative: the Green candidate's and the Speaker's votes swapped
    for candidate in the_ballot(data)["candidates"]:
        candidate.pop("elected", None)
        if candidate["person_name"] == "Lindsay Hoyle":
            candidate["votes_cast"] = 4663
        elif candidate["person_name"] == "Mark Worsley Tebbutt":
            candidate["votes_cast"] = 25238
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    declaration = api_contest(client, "parl.2024-07-04")["declaration"]
    assert declaration["headline"] == "Green GAIN from Speaker" and declaration["speaker_elected"] is False
    totals = {
        t.party.code: (t.seats, t.gains, t.losses)
        for t in PartyTotal.objects.select_related("party")
        if t.seats or t.gains or t.losses
    }
    assert totals == {"green": (1, 1, 0)}
    assert scoreboard.scoreboard(Election.objects.get()).speaker_seats == 0


def test_a_speakers_seat_in_the_previous_result_needs_the_speakers_name(tmp_path, results_desk, capsys):
    data = load(CHORLEY)
    del the_ballot(data)["previous"]["speaker"]
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert "the Speaker's seat needs the Speaker's name" in capsys.readouterr().err
    assert not Contest.objects.exists()


# Notional previous results


def test_harrogate_2024_is_a_gain_against_the_notional_2019_result_with_the_declared_figures(client, results_desk):
    call_command("import_results", str(HARROGATE), "--as", "desk")
    card = card_of("parl.harrogate-and-knaresborough.2024-07-04")
    # 23,976 of 52,064 valid votes; majority 23,976 − 15,738; turnout 52,064 ÷ 77,955.
    for text in ["LD GAIN from Con (notional)", "23,976", "46.1", "15,738", "30.2", "8,238", "15.8 pts", "66.8%"]:
        assert text in card, text
    assert "No comparison: the notional 2019 result gives no figures by party" in card  # winner and majority only
    declaration = api_contest(client, "parl.2024-07-04")["declaration"]
    assert declaration["previous_basis"] == "notional" and declaration["previous_year"] == 2019
    assert declaration["headline"] == "LD GAIN from Con (notional)" and declaration["gain"] is True
    assert (declaration["majority"], declaration["majority_pct"], declaration["turnout_pct"]) == (
        8238,
        "15.82",
        "66.79",
    )
    gordon = declaration["candidates"][0]
    assert (gordon["name"], gordon["votes"], gordon["share"], gordon["share_change"]) == ("Tom Gordon", 23976, "46.05",
                                                                                        None)  # fmt: skip
    totals = {
        t.party.code: (t.seats, t.gains, t.losses)
        for t in PartyTotal.objects.select_related("party")
        if t.seats or t.gains or t.losses
    }
    assert totals == {"ld": (1, 1, 0), "con": (0, 0, 1)}


def test_changes_against_a_notional_result_say_so_on_the_card(tmp_path, client, results_desk):
    data = load(HARROGATE)  # illustrative notional shares, to show how the card labels them
    the_ballot(data)["previous"]["shares"] = {"PP52": 50.0, "PP90": 30.0, "PP53": 10.0, "PP63": 10.0}
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    card = card_of("parl.harrogate-and-knaresborough.2024-07-04")
    assert "since the notional 2019 result" in card and "+16.1" in card and "No comparison" not in card


def test_a_previous_basis_other_than_actual_or_notional_is_refused(tmp_path, results_desk, capsys):
    data = load(HARROGATE)
    the_ballot(data)["previous"]["basis"] = "guessed"
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    assert "basis: “guessed” is not one of actual, notional" in capsys.readouterr().err


# Police and crime commissioners, mayors


@pytest.mark.parametrize(
    ("ballot_id", "kinds"),
    [
        ("pcc.cleveland.2024-05-02", ("pcc", "police-area")),
        ("mayor.greater-manchester-ca.2024-05-02", ("mayoral", "mayoralty")),
        ("mayor.london.2024-05-02", ("mayoral", "mayoralty")),
        ("local.sheffield.ecclesall.2021-05-06", ("local", "ward")),
    ],
)
def test_the_ballot_id_says_what_kind_of_election_and_contest_it_is(ballot_id, kinds):
    assert kinds_for(ballot_id) == kinds


def test_cleveland_pcc_2024_is_a_police_area_never_a_ward(client, results_desk):
    call_command("import_results", str(CLEVELAND), "--as", "desk")
    contest = Contest.objects.select_related("election").get()
    assert (contest.election.kind, contest.kind, contest.voting_system) == ("pcc", "police-area", "fptp")
    card = card_of("pcc.cleveland.2024-05-02")
    assert "Police area" in card and "Ward" not in card
    # 65,418 of 124,395 (52.6%) against 39,467 of 136,697 in 2021 (28.9%).
    for text in ["Lab GAIN from Con", "65,418", "52.6", "+23.7", "58,977", "47.4", "−6.7", "6,441", "since 2021"]:
        assert text in card, text
    assert api_contest(client, "pcc.2024-05-02")["kind"] == "police-area"


# No previous result; independents


def test_without_a_previous_result_the_card_says_no_comparison_never_new(tmp_path, client, results_desk):
    data = load(CLEVELAND)
    del the_ballot(data)["previous"]
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    card = card_of("pcc.cleveland.2024-05-02")
    assert "No comparison: no previous result" in card and ">new<" not in card and "Lab win" in card
    declaration = api_contest(client, "pcc.2024-05-02")["declaration"]
    assert declaration["previous_basis"] is None
    assert [line["share_change"] for line in declaration["candidates"]] == [None, None]


def test_an_independent_standing_again_shows_their_own_change_on_the_card(tmp_path, client, results_desk):
    data = load(CLEVELAND)  # illustrative: Barrie Cooper standing again
    the_ballot(data)["candidates"].append({"person_name": "Barrie Cooper", "party_id": "ynmp-party:2",
                                           "votes_cast": 24879})  # fmt: skip
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    declaration = api_contest(client, "pcc.2024-05-02")["declaration"]
    cooper = next(line for line in declaration["candidates"] if line["name"] == "Barrie Cooper")
    assert cooper["share_change"] == "4.47"  # 24,879 of 149,274 (16.67%) against 16,667 of 136,697 (12.19%)
    assert "+4.5" in card_of("pcc.cleveland.2024-05-02")


# A recount's provisional figures


def test_a_recount_shows_the_first_counts_figures_as_provisional_and_counts_them_nowhere(
    tmp_path, client, results_desk
):
    data = load(CLEVELAND)
    the_ballot(data)["result"] = {"status": "recount"}
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")
    result = Result.objects.get()
    assert result.status == Result.Status.RECOUNT and result.current is None
    page = client.get("/results/pcc.2024-05-02/").content.decode()
    assert "Provisional: recount under way" in page and "65,418" in page and "Declared 0 of 1" in page
    assert "Lab ahead on the first count" in page and "GAIN" not in page and ">elected<" not in page
    assert not PartyTotal.objects.exists()
    contest = api_contest(client, "pcc.2024-05-02")
    assert contest["declaration"] is None and contest["provisional"]["provisional"] is True
    assert contest["provisional"]["majority"] == 6441
    assert [(c["elected"], c["ahead"]) for c in contest["provisional"]["candidates"]] == [(False, True), (False, False)]

    call_command("import_results", str(write(tmp_path, load(CLEVELAND), "declared.json")), "--as", "desk")
    result.refresh_from_db()
    assert result.provisional == {} and result.provisional_card_html == ""
    page = client.get("/results/pcc.2024-05-02/").content.decode()
    assert "Provisional" not in page and "Declared 1 of 1" in page
    assert {t.party.code: t.seats for t in PartyTotal.objects.select_related("party")} == {"lab": 1, "con": 0}


def test_provisional_figures_go_only_with_a_recount(tmp_path, results_desk):
    data = load(CLEVELAND)
    del the_ballot(data)["result"]
    call_command("import_results", str(write(tmp_path, data)), "--as", "desk")  # sets the contest up
    contest = Contest.objects.get()
    entry = Entry(votes=dict(contest.candidacies.values_list("pk", "pk")))
    with pytest.raises(Exception, match="Only a recount can carry provisional figures"):
        services.result_set_status(
            contest=contest, status="counting", actor=results_desk, expected_version=None, provisional=entry
        )
    assert not Result.objects.filter(contest=contest).exclude(provisional={}).exists()
