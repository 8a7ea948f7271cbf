"""Open Innovations' parties as the project's feed names them.

Open Innovations keys the main parties (`con`, `lab`, `ref`, `apni`, ...) and files every other
party under `other` with its registered description as the name. The project's party book
(results/parties.py) gives each party it knows a register id (PP52), which the feed uses; a party the
book lacks is given a code made from its name, with the name, and the import creates it grey.
"""

import re
import sys
from pathlib import Path

from django.utils.text import slugify

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the project, for its party book

from results.parties import NORTHERN_IRELAND_MORE, REGISTERED_PARTIES  # noqa: E402

SPEAKER_ID = "ynmp-party:12522"
LABOUR_COOP_ID = "joint-party:53-119"  # counted for Labour (PP53) by the importer
# Open Innovations' key -> the party book's code.
KEYED = {
    "con": "con", "lab": "lab", "ld": "ld", "green": "green", "ref": "reform", "snp": "snp", "pc": "pc",
    "alba": "alba", "dup": "dup", "sf": "sf", "sdlp": "sdlp", "apni": "alliance", "uup": "uup", "tuv": "tuv",
}  # fmt: skip
# Descriptions that name a party of the book differently from its registered name.
NAMED = {"freedom alliance": "fa", "people before profit": "pbp"}
REGISTER_IDS = {code: register for code, _name, _short, _colour, register in REGISTERED_PARTIES}


def _plain(name: str) -> str:
    """A description without a leading "The" or a trailing bracket: "UK Independence Party (UKIP)"."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name.strip()).casefold()
    return name.removeprefix("the ")


def _by_name(rows) -> dict[str, str]:
    """Codes by plain name; where two parties share one (GB's and Northern Ireland's), the first listed."""
    found: dict[str, str] = {}
    for code, name, _short, _colour, _register in rows:
        found.setdefault(_plain(name), code)
    return found


_BY_NAME = _by_name(REGISTERED_PARTIES) | NAMED
_NI_BY_NAME = _by_name(NORTHERN_IRELAND_MORE)  # a party on both registers, standing in Northern Ireland


def feed_party(key: str, name: str, nation: str) -> dict:
    """The candidate's `party_id` and `party_name` (the description they stood under) for the feed; no
    party_id for an independent."""
    if key == "speaker":
        return {"party_id": SPEAKER_ID, "party_name": name}
    if key == "other" and name == "Independent":
        return {"party_name": name}
    if key == "lab" and "co-operative" in name.casefold():
        return {"party_id": LABOUR_COOP_ID, "party_name": name}
    code = book_code(key, name, nation)
    return {"party_id": REGISTER_IDS[code] if code else slugify(name)[:30], "party_name": name}


def book_code(key: str, name: str, nation: str) -> str | None:
    """The party book's code for a party as Open Innovations gives it, or None where the book lacks it."""
    if key == "green" and nation == "N":
        return "green-ni"
    if key == "green" and name == "Scottish Green Party":
        return "scot-green"
    if key == "con" and nation == "N":
        return "ni-con"  # the Conservatives on Northern Ireland's register (PP51)
    if nation == "N" and _plain(name) in _NI_BY_NAME:
        return _NI_BY_NAME[_plain(name)]
    if key in KEYED:
        return KEYED[key]
    return _BY_NAME.get(_plain(name))


def notional_winner(key: str) -> str:
    """The previous (notional 2019) winner as the feed names it: a register id, or the Speaker."""
    return SPEAKER_ID if key == "speaker" else REGISTER_IDS[KEYED[key]]
