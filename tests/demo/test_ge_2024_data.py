"""The shipped 2024 general election, imported as a feed, against the published totals."""

import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from results.models import CandidateVotes, Election, Result
from results.scoreboard import DECLARED_STATUSES, scoreboard

pytestmark = pytest.mark.django_db

RESULTS = Path(__file__).resolve().parents[2] / "demo" / "data" / "ge-2024" / "results.json"
# Seats as declared. SDLP won two (Foyle, Belfast South and Mid Down); with one the seats add up to 649.
PUBLISHED_SEATS = {
    "lab": 411, "con": 121, "ld": 72, "snp": 9, "sf": 7, "dup": 5, "reform": 5, "pc": 4, "green": 4,
    "sdlp": 2, "alliance": 1, "uup": 1, "tuv": 1,
}  # fmt: skip
# Great Britain-wide shares as published, to one decimal place; the Greens' 6.7 is the three Green parties.
PUBLISHED_SHARES = {("lab",): 33.7, ("con",): 23.7, ("reform",): 14.3, ("ld",): 12.2,
                    ("green", "scot-green", "green-ni"): 6.7}  # fmt: skip


def test_the_2024_night_imports_with_the_published_seats_and_shares(results_desk, capsys):
    started = time.monotonic()
    call_command("import_results", str(RESULTS), "--as", "desk")
    took = time.monotonic() - started
    assert "650 ballot(s): 650 declared" in capsys.readouterr().out

    election = Election.objects.get(slug="parl.2024-07-04")
    board = scoreboard(election)
    assert (board.declared, board.total) == (650, 650)
    assert {s.party.code: s.seats for s in board.parties if s.seats} == PUBLISHED_SEATS
    assert board.speaker_seats == 1
    independents = 650 - sum(PUBLISHED_SEATS.values()) - board.speaker_seats
    assert independents == 6

    votes = Counter()
    declared = Result.objects.filter(contest__election=election, status__in=DECLARED_STATUSES).values("current")
    counted = CandidateVotes.objects.filter(revision__in=declared)
    for code, n in counted.values_list("candidacy__party__code").annotate(n=Sum("votes")):
        votes[code] += n
    total = sum(votes.values())
    shares = {codes: round(100 * sum(votes[c] for c in codes) / total, 1) for codes in PUBLISHED_SHARES}
    assert shares == PUBLISHED_SHARES
    print(f"imported 650 seats in {took:.1f}s")
