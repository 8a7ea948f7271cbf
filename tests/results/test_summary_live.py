"""A general election's summary, live: a declaration sends its table row and its gains line, never the table,
so each frame is as small at the 640th declaration as at the 10th; and at 650 seats the table stays small."""

import re

import pytest

from results import hexmap
from results.models import Contest, Result
from results.services import result_declare, result_set_status
from results.summary import Entry
from streams import events
from tests.helpers import declare_demo_contest
from tests.results import general_night, made_up_2024

pytestmark = pytest.mark.django_db

PAGE = "/results/parl.2024-07-04/"
TABLE_BUDGET = 120 * 1024


def frames_since(election, seq: int) -> list[str]:
    return [frame.text for frame in events.events_after(election.stream_key, seq, 1000)]


def declaration_frames(election, seq: int = 0) -> list[str]:
    return [text for text in frames_since(election, seq) if 'data-kind="result.declared"' in text]


def seat_rows_in(frame: str) -> list[str]:
    return re.findall(r'<tr id="(seat-\d+)"', frame)


@pytest.fixture
def night(results_desk):
    return general_night.summary_night(results_desk, 12)


def test_the_summarys_map_points_to_the_table_of_all_seats_instead_of_a_second_table_of_its_own(client, roles):
    made_up_2024.create(list(hexmap.layout(hexmap.WESTMINSTER_2024))[:70])  # on the map's boundaries
    html = client.get(PAGE).content.decode()
    the_map = html.split('<section id="hexmap"')[1].split("</section>")[0]
    assert '<tr id="hexrow-' not in html and "<table" not in the_map
    assert '<a href="#all-seats">The map as a table: every seat\'s winner and result</a>' in the_map
    assert html.count('<tr id="seat-') == 70  # the table it points to: every seat, declared or not


def test_a_declaration_sends_its_own_row_swapped_by_id_and_no_other(night):
    frames = declaration_frames(night)
    assert len(frames) == 12
    for frame, contest in zip(frames, general_night.in_order(night), strict=False):
        assert seat_rows_in(frame) == [f"seat-{contest.pk}"]
        assert f'<template><tr id="seat-{contest.pk}" hx-swap-oob="true">' in frame


def test_a_gain_sends_its_line_to_the_top_of_the_gains_list_and_a_hold_sends_none(night):
    for frame, contest in zip(declaration_frames(night), general_night.in_order(night), strict=False):
        gain = Result.objects.get(contest=contest).current.facts["gain"]
        inserted = f'<div hx-swap-oob="afterbegin:#gains-list"><li id="gain-{contest.pk}"'
        assert (inserted in frame) is gain
        assert "gains-list" in frame if gain else "gain-" not in frame


def test_a_count_moving_on_sends_the_row_with_its_status(night, results_desk):
    contest = general_night.in_order(night)[20]
    seq = events.latest_seq(night.stream_key)
    result_set_status(contest=contest, status="counting", actor=results_desk, expected_version=None)
    [frame] = frames_since(night, seq)
    assert seat_rows_in(frame) == [f"seat-{contest.pk}"] and ">Counting</tr>" in frame


def test_a_correction_that_leaves_no_gain_takes_its_line_away(night, results_desk):
    gained = Result.objects.filter(contest__election=night, current__facts__gain=True).select_related("contest")
    result = gained.first()
    contest = result.contest
    previous = contest.previous_winner.code
    votes = {c.pk: (50_000 if c.party.code == previous else 100) for c in contest.candidacies.all()}
    seq = events.latest_seq(night.stream_key)
    result_declare(contest=contest, entry=Entry(votes=votes), declared_at=result.current.declared_at,
                   actor=results_desk, expected_version=None, reason="Figures transposed")  # fmt: skip
    [frame] = frames_since(night, seq)
    assert "HOLD" in frame
    assert f'<div id="gain-{contest.pk}" hx-swap-oob="delete"></div>' in frame


def test_a_small_elections_frames_carry_no_table_row(results_desk, roles):
    from demo.night import load_elections

    elections = load_elections()
    declare_demo_contest("hartlepool", results_desk)
    [frame] = declaration_frames(elections["hartlepool-2021"])
    assert "seat-" not in frame and "gains-list" not in frame


def test_frames_stay_the_same_size_from_the_first_declarations_to_the_last(results_desk):
    election = general_night.create(seats=650)
    general_night.declare(election, results_desk, count=20, through_service=20)
    early = [len(f.encode()) for f in declaration_frames(election)[8:]]  # once the latest list is full
    general_night.declare(election, results_desk, count=630, through_service=0)
    seq = events.latest_seq(election.stream_key)
    for contest in general_night.in_order(election)[630:640]:
        general_night.declare_one(contest, results_desk)
    late_frames = declaration_frames(election, seq)
    late = [len(f.encode()) for f in late_frames]
    assert len(late) == 10 and all(len(seat_rows_in(f)) == 1 for f in late_frames)
    print(f"declaration frames: {min(early)}-{max(early)} bytes early, {min(late)}-{max(late)} bytes late")
    # The cards differ seat by seat, and a gain adds its line: a few hundred bytes, never the table.
    assert max(late) < max(early) + 600
    assert max(late) < 16 * 1024


def test_at_650_declared_the_table_stays_under_its_budget(client, results_desk, django_assert_max_num_queries):
    election = general_night.create(seats=650)
    general_night.declare(election, results_desk)
    with django_assert_max_num_queries(20):  # with the chart, shares, seats to watch and map
        response = client.get(PAGE)
    html = response.content.decode()
    table = html.split('<section id="all-seats"')[1].split("</section>")[0]
    gains = html.split('<section id="gains"')[1].split("</section>")[0]
    assert table.count('<tr id="seat-') == 650 and "Expected" not in table
    sizes = {"page": len(response.content), "table": len(table.encode()), "gains": len(gains.encode())}
    print(f"650 declared: {sizes} bytes; {gains.count('<li ')} gains")
    assert sizes["table"] < TABLE_BUDGET


def test_the_page_reads_a_fixed_number_of_queries_however_many_are_declared(
    client, results_desk, django_assert_max_num_queries, settings
):
    settings.LIVEBLOG_PAGE_CACHE = False
    election = general_night.summary_night(results_desk, 2)
    with django_assert_max_num_queries(20) as few:  # with the chart, shares, seats to watch and map
        client.get(PAGE, {"gains": "lab", "sort": "-majority"})
    general_night.declare(election, results_desk, through_service=0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE, {"gains": "lab", "sort": "-majority"})
    assert not Contest.objects.filter(election=election, result__current__isnull=True).exists()
