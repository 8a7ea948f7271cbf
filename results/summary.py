"""Turns a contest and its entered figures into everything a declaration card shows.

The same builder previews an entry before it is declared, validates it in
the service, and renders stored revisions, so the three can never disagree.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from . import figures, stv_declared
from .figures import FiguresError, Outcome, PartyRef, Swing, Tally, independent_key
from .list_count import RegionCount, count_region
from .models import Contest, Party, Revision
from .stv_declared import StageRow


@dataclass(frozen=True)
class Entry:
    """Figures as entered, already parsed to whole numbers."""

    votes: dict[int, int] = field(default_factory=dict)  # candidacy id -> first-round votes
    transfers: dict[int, int] = field(default_factory=dict)  # candidacy id -> transfers
    rejected_ballots: int = 0
    lot_winner: int | None = None
    council_seats: dict[str, int] = field(default_factory=dict)  # party code -> seats
    uncontested: bool = False
    ballot_papers: int | None = None  # valid ballot papers counted: the share base in a multi-member ward
    list_votes: dict[str, int] = field(default_factory=dict)  # a region: list votes by party code or "ind:<name>"
    stv: dict = field(default_factory=dict)  # single transferable vote: the declared count (stv_declared)


@dataclass(frozen=True)
class Line:
    key: int
    name: str
    party: PartyRef | None
    votes: int
    share: Decimal
    change: Decimal | None
    transfers: int | None
    final_votes: int
    elected: bool
    sitting: bool
    final_share: Decimal | None = None  # supplementary vote: share of the second round's votes
    share_of_votes: Decimal | None = None  # multi-member ward: votes ÷ all votes cast, beside `share`
    speaker: bool = False  # the Speaker seeking re-election: no party, their change by name
    elected_at_stage: int | None = None  # single transferable vote: the stage that elected them

    @property
    def bar_width(self) -> str:
        return f"{figures.one_dp(self.share)}"


@dataclass(frozen=True)
class SeatLine:
    party: PartyRef
    seats: int
    change: int | None


@dataclass
class Declaration:
    contest: Contest
    lines: list[Line] = field(default_factory=list)
    valid_votes: int = 0
    rejected_ballots: int = 0
    majority: int | None = None
    majority_pct: Decimal | None = None
    turnout: Decimal | None = None  # on the contest's basis (turnout_basis)
    turnout_change: Decimal | None = None
    turnout_valid: Decimal | None = None  # valid votes ÷ electorate
    turnout_ballots: Decimal | None = None  # ballot papers, rejected included, ÷ electorate
    outcome: Outcome | None = None
    swing: Swing | None = None
    winner_party: PartyRef | None = None
    winner_name: str = ""
    second_round: bool = False
    uncontested: bool = False
    decided_by_lot: bool = False
    footnotes: list[str] = field(default_factory=list)
    share_basis: str = "valid votes"
    seats_won: list[tuple[str, int]] = field(default_factory=list)  # multi-member ward: (label, seats)
    seat_lines: list[SeatLine] = field(default_factory=list)
    control_before: str = ""
    control_after: str = ""
    seats_needed: int | None = None
    labels: dict[str, str] = field(default_factory=dict)
    winner_is_speaker: bool = False
    compared: bool = False  # a previous result with figures exists to measure changes against
    provisional: bool = False  # a recount's first-count figures: nothing is declared yet
    region: RegionCount | None = None  # a region's list seats, counted by d'Hondt
    quota: int | None = None  # single transferable vote: the quota, and the count stage by stage
    stages: list[dict] = field(default_factory=list)
    stage_rows: list[StageRow] = field(default_factory=list)

    @property
    def is_stv(self) -> bool:
        return self.contest.voting_system == Contest.VotingSystem.STV

    @property
    def winner_label(self) -> str:
        if self.contest.is_council and self.winner_party is None:
            return figures.NO_OVERALL_CONTROL
        if self.winner_is_speaker:
            return figures.SPEAKER_LABEL
        return self.winner_party.short_name if self.winner_party else "Ind"

    @property
    def previous_basis(self) -> str | None:
        """ "actual" or "notional" where there is a previous result to compare with; None where there is none."""
        contest = self.contest
        known = self.compared or contest.previous_winner_id or contest.previous_winner_name or contest.previous_seats
        return contest.previous_basis if known else None

    @property
    def change_label(self) -> str:
        """What the change column is measured from: "since 2019", "since the notional 2019 result"."""
        year = self.contest.previous_year
        if self.contest.previous_basis == Contest.PreviousBasis.NOTIONAL:
            return f"since the notional {year} result" if year else "since the notional previous result"
        return f"since {year}" if year else "since last time"

    @property
    def no_comparison(self) -> str:
        """Why the card shows no changes: no previous result at all, or one with no figures by party."""
        if self.previous_basis is None:
            return "No comparison: no previous result"
        year = f" {self.contest.previous_year}" if self.contest.previous_year else ""
        notional = " notional" if self.previous_basis == Contest.PreviousBasis.NOTIONAL else ""
        return f"No comparison: the{notional}{year} result gives no figures by party"

    @property
    def headline(self) -> str:
        if self.provisional:  # nobody is elected, gains or holds until the recount is declared
            return f"{self.winner_label} ahead on the first count"
        if self.region:
            return f"List seats: {self.region.seats_text}"
        if self.contest.is_council:
            return figures.control_headline(self._control_code(self.contest.previous_winner),
                                            self._control_code(self.winner_party), self.labels)  # fmt: skip
        if self.seats_won:  # a ward filling several seats: party by party
            if self.outcome:
                return str(self.outcome)
            return ", ".join(f"{label} {n}" for label, n in self.seats_won) + " elected"
        # With no previous result to compare, a win is neither a gain nor a hold.
        return f"{self.winner_label} {self.outcome}" if self.outcome else f"{self.winner_label} win"

    @staticmethod
    def _control_code(party) -> str | None:
        return party.code if party else None

    def in_words(self) -> str:
        """A plain-text summary, for feeds and anywhere a card cannot go."""
        name = self.contest.name
        if self.contest.is_council:
            seats = ", ".join(f"{line.party.short_name} {line.seats}" for line in self.seat_lines)
            return f"{name}: {self.headline}. Seats: {seats}." if seats else f"{name}: {self.headline}."
        if self.region:
            who = ", ".join(f"{m.name or 'unnamed'} ({m.party.short_name if m.party else 'Ind'})"
                            for m in self.region.members)  # fmt: skip
            return f"{name}: {self.headline}. Elected in order: {who}."
        elected = [line for line in self.lines if line.elected]
        if len(elected) > 1:
            who = ", ".join(f"{line.name} ({line.party.short_name if line.party else 'Ind'})" for line in elected)
            return f"{name}: {self.headline}. Elected: {who}."
        words = f"{self.winner_name} ({self.winner_label}) wins {name}: {self.headline}."
        if self.uncontested:
            return f"{self.winner_name} ({self.winner_label}) is elected unopposed in {name}."
        if self.decided_by_lot:
            words += " Tied on votes; decided by drawing lots."
        elif self.majority is not None:
            words += f" Majority {self.majority:,} ({figures.one_dp(self.majority_pct)} points)."
        if self.turnout is not None:
            words += f" Turnout {figures.one_dp(self.turnout)}%."
        return words

    def facts(self) -> dict:
        """What the scoreboard adds up, the headline the latest declarations list and the result in words
        (for feeds), stored with the revision so pages and feeds never recompute."""
        facts = {**self._tally_facts(), "headline": self.headline, "words": self.in_words()}
        if self.winner_is_speaker:
            facts["speaker"] = True
        return facts

    def _tally_facts(self) -> dict:
        if self.region:  # each list seat is its party's seat; with no previous seats, no gains or losses
            return {"council": False, "elected": [m.party.code if m.party else None for m in self.region.members],
                    "gain": False}  # fmt: skip
        if self.contest.is_council:
            return {
                "council": True,
                "control_before": self.contest.previous_winner.code if self.contest.previous_winner else None,
                "control_after": self.winner_party.code if self.winner_party else None,
            }
        if isinstance(self.outcome, figures.SeatChanges):
            return {
                "council": False,
                "elected": [line.party.code if line.party else None for line in self.lines if line.elected],
                "gain": False,
                "seat_changes": self.outcome.changes,
            }
        previous = self.contest.previous_winner.code if self.contest.previous_winner else None
        gain = bool(self.outcome and self.outcome.gain)
        return {
            "council": False,
            "elected": [line.party.code if line.party else None for line in self.lines if line.elected],
            "gain": gain,
            "lost_by": previous if gain else None,
            **self._vote_facts(),
        }

    def _vote_facts(self) -> dict:
        """A single seat's votes by party code (independents and the Speaker together as None's), for national
        shares; the first round's where there are two."""
        votes: dict[str, int] = {}
        for line in self.lines:
            code = line.party.code if line.party else ""
            votes[code] = votes.get(code, 0) + line.votes
        return {"votes": votes, "valid": self.valid_votes}

    @property
    def swing_label(self) -> str:
        if not self.swing:
            return ""
        to, frm = self.labels[self.swing.to_party], self.labels[self.swing.from_party]
        return f"{figures.one_dp(self.swing.value)}% from {frm} to {to}"


def party_ref(party: Party | None) -> PartyRef | None:
    if party is None:
        return None
    return PartyRef(code=party.code, short_name=party.short_name, name=party.name, colour=party.colour)


def _all_parties() -> dict[str, PartyRef]:
    return {p.code: party_ref(p) for p in Party.objects.all()}


def _control_label(code: str | None, parties: dict[str, PartyRef]) -> str:
    return parties[code].short_name if code else "NOC"


def _previous_shares(contest: Contest) -> dict[str, Decimal]:
    if contest.previous_votes:
        return figures.shares_from_votes({k: int(v) for k, v in contest.previous_votes.items()})
    return {k: Decimal(str(v)) for k, v in contest.previous_shares.items()}


def _independent_change(tally: Tally, shares: dict, previous: dict[str, Decimal]) -> Decimal | None:
    """The change for an independent who stood here last time under the same name."""
    before = previous.get(independent_key(tally.name))
    return None if before is None else shares[tally.key] - before


def _party_of(tally: Tally) -> str:
    return tally.party.code if tally.party else figures.INDEPENDENT_CODE


def _won_by_party(elected: list[Tally]) -> dict[str, int]:
    """Seats by party code, most first; among equals, the party of the higher-placed winner first."""
    won = Counter(_party_of(t) for t in elected)  # Counter keeps the order winners were ranked in
    return dict(sorted(won.items(), key=lambda item: -item[1]))


def _seats_won(elected: list[Tally], labels: dict[str, str]) -> list[tuple[str, int]]:
    return [(labels.get(code, code), n) for code, n in _won_by_party(elected).items()]


def _multi_member_outcome(contest: Contest, elected: list[Tally], labels) -> figures.SeatChanges | None:
    """Holds and gains seat by seat against the ward's previous seats; None where they are not known.

    A single transferable vote ward is told as councils tell it: seats by party, then what changed hands.
    """
    if not contest.previous_seats:
        return None
    before = {code: int(n) for code, n in contest.previous_seats.items()}
    if contest.voting_system == Contest.VotingSystem.STV:
        return figures.seats_by_party(_won_by_party(elected), before, labels)
    return figures.seat_changes(Counter(_party_of(t) for t in elected), before, labels)


def _stv_elected(contest: Contest, entry: Entry, tallies: list[Tally]) -> list[Tally]:
    """The winners the declared count elects, in the order elected; every inconsistency refused at once."""
    if not entry.stv:
        raise FiguresError("A single transferable vote declaration needs its count: the quota and the stages.")
    names = {str(t.key): t.name for t in tallies}
    found = stv_declared.problems(entry.stv, contest.seats_up, names)
    firsts = stv_declared.first_preferences(entry.stv)
    unnamed = [name for key, name in names.items() if key not in firsts]
    if unnamed:
        found.append("Stage 1 does not give " + ", ".join(unnamed) + ".")
    found += [f"{t.name}: {t.votes:,} votes, but stage 1 gives {firsts[str(t.key)]:,} first preferences."
              for t in tallies if str(t.key) in firsts and firsts[str(t.key)] != t.votes]  # fmt: skip
    if found:
        raise FiguresError(" ".join(found))
    at = entry.stv["elected"]
    return sorted((t for t in tallies if str(t.key) in at), key=lambda t: (at[str(t.key)], -t.votes))


def _stv_parts(contest: Contest, entry: Entry, tallies: list[Tally]) -> dict:
    """What a single transferable vote card adds: the quota, each stage's action and the stage table."""
    ranked = figures.ranked(tallies)
    return {
        "quota": entry.stv["quota"],
        "stages": [{"number": s["number"], "action": s["action"]} for s in entry.stv["stages"]],
        "stage_rows": stv_declared.stage_rows(entry.stv, [(str(t.key), t.name) for t in ranked]),
    }


def _multi_member_shares(contest: Contest, entry: Entry, tallies: list[Tally], shares):
    """Councils give a multi-member ward's shares as votes ÷ ballot papers; without that count, of all votes.

    Returns (basis, the card's shares, shares of all votes or None when the card already shows them).
    """
    if not entry.ballot_papers:
        return f"all votes cast (each voter had up to {contest.seats_up})", shares, None
    valid = figures.valid_votes(tallies)
    if valid > entry.ballot_papers * contest.seats_up:
        raise FiguresError(
            f"{valid:,} votes is more than {entry.ballot_papers:,} ballot papers with {contest.seats_up} votes each."
        )
    return "ballot papers", {t.key: figures.percent(t.votes, entry.ballot_papers) for t in tallies}, shares


def _with_predecessors(previous: dict[str, Decimal], standing: set[str]) -> tuple[dict[str, Decimal], list[str]]:
    """Previous shares, with a party that has none of its own taking its predecessor's; a note for each."""
    previous, notes = dict(previous), []
    successors = Party.objects.filter(code__in=standing - set(previous), predecessor__code__in=set(previous))
    for party in successors.select_related("predecessor"):
        previous[party.code] = previous[party.predecessor.code]
        notes.append(f"{party.name}'s change is measured against {party.predecessor.name}, which it succeeded.")
    return previous, notes


def _tallies(contest: Contest, entry: Entry) -> list[Tally]:
    candidacies = list(contest.candidacies.select_related("party"))
    missing = [c.name for c in candidacies if c.pk not in entry.votes]
    if missing and not entry.uncontested:
        raise FiguresError("Enter a figure for every candidate: missing " + ", ".join(missing) + ".")
    return [
        Tally(key=c.pk, name=c.name, party=party_ref(c.party), votes=entry.votes.get(c.pk, 0),
              transfers=entry.transfers.get(c.pk))
        for c in candidacies
    ]  # fmt: skip


def _outcome(contest: Contest, winner: Tally, labels: dict[str, str], speakers: set[int]) -> Outcome | None:
    """GAIN or HOLD against the previous winner; None when nobody is recorded as winning last time.

    The Speaker is re-elected whatever the previous result says: they stand as the seat's sitting member.
    """
    if winner.key in speakers:
        return figures.gain_or_hold(None, winner.name, None, "", labels, winner_is_speaker=True)
    if (
        contest.previous_winner_id is None
        and not contest.previous_winner_name
        and not contest.previous_winner_is_speaker
    ):
        return None
    return figures.gain_or_hold(
        winner.party.code if winner.party else None,
        winner.name,
        contest.previous_winner.code if contest.previous_winner else None,
        contest.previous_winner_name,
        labels,
        previous_is_speaker=contest.previous_winner_is_speaker,
        notional=contest.previous_basis == Contest.PreviousBasis.NOTIONAL,
    )


def _speakers(contest: Contest) -> set[int]:
    return set(contest.candidacies.filter(is_speaker=True).values_list("pk", flat=True))


def summarise(contest: Contest, entry: Entry) -> Declaration:
    """Compute and validate; raises FiguresError with a message for the results desk."""
    parties = _all_parties()
    labels = {code: p.short_name for code, p in parties.items()}
    if contest.is_council:
        return _summarise_council(contest, entry, parties, labels)
    if contest.voting_system == Contest.VotingSystem.DHONDT:
        return _summarise_region(contest, entry, parties, labels)
    tallies = _tallies(contest, entry)
    if entry.uncontested:
        return _summarise_uncontested(contest, tallies, labels)
    valid = figures.valid_votes(tallies)
    if contest.electorate and valid + entry.rejected_ballots > contest.electorate:
        raise FiguresError(
            f"{valid + entry.rejected_ballots:,} ballots is more than the electorate of {contest.electorate:,}."
        )
    if valid == 0:
        raise FiguresError("No votes entered.")
    stv = contest.voting_system == Contest.VotingSystem.STV
    if entry.stv and not stv:
        raise FiguresError("Stages and a quota apply only to a single transferable vote count.")
    if stv:
        elected = _stv_elected(contest, entry, tallies)
        # No majority: winners reach the quota (or fill the last seats), nobody beats a runner-up.
        majority, second_round, final_valid = None, False, valid
    elif contest.voting_system == Contest.VotingSystem.SV:
        count = figures.supplementary_vote(tallies)
        elected = [count.winner]
        majority = count.winner.final_votes - count.runner_up.final_votes if count.finalists else (
            count.winner.votes - count.runner_up.votes)  # fmt: skip
        second_round = count.finalists is not None
        # Returning officers give an SV majority, and final shares, over the second round's votes.
        final_valid = sum(t.final_votes for t in count.finalists) if second_round else valid
    else:
        if entry.transfers:
            raise FiguresError("Transfers apply only to a supplementary-vote count.")
        elected = figures.winners(tallies, contest.seats_up, entry.lot_winner)
        order = figures.ranked(tallies)
        runner_up = order[contest.seats_up] if len(order) > contest.seats_up else None
        majority = figures.majority(elected[-1].votes, runner_up.votes) if runner_up else None
        second_round = False
        final_valid = valid
    shares = figures.candidate_shares(tallies)
    share_basis, votes_shares = "valid votes", None
    if stv:  # one first preference a paper: shares of the valid first preferences, whatever the seats
        share_basis = "valid first preferences"
    elif contest.seats_up > 1:
        share_basis, shares, votes_shares = _multi_member_shares(contest, entry, tallies, shares)
    now = figures.party_shares(tallies)
    previous, footnotes = _with_predecessors(_previous_shares(contest), set(now))
    changes = figures.share_changes(now, previous)
    elected_keys = {t.key for t in elected}
    elected_at = {int(key): stage for key, stage in entry.stv["elected"].items()} if stv else {}
    sitting = set(contest.candidacies.filter(sitting=True).values_list("pk", flat=True))
    speakers = _speakers(contest)
    lines = [
        Line(key=t.key, name=t.name, party=t.party, votes=t.votes, share=shares[t.key],
             change=changes.get(t.party.code) if t.party else _independent_change(t, shares, previous),
             transfers=t.transfers,
             final_votes=t.final_votes, elected=t.key in elected_keys, sitting=t.key in sitting,
             final_share=figures.percent(t.final_votes, final_valid) if t.transfers is not None and second_round
             else None, share_of_votes=votes_shares[t.key] if votes_shares else None, speaker=t.key in speakers,
             elected_at_stage=elected_at.get(t.key))
        for t in figures.ranked(tallies, final=second_round)
    ]  # fmt: skip
    winner = elected[0]
    # Valid ballot papers: one per valid vote where one seat is filled or votes are preferences; where
    # voters have several votes, only the count's own figure, since votes are then not voters.
    papers = valid if contest.seats_up == 1 or stv else entry.ballot_papers
    turnout_valid = figures.turnout(papers, contest.electorate) if papers else None
    turnout_ballots = figures.turnout(papers + entry.rejected_ballots, contest.electorate) if papers else None
    by_ballots = contest.turnout_basis == Contest.TurnoutBasis.BALLOTS
    turnout = turnout_ballots if by_ballots else turnout_valid
    return Declaration(
        contest=contest,
        lines=lines,
        valid_votes=valid,
        rejected_ballots=entry.rejected_ballots,
        majority=majority,
        majority_pct=figures.percent(majority, final_valid) if majority is not None else None,
        turnout=turnout,
        turnout_valid=turnout_valid,
        turnout_ballots=turnout_ballots,
        turnout_change=(turnout - contest.previous_turnout)
        if turnout is not None and contest.previous_turnout is not None
        else None,
        outcome=_multi_member_outcome(contest, elected, labels)
        if contest.seats_up > 1
        else _outcome(contest, winner, labels, speakers),
        swing=figures.leading_parties_swing(tallies, changes),
        share_basis=share_basis,
        seats_won=_seats_won(elected, labels) if contest.seats_up > 1 else [],
        winner_party=winner.party,
        winner_name=winner.name,
        winner_is_speaker=winner.key in speakers,
        compared=bool(previous),
        second_round=second_round,
        decided_by_lot=entry.lot_winner is not None,
        footnotes=footnotes,
        labels=labels,
        **(_stv_parts(contest, entry, tallies) if stv else {}),
    )


def _summarise_uncontested(contest: Contest, tallies: list[Tally], labels) -> Declaration:
    if len(tallies) > contest.seats_up:
        raise FiguresError(
            f"{len(tallies)} candidates stand for {contest.seats_up} seat(s): the contest is not uncontested."
        )
    if not tallies:
        raise FiguresError("An uncontested return still needs its candidate(s).")
    winner = tallies[0]
    speakers = _speakers(contest)
    return Declaration(
        contest=contest,
        lines=[
            Line(
                key=t.key,
                name=t.name,
                party=t.party,
                votes=0,
                share=Decimal(0),
                change=None,
                transfers=None,
                final_votes=0,
                elected=True,
                sitting=False,
                speaker=t.key in speakers,
            )
            for t in tallies
        ],  # fmt: skip
        uncontested=True,
        winner_party=winner.party,
        winner_name=winner.name,
        winner_is_speaker=winner.key in speakers,
        outcome=_outcome(contest, winner, labels, speakers),
        labels=labels,
    )


def _summarise_region(contest: Contest, entry: Entry, parties, labels) -> Declaration:
    previous = _previous_shares(contest)
    region = count_region(contest, entry.list_votes, entry.ballot_papers, parties, previous)
    leader = region.lines and max(region.lines, key=lambda line: (line.list_seats, line.votes))
    return Declaration(
        contest=contest,
        region=region,
        valid_votes=region.valid_list_votes,
        rejected_ballots=entry.rejected_ballots,
        winner_party=leader.party if leader else None,
        winner_name=leader.label if leader else "",
        compared=bool(previous),
        labels=labels,
    )


def _summarise_council(contest: Contest, entry: Entry, parties, labels) -> Declaration:
    unknown = sorted(set(entry.council_seats) - set(parties))
    if unknown:
        raise FiguresError("Unknown party code(s): " + ", ".join(unknown) + ".")
    total = contest.total_seats
    if not total:
        raise FiguresError("Set the council's total seats before declaring.")
    won = sum(entry.council_seats.values())
    if won != total:
        raise FiguresError(f"Seats add up to {won}, but the council has {total}.")
    after = figures.council_control(entry.council_seats, total)
    before = contest.previous_winner.code if contest.previous_winner else None
    seat_lines = [
        SeatLine(party=parties[code], seats=seats,
                 change=seats - int(contest.previous_seats[code]) if code in contest.previous_seats else None)
        for code, seats in sorted(entry.council_seats.items(), key=lambda item: -item[1])
    ]  # fmt: skip
    outcome = Outcome(gain=False) if after == before else Outcome(gain=True, from_label=_control_label(before, parties))
    return Declaration(
        contest=contest,
        seat_lines=seat_lines,
        control_before=_control_label(before, parties),
        control_after=_control_label(after, parties),
        seats_needed=figures.seats_for_majority(total),
        winner_party=parties[after] if after else None,
        winner_name=parties[after].name if after else "No overall control",
        outcome=outcome,
        compared=bool(contest.previous_seats),
        labels=labels,
    )


def entry_from_revision(revision: Revision) -> Entry:
    rows = list(revision.votes.all())
    return Entry(
        votes={v.candidacy_id: v.votes for v in rows},
        transfers={v.candidacy_id: v.transfers for v in rows if v.transfers is not None},
        rejected_ballots=revision.rejected_ballots,
        lot_winner=revision.winner_by_lot_id,
        council_seats=dict(revision.council_seats),
        uncontested=revision.uncontested,
        ballot_papers=revision.ballot_papers,
        list_votes=dict(revision.list_votes),
        stv=dict(revision.stv_count),
    )


def declaration_for(revision: Revision) -> Declaration:
    return summarise(revision.result.contest, entry_from_revision(revision))


def provisional_entry(result) -> Entry | None:
    """The first-count figures a recount carries (Result.provisional), as an entry; None where there are none."""
    if not result.provisional:
        return None
    return Entry(
        votes={int(key): n for key, n in result.provisional["votes"].items()},
        rejected_ballots=result.provisional.get("rejected_ballots", 0),
    )
