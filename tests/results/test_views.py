import pytest
from channels.db import database_sync_to_async

from results.models import Contest
from results.services import result_set_status
from tests.helpers import declare_demo_contest as declare
from tests.helpers import open_reader

pytestmark = pytest.mark.django_db


def test_the_results_page_lists_every_contest_with_its_status_and_the_scoreboard(client, night, results_desk):
    declare("harlow", results_desk)
    declare("redditch", results_desk)
    html = client.get("/results/local-2021/").content.decode()
    assert "Declared 2 of 3" in html
    assert "Nuneaton and Bedworth" in html and "Expected" in html
    assert "Con gain from Lab" in html and "Con hold" in html
    board = html.split('id="scoreboard"')[1].split("</section>")[0]
    con_row = board.split("Con</th>")[1].split("</tr>")[0]
    # Councils: Con controls two, gained one (Harlow), lost none.
    assert [cell.split(">")[1] for cell in con_row.split("</td>")[:-1]][-3:] == ["2", "1", "0"]


def test_the_results_page_scoreboard_counts_seats_gains_and_losses(client, night, results_desk):
    declare("hartlepool", results_desk)
    board = client.get("/results/hartlepool-2021/").content.decode().split('id="scoreboard"')[1]
    assert "Declared 1 of 1" in board
    con = board.split("Con</th>")[1].split("</tr>")[0]
    lab = board.split("Lab</th>")[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">+1</td>' in con
    assert '<td class="num">0</td><td class="num">0</td><td class="num">1</td><td class="num">−1</td>' in lab


def test_the_results_api_returns_computed_figures(client, night, results_desk):
    declare("hartlepool", results_desk)
    data = client.get("/api/results/hartlepool-2021/").json()
    [hartlepool] = data["contests"]
    declaration = hartlepool["declaration"]
    assert hartlepool["status"] == "declared"
    assert declaration["headline"] == "Con GAIN from Lab"
    assert declaration["majority"] == 6940 and declaration["valid_votes"] == 29933
    assert declaration["turnout_pct"] == "42.30" and declaration["turnout_basis"] == "valid votes / electorate"
    assert declaration["candidates"][0] == {
        "name": "Jill Mortimer", "party": "con", "party_name": "Conservative", "votes": 15529, "transfers": None,
        "share": "51.88", "share_of_votes": "51.88", "share_change": "22.96", "final_votes": None, "final_share": None,
        "elected": True, "speaker": False, "elected_at_stage": None,
    }  # fmt: skip
    assert len(declaration["candidates"]) == 16


def test_the_results_api_is_read_only(client, night):
    assert client.post("/api/results/hartlepool-2021/").status_code == 405


def test_the_results_page_queries_do_not_grow_with_contests(client, night, results_desk, django_assert_max_num_queries):
    declare("harlow", results_desk)
    with django_assert_max_num_queries(9):  # 9: the seats to watch
        client.get("/results/local-2021/")
    declare("redditch", results_desk)
    declare("nuneaton-and-bedworth", results_desk)
    with django_assert_max_num_queries(9):  # 9: the seats to watch
        client.get("/results/local-2021/")


@pytest.mark.django_db(transaction=True)
async def test_a_connected_results_socket_receives_status_declaration_and_correction(night, results_desk):
    communicator = await open_reader(path="/ws/results/hartlepool-2021/")
    contest = await database_sync_to_async(Contest.objects.get)(slug="hartlepool")

    await database_sync_to_async(result_set_status)(
        contest=contest, status="counting", actor=results_desk, expected_version=None
    )
    counting = await communicator.receive_from(timeout=3)
    assert 'data-kind="result.status"' in counting and "Counting" in counting

    await database_sync_to_async(declare)("hartlepool", results_desk)
    declared = await communicator.receive_from(timeout=3)
    assert 'data-seq="2"' in declared and "Con GAIN from Lab" in declared and "Declared 1 of 1" in declared

    await database_sync_to_async(declare)("hartlepool", results_desk, reason="Recounted bundle.")
    corrected = await communicator.receive_from(timeout=3)
    assert 'data-kind="result.corrected"' in corrected and "Corrected" in corrected
    await communicator.disconnect()


def test_the_results_page_is_cached_by_seq_and_embeddable(client, night, results_desk):
    first = client.get("/results/hartlepool-2021/")
    assert "stale-while-revalidate" in first["Cache-Control"]
    assert client.get("/results/hartlepool-2021/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    declare("hartlepool", results_desk)
    assert "Con GAIN from Lab" in client.get("/results/hartlepool-2021/").content.decode()
    embed = client.get("/embed/results/hartlepool-2021/")
    assert "Con GAIN from Lab" in embed.content.decode() and "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]


def test_a_supplementary_vote_majority_and_final_shares_are_over_the_second_round(client, night, results_desk):
    """West Midlands mayor 2021, as declared on 8 May 2021: Street 314,669, Byrne 267,626 after transfers.

    The majority of 47,043 is 8.1 points of the 582,295 second-round votes, as the combined
    authority and newsrooms gave it (7.7 would be over the first round's 614,290).
    """
    declare("west-midlands", results_desk)
    [contest] = client.get("/api/results/mayors-2021/").json()["contests"][1:]
    declaration = contest["declaration"]
    assert declaration["majority"] == 47043 and declaration["majority_pct"] == "8.08"
    assert declaration["majority_basis"] == "second-round votes"
    street, byrne = declaration["candidates"][:2]
    assert (street["final_votes"], street["final_share"]) == (314669, "54.04")
    assert (byrne["final_votes"], byrne["final_share"]) == (267626, "45.96")
    assert declaration["candidates"][2]["final_share"] is None  # eliminated after round one


def test_reform_uk_is_measured_against_the_brexit_party_it_succeeded(client, night, results_desk):
    """Hartlepool 2021: Reform UK −24.6 against the Brexit Party's 2019 share, as parliament.uk gives it."""
    declare("hartlepool", results_desk)
    [hartlepool] = client.get("/api/results/hartlepool-2021/").json()["contests"]
    declaration = hartlepool["declaration"]
    reform = next(line for line in declaration["candidates"] if line["party"] == "reform")
    assert round(float(reform["share_change"]), 1) == -24.6
    assert declaration["notes"] == ["Reform UK's change is measured against The Brexit Party, which it succeeded."]
    page = client.get("/results/hartlepool-2021/").content.decode()
    assert "Reform UK&#x27;s change is measured against The Brexit Party" in page


def test_the_latest_declarations_lead_the_results_page_newest_first_and_travel_in_each_frame(client, results_desk):
    from demo import general_election
    from results.models import Election
    from streams.models import Event

    election = general_election.create(slug="parl.test", seats=3)
    first, second, _ = Contest.objects.filter(election=election).order_by("position")
    assert 'id="latest-declarations"' in client.get("/results/parl.test/").content.decode()  # empty, to swap into
    general_election.declare(first, 1, 3, results_desk)
    general_election.declare(second, 2, 3, results_desk)
    html = client.get("/results/parl.test/").content.decode()
    latest = html.split('id="latest-declarations"')[1].split("</nav>")[0]
    assert latest.index(second.name) < latest.index(first.name)
    assert f'href="{second.get_absolute_url()}"' in latest and ("GAIN" in latest or "HOLD" in latest)
    frame = Event.objects.filter(stream__key=Election.objects.get().stream_key).order_by("-seq").first().html
    swapped = frame.split('id="latest-declarations"')[1].split("</nav>")[0]
    assert 'hx-swap-oob="true"' in swapped and first.name in swapped and second.name in swapped
