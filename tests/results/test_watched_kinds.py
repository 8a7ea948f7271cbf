"""Every contest kind arrives through a watched folder as it does through import_results.

The files are the real published results kept in tests/results/data/ (SOURCE.md says where each comes
from); each is dropped into the folder as a results agency would, and the watcher applies it.
"""

from pathlib import Path

import pytest

from results.api import election_json
from results.feeds.watch import FolderSource, look_once
from results.models import Election

from .test_watcher import drop

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
# (file, election, ballot, what the declaration says)
KINDS = [
    ("chorley-2024.json", "parl.2024-07-04", "parl.chorley.2024-07-04", "Speaker re-elected"),
    ("harrogate-and-knaresborough-2024-notional.json", "parl.2024-07-04",
     "parl.harrogate-and-knaresborough.2024-07-04", "LD GAIN from Con (notional)"),
    ("pcc-cleveland-2024.json", "pcc.2024-05-02", "pcc.cleveland.2024-05-02", "Lab GAIN from Con"),
    ("stv-edinburgh-almond-2017.json", "local.city-of-edinburgh.2017-05-04",
     "local.city-of-edinburgh.almond.2017-05-04", "LD 2, Con 1, SNP 1 elected"),
    ("lists/feed-highlands-and-islands-2021.json", "sp.2021-05-06", "sp.r.highlands-and-islands.2021-05-06",
     "List seats: Con 4, SNP 1, Lab 1, Scot Green 1"),
    ("lists/feed-london-wide-2021.json", "gla.2021-05-06", "gla.a.2021-05-06",
     "List seats: Con 4, Green 3, Lab 2, LD 2"),
    ("dc-result-sets-sheffield-2021.json", "local.sheffield.2021-05-06", "local.sheffield.ecclesall.2021-05-06",
     "LD win"),
]  # fmt: skip


def declaration(election: str, ballot: str) -> dict:
    contests = election_json(Election.objects.get(slug=election))["contests"]
    return next(c for c in contests if c["slug"] == ballot)["declaration"]


@pytest.mark.parametrize(("name", "election", "ballot", "headline"), KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_dropped_into_the_folder_is_declared_as_its_import_would(
    tmp_path, results_desk, name, election, ballot, headline
):
    drop(tmp_path, Path(name).name, (DATA / name).read_text())

    [done] = look_once(FolderSource(tmp_path), actor=results_desk)

    assert done.outcome == "applied", done.lines
    declared = declaration(election, ballot)
    assert headline.casefold() in declared["headline"].casefold()
    assert look_once(FolderSource(tmp_path), actor=results_desk) == []


def test_a_night_of_every_kind_in_one_folder_is_applied_file_by_file(tmp_path, results_desk):
    for name, *_ in KINDS:
        drop(tmp_path, Path(name).name, (DATA / name).read_text())

    handled = look_once(FolderSource(tmp_path), actor=results_desk)

    assert sorted(h.name for h in handled) == sorted(Path(name).name for name, *_ in KINDS)
    assert {h.outcome for h in handled} == {"applied"}
    for _, election, ballot, headline in KINDS:
        assert headline.casefold() in declaration(election, ballot)["headline"].casefold(), ballot
