"""The general election's hex map on the results page, and the part of each result's frame that changes one hex.

Harrogate and Knaresborough and Chorley are real 2024 results (tests/results/data); the other seats are
made-up test fixtures (made_up_2024).
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from results import hexmap
from results.models import Contest, Election, Party, Result
from results.services import result_set_status
from streams.models import Event
from tests.results import made_up_2024 as made_up

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
PAGE = "/results/parl.2024-07-04/"
SPEAKER_GREY, LD_ORANGE, LAB_RED = "#777777", "#FAA61A", "#E4003B"


@pytest.fixture
def night(results_desk):
    """Two real declarations and three made-up seats, Hartlepool held by Con last time (made up), none declared."""
    for name in ("harrogate-and-knaresborough-2024-notional.json", "chorley-2024.json"):
        call_command("import_results", str(DATA / name), "--as", "desk")
    made = made_up.create(["hartlepool", "ynys-mon", "orkney-and-shetland"])
    Contest.objects.filter(slug="parl.hartlepool.2024-07-04").update(previous_winner=Party.objects.get(code="con"))
    return {c.slug.split(".")[1]: c for c in Contest.objects.filter(election__slug=made_up.ELECTION)} | {"made": made}


def hex_element(html: str, contest: Contest) -> str:
    return re.search(rf'<a id="hex-{contest.pk}" .*?</a>', html).group(0)


def map_of(html: str) -> str:
    start = html.index('<section id="hexmap"')
    return html[start : html.index("</section>", start) + len("</section>")]


def test_the_results_page_of_a_2024_general_election_shows_the_map_with_each_hex_as_declared(client, night):
    html = map_of(client.get(PAGE).content.decode())

    harrogate = hex_element(html, night["harrogate-and-knaresborough"])
    assert f'href="{night["harrogate-and-knaresborough"].get_absolute_url()}"' in harrogate
    assert f'fill="{LD_ORANGE}"' in harrogate
    assert "<title>Harrogate and Knaresborough: LD GAIN from Con (notional)</title>" in harrogate
    assert 'href="#hm-hb"' in harrogate  # a gain: the hex with a dot, black on orange

    chorley = hex_element(html, night["chorley"])
    assert f'fill="{SPEAKER_GREY}"' in chorley and "<title>Chorley: Speaker re-elected</title>" in chorley
    assert 'href="#hm-h"' in chorley  # no gain, no dot

    hartlepool = hex_element(html, night["hartlepool"])
    assert "fill=" not in hartlepool.split("<title>")[0]  # undeclared: the stylesheet's grey
    assert "<title>Hartlepool: not declared</title>" in hartlepool and 'href="#hm-h"' in hartlepool


def test_every_constituency_is_drawn_and_those_without_a_contest_are_not_links(client, night):
    html = map_of(client.get(PAGE).content.decode())
    links = re.findall(r'<a id="hex-(\d+)"', html)
    assert sorted(map(int, links)) == sorted(Contest.objects.values_list("pk", flat=True))
    gap = html.split('<g class="hexmap__gap" aria-hidden="true">')[1].split("</g>")[0]
    assert gap.count("<use ") == 650 - 5


def test_the_table_gives_each_contest_its_winner_and_result_by_name(client, night):
    table = map_of(client.get(PAGE).content.decode()).split("<details")[1]
    assert "<summary>The map as a table</summary>" in table
    rows = re.findall(r'<tr id="hexrow-\d+"><th>(.*?)</th><td>(.*?)</td><td>(.*?)</td></tr>', table)
    assert rows == [
        ("Chorley", "Speaker", "Speaker re-elected"),
        ("Harrogate and Knaresborough", "LD", "LD GAIN from Con (notional)"),
        ("Hartlepool", "—", "Not declared"),
        ("Orkney and Shetland", "—", "Not declared"),
        ("Ynys Môn", "—", "Not declared"),
    ]


def test_the_key_names_each_winner_shown_and_how_undeclared_seats_and_gains_look(client, night):
    legend = map_of(client.get(PAGE).content.decode()).split('<ul class="hexmap__legend"')[1].split("</ul>")[0]
    assert re.findall(r'data-party="([\w-]+)"', legend) == ["ld", "speaker"]
    assert "Not declared" in legend and "Gain" in legend


def test_a_declared_gain_turns_its_hex_the_winners_colour_with_a_white_dot(client, night, results_desk):
    made_up.declare(night["hartlepool"], results_desk, winner="lab")
    hartlepool = hex_element(map_of(client.get(PAGE).content.decode()), night["hartlepool"])
    assert f'fill="{LAB_RED}"' in hartlepool and 'href="#hm-hw"' in hartlepool
    assert "<title>Hartlepool: Lab GAIN from Con (notional)</title>" in hartlepool


def test_the_page_loads_the_maps_script_and_styles(client, night):
    html = client.get(PAGE).content.decode()
    assert "results/hexmap.js" in html and "results/hexmap.css" in html


def test_an_election_without_a_layout_has_no_map(client, results_desk):
    from demo import general_election

    general_election.create(slug="parl.2019-12-12", seats=2)
    html = client.get("/results/parl.2019-12-12/").content.decode()
    assert 'id="hexmap"' not in html and "hexmap.js" not in html


def test_a_contest_with_no_hex_in_the_layout_is_named_under_the_map(client, night):
    election = Election.objects.get(slug=made_up.ELECTION)
    Contest.objects.create(election=election, name="Nowhere West", slug="parl.nowhere-west.2024-07-04",
                           polls_close=made_up.POLLS_CLOSE)  # fmt: skip
    html = map_of(client.get(PAGE).content.decode())
    assert "Not on the map: Nowhere West." in html


def test_the_map_is_read_in_two_queries_however_many_have_declared(night, results_desk, django_assert_num_queries):
    election = Election.objects.get(slug=made_up.ELECTION)
    with django_assert_num_queries(2):
        assert hexmap.hexmap_for(election).declared == 2
    for contest in night["made"]:
        made_up.declare(contest, results_desk)
    with django_assert_num_queries(2):
        assert hexmap.hexmap_for(election).declared == 5


def last_frame(election_slug: str = made_up.ELECTION) -> str:
    return Event.objects.filter(stream__key=Election.objects.get(slug=election_slug).stream_key).latest("seq").html


def hex_part(frame: str) -> str:
    [part] = re.findall(r'<template class="hexmap-update".*?</template>', frame, re.S)
    return part


def test_a_declarations_frame_carries_its_hex_its_table_row_and_its_key_entry(night, results_desk):
    hartlepool = night["hartlepool"]
    made_up.declare(hartlepool, results_desk, winner="lab")
    part = hex_part(last_frame())
    assert part.startswith(
        f'<template class="hexmap-update" data-hex="hex-{hartlepool.pk}" data-fill="{LAB_RED}" '
        f'data-shape="hm-hw" data-label="Hartlepool: Lab GAIN from Con (notional)">'
    )
    assert f'<tr id="hexrow-{hartlepool.pk}"><th>Hartlepool</th><td>Lab</td>' in part
    assert '<li data-party="lab">' in part


def test_the_hex_part_of_a_frame_is_small_and_the_same_however_much_of_the_map_has_declared(night, results_desk):
    ynys_mon, *others = [night["ynys-mon"], night["hartlepool"], night["orkney-and-shetland"]]
    result_set_status(contest=ynys_mon, status=Result.Status.COUNTING, actor=results_desk, expected_version=None)
    early = hex_part(last_frame())
    for contest in others:
        made_up.declare(contest, results_desk)
    result_set_status(contest=ynys_mon, status=Result.Status.RECOUNT, actor=results_desk, expected_version=None)
    late = hex_part(last_frame())
    assert early == late and len(late.encode()) < 400
    assert 'data-label="Ynys Môn: not declared"' in late and 'data-fill=""' in late
    frame = last_frame()
    assert all(f"hex-{c.pk}" not in frame for c in others)  # one hex, never the map


def test_a_correction_sends_the_hex_again(night, results_desk):
    hartlepool = night["hartlepool"]
    made_up.declare(hartlepool, results_desk, winner="lab")
    made_up.declare(hartlepool, results_desk, winner="con", reason="Bundles of votes were put on the wrong pile")
    part = hex_part(last_frame())
    assert 'data-fill="#0087DC"' in part and 'data-label="Hartlepool: Con HOLD (notional)"' in part
    assert 'data-shape="hm-h"' in part


def test_frames_of_elections_without_a_layout_have_no_hex_part(results_desk):
    from demo import general_election

    election = general_election.create(slug="parl.2019-12-12", seats=1)
    general_election.declare(election.contests.get(), 1, 1, results_desk)
    assert "hexmap-update" not in last_frame("parl.2019-12-12")


def test_the_map_with_all_650_declared_stays_small():
    """Made-up winners for every seat (a test fixture), rendered as the page renders the map."""
    election = Election(slug=made_up.ELECTION, kind=Election.Kind.GENERAL, polling_day=made_up.POLLING_DAY)
    winners = ["lab", "con", "ld", "snp", "reform"]
    rows = [
        (pk, f"parl.{slug}.2024-07-04", cell.name,
         {"elected": [winners[pk % 5]], "gain": pk % 2 == 0,
          "headline": "Lab GAIN from Con (notional)" if pk % 2 == 0 else "Lab HOLD (notional)"})
        for pk, (slug, cell) in enumerate(hexmap.layout(hexmap.WESTMINSTER_2024).items(), start=1)
    ]  # fmt: skip
    parties = {code: (code.title(), "#E4003B") for code in winners}
    html = render_to_string("results/_hexmap.html", {"map": hexmap.build(hexmap.WESTMINSTER_2024, election, rows,
                                                                         parties)})  # fmt: skip
    assert html.count("<a id=") == 650 and html.count('<tr id="hexrow-') == 650
    assert len(html.encode()) < 200_000
