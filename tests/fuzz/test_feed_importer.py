"""The feed importer under odd feeds: refused with a message and nothing written, or imported; never a traceback.

Feeds are drawn three ways: our JSON shape and Democracy Club's CSV with a few values spoilt,
Democracy Club's published result sets for Sheffield (tests/results/data) with a few values
spoilt, and any of them with bytes damaged or cut short.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from results.feeds.apply import ImportFailed, import_ballots
from results.feeds.read import read_content
from results.models import Candidacy, Contest, Election, Party, Result, Revision
from streams.models import Event
from tests.results.test_import import feed as hartlepool_feed

from .common import FUZZ, damage, rolled_back, row_counts
from .mutations import mutated, unchanged

pytestmark = pytest.mark.django_db

WRITTEN = (Election, Contest, Candidacy, Result, Revision, Party, Event)
SAMPLES = Path(__file__).parent.parent / "results" / "data"
SHEFFIELD = json.loads((SAMPLES / "dc-result-sets-sheffield-2021.json").read_text())

WARD_BALLOT = {
    "ballot_paper_id": "local.sheffield.beighton.2021-05-06", "post_name": "Beighton", "ballot_type": "ward",
    "winner_count": 2, "total_seats": 84, "turnout_basis": "ballots",
    "candidates": [
        {"person_name": "Bob McCann", "party_id": "con", "votes_cast": 2462},
        {"person_name": "Ann Whitaker", "party_id": "lab", "votes_cast": 2131},
        {"person_name": "Kurtis Crossland", "party_id": "lab", "votes_cast": 2054, "sitting": "yes"},
    ],
    "result": {"status": "counting"},
}  # fmt: skip
# The Hartlepool by-election as tests/results/test_import.py feeds it, with a ward still counting beside it.
OUR_FEED = {
    "elections": [
        *hartlepool_feed()["elections"],
        {"election_id": "local.sheffield.2021-05-06", "poll_open_date": "2021-05-06", "ballots": [WARD_BALLOT]},
    ]
}
CSV_COLUMNS = ["person_id", "person_name", "election_id", "ballot_paper_id", "election_date", "party_id", "party_name",
               "post_label", "seats_contested", "elected", "votes_cast", "declared_at", "status"]  # fmt: skip
CSV_ROWS = [
    ["12318", "Roger Noel Davison", "local.sheffield.2021-05-06", "local.sheffield.ecclesall.2021-05-06",
     "2021-05-06", "party:90", "Liberal Democrats", "Ecclesall", "1", "True", "2904", "", ""],
    ["12567", "Zoe Sykes", "local.sheffield.2021-05-06", "local.sheffield.ecclesall.2021-05-06", "2021-05-06",
     "party:53", "Labour Party", "Ecclesall", "1", "False", "2168", "", ""],
    ["12529", "Jack Clarkson", "local.sheffield.2021-05-06", "local.sheffield.stocksbridge-upper-don.2021-05-06",
     "2021-05-06", "ynmp-party:2", "Independent", "Stocksbridge & Upper Don", "1", "", "522", "", "counting"],
]  # fmt: skip


@st.composite
def sheffield_result_sets(draw) -> tuple[str, dict]:
    """One to three of the real result sets, in the published page's shape."""
    chosen = draw(st.lists(st.sampled_from(range(len(SHEFFIELD["results"]))), min_size=1, max_size=3, unique=True))
    chosen = sorted(chosen)
    return f"Sheffield result sets {chosen}", {**SHEFFIELD, "results": [SHEFFIELD["results"][i] for i in chosen]}


@dataclass
class FeedFile:
    """A feed as the failing example shows it: where it started, what was changed, and how it was saved."""

    base: str
    changes: list[str]
    suffix: str
    damaged: bool = False
    content: bytes = field(default=b"", repr=False)

    def __repr__(self):
        return f"FeedFile(base={self.base!r}, changes={self.changes!r}, suffix={self.suffix!r}, damaged={self.damaged})"


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # as a careless program writes a lone surrogate


def _json(document) -> bytes:
    return _encoded(json.dumps(document))


def _csv(rows: list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row if isinstance(row, list) else [row])
    return _encoded(out.getvalue())


def _nested(depth: int) -> bytes:
    return b'{"elections": ' + b"[" * depth + b"]" * depth + b"}"


@st.composite
def feed_files(draw) -> FeedFile:
    kind = draw(st.sampled_from(["our JSON", "Sheffield", "Democracy Club CSV", "our JSON", "nested"]))
    if kind == "nested":  # deeper than a parser's stack
        depth = draw(st.sampled_from([100, 1_000, 100_000]))
        return FeedFile(f"JSON nested {depth} deep", [], ".json", content=_nested(depth))
    if kind == "our JSON":
        base, document, write, suffix = kind, OUR_FEED, _json, ".json"
    elif kind == "Sheffield":
        (base, document), write, suffix = draw(sheffield_result_sets()), _json, ".json"
    else:
        base, document, write, suffix = kind, [CSV_COLUMNS, *CSV_ROWS], _csv, ".csv"
    change = draw(st.just(unchanged(document)) | mutated(document))
    feed = FeedFile(base, change.changes, draw(st.just(suffix) | st.sampled_from([".json", ".csv", ".txt"])))
    feed.content = write(change.document)
    if draw(st.integers(0, 4)) == 0:
        feed.damaged, feed.content = True, damage(draw, feed.content)
    return feed


@FUZZ
@given(feed=feed_files())
def test_an_odd_feed_is_refused_with_nothing_written_or_imported_never_a_traceback(feed, results_desk, tracebacks):
    tracebacks.clear()
    with rolled_back():
        before = row_counts(*WRITTEN)
        ballots, errors = read_content(feed.content, feed.suffix)
        if not errors:
            try:
                counts = import_ballots(ballots, actor=results_desk, source_name=f"feed{feed.suffix}")
                event(f"imported: {counts['ballots']} ballot(s)")
            except ImportFailed as failure:
                errors = failure.errors
        if errors:
            event("refused")
            assert all(isinstance(error, str) and error for error in errors)
            assert row_counts(*WRITTEN) == before, "a refused feed wrote rows"
        assert not tracebacks.found()
