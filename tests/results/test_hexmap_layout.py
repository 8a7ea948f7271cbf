"""The hex map's layout, geometry and colours: pure, no database."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.utils.text import slugify

from results import hexmap
from results.models import Election
from results.parties import GB_PARTIES, REGISTERED_PARTIES

ROOT = Path(__file__).resolve().parents[2]
CELLS = hexmap.layout(hexmap.WESTMINSTER_2024)


def test_the_2024_layout_has_650_constituencies_each_under_its_own_ballot_slug():
    assert len(CELLS) == 650
    assert all(slug == slugify(cell.name) for slug, cell in CELLS.items())
    assert {"hartlepool", "harrogate-and-knaresborough", "chorley", "ynys-mon"} <= CELLS.keys()
    assert CELLS["ynys-mon"].name == "Ynys Môn"


def test_no_two_constituencies_share_a_hex():
    assert len({(c.q, c.r) for c in CELLS.values()}) == 650


def test_the_nations_have_their_seats():
    regions = [c.region for c in CELLS.values()]
    assert (regions.count("S92000003"), regions.count("W92000004"), regions.count("N92000002")) == (57, 32, 18)


def shared_corners(one: tuple[int, int], other: tuple[int, int]) -> int:
    grid = hexmap.grid_for(hexmap.WESTMINSTER_2024)
    return len(set(hexmap.corners(*grid.centre(*one))) & set(hexmap.corners(*grid.centre(*other))))


@pytest.mark.parametrize("q, r", [(50, -20), (50, -21), (42, 0), (61, -43)])
def test_each_of_a_hexs_six_neighbours_shares_an_edge_with_it_and_no_other_hex_does(q, r):
    neighbours = hexmap.neighbours(q, r)
    assert len(set(neighbours)) == 6
    assert [shared_corners((q, r), n) for n in neighbours] == [2] * 6
    others = [(q + dq, r + dr) for dq in range(-2, 3) for dr in range(-2, 3) if (q + dq, r + dr) not in neighbours]
    assert [shared_corners((q, r), o) for o in others if o != (q, r)] == [0] * (len(others) - 1)


def test_odd_rows_shifted_right_keep_the_regions_together_as_the_layout_means():
    """Drawn the other way (even rows shifted), fewer hexes would touch hexes of their own region."""
    at = {(c.q, c.r): c for c in CELLS.values()}

    def same_region_touches(neighbours) -> int:
        return sum(at[n].region == c.region for c in CELLS.values() for n in neighbours(c.q, c.r) if n in at)

    def even_shifted(q, r):
        shift = 0 if r % 2 == 0 else -1
        return [(q - 1, r), (q + 1, r)] + [(q + shift + dq, r + dr) for dr in (1, -1) for dq in (0, 1)]

    assert same_region_touches(hexmap.neighbours) > same_region_touches(even_shifted) + 100
    lonely = [c.name for c in CELLS.values() if not any(n in at for n in hexmap.neighbours(c.q, c.r))]
    assert len(lonely) <= 3  # islands: drawn apart, as on the map they come from


def test_the_view_box_holds_every_hex_with_the_padding_and_no_more():
    grid = hexmap.grid_for(hexmap.WESTMINSTER_2024)
    points = [p for c in CELLS.values() for p in hexmap.corners(*grid.centre(c.q, c.r))]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert (min(xs), min(ys)) == (hexmap.PADDING, hexmap.PADDING)
    assert (grid.width - max(xs), grid.height - max(ys)) == (hexmap.PADDING, hexmap.PADDING)
    assert grid.view_box == f"0 0 {hexmap.number(grid.width)} {hexmap.number(grid.height)}" == "0 0 445 572"


def test_the_top_row_is_the_most_northerly_and_odd_rows_sit_half_a_hex_right():
    grid = hexmap.Grid(first_q=0, top_r=0, width=0, height=0)
    assert grid.centre(0, 0) == (hexmap.PADDING + 7, hexmap.PADDING + 8)
    assert grid.centre(0, -1) == (hexmap.PADDING + 14, hexmap.PADDING + 20)  # a row south, shifted right
    assert grid.centre(1, -2) == (hexmap.PADDING + 21, hexmap.PADDING + 32)


@pytest.mark.parametrize(
    "value, written", [(12.0, "12"), (3.14159, "3.1"), (-3.5, "-3.5"), (-0.04, "0"), (0.96, "1"), (445, "445")]
)
def test_coordinates_are_rounded_to_a_tenth_and_written_short(value, written):
    assert hexmap.number(value) == written


def test_the_hex_polygon_is_pointy_topped_about_its_centre():
    assert hexmap.polygon_points() == "0,-8 7,-4 7,4 0,8 -7,4 -7,-4"
    assert hexmap.polygon_points(10, 20) == "10,12 17,16 17,24 10,28 3,24 3,16"


@pytest.mark.parametrize(
    "slug, kind, day, layout",
    [
        ("parl.2024-07-04", Election.Kind.GENERAL, date(2024, 7, 4), "westminster-2024"),
        ("parl.2029-05-03", Election.Kind.GENERAL, date(2029, 5, 3), "westminster-2024"),
        ("parl.2019-12-12", Election.Kind.GENERAL, date(2019, 12, 12), None),  # the old boundaries
        ("parl.2025-05-01", Election.Kind.BY_ELECTION, date(2025, 5, 1), None),  # one seat: no map
        ("local.2024-07-04", Election.Kind.GENERAL, date(2024, 7, 4), None),
        ("sp.2026-05-07", Election.Kind.DEVOLVED, date(2026, 5, 7), None),
        ("parl.test", Election.Kind.GENERAL, date(2019, 12, 12), None),
    ],
)
def test_a_uk_general_election_on_the_2024_boundaries_has_the_layout_and_nothing_else_does(slug, kind, day, layout):
    assert hexmap.layout_name(Election(slug=slug, kind=kind, polling_day=day)) == layout


@pytest.mark.parametrize(
    "ballot, slug",
    [("parl.hartlepool.2024-07-04", "hartlepool"), ("parl.ynys-mon.2024-07-04", "ynys-mon"), ("parl.x", "")],
)
def test_a_ballot_id_gives_its_hexs_slug(ballot, slug):
    assert hexmap.ballot_slug(ballot) == slug


@pytest.mark.parametrize("fill, mark", [("#FAA61A", "#000000"), ("#E4003B", "#FFFFFF"), ("#FDF38E", "#000000"),
                                        ("#326760", "#FFFFFF")])  # fmt: skip
def test_a_gains_dot_is_white_or_black_whichever_stands_out(fill, mark):
    assert hexmap.mark_colour(fill) == mark


def test_a_gains_dot_has_at_least_4_5_to_1_on_every_partys_colour():
    colours = {row[3] for row in GB_PARTIES + REGISTERED_PARTIES}
    assert min(hexmap.contrast(hexmap.mark_colour(c), c) for c in colours) >= 4.5
    assert round(hexmap.contrast("#FFFFFF", "#000000"), 2) == 21


def custom_properties(css: str) -> dict[str, dict[str, str]]:
    """The colours the stylesheet sets on :root, in the light scheme and in the dark one."""
    light, _, dark = css.partition("prefers-color-scheme: dark")

    def read(text: str) -> dict[str, str]:
        found = re.findall(r"--([\w-]+):\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", text)
        return {name: "#" + (value if len(value) == 6 else "".join(c * 2 for c in value)) for name, value in found}

    return {"light": read(light), "dark": read(dark.split("}", 2)[0] + "}")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_undeclared_hexs_edge_stands_out_from_the_page_and_its_own_fill_in_both_schemes(scheme):
    site = custom_properties((ROOT / "static/liveblog/site.css").read_text())[scheme]
    own = custom_properties((ROOT / "static/results/hexmap.css").read_text())[scheme]
    paper = site["paper"]
    assert hexmap.contrast(own["hex-edge"], paper) >= 3
    assert hexmap.contrast(own["hex-edge"], own["hex-none"]) >= 3
