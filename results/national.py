"""A general election's national picture: seats against the majority line, with the exit poll's projection,
and national vote shares with their change since the previous election.

Both are read from the running totals (results/scoreboard.py), so they cost the same at the 650th declaration
as at the first.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from . import figures, hexmap
from .models import Election, ExitPoll, PartyTotal

OTHERS_COLOUR = "#8A8A8A"
SPEAKER_COLOUR, INDEPENDENT_COLOUR = hexmap.SPEAKER[1], hexmap.INDEPENDENT[1]  # as the map draws them


def shows_national_picture(election: Election) -> bool:
    """A general election: one chamber, its seats won one by one."""
    return election.kind == Election.Kind.GENERAL


@dataclass(frozen=True)
class Segment:
    key: str  # party code; "others", "speaker"
    label: str  # short name
    name: str
    colour: str
    seats: int
    projected: int = 0  # the exit poll's seats not yet declared
    poll: int | None = None  # the exit poll's figure

    @property
    def width(self) -> int:
        return self.seats + self.projected


@dataclass
class SeatChart:
    total: int
    declared: int
    segments: list[Segment]
    exit_poll: ExitPoll | None = None

    @property
    def majority(self) -> int:
        """Seats for a majority of the chamber: more than half (326 of 650)."""
        return self.total // 2 + 1

    @property
    def projecting(self) -> bool:
        return any(segment.projected for segment in self.segments)

    @property
    def bars(self) -> list[tuple[int, int, str, bool]]:
        """The chart's rectangles in seats, left to right: (x, width, colour, projected)."""
        rects, x = [], 0
        for segment in self.segments:
            for width, projected in ((segment.seats, False), (segment.projected, True)):
                if width:
                    rects.append((x, width, segment.colour, projected))
                    x += width
        return rects


def _poll_by_party(exit_poll: ExitPoll | None) -> dict[str | None, tuple[object, int]]:
    if exit_poll is None or exit_poll.published_at is None:
        return {}
    return {(row.party.code if row.party else None): (row.party, row.seats) for row in exit_poll.seats.all()}


def seat_chart(election: Election, totals: list[PartyTotal], total_seats: int) -> SeatChart:
    """The declared seats per party, largest first, each followed by what the exit poll gives it beyond them."""
    exit_poll = getattr(election, "exit_poll", None)
    poll = _poll_by_party(exit_poll)
    segments = []
    room = max(total_seats - election.declared_count, 0)  # only undeclared seats can be projected
    by_code = {t.party.code: t for t in totals if t.seats}
    codes = sorted(set(by_code) | {code for code in poll if code}, key=lambda c: (
        -max(by_code[c].seats if c in by_code else 0, poll.get(c, (None, 0))[1]), c))  # fmt: skip
    for code in codes:
        party = by_code[code].party if code in by_code else poll[code][0]
        seats = by_code[code].seats if code in by_code else 0
        polled = poll[code][1] if code in poll else None
        projected = min(max((polled or 0) - seats, 0), room)
        room -= projected
        segments.append(Segment(code, party.short_name, party.name, party.colour, seats, projected, polled))
    if None in poll:
        others = poll[None][1]
        segments.append(Segment("others", "Others", "Others in the exit poll", OTHERS_COLOUR, 0,
                                min(others, max(room, 0)), others))  # fmt: skip
    independents = election.declared_count - election.speaker_seats - sum(t.seats for t in totals)
    if independents > 0:  # single seats won by no party: what is declared and not a party's or the Speaker's
        segments.append(Segment("ind", "Ind", "Independents", INDEPENDENT_COLOUR, independents))
    if election.speaker_seats:
        segments.append(Segment("speaker", "Speaker", "The Speaker", SPEAKER_COLOUR, election.speaker_seats))
    return SeatChart(total=total_seats, declared=election.declared_count, segments=segments, exit_poll=exit_poll)


@dataclass(frozen=True)
class Share:
    code: str
    label: str
    name: str
    colour: str
    votes: int
    share: Decimal
    change: Decimal | None
    compared_with: str = ""  # the predecessor whose previous share the change is against

    @property
    def bar_percent(self) -> Decimal:
        return self.share


@dataclass
class NationalShares:
    declared: int
    total: int
    votes: int
    previous_year: int | None
    shares: list[Share] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(share.change is not None for share in self.shares)


SHARES_SHOWN = 8


def national_shares(election: Election, totals: list[PartyTotal], total_seats: int) -> NationalShares:
    """Each party's share of the valid votes in the seats declared so far, and its change since the previous
    election's national share (a successor party against its predecessor's), largest first."""
    previous = {code: Decimal(str(value)) for code, value in (election.previous_shares or {}).items()}
    shares = []
    for t in sorted((t for t in totals if t.votes), key=lambda t: -t.votes)[:SHARES_SHOWN]:
        share = figures.one_dp(Decimal(t.votes) * 100 / election.votes_declared)
        before, compared_with = previous.get(t.party.code), ""
        if before is None and t.party.predecessor is not None and t.party.predecessor.code in previous:
            before, compared_with = previous[t.party.predecessor.code], t.party.predecessor.short_name
        change = figures.one_dp(share - before) if before is not None and previous else None
        shares.append(Share(t.party.code, t.party.short_name, t.party.name, t.party.colour, t.votes, share,
                            change, compared_with))  # fmt: skip
    return NationalShares(declared=election.declared_count, total=total_seats, votes=election.votes_declared,
                          previous_year=election.previous_year, shares=shares)  # fmt: skip


@dataclass
class NationalPicture:
    chart: SeatChart
    shares: NationalShares


def national_picture(election: Election) -> NationalPicture | None:
    """The chart and the shares, in four queries; None (and no query) for an election that has none."""
    if not shows_national_picture(election):
        return None
    election = (
        Election.objects.filter(pk=election.pk).select_related("exit_poll")
        .prefetch_related("exit_poll__seats__party").first()
    )  # fmt: skip
    if election is None:
        return None
    totals = list(PartyTotal.objects.filter(election=election).select_related("party", "party__predecessor"))
    total_seats = election.contests.count()
    return NationalPicture(
        chart=seat_chart(election, totals, total_seats), shares=national_shares(election, totals, total_seats)
    )
