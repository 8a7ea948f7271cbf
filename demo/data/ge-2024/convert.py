"""Converts Open Innovations' ge-2024 data into the project's JSON feed: the UK general election of 4 July 2024.

    .venv/bin/python demo/data/ge-2024/convert.py /work/.mirror/open-innovations+ge-2024/repo [--commit C]

The argument is the repository's git directory (a clone's .git, or a bare repository). Writes
results.json beside this script: one election, 650 ballots in declaration order, each with its
candidates and votes, its electorate, the notional 2019 winner on the new boundaries as `previous`,
and a declaration time, as published or inferred from the repository's history (SOURCE.md).
"""

import argparse
import json
import sys
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.text import slugify
from oi_history import Repository
from oi_parties import SPEAKER_ID, feed_party, notional_winner

LONDON = ZoneInfo("Europe/London")
POLLING_DAY = date(2024, 7, 4)
POLLS_CLOSE = datetime.combine(POLLING_DAY, time(22, 0), tzinfo=LONDON)
ELECTION = {
    "election_id": "parl.2024-07-04", "election_name": "UK general election 2024",
    "poll_open_date": POLLING_DAY.isoformat(), "election_type": "general",
}  # fmt: skip
PUBLISHED = "Open Innovations ge-2024"
INFERRED = "Open Innovations ge-2024; time inferred from its history"
OUTPUT = Path(__file__).with_name("results.json")


def declared_at(seat: dict, first) -> tuple[datetime, bool]:
    """When the seat declared, and whether the source published that time (else: when its figures appeared).

    A published time without a date takes the date that puts it nearest the figures' first appearance.
    """
    if not seat.get("declaration_time"):
        return first.at.astimezone(LONDON), False
    clock = time.fromisoformat(seat["declaration_time"])
    if seat.get("declaration_date"):
        return datetime.combine(date.fromisoformat(seat["declaration_date"]), clock, tzinfo=LONDON), True
    seen = first.at.astimezone(LONDON)
    when = datetime.combine(seen.date(), clock, tzinfo=LONDON)
    return (when - timedelta(days=1) if when - seen > timedelta(hours=12) else when), True


def candidates(seat: dict) -> list[dict]:
    """The candidates in the source's order; two of one name are told apart by their party."""
    nation = seat["pcon24cd"][0]
    names = Counter(v["person_name"].strip().casefold() for v in seat["votes"])
    rows = []
    for v in seat["votes"]:
        name = v["person_name"].strip()
        if names[name.casefold()] > 1:
            name = f"{name} ({v['party_name']})"
        rows.append({"person_name": name, **feed_party(v["party_key"], v["party_name"], nation),
                     "votes_cast": int(v["votes"])})  # fmt: skip
    return rows


def previous(notional: dict, seat: dict) -> dict:
    """The notional 2019 result on the new boundaries: its winner (the Speaker by name)."""
    winner = notional_winner(notional["party_key"])
    given = {"basis": "notional", "year": 2019, "winner": winner}
    if winner == SPEAKER_ID:
        given["winner_name"] = next(v["person_name"] for v in seat["votes"] if v["party_key"] == "speaker")
    return given


def ballot(seat: dict, notional: dict, when: datetime, published: bool) -> dict:
    return {
        "ballot_paper_id": f"parl.{slugify(seat['pcon24nm'])}.{POLLING_DAY}",
        "post_name": seat["pcon24nm"],
        "ballot_type": "constituency",
        "winner_count": 1,
        "electorate": int(seat["electorate"]),
        "previous": previous(notional, seat),
        "candidates": candidates(seat),
        "result": {"declared_at": when.isoformat(), "source": PUBLISHED if published else INFERRED},
    }


def convert(repository: Repository) -> tuple[dict, dict]:
    """The feed document, and counts of how each declaration time was found."""
    seats = repository.results()
    notional = {row["pcon24cd"]: row for row in repository.json("src/_data/notional.json")}
    first = repository.first_figures(POLLS_CLOSE)
    missing = sorted(set(seats) - set(first)) + sorted(set(seats) - set(notional))
    if missing:
        raise SystemExit(f"no figures after polls closed, or no notional result, for: {', '.join(missing)}")
    ballots, counts = [], Counter()
    for code, seat in seats.items():
        when, published = declared_at(seat, first[code])
        if when < POLLS_CLOSE:
            raise SystemExit(f"{seat['pcon24nm']}: declared {when} before polls closed")
        counts["published" if published else "inferred, batch" if first[code].batch else "inferred, own commit"] += 1
        ballots.append(ballot(seat, notional[code], when, published))
    ballots.sort(key=lambda b: (b["result"]["declared_at"], b["post_name"]))
    source = (
        f"UK general election of 4 July 2024, from Open Innovations' ge-2024 repository (github.com/open-innovations/"
        f"ge-2024, MIT licence) at commit {repository.commit}: candidates, votes and electorates from "
        f"src/constituency/_data/results/, the previous result UK Parliament's notional 2019 winner on the new "
        f"boundaries from src/_data/notional.json. Declaration times: {counts['published']} as the source published "
        f"them (result.source “{PUBLISHED}”), {counts['inferred, own commit'] + counts['inferred, batch']} inferred "
        f"from when the figures first appeared in its history (result.source “{INFERRED}”), "
        f"{counts['inferred, batch']} of those in batch commits made on the morning after, so later than declared. "
        "See demo/data/ge-2024/SOURCE.md."
    )
    return {"source": source, "elections": [{**ELECTION, "ballots": ballots}]}, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", help="Open Innovations' ge-2024 git directory")
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args()
    document, counts = convert(Repository(args.git_dir, args.commit))
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    ballots = document["elections"][0]["ballots"]
    print(f"{len(ballots)} ballots written to {OUTPUT}; declaration times: {dict(counts)}", file=sys.stderr)


if __name__ == "__main__":
    main()
