"""Writes ni-assembly-2017-declared.json from ElectionsNI's 2017 count sheets (see SOURCE.md).

Run by hand, not by the tests, against a git copy of github.com/NICVA/electionsni:

    python tests/results/data/stv/ni_2017_convert.py <path to its git dir> [commit]

Per constituency it keeps the name, seats, valid poll and quota (ConstituencyCount.csv), each
candidate's running total at every stage as the sheet writes it (Count.csv, Total_Votes), the
non-transferable papers summed into a running total (NonTransferable.csv gives them stage by
stage) and who was elected at which stage (Status and Occurred_On_Count at the last stage).
A constituency whose sheet lacks any of these is left out and named on stderr.
"""

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

FOLDER = "2017/constituency"
OUTPUT = Path(__file__).with_name("ni-assembly-2017-declared.json")


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout  # noqa: S607


def rows(repo: str, commit: str, path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(git(repo, "show", f"{commit}:{path}"))))


def candidate(row: dict[str, str]) -> str:
    return f"{row['Firstname']} {row['Surname']}"


def running_non_transferable(sheet: list[dict[str, str]], stages: int) -> list[str] | None:
    by_stage = {int(row["Count_Number"]): Decimal(row["Non_Transferable"]) for row in sheet if row["Count_Number"]}
    if sorted(by_stage) != list(range(1, stages + 1)):
        return None
    so_far, running = Decimal(0), []
    for number in range(1, stages + 1):
        so_far += by_stage[number]
        running.append(str(so_far))
    return running


def constituency(repo: str, commit: str, slug: str) -> tuple[dict | None, str]:
    folder = f"{FOLDER}/{slug}"
    (summary,) = rows(repo, commit, f"{folder}/ConstituencyCount.csv")
    count = rows(repo, commit, f"{folder}/Count.csv")
    name = summary["Constituency_Name"]
    missing = [field for field in ("Valid_Poll", "Quota") if not summary[field]]
    if missing:
        return None, f"{name}: no {' or '.join(missing)}"
    totals: dict[str, dict[int, str]] = {}
    for row in count:
        totals.setdefault(candidate(row), {})[int(row["Count_Number"])] = row["Total_Votes"]
    stages = max(int(row["Count_Number"]) for row in count)
    if any(sorted(column) != list(range(1, stages + 1)) for column in totals.values()):
        return None, f"{name}: a candidate lacks a stage"
    last = [row for row in count if int(row["Count_Number"]) == stages]
    elected = {candidate(row): int(row["Occurred_On_Count"]) for row in last if row["Status"] == "Elected"}
    if len(elected) != int(summary["Number_Of_Seats"]):
        return None, f"{name}: {len(elected)} elected at the last stage"
    result = {
        "name": name,
        "seats": int(summary["Number_Of_Seats"]),
        "valid_poll": int(summary["Valid_Poll"]),
        "quota": int(summary["Quota"]),
        "totals": {name: [column[n] for n in range(1, stages + 1)] for name, column in sorted(totals.items())},
        "elected": dict(sorted(elected.items(), key=lambda item: (item[1], item[0]))),
    }
    non_transferable = running_non_transferable(rows(repo, commit, f"{folder}/NonTransferable.csv"), stages)
    if non_transferable is not None:
        result["non_transferable"] = non_transferable
    return result, ""


def dumped(commit: str, constituencies: list[dict]) -> str:
    """One line a candidate, so the file reads like the sheets."""
    lines = ["{", f'  "source": "github.com/NICVA/electionsni {FOLDER} at {commit}",', '  "constituencies": [']
    for i, c in enumerate(constituencies):
        lines.append("    {")
        for key in ("name", "seats", "valid_poll", "quota"):
            lines.append(f"      {json.dumps(key)}: {json.dumps(c[key], ensure_ascii=False)},")
        lines.append('      "totals": {')
        names = list(c["totals"])
        for j, name in enumerate(names):
            comma = "," if j < len(names) - 1 else ""
            lines.append(f"        {json.dumps(name, ensure_ascii=False)}: {json.dumps(c['totals'][name])}{comma}")
        lines.append("      },")
        if "non_transferable" in c:
            lines.append(f'      "non_transferable": {json.dumps(c["non_transferable"])},')
        lines.append(f'      "elected": {json.dumps(c["elected"], ensure_ascii=False)}')
        lines.append("    }" + ("," if i < len(constituencies) - 1 else ""))
    lines += ["  ]", "}", ""]
    return "\n".join(lines)


def main(repo: str, commit: str = "HEAD") -> None:
    commit = git(repo, "rev-parse", "--short", commit).strip()
    slugs = git(repo, "ls-tree", "--name-only", f"{commit}:{FOLDER}").split()
    kept = []
    for slug in slugs:
        result, why_not = constituency(repo, commit, slug)
        if result is None:
            print(f"left out: {why_not}", file=sys.stderr)
        else:
            kept.append(result)
    text = dumped(commit, sorted(kept, key=lambda c: c["name"]))
    json.loads(text)  # the hand-laid file must still be JSON
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{len(kept)} constituencies written to {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
