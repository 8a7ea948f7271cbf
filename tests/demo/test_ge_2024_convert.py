"""The converter of Open Innovations' ge-2024 data: parties, and declaration times from a repository's history."""

import importlib
import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

GIT = shutil.which("git") or "git"
CONVERTER = Path(__file__).resolve().parents[2] / "demo" / "data" / "ge-2024"


@pytest.fixture
def convert(monkeypatch):
    monkeypatch.syspath_prepend(str(CONVERTER))
    return importlib.import_module("convert")


@pytest.mark.parametrize(
    ("key", "name", "nation", "expected"),
    [
        ("lab", "Labour Party", "E", {"party_id": "PP53"}),
        ("lab", "Labour and Co-operative Party", "E", {"party_id": "joint-party:53-119"}),
        ("ref", "Reform UK", "W", {"party_id": "PP7931"}),
        ("green", "Scottish Green Party", "S", {"party_id": "PP130"}),
        ("green", "Green Party", "N", {"party_id": "PP305"}),
        ("green", "Green Party", "E", {"party_id": "PP63"}),
        ("con", "Conservative and Unionist Party", "N", {"party_id": "PP51"}),
        ("other", "Heritage Party", "E", {"party_id": "PP12550"}),
        ("other", "Heritage Party", "N", {"party_id": "PP12553"}),
        ("apni", "Alliance - Alliance Party of Northern Ireland", "N", {"party_id": "PP103"}),
        ("other", "The Official Monster Raving Loony Party", "E", {"party_id": "PP66"}),
        ("other", "UK Independence Party (UKIP)", "E", {"party_id": "PP85"}),
        ("other", "People Before Profit", "N", {"party_id": "PP773"}),
        ("other", "Aontú", "N", {"party_id": "PP7968"}),
        ("other", "Independent", "E", {}),
        ("speaker", "Speaker seeking re-election", "E", {"party_id": "ynmp-party:12522"}),
    ],
)
def test_parties_are_given_as_the_party_book_knows_them(convert, key, name, nation, expected):
    assert convert.feed_party(key, name, nation) == {**expected, "party_name": name}


def test_a_published_time_without_a_date_takes_the_day_nearest_the_figures(convert):
    appeared = SimpleNamespace(at=datetime.fromisoformat("2024-07-05T03:47:10+01:00"))
    seat = {"declaration_time": "03:48"}
    assert convert.declared_at(seat, appeared) == (datetime.fromisoformat("2024-07-05T03:48:00+01:00"), True)
    late = SimpleNamespace(at=datetime.fromisoformat("2024-07-05T00:10:00+01:00"))
    assert convert.declared_at({"declaration_time": "23:55"}, late)[0].isoformat() == "2024-07-04T23:55:00+01:00"
    assert convert.declared_at({}, appeared) == (appeared.at, False)


def _commit(repo: Path, when: str, files: dict[str, int]) -> None:
    folder = repo / "src/constituency/_data/results"
    folder.mkdir(parents=True, exist_ok=True)
    for code, votes in files.items():
        (folder / f"{code}.json").write_text(json.dumps({"pcon24cd": code, "votes": [{"votes": votes}]}))
    people = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
              for what, value in (("DATE", when), ("NAME", "t"), ("EMAIL", "t@example.org"))}  # fmt: skip
    git(repo, "add", "-A", env={**os.environ, **people})
    git(repo, "commit", "-qm", when, env={**os.environ, **people})


def git(repo: Path, *args: str, env=None) -> None:
    subprocess.run([GIT, "-C", str(repo), *args], check=True, env=env)


def test_figures_first_appear_at_the_first_commit_after_polls_close_that_has_votes(convert, tmp_path):
    git(tmp_path, "init", "-q")
    _commit(tmp_path, "2024-07-03T12:00:00+01:00", {"E1": 500, "E2": 0, "E3": 0})  # test figures
    _commit(tmp_path, "2024-07-04T17:24:00+01:00", {"E1": 0})  # reset before the night
    _commit(tmp_path, "2024-07-04T23:18:35+01:00", {"E1": 40000})
    _commit(tmp_path, "2024-07-05T01:00:00+01:00", {"E1": 40001})  # a correction: not a first appearance
    _commit(tmp_path, "2024-07-05T07:35:27+01:00", {"E2": 38000, "E3": 41000})  # a batch
    first = convert.Repository(str(tmp_path / ".git")).first_figures(convert.POLLS_CLOSE)
    assert {code: (f.at.isoformat(), f.batch) for code, f in first.items()} == {
        "E1": ("2024-07-04T23:18:35+01:00", False),
        "E2": ("2024-07-05T07:35:27+01:00", True),
        "E3": ("2024-07-05T07:35:27+01:00", True),
    }


def test_figures_left_over_from_a_test_are_refused(convert, tmp_path):
    git(tmp_path, "init", "-q")
    _commit(tmp_path, "2024-07-03T12:00:00+01:00", {"E1": 500})
    _commit(tmp_path, "2024-07-04T23:18:35+01:00", {"E1": 40000})
    with pytest.raises(ValueError, match="E1: the file still had 500 votes when polls closed"):
        convert.Repository(str(tmp_path / ".git")).first_figures(convert.POLLS_CLOSE)
