"""Writes westminster-2024.json from Open Innovations' constituency hex layout (see SOURCE.md).

Run by hand, not by the tests, against a git copy of github.com/open-innovations/ge-2024:

    python results/layouts/convert_hexjson.py <path to its git dir> [commit]

The layout is HexJSON in "odd-r" offset coordinates, one hex per constituency keyed by its GSS code.
Each is written under the constituency's ballot slug, Django's slugify of its name, so that
parl.<slug>.2024-07-04 is its ballot id; the script stops if two names give the same slug.
"""

import json
import subprocess
import sys
from pathlib import Path

from django.utils.text import slugify

LAYOUT = "src/_data/hexjson/constituencies.hexjson"
OUTPUT = Path(__file__).with_name("westminster-2024.json")
SEATS = 650


def git_show(repo: str, commit: str, path: str) -> str:
    command = ["git", "-C", repo, "show", f"{commit}:{path}"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def convert(hexjson: dict) -> dict[str, dict]:
    if hexjson.get("layout") != "odd-r":
        raise SystemExit(f"expected an odd-r layout, not {hexjson.get('layout')!r}")
    hexes = {}
    for gss, cell in hexjson["hexes"].items():
        slug = slugify(cell["n"])
        if slug in hexes:
            raise SystemExit(f"{cell['n']} and {hexes[slug]['name']} share the slug {slug}")
        hexes[slug] = {"gss": gss, "name": cell["n"], "q": cell["q"], "r": cell["r"], "region": cell["region"]}
    if len(hexes) != SEATS:
        raise SystemExit(f"expected {SEATS} constituencies, found {len(hexes)}")
    return dict(sorted(hexes.items()))


def as_json(layout: str, hexes: dict[str, dict]) -> str:
    """One constituency a line, so a change to the layout reads as a small diff."""
    lines = [f"  {json.dumps(slug)}: {json.dumps(cell, ensure_ascii=False)}" for slug, cell in hexes.items()]
    return '{"layout": ' + json.dumps(layout) + ', "hexes": {\n' + ",\n".join(lines) + "\n}}\n"


def main(repo: str, commit: str = "HEAD") -> None:
    hexjson = json.loads(git_show(repo, commit, LAYOUT))
    OUTPUT.write_text(as_json(hexjson["layout"], convert(hexjson)), encoding="utf-8")
    print(f"wrote {OUTPUT.name} from {LAYOUT} at {commit}", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:3])
