"""Reading Open Innovations' ge-2024 git repository: files at a commit, and when each seat's figures appeared.

Open Innovations entered each result by hand as it was declared, one commit per seat, and on the morning
after filled the seats still empty in batch commits (figures scraped from a broadcaster's pages). Where a
results file gives no declaration time, the time of the first commit after polls closed at which the file
had votes stands in for it: minutes after the declaration for a seat entered on its own, later (by up to
some hours) for one that arrived in a batch.
"""

import json
import subprocess
from dataclasses import dataclass
from datetime import datetime

RESULTS_DIR = "src/constituency/_data/results/"


@dataclass(frozen=True)
class FirstFigures:
    at: datetime  # the commit's author time, with its offset
    commit: str
    batch: bool  # the commit filled more than one seat


class Repository:
    def __init__(self, git_dir: str, commit: str = "HEAD"):
        self.git_dir = git_dir
        self.commit = self._git("rev-parse", commit).decode().strip()

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        # The arguments are this script's own; the repository is the one named on its command line.
        command = ["git", "--git-dir", self.git_dir, *args]
        return subprocess.run(command, input=stdin, capture_output=True, check=True).stdout  # noqa: S603, S607

    def json(self, path: str):
        return json.loads(self._git("show", f"{self.commit}:{path}"))

    def blobs(self, names: list[str]) -> dict[str, bytes]:
        """The contents of many objects (blob ids or commit:path) in one `git cat-file --batch`."""
        out = self._git("cat-file", "--batch", stdin="".join(f"{name}\n" for name in names).encode())
        contents, at = {}, 0
        for name in names:
            header_end = out.index(b"\n", at)
            size = int(out[at:header_end].split()[2])
            contents[name] = out[header_end + 1 : header_end + 1 + size]
            at = header_end + 1 + size + 1
        return contents

    def results(self) -> dict[str, dict]:
        """Every seat's results file at the commit, by its code (E14001063)."""
        listing = self._git("ls-tree", "--name-only", self.commit, RESULTS_DIR).decode().split()
        contents = self.blobs([f"{self.commit}:{path}" for path in listing])
        return {path.rsplit("/", 1)[1].removesuffix(".json"): json.loads(contents[f"{self.commit}:{path}"])
                for path in listing}  # fmt: skip

    def first_figures(self, polls_close: datetime) -> dict[str, FirstFigures]:
        """For each seat, the first commit after polls closed at which its file had votes, in one pass over
        the history; a seat whose file still had votes when polls closed is an error (test figures left)."""
        log = self._git(
            "log", "--reverse", "--raw", "--no-abbrev", "--no-renames", "--format=C %H %aI", self.commit,
            "--", RESULTS_DIR,
        ).decode()  # fmt: skip
        changes, commit = [], None
        for line in log.splitlines():
            if line.startswith("C "):
                _, sha, when = line.split()
                commit = {"sha": sha, "at": datetime.fromisoformat(when), "files": 0}
            elif line.startswith(":"):
                meta, path = line.split("\t")
                changes.append((commit, path.rsplit("/", 1)[1].removesuffix(".json"), meta.split()[3]))
                commit["files"] += 1
        votes = _votes_by_blob(self, {blob for _, _, blob in changes if blob.strip("0")})
        first, at_close = {}, {}
        for commit, code, blob in changes:
            if commit["at"] < polls_close:
                at_close[code] = votes.get(blob, 0)
            elif code not in first and votes.get(blob, 0) > 0:
                if at_close.get(code):
                    raise ValueError(f"{code}: the file still had {at_close[code]} votes when polls closed")
                first[code] = FirstFigures(commit["at"], commit["sha"], commit["files"] > 1)
        return first


def _votes_by_blob(repository: Repository, blobs: set[str]) -> dict[str, int]:
    totals = {}
    for blob, content in repository.blobs(sorted(blobs)).items():
        try:
            data = json.loads(content)
        except ValueError:
            totals[blob] = 0  # a file broken mid-edit has no figures
            continue
        totals[blob] = sum(int(v.get("votes") or 0) for v in data.get("votes") or [])
    return totals
