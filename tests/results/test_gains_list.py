"""The gains list: every seat that changed hands, newest declaration first, filterable by the gaining party."""

from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.utils import timezone

from results.gains import all_gains, gains_list
from results.models import Contest, Result
from tests.results import general_night

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
PAGE = "/results/parl.2024-07-04/"
DECLARED = 24


@pytest.fixture
def night(results_desk):
    """70 generated seats (a general election's summary), the first 24 declared through the service."""
    return general_night.summary_night(results_desk, DECLARED)


def gained(election) -> list[Result]:
    results = Result.objects.filter(contest__election=election, current__isnull=False).select_related(
        "current", "contest"
    )
    return sorted((r for r in results if r.current.facts["gain"]), key=lambda r: r.current.declared_at, reverse=True)


def listed(html: str) -> str:
    return html.split('id="gains-list"')[1].split("</ol>")[0]


def line_names(html: str) -> list[str]:
    return [part.split('/">', 1)[1].split("</a>")[0] for part in listed(html).split("<li ")[1:]]


def test_every_gain_is_listed_newest_declaration_first(client, night):
    expected = gained(night)
    assert len(expected) >= 3, "the generated night changes some seats' hands"
    html = client.get(PAGE).content.decode()
    assert line_names(html) == [r.contest.name for r in expected]


def test_a_line_says_who_gained_from_whom_links_the_seat_and_gives_the_time(client, night):
    newest = gained(night)[0]
    html = client.get(PAGE).content.decode()
    line = listed(html).split("<li ")[1]
    headline = newest.current.facts["headline"]
    assert " GAIN from " in headline and f"<strong>{headline}</strong>" in line
    href = line.split('href="')[1].split('"')[0]
    assert urljoin(f"http://testserver{PAGE}", href) == f"http://testserver{newest.contest.get_absolute_url()}"
    local = timezone.localtime(newest.current.declared_at)  # Europe/London
    assert f'<time datetime="{local.isoformat(timespec="minutes")}">{local:%H:%M}</time>' in line


def test_holds_are_not_listed(client, night):
    html = client.get(PAGE).content.decode()
    held = Result.objects.filter(contest__election=night, current__facts__gain=False).first()
    assert held is not None and held.contest.name not in line_names(html)


def test_the_list_is_filtered_by_the_gaining_party(client, night):
    party = gained(night)[0].current.facts["elected"][0]
    expected = [r.contest.name for r in gained(night) if r.current.facts["elected"][0] == party]
    html = client.get(PAGE, {"gains": party}).content.decode()
    assert line_names(html) == expected
    assert f'<option value="{party}" selected>' in html
    the_list = html.split('<ol id="gains-list"')[1].split(">")[0]
    assert f'data-party="{party}"' in the_list  # lines arriving live for other parties are left out (seats.js)


def test_a_party_with_no_gains_says_so(client, night):
    html = client.get(PAGE, {"gains": "green"}).content.decode()
    assert line_names(html) == []
    assert "No Green Party gain yet." in html


def test_an_unknown_party_shows_every_gain_and_says_why(client, night):
    response = client.get(PAGE, {"gains": "no-such-party"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No party has the code “no-such-party”, so every gain is shown." in html
    assert len(line_names(html)) == len(gained(night))


def test_the_page_cache_is_told_which_parameters_the_page_reads(client, night):
    party = gained(night)[0].current.facts["elected"][0]
    everyone = client.get(PAGE)
    one_party = client.get(PAGE, {"gains": party, "utm_source": "x"})
    assert everyone["X-Stream-Query"] == "gains,sort"
    assert len(line_names(one_party.content.decode())) < len(line_names(everyone.content.decode()))
    assert everyone["ETag"] != one_party["ETag"]
    assert client.get(PAGE, {"utm_source": "y"})["ETag"] == everyone["ETag"]


def test_the_gains_are_read_in_one_query(night, django_assert_num_queries):
    with django_assert_num_queries(1):
        gains = all_gains(night)
    assert len(gains) == len(gained(night))


def test_a_notional_gain_says_so(night, results_desk):
    call_command("import_results", str(DATA / "harrogate-and-knaresborough-2024-notional.json"), "--as", "desk")
    harrogate = next(g for g in all_gains(night) if g.name == "Harrogate and Knaresborough")
    assert harrogate.headline == "LD GAIN from Con (notional)" and harrogate.party == "ld"
    assert all_gains(night)[0] == harrogate  # declared on 5 July 2024, after the generated night


def test_the_speaker_is_nobodys_gain(night, results_desk):
    call_command("import_results", str(DATA / "chorley-2024.json"), "--as", "desk")
    chorley = Contest.objects.get(slug="parl.chorley.2024-07-04")
    assert chorley.result.current.facts["headline"] == "Speaker re-elected"
    assert "Chorley" not in [g.name for g in all_gains(night)]


def test_a_seat_the_speaker_held_is_not_a_partys_gain(night, results_desk):
    contest = Contest.objects.filter(election=night, result__isnull=True).order_by("position").first()
    contest.previous_winner, contest.previous_winner_is_speaker = None, True
    contest.previous_winner_name, contest.previous_votes = "The Speaker", {}
    contest.save()
    general_night.declare_one(contest, results_desk)
    assert "GAIN from Speaker" in Result.objects.get(contest=contest).current.facts["headline"]
    assert contest.name not in [g.name for g in all_gains(night)]


def test_the_filter_keeps_the_tables_sort_and_the_tables_links_keep_the_filter(client, night):
    party = gained(night)[0].current.facts["elected"][0]
    html = client.get(PAGE, {"gains": party, "sort": "-majority"}).content.decode()
    assert '<input type="hidden" name="sort" value="-majority">' in html
    assert f'href="?gains={party}&amp;sort=majority#all-seats"' in html


def test_the_selector_lists_parties_with_gains_most_first(night):
    gains = gains_list(night)
    counts = [p.gains for p in gains.parties]
    assert counts == sorted(counts, reverse=True) and sum(counts) == len(gained(night))
