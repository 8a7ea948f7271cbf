"""Read-only JSON for an election's results; the figures come from results.summary."""

from .counting.dhondt import figure_text
from .figures import SPEAKER_DESCRIPTION
from .selectors import contest_rows
from .summary import declaration_for, provisional_entry, summarise


def _candidate_json(line) -> dict:
    return {
        "name": line.name,
        "party": line.party.code if line.party else None,
        "party_name": line.party.name if line.party else SPEAKER_DESCRIPTION if line.speaker else "Independent",
        "speaker": line.speaker,
        "votes": line.votes,
        "transfers": line.transfers,
        "share": str(round(line.share, 2)),
        "share_of_votes": str(round(line.share_of_votes if line.share_of_votes is not None else line.share, 2)),
        "share_change": None if line.change is None else str(round(line.change, 2)),
        "final_votes": line.final_votes if line.final_share is not None else None,
        "final_share": None if line.final_share is None else str(round(line.final_share, 2)),
        "elected": line.elected,
        "elected_at_stage": line.elected_at_stage,
    }


TURNOUT_BASES = {"valid": "valid votes / electorate", "ballots": "ballot papers incl. rejected / electorate"}


def _pct(value) -> str | None:
    return None if value is None else str(round(value, 2))


def _list_count_json(region) -> dict | None:
    """A region's list count: its lists, the constituency seats they already hold, the seats won and each round."""
    if region is None:
        return None
    return {
        "threshold_percent": _pct(region.threshold_percent),
        "valid_list_votes": region.valid_list_votes,
        "constituency_seats": {line.key: line.constituency_seats for line in region.lines if line.constituency_seats},
        "list_votes": {line.key: line.votes for line in region.lines},
        "list_shares": {line.key: str(round(line.share, 2)) for line in region.lines},
        "share_changes": {line.key: _pct(line.change) for line in region.lines},
        "under_threshold": [line.key for line in region.lines if line.under_threshold],
        "seats_won": {line.key: line.list_seats for line in region.lines if line.list_seats},
        "members": [{"name": m.name, "list": m.key} for m in region.members],
        "rounds": [
            {"seat": r.number, "winner": r.winner, "member": r.member, "figure": figure_text(r.quotient),
             "decided_by": r.decided_by,
             "figures": {q.key: {"votes": q.votes, "divisor": q.divisor, "figure": figure_text(q.value)}
                         for q in r.quotients}}
            for r in region.allocation.rounds
        ],
    }  # fmt: skip


def declaration_figures(d) -> dict:
    """Everything the API says of a declaration but its revision's own number, time and reason: worked out
    once, when it is declared, and stored with the revision (Revision.facts["figures"])."""
    return {
        "headline": d.headline,
        "winner": d.winner_name,
        "winner_party": d.winner_party.code if d.winner_party else None,
        "gain": bool(d.outcome and d.outcome.gain),
        "valid_votes": d.valid_votes,
        "rejected_ballots": d.rejected_ballots,
        "majority": d.majority,
        "majority_pct": None if d.majority_pct is None else str(round(d.majority_pct, 2)),
        "majority_basis": None if d.is_stv else "second-round votes" if d.second_round else "valid votes",
        "share_basis": d.share_basis,
        "seats_up": d.contest.seats_up,
        "decided_by_lot": d.decided_by_lot,
        "notes": d.footnotes,
        "uncontested": d.uncontested,
        "turnout_pct": _pct(d.turnout),
        "turnout_basis": TURNOUT_BASES[d.contest.turnout_basis],
        "turnout_valid_votes_pct": _pct(d.turnout_valid),
        "turnout_ballot_papers_pct": _pct(d.turnout_ballots),
        "swing": d.swing_label or None,
        "candidates": [_candidate_json(line) for line in d.lines],
        "council_seats": {line.party.code: line.seats for line in d.seat_lines},
        "control_before": d.control_before or None,
        "control_after": d.control_after or None,
        "speaker_elected": d.winner_is_speaker,
        "previous_basis": d.previous_basis,
        "previous_year": d.contest.previous_year if d.previous_basis else None,
        "voting_system": d.contest.voting_system,
        "list_count": _list_count_json(d.region),
        **_stv_json(d),
    }


def _stv_json(d) -> dict:
    """The quota and every stage's running totals by candidate name, as declared (decimal strings)."""
    if not d.is_stv:
        return {"quota": None, "stages": []}
    names = [line.name for line in d.lines]
    return {
        "quota": d.quota,
        "stages": [
            {"number": stage["number"], "action": stage["action"],
             "totals": {name: row.figures[i] for name, row in zip(names, d.stage_rows, strict=False)},
             "non_transferable": d.stage_rows[-1].figures[i] if len(d.stage_rows) > len(names) else None}
            for i, stage in enumerate(d.stages)
        ],
    }  # fmt: skip


def _declaration_json(result) -> dict | None:
    revision = result.current if result else None
    if revision is None:
        return None
    # A revision declared before its figures were stored with it has them worked out here, as they were then.
    figures = revision.facts.get("figures") or declaration_figures(declaration_for(revision))
    return {
        "revision": revision.number,
        "declared_at": revision.declared_at.isoformat(),
        "reason": revision.reason,
        **figures,
    }


def _provisional_json(result) -> dict | None:
    """A recount's first-count figures: marked provisional, and in no total."""
    entry = provisional_entry(result) if result else None
    if entry is None:
        return None
    d = summarise(result.contest, entry)
    candidates = [{**_candidate_json(line), "elected": False, "ahead": line.elected} for line in d.lines]
    return {"provisional": True, "valid_votes": d.valid_votes, "majority": d.majority, "candidates": candidates}


def election_json(election) -> dict:
    return {
        "election": {"name": election.name, "slug": election.slug, "polling_day": election.polling_day.isoformat()},
        "contests": [
            {
                "slug": row.contest.slug,
                "name": row.contest.name,
                "kind": row.contest.kind,
                "status": row.result.status if row.result else "expected",
                "declaration": _declaration_json(row.result),
                "provisional": _provisional_json(row.result),
            }
            for row in contest_rows(election)
        ],
    }
