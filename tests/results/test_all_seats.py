"""The table of all seats: every contest in a row, sorted on the server by any column, small at 650 rows."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.utils import timezone

from results.models import Contest, Result
from results.seat_table import SeatRow, Sort, night_clock, sorted_rows
from results.services import result_set_status
from results.templatetags.results_tags import pct1
from tests.helpers import declare_demo_contest
from tests.results import general_night

pytestmark = pytest.mark.django_db

PAGE = "/results/parl.2024-07-04/"
DECLARED = 20


@pytest.fixture
def night(results_desk):
    """70 generated seats, the first 20 declared through the service, one counting, the rest expected."""
    election = general_night.summary_night(results_desk, DECLARED)
    counting = Contest.objects.get(election=election, position=DECLARED + 1)
    result_set_status(contest=counting, status="counting", actor=results_desk, expected_version=None)
    return election


def table(html: str) -> str:
    return html.split('<section id="all-seats"')[1].split("</section>")[0]


def rows(html: str) -> list[list[str]]:
    """Each body row's cells as text: the seat, then the rest."""
    body = table(html).split("<tbody>")[1].split("</tbody>")[0]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.split(r"<t[hd][^>]*>", row)[1:]]
            for row in re.findall(r"<tr id=\"seat-\d+\">(.*?)</tr>", body)]  # fmt: skip


def names(html: str) -> list[str]:
    return [row[0] for row in rows(html)]


def expected_order(election, key, reverse=False) -> list[str]:
    """The seats in the order the column should give, worked out here from what was declared."""
    declared, waiting = [], []
    for contest in Contest.objects.filter(election=election).select_related("result__current"):
        result = getattr(contest, "result", None)
        (declared if result is not None and result.current_id else waiting).append(contest)

    def value(contest):
        revision = contest.result.current
        facts = revision.facts
        return {
            "seat": contest.name.casefold(),
            "majority": facts["figures"]["majority"],
            "turnout": Decimal(facts["figures"]["turnout_pct"]),
            "change": ("GAIN" not in facts["headline"], "HOLD" not in facts["headline"],
                       facts["headline"].split(" ", 1)[1]),
            "declared": (revision.declared_at, contest.result.pk),
        }[key]  # fmt: skip

    def by_name(contests):
        return sorted(contests, key=lambda c: c.name.casefold())

    # Equal values keep the A to Z order, whichever way round the column is sorted.
    ordered = sorted(by_name(declared), key=value, reverse=reverse)
    return [c.name for c in ordered] + [c.name for c in by_name(waiting)]


def test_the_table_lists_every_seat_by_name_with_the_seats_still_to_declare_last(client, night):
    html = client.get(PAGE).content.decode()
    assert names(html) == expected_order(night, "seat")
    assert len(rows(html)) == 70
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-seat#all-seats">Seat' in html
    assert "20 of 70 declared. Sorted by seat, A to Z; seats still to declare come last." in html


@pytest.mark.parametrize("column", ["seat", "majority", "turnout", "change", "declared"])
@pytest.mark.parametrize("direction", ["", "-"])
def test_each_column_sorts_both_ways(client, night, column, direction):
    html = client.get(PAGE, {"sort": f"{direction}{column}"}).content.decode()
    assert names(html) == expected_order(night, column, reverse=direction == "-")
    sorted_header = re.findall(r'<th scope="col"[^>]*aria-sort="(\w+)"[^>]*><a href="\?sort=([-\w]+)#all-seats">', html)
    flipped = column if direction == "-" else f"-{column}"
    assert sorted_header == [("descending" if direction else "ascending", flipped)]


def test_the_winner_column_sorts_by_party_then_name(client, night):
    cells = rows(client.get(PAGE, {"sort": "party"}).content.decode())[:DECLARED]
    assert [(c[1], c[0].casefold()) for c in cells] == sorted((c[1], c[0].casefold()) for c in cells)


def test_a_first_click_on_a_column_sorts_its_most_telling_end_first(client, night):
    html = client.get(PAGE).content.decode()
    links = re.findall(r'<a href="\?sort=([-\w]+)#all-seats">', table(html))
    assert links == ["-seat", "party", "change", "majority", "-turnout", "-declared"]


def test_only_the_sorted_column_has_aria_sort(client, night):
    html = client.get(PAGE, {"sort": "-turnout"}).content.decode()
    headers = re.findall(r"<th scope=\"col\"[^>]*>", table(html))
    assert len(headers) == 6
    assert [h for h in headers if "aria-sort" in h] == ['<th scope="col" aria-sort="descending" class="num">']


def test_an_unknown_sort_is_the_default_order_with_a_note(client, night):
    response = client.get(PAGE, {"sort": "votes; DROP TABLE"})
    assert response.status_code == 200
    html = response.content.decode()
    assert names(html) == expected_order(night, "seat")
    assert "cannot be sorted by “votes; DROP TABLE”" in html


def test_a_declared_row_gives_winner_majority_turnout_change_and_time(client, night):
    contest = Contest.objects.get(election=night, position=1)
    facts = contest.result.current.facts
    html = client.get(PAGE).content.decode()
    row = table(html).split(f'<tr id="seat-{contest.pk}">')[1].split("</tr>")[0]
    party = facts["elected"][0]
    short, change = facts["headline"].split(" ", 1)
    when = timezone.localtime(contest.result.current.declared_at)
    majority, turnout = f"{facts['figures']['majority']:,}", pct1(Decimal(facts["figures"]["turnout_pct"]))
    assert f'<td class="party-{party}">{short}<td' in row
    assert row.endswith(f">{change}<td>{majority}<td>{turnout}<td>{when:%H:%M}")
    href = row.split('href="')[1].split('"')[0]
    assert urljoin(f"http://testserver{PAGE}", href) == f"http://testserver{contest.get_absolute_url()}"


def test_a_gain_is_marked_and_a_seat_still_counting_says_so(client, night):
    html = client.get(PAGE).content.decode()
    gain = Result.objects.filter(contest__election=night, current__facts__gain=True).first()
    assert f'<tr id="seat-{gain.contest_id}">' in html
    assert '<td class="gain">GAIN from ' in table(html).split(f'<tr id="seat-{gain.contest_id}">')[1].split("</tr>")[0]
    counting = Contest.objects.get(election=night, position=DECLARED + 1)
    assert '<td class="waiting" colspan="5">Counting</tr>' in table(html).split(f'<tr id="seat-{counting.pk}">')[1]


def test_the_live_fragment_keeps_the_readers_sort(client, night):
    html = client.get(PAGE).content.decode()
    assert 'data-fragment-url="/results/parl.2024-07-04/?fragment=live"' in html
    sorted_page = client.get(PAGE, {"sort": "-majority"}).content.decode()
    url = sorted_page.split('data-fragment-url="')[1].split('"')[0].replace("&amp;", "&")
    assert url == "/results/parl.2024-07-04/?fragment=live&sort=-majority"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="live-area"') and names(fragment) == expected_order(night, "majority", True)


def test_a_general_elections_page_has_no_cards_and_a_small_elections_keeps_them(client, night, results_desk):
    assert 'class="card' not in client.get(PAGE).content.decode()
    from demo.night import load_elections

    load_elections()
    declare_demo_contest("hartlepool", results_desk)
    small = client.get("/results/hartlepool-2021/").content.decode()
    assert 'class="card card--constituency' in small and 'id="all-seats"' not in small
    assert 'id="seat-search"' not in small and 'href="/results/hartlepool-2021/hartlepool/"' in small


def test_the_embed_leaves_the_summary_to_the_full_page(client, night):
    html = client.get("/embed/results/parl.2024-07-04/").content.decode()
    assert 'id="all-seats"' not in html and 'id="gains"' not in html
    assert f'<a href="{PAGE}" target="_blank" rel="noopener">' in html
    assert "embedded=1" in html.split('data-fragment-url="')[1].split('"')[0]


def test_the_summary_links_the_latest_declarations_to_their_pages(client, night):
    html = client.get(PAGE).content.decode()
    latest = html.split('id="latest-declarations"')[1].split("</nav>")[0]
    newest = Contest.objects.get(election=night, position=DECLARED)
    assert f'<a href="{newest.get_absolute_url()}">{newest.name}</a>' in latest


def test_party_colours_come_as_classes_in_a_stylesheet(client, roles):
    response = client.get("/results/party-colours.css")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert ".party-lab{--party:#E4003B}" in css
    assert ".party-ind,.party-speaker{--party:#777777}" in css
    again = client.get("/results/party-colours.css", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("majority", ["Dover", "Acton", "Bury", "Crewe", "Aldershot"]),
        ("-majority", ["Acton", "Bury", "Dover", "Crewe", "Aldershot"]),
    ],
)
def test_equal_values_stay_a_to_z_and_seats_with_nothing_to_sort_by_come_after_either_way(sort, order):
    when = timezone.now()
    rows = [
        SeatRow(pk=1, name="Bury", slug="b", status="declared", majority=100, declared_at=when),
        SeatRow(pk=2, name="Acton", slug="a", status="declared", majority=100, declared_at=when),
        SeatRow(pk=3, name="Crewe", slug="c", status="uncontested", majority=None, declared_at=when),
        SeatRow(pk=4, name="Aldershot", slug="al", status="expected"),
        SeatRow(pk=5, name="Dover", slug="d", status="declared", majority=50, declared_at=when),
    ]
    assert [r.name for r in sorted_rows(rows, Sort.parse(sort))] == order


@pytest.mark.parametrize(
    ("declared_at", "shown"),
    [
        ("2024-07-04T23:18:00+01:00", "23:18"),
        ("2024-07-05T04:12:00+01:00", "04:12"),
        ("2024-07-05T12:30:00+01:00", "12:30"),
        ("2024-07-06T08:14:00+01:00", "6 Jul 08:14"),  # Inverness, Skye and West Ross-shire: counted again
        ("2024-07-05T00:30:00+00:00", "01:30"),  # in Europe/London
    ],
)
def test_a_declaration_time_gives_its_date_only_after_the_night(declared_at, shown):
    assert night_clock(datetime.fromisoformat(declared_at), date(2024, 7, 4)) == shown


def test_the_speakers_row_names_the_speaker_and_a_notional_change_says_so(client, night):
    data = Path(__file__).parent / "data"
    for feed in ("chorley-2024.json", "harrogate-and-knaresborough-2024-notional.json"):
        call_command("import_results", str(data / feed), "--as", "desk")
    html = table(client.get(PAGE).content.decode())
    chorley = Contest.objects.get(slug="parl.chorley.2024-07-04")
    harrogate = Contest.objects.get(slug="parl.harrogate-and-knaresborough.2024-07-04")
    assert '<td class="party-speaker">Speaker<td>re-elected<td>20,575<td>—' in html.split(f'id="seat-{chorley.pk}"')[1]
    # Most of this election's seats are measured against an actual result, so the notional one says so.
    assert (
        '<td class="party-ld">LD<td class="gain">GAIN from Con (notional)<td>8,238'
        in html.split(f'id="seat-{harrogate.pk}"')[1]
    )
