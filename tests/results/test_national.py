"""A general election's national picture: seats against the majority line, the exit poll's projection, and
national vote shares with their change, all from the running totals."""

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from results.frames import national_html
from results.models import Election
from results.national import national_picture, seat_chart

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
CHORLEY = {"Lindsay Hoyle": 25238, "Mark Tebbutt": 4663, "Ben Holden-Crowther": 2424, "Martin Moore": 1007,
           "Andy Powell-Davies": 632}  # fmt: skip


@pytest.fixture
def two_seats(results_desk):
    for name in ("chorley-2024.json", "harrogate-and-knaresborough-2024-notional.json"):
        call_command("import_results", str(DATA / name), "--as", "desk")
    return Election.objects.get(slug="parl.2024-07-04")


def test_the_picture_counts_seats_and_the_speaker_apart_against_the_majority_line(two_seats):
    picture = national_picture(two_seats)

    assert (picture.chart.declared, picture.chart.total, picture.chart.majority) == (2, 2, 2)
    assert [(s.key, s.seats) for s in picture.chart.segments] == [("ld", 1), ("speaker", 1)]


def test_national_shares_are_of_the_valid_votes_declared_with_change_against_the_previous_national_share(
    two_seats, client
):
    two_seats.previous_shares, two_seats.previous_year = {"ld": 11.6, "con": 43.6, "lab": 32.1}, 2019
    two_seats.save()
    picture = national_picture(two_seats)
    shares = {s.code: s for s in picture.shares.shares}
    valid = sum(CHORLEY.values()) + two_seats.contests.get(slug__contains="harrogate").result.current.facts["valid"]
    assert picture.shares.votes == valid
    ld = shares["ld"]
    assert ld.share == (Decimal(ld.votes) * 100 / valid).quantize(Decimal("0.1"))
    assert ld.change == ld.share - Decimal("11.6")
    page = client.get("/results/parl.2024-07-04/").content.decode()
    assert "Vote share" in page and "Change since 2019" in page and "2 seats for a majority" in page


def test_an_election_of_wards_has_no_national_picture(results_desk, client):
    call_command("import_results", str(DATA / "stv-edinburgh-almond-2017.json"), "--as", "desk")
    election = Election.objects.get()
    assert national_picture(election) is None
    assert national_html(election) == ""
    assert 'id="national"' not in client.get(election.get_absolute_url()).content.decode()


def party(code, short, colour="#000000"):
    return SimpleNamespace(code=code, short_name=short, name=short, colour=colour, predecessor=None)


def chart_with_poll(declared: dict[str, int], poll: dict[str | None, int]):
    parties = {code: party(code, code.title()) for code in {*declared, *(c for c in poll if c)}}
    rows = [SimpleNamespace(party=parties[c] if c else None, seats=n) for c, n in poll.items()]
    exit_poll = SimpleNamespace(published_at="22:00", seats=SimpleNamespace(all=lambda: rows))
    election = SimpleNamespace(exit_poll=exit_poll, speaker_seats=0, declared_count=sum(declared.values()))
    totals = [SimpleNamespace(party=parties[c], seats=n) for c, n in declared.items()]
    return seat_chart(election, totals, 650)


def test_the_exit_poll_projects_each_partys_seats_beyond_those_declared_until_the_count_overtakes_it():
    chart = chart_with_poll({"lab": 100, "con": 140}, {"lab": 410, "con": 131, "ld": 61, None: 48})
    by_key = {s.key: s for s in chart.segments}
    assert [s.key for s in chart.segments] == ["lab", "con", "ld", "others"]
    assert (by_key["lab"].seats, by_key["lab"].projected, by_key["lab"].poll) == (100, 310, 410)
    assert (by_key["con"].seats, by_key["con"].projected) == (140, 0)  # the count has overtaken the poll
    assert (by_key["ld"].seats, by_key["ld"].projected) == (0, 61)
    assert sum(s.seats + s.projected for s in chart.segments) <= 650
    assert chart.bars[:2] == [(0, 100, "#000000", False), (100, 310, "#000000", True)]


def test_the_projection_never_takes_the_chart_past_the_house():
    chart = chart_with_poll({"lab": 400, "con": 200}, {"lab": 300, "con": 300, None: 50})
    assert sum(s.seats + s.projected for s in chart.segments) == 650


def test_once_every_seat_is_declared_nothing_is_projected_and_independents_have_their_segment():
    exit_poll = SimpleNamespace(published_at="22:00", seats=SimpleNamespace(all=lambda: [
        SimpleNamespace(party=party("con", "Con"), seats=131)]))  # fmt: skip
    election_declared_all = SimpleNamespace(exit_poll=exit_poll, speaker_seats=1, declared_count=650)
    totals = [SimpleNamespace(party=party(c, c.title()), seats=n) for c, n in (("lab", 411), ("con", 121))]
    full = seat_chart(election_declared_all, totals, 650)
    assert [(s.key, s.seats, s.projected) for s in full.segments] == [
        ("lab", 411, 0),
        ("con", 121, 0),
        ("ind", 117, 0),
        ("speaker", 1, 0),
    ]  # Con's exit poll 131 is past: every seat is declared
