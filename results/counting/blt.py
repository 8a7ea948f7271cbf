"""Reads BLT ballot data, the format Scottish councils publish after an STV count.

    5 3                  candidates, seats
    -2                   optional: withdrawn candidates, as negative numbers
    12 1 3 2 0           weight (papers), then preferences by candidate number, then 0
    0                    end of the ballots
    "Ann ADAMS (SNP)"    one name a line, in candidate-number order
    "Ward 3 - Anytown"   the title

Blank lines, CRLF endings, a byte-order mark and names left unquoted (as some
republished copies have them) are accepted; anything else out of shape is
refused with the line it is on.
"""

import re
from pathlib import Path

from results.counting.stv import Ballot, Profile

_INTEGER = re.compile(r"[+-]?\d+")


class BltError(ValueError):
    """A file that is not BLT ballot data; the message names the line."""


def _integers(text: str, number: int, what: str) -> list[int]:
    tokens = text.split()
    bad = next((token for token in tokens if not _INTEGER.fullmatch(token)), None)
    if bad is not None:
        raise BltError(f"line {number}: {what} must be whole numbers, not “{bad}”.")
    return [int(token) for token in tokens]


def _unquote(text: str, number: int) -> str:
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise BltError(f"line {number}: a quoted name must end with a quote.")
        text = text[1:-1]
    if not text.strip():
        raise BltError(f"line {number}: the name is empty.")
    return text.strip()


def _ballot(values: list[int], number: int, candidates: int) -> Ballot:
    weight, *preferences = values
    if weight < 1:
        raise BltError(f"line {number}: the weight (number of papers) must be at least 1, not {weight}.")
    if not preferences or preferences[-1] != 0:
        raise BltError(f"line {number}: a ballot line must end with 0.")
    preferences = preferences[:-1]
    for candidate in preferences:
        if not 1 <= candidate <= candidates:
            raise BltError(f"line {number}: there is no candidate {candidate} (candidates are 1–{candidates}).")
    if len(set(preferences)) != len(preferences):
        raise BltError(f"line {number}: a candidate is given two preferences on the same ballot.")
    return Ballot(weight, tuple(c - 1 for c in preferences))


def read_blt(text: str) -> Profile:
    lines = [(n, line.strip()) for n, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise BltError("the file is empty.")
    rest = iter(lines)
    number, line = next(rest)
    header = _integers(line, number, "the first line (candidates and seats)")
    if len(header) != 2:
        raise BltError(f"line {number}: the first line must be two numbers, candidates and seats.")
    candidates, seats = header
    if candidates < 1 or seats < 1:
        raise BltError(f"line {number}: there must be at least one candidate and one seat.")
    if seats > candidates:
        raise BltError(f"line {number}: {seats} seats but only {candidates} candidates.")

    withdrawn: set[int] = set()
    ballots: list[Ballot] = []
    for number, line in rest:
        values = _integers(line, number, "ballot lines")
        if values == [0]:
            break
        if values and all(v < 0 for v in values) and not ballots and not withdrawn:
            for value in values:
                if -value > candidates:
                    raise BltError(f"line {number}: there is no candidate {-value} to withdraw.")
                withdrawn.add(-value - 1)
            continue
        ballots.append(_ballot(values, number, candidates))
    else:
        raise BltError("the ballots never end: there is no line holding just 0.")

    names: list[str] = []
    title = None
    for number, line in rest:
        if len(names) < candidates:
            names.append(_unquote(line, number))
        elif title is None:
            title = _unquote(line, number)
        else:
            raise BltError(f"line {number}: unexpected text after the title.")
    if len(names) < candidates:
        raise BltError(f"the file names {len(names)} of its {candidates} candidates.")
    if title is None:
        raise BltError("the file has no title after the candidates' names.")
    if len(set(names)) != len(names):
        raise BltError("two candidates have the same name.")
    if not ballots:
        raise BltError("the file has no ballots.")
    return Profile(title, tuple(names), seats, tuple(ballots), frozenset(withdrawn))


def read_blt_file(path: Path) -> Profile:
    """Reads a file as UTF-8, or as Windows-1252 where it is not (older exports)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return read_blt(text)
