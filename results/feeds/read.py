"""Reads a feed's bytes into checked ballots, choosing the format by the file's name and content."""

import json
from pathlib import Path

from .ballots import BallotRow
from .previous_csv import with_previous
from .project_csv import read_csv
from .project_json import read_project_json
from .result_sets import is_result_sets, read_result_sets
from .values import string_problems


def read_json(text: str) -> tuple[list[BallotRow], list[str]]:
    """Democracy Club's result sets or the project's own JSON feed, whichever the document is."""
    try:
        document = json.loads(text)
    except RecursionError:
        return [], ["file: not valid JSON: nested too deeply"]
    except ValueError as error:
        return [], [f"not valid JSON: {error}"]
    if problems := string_problems(document):
        return [], problems
    if is_result_sets(document):
        return read_result_sets(document)
    if not isinstance(document, dict):
        return [], [f"file: must be an object with an elections list, not {type(document).__name__}"]
    return read_project_json(document)


def read_content(content: bytes, suffix: str) -> tuple[list[BallotRow], list[str]]:
    """A feed's bytes, as CSV when its name ends .csv and as JSON otherwise."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [f"file: not UTF-8 text (byte 0x{error.object[error.start]:02x} at position {error.start}); "
                    "save it as UTF-8 and import it again"]  # fmt: skip
    return read_csv(text) if suffix.lower() == ".csv" else read_json(text)


def read_file(path: Path, previous: Path | None = None) -> tuple[list[BallotRow], list[str]]:
    """A feed file, with previous results from a CSV companion file when one is given."""
    ballots, errors = read_content(path.read_bytes(), path.suffix)
    if previous is None or errors:
        return ballots, errors
    return with_previous(ballots, previous)
