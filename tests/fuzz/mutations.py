"""Changes to a JSON document at places drawn from the document itself: a value replaced, removed or repeated."""

import copy
from dataclasses import dataclass, field

from hypothesis import strategies as st

from .common import json_values, scalars

# What a feed's fields might hold by mistake, besides anything JSON can say.
FEED_MISTAKES = st.sampled_from([
    "15,529", "15 529", "1.5e3", "12.0", "-3", "0x10", "2021-05-07", "2021-05-07T04:20:00", "07/05/2021 04:20",
    "2021-05-07T04:20:00+25:00", "1900-01-01T00:00:00Z", "2021-03-28T01:30:00+00:00", "declared", "counted", "stv",
    "fptp", "ward", "local.sheffield.2021-05-06", "parl..", "ynmp-party:2", "joint-party:53-119", "PP99999", "",
]) | scalars  # fmt: skip


def _places(value, path=()):
    """Every path to a value inside the document, the document itself left out."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*path, key)
        yield from _places(child, (*path, key))


def _where(path) -> str:
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")


@dataclass
class Mutated:
    """A document and what was done to it, which is what a failing example shows."""

    document: object = field(repr=False)
    changes: list[str]


def _at(document, path):
    for key in path:
        document = document[key]
    return document


@st.composite
def mutated(draw, document, most: int = 4) -> Mutated:
    """The document with one to `most` changes, each at a place drawn from what the document then holds."""
    document, changes = copy.deepcopy(document), []
    for _ in range(draw(st.integers(1, most))):
        places = list(_places(document))
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent, key = _at(document, path[:-1]), path[-1]
        change = draw(st.sampled_from(["replace", "replace", "remove", "repeat"]))
        if change == "replace":
            parent[key] = draw(FEED_MISTAKES | json_values)
            changes.append(f"{_where(path)} = {parent[key]!r}")
        elif change == "remove":
            del parent[key]
            changes.append(f"removed {_where(path)}")
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
            changes.append(f"repeated {_where(path)}")
        else:
            other = draw(st.sampled_from(sorted(map(str, parent))))
            parent[other] = copy.deepcopy(parent[key])
            changes.append(f"{_where((*path[:-1], other))} = copy of {_where(path)}")
    return Mutated(document, changes)


def unchanged(document) -> Mutated:
    return Mutated(document, [])
