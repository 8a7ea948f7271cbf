"""The general election's hex map: which layout an election uses, where each hex is drawn, and what it shows.

One hex a constituency, in the layout's "odd-r" offset coordinates: rows count upwards (the layout's
`r` grows northwards) and odd rows sit half a hex to the right. Hexes are pointy-topped; see
`HALF_WIDTH` for their size. The layouts live in results/layouts/ with their source and licence.

A hex shows what the stored declaration facts say (results.summary.Declaration.facts): the first
elected party's colour, whether it was a gain, and the card's headline, read for a whole election
in two queries however many have declared.
"""

import functools
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.urls import reverse

from .models import Contest, Election, Party

LAYOUTS = Path(__file__).with_name("layouts")
WESTMINSTER_2024 = "westminster-2024"
# The 2023 boundary review's constituencies were first used at the general election of 4 July 2024;
# later general elections use them too until the next review, whose layout will start on its own date.
BOUNDARIES_2024 = date(2024, 7, 4)

# Pointy-topped hexes. A regular hex of radius 8 would be 13.86 wide; 14 keeps every coordinate a whole
# number, so the SVG stays small, and the 1% squash does not show.
HALF_WIDTH = 7
RADIUS = 8
ROW_STEP = RADIUS * 3 / 2  # rows overlap by a quarter of a hex's height
PADDING = 2  # room for the focus ring on the edge hexes

NOT_DECLARED = "not declared"
SPEAKER = ("Speaker", "#777777")  # as the scoreboard draws the Speaker's seat: nobody's party
INDEPENDENT = ("Ind", "#AAAAAA")  # where the party book has no "ind" colour
MARKS = ("#FFFFFF", "#000000")  # a gain's dot: whichever contrasts more with the hex's fill
SHAPES = {"": "hm-h", "#FFFFFF": "hm-hw", "#000000": "hm-hb"}  # ids of the drawn shapes (_hexmap.html)


# The layout an election uses.


def layout_name(election: Election) -> str | None:
    """The hex layout for a UK general election on the 2024 boundaries, else None (no map).

    That is a general election (not a by-election) whose id is parl.… and whose polling day is
    4 July 2024 or later. Local, devolved and mayoral elections have no layout.
    """
    if election.kind != Election.Kind.GENERAL or not election.slug.startswith("parl."):
        return None
    return WESTMINSTER_2024 if election.polling_day >= BOUNDARIES_2024 else None


@dataclass(frozen=True)
class Cell:
    slug: str
    name: str
    q: int
    r: int
    region: str


@functools.cache
def layout(name: str) -> dict[str, Cell]:
    """The layout's hexes by ballot slug (the middle of parl.<slug>.2024-07-04)."""
    data = json.loads((LAYOUTS / f"{name}.json").read_text(encoding="utf-8"))
    return {
        slug: Cell(slug=slug, name=cell["name"], q=cell["q"], r=cell["r"], region=cell["region"])
        for slug, cell in data["hexes"].items()
    }


def ballot_slug(ballot_id: str) -> str:
    """parl.hartlepool.2024-07-04 -> hartlepool: the key of its hex."""
    parts = ballot_id.split(".")
    return parts[1] if len(parts) == 3 else ""


# Geometry: pure.


def is_odd(r: int) -> bool:
    return r % 2 == 1  # Python's % keeps this right for the layout's negative rows


def neighbours(q: int, r: int) -> list[tuple[int, int]]:
    """The six hexes touching (q, r) in odd-r offset coordinates: the same row, then the rows either side."""
    shift = 0 if is_odd(r) else -1  # which two hexes of the next row are under this one
    return [(q - 1, r), (q + 1, r)] + [(q + shift + dq, r + dr) for dr in (1, -1) for dq in (0, 1)]


@dataclass(frozen=True)
class Grid:
    """Where a layout's hexes are drawn: its top-left hex's column and row, and the drawing's size."""

    first_q: int
    top_r: int
    width: float
    height: float

    @classmethod
    def of(cls, cells) -> "Grid":
        cells = list(cells)
        qs, rs = [c.q for c in cells], [c.r for c in cells]
        grid = cls(first_q=min(qs), top_r=max(rs), width=0, height=0)
        xs, ys = zip(*(grid.centre(c.q, c.r) for c in cells), strict=True)
        return cls(first_q=grid.first_q, top_r=grid.top_r,
                   width=max(xs) + HALF_WIDTH + PADDING, height=max(ys) + RADIUS + PADDING)  # fmt: skip

    def centre(self, q: int, r: int) -> tuple[float, float]:
        x = PADDING + HALF_WIDTH + (q - self.first_q) * 2 * HALF_WIDTH + (HALF_WIDTH if is_odd(r) else 0)
        y = PADDING + RADIUS + (self.top_r - r) * ROW_STEP
        return x, y

    @property
    def view_box(self) -> str:
        return f"0 0 {number(self.width)} {number(self.height)}"


def number(value: float) -> str:
    """A coordinate rounded to a tenth, written as short as it goes: 12.0 -> "12", -3.5 -> "-3.5"."""
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def corners(x: float, y: float) -> list[tuple[float, float]]:
    """A pointy-topped hex's corners about its centre, clockwise from the top, rounded to a tenth."""
    half = RADIUS / 2
    offsets = [(0, -RADIUS), (HALF_WIDTH, -half), (HALF_WIDTH, half), (0, RADIUS), (-HALF_WIDTH, half),
               (-HALF_WIDTH, -half)]  # fmt: skip
    return [(round(x + dx, 1), round(y + dy, 1)) for dx, dy in offsets]


def polygon_points(x: float = 0, y: float = 0) -> str:
    """The corners as an SVG polygon's points: "0,-8 7,-4 7,4 0,8 -7,4 -7,-4" about (0, 0).

    The map draws this one polygon, and every hex is a <use> of it at its centre: a few bytes a hex.
    """
    return " ".join(f"{number(px)},{number(py)}" for px, py in corners(x, y))


# Colours.


def luminance(colour: str) -> float:
    """WCAG 2's relative luminance of "#RRGGBB"."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mark_colour(fill: str) -> str:
    """White or black, whichever stands out more on `fill`: at least 4.58:1 on any colour."""
    return max(MARKS, key=lambda mark: contrast(mark, fill))


# What each hex shows.


@dataclass(frozen=True)
class Winner:
    code: str  # the party's code; "speaker" or "ind" for those who have none
    label: str
    colour: str


@dataclass(frozen=True)
class Hex:
    pk: int | None  # the contest's; None where the constituency has no contest in this election
    name: str
    x: str  # the centre, as the SVG writes it
    y: str
    url: str = ""
    winner: Winner | None = None
    gain: bool = False
    result: str = NOT_DECLARED

    @property
    def declared(self) -> bool:
        return self.winner is not None

    @property
    def label(self) -> str:
        """The hex's accessible name: "Hartlepool: Lab GAIN from Con", "Hartlepool: not declared"."""
        return f"{self.name}: {self.result}"

    @property
    def mark(self) -> str:
        """The gain dot's colour, or "" where there is no gain to mark."""
        return mark_colour(self.winner.colour) if self.gain and self.winner else ""

    @property
    def shape(self) -> str:
        """Which of the map's drawn shapes this hex uses: plain, or with a white or a black gain dot."""
        return SHAPES[self.mark]


@dataclass
class HexMap:
    layout: str
    view_box: str
    points: str  # the one hex polygon, about (0, 0)
    hexes: list[Hex]  # the layout's, top row first, west to east: the order they are read in
    unplaced: list[str] = field(default_factory=list)  # contests of the election with no hex in the layout

    @property
    def contests(self) -> list[Hex]:
        """The hexes with a contest, by name: the table's rows."""
        return sorted((h for h in self.hexes if h.pk is not None), key=lambda h: h.name)

    @property
    def legend(self) -> list[Winner]:
        """Each winner shown, most seats first."""
        seats: dict[Winner, int] = {}
        for h in self.hexes:
            if h.winner:
                seats[h.winner] = seats.get(h.winner, 0) + 1
        return sorted(seats, key=lambda w: (-seats[w], w.label))

    @property
    def declared(self) -> int:
        return sum(h.declared for h in self.hexes)


def _facts_winner_code(facts: dict) -> str | None:
    elected = facts.get("elected") or []
    return elected[0] if elected else None


def _parties(codes) -> dict[str, tuple[str, str]]:
    wanted = {code for code in codes if code} | {"ind"}
    return {code: (short, colour) for code, short, colour in
            Party.objects.filter(code__in=wanted).values_list("code", "short_name", "colour")}  # fmt: skip


def _winner(facts: dict | None, parties: dict[str, tuple[str, str]]) -> Winner | None:
    if not facts or facts.get("council"):
        return None
    if facts.get("speaker"):
        return Winner("speaker", *SPEAKER)
    code = _facts_winner_code(facts)
    if code is None:
        return Winner("ind", *parties.get("ind", INDEPENDENT))
    label, colour = parties.get(code, (code, INDEPENDENT[1]))
    return Winner(code, label, colour)


def _hex(cell: Cell, grid: Grid, contest: tuple | None, election: Election, parties) -> Hex:
    x, y = grid.centre(cell.q, cell.r)
    drawn = {"x": number(x), "y": number(y)}
    if contest is None:
        return Hex(pk=None, name=cell.name, **drawn)
    pk, ballot, name, facts = contest
    winner = _winner(facts, parties)
    url = reverse("results:contest", kwargs={"slug": election.slug, "contest": ballot})
    if winner is None:
        return Hex(pk=pk, name=name, url=url, **drawn)
    return Hex(pk=pk, name=name, url=url, winner=winner, gain=bool(facts.get("gain")),
               result=facts.get("headline") or f"{winner.label} win", **drawn)  # fmt: skip


@functools.cache
def grid_for(name: str) -> Grid:
    return Grid.of(layout(name).values())


def _reading_order(cells) -> list[Cell]:
    return sorted(cells, key=lambda c: (-c.r, c.q))


# A contest as the map reads it: pk, ballot id, name, and its current declaration's facts (None: not declared).
ContestRow = tuple[int, str, str, dict | None]


def build(name: str, election: Election, rows: list[ContestRow], parties: dict[str, tuple[str, str]]) -> HexMap:
    """The map of these contests on the named layout; `parties` gives each winner's short name and colour by code."""
    cells, grid = layout(name), grid_for(name)
    by_slug = {ballot_slug(row[1]): row for row in rows}
    hexes = [_hex(cell, grid, by_slug.get(cell.slug), election, parties) for cell in _reading_order(cells.values())]
    unplaced = sorted(row[2] for slug, row in by_slug.items() if slug not in cells)
    return HexMap(layout=name, view_box=grid.view_box, points=polygon_points(), hexes=hexes, unplaced=unplaced)


def hexmap_for(election: Election) -> HexMap | None:
    """The election's map as it stands, in two queries; None (and no query) where the election has no layout."""
    name = layout_name(election)
    if name is None:
        return None
    rows = list(Contest.objects.filter(election=election).values_list("pk", "slug", "name", "result__current__facts"))
    return build(name, election, rows, _parties(_facts_winner_code(facts or {}) for *_, facts in rows))


def hex_of(contest, result) -> Hex | None:
    """One contest's hex as its latest change leaves it (for a live frame); None where it has no hex."""
    name = layout_name(contest.election)
    if name is None:
        return None
    cell = layout(name).get(ballot_slug(contest.slug))
    if cell is None:
        return None
    facts = result.current.facts if result is not None and result.current_id else None
    parties = _parties([_facts_winner_code(facts or {})]) if facts else {}
    return _hex(cell, grid_for(name), (contest.pk, contest.slug, contest.name, facts), contest.election, parties)
