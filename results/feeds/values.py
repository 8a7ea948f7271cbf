"""The one place a feed's values are checked, whatever format they came in (JSON, CSV, result sets).

Every value the importer stores passes through `FeedValues`: text fits its column, counts fit theirs,
date-times are real and convertible to UTC. `string_problems` runs first over a whole document (or CSV
row) for what no database column can hold at all: NUL characters, lone surrogates, absurd nesting.
Each problem is collected with its place in the file, so one bad file yields a list of messages, never
a traceback, and nothing of it is imported.
"""

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime

from .. import ids
from ..figures import FiguresError, parse_count
from ..ids import is_data_id

# A feed is six or seven levels deep; anything far deeper is not a feed.
MAX_DEPTH = 64
# PositiveSmallIntegerField: the narrowest whole-number column a feed fills (seats, ballot order).
SMALL_COLUMN_MAX = 32_767
MAX_VOTES = 2_147_483_647  # what a vote count column holds
SHOWN_CHARACTERS = 60


def printable(text: str) -> str:
    """The text with what a terminal or a database column cannot take (NUL, controls, surrogates) escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode() for c in text)


def shown(value) -> str:
    """A value as a message quotes it: printable, and cut short when long."""
    text = printable(str(value))
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    for c in text:
        if "\ud800" <= c <= "\udfff":
            return f"contains a lone surrogate ({printable(c)})"
    return None


def _join(where: str, step: str) -> str:
    return step if not where else f"{where}{step}" if step.startswith("[") else f"{where}.{step}"


def string_problems(document, where: str = "") -> list[str]:
    """Every key or string in `document` no column could hold, and nesting past MAX_DEPTH, with its place."""
    problems = []
    stack = [(document, where, 0)]
    while stack:
        value, place, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.append(f"{place or 'file'}: nested more than {MAX_DEPTH} levels deep")
            continue
        if isinstance(value, str):
            if problem := _text_problem(value):
                problems.append(f"{place or 'file'}: {problem}")
        elif isinstance(value, dict):
            for key, item in value.items():
                step = shown(key) if isinstance(key, str) else str(key)
                if isinstance(key, str) and (problem := _text_problem(key)):
                    problems.append(f"{_join(place, step)}: {problem}")
                stack.append((item, _join(place, step), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, _join(place, f"[{i}]"), depth + 1) for i, item in enumerate(value))
    return sorted(problems)


def csv_rows(text: str, label: str, errors: list[str]) -> Iterator[tuple[str, dict]]:
    """(place, row) for each CSV row a column could hold; a row the csv module cannot parse ends the reading."""
    rows = csv.DictReader(text.splitlines())
    try:
        for data in rows:
            where = f"{label} {rows.line_num}"
            if problems := string_problems(data, where):
                errors.extend(problems)
                continue
            yield where, data
    except csv.Error as error:
        limit = csv.field_size_limit()
        too_long = str(error).startswith("field larger than field limit")
        problem = f"a field is longer than {limit:,} characters" if too_long else f"not readable as CSV ({error})"
        # The csv module counts a line only once it has parsed it: the one it stopped on is the next.
        errors.append(f"{label} {rows.line_num + 1}: {problem}")


class FeedValues:
    """Reads checked values out of a feed's objects, collecting every problem instead of stopping at the first."""

    def __init__(self):
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def known_keys(self, data: dict, where: str, level: str, fields: dict[str, tuple[str, tuple[str, ...]]]) -> None:
        """Refuse each key `level` does not hold, saying where it belongs when another level holds it.

        `fields` maps each level to (how a message names it, the keys it holds).
        """
        for key in data:
            if key in fields[level][1]:
                continue
            home = next((label for other, (label, keys) in fields.items() if other != level and key in keys), None)
            shown_key = shown(key)
            self.fail(where, f"`{shown_key}` belongs in {home}" if home else
                      f"`{shown_key}` is not a field of {fields[level][0]}; the fields are "
                      + ", ".join(fields[level][1]))  # fmt: skip

    def known_columns(self, columns, known, label: str) -> None:
        """Refuse each CSV column the importer does not read, naming it."""
        for column in columns or ():
            if column not in known:
                self.fail(label, f"column `{shown(column)}` is not a column the importer reads")

    def text(self, data: dict, key: str, where: str, required: bool = True, limit: int | None = None) -> str:
        raw = data.get(key)
        if raw is not None and not isinstance(raw, str | int | float) or isinstance(raw, bool):
            self.fail(where, f"{key} must be text, not {type(raw).__name__}")
            return ""
        value = str(raw if raw is not None else "").strip()
        if required and not value:
            self.fail(where, f"{key} is required")
        if limit is not None and len(value) > limit:
            self.fail(where, f"{key} is {len(value)} characters; the most is {limit}")
            return ""
        return value

    def identifier(self, data: dict, key: str, where: str) -> str:
        value = self.text(data, key, where)
        if value and not is_data_id(value):
            self.fail(where, f"{key} “{shown(value)}”: {ids.MESSAGE}")
        return value

    def objects(self, data: dict, key: str, where: str) -> list[tuple[int, dict]]:
        """The objects listed under `key`, with their positions; anything else is reported."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"{key} must be a list, not {type(value).__name__}")
            return []
        found = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append((i, item))
            else:
                self.fail(f"{where}.{key}[{i}]" if where != "file" else f"{key}[{i}]", "must be an object")
        return found

    def mapping(self, data: dict, key: str, where: str) -> dict:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(where, f"{key} must be an object, not {type(value).__name__}")
            return {}
        return value

    def percentage(self, data: dict, key: str, where: str) -> Decimal | None:
        raw = data.get(key)
        if raw in (None, ""):
            return None
        try:
            if isinstance(raw, bool | list | dict):
                raise InvalidOperation
            value = Decimal(str(raw).strip().rstrip("%"))
        except InvalidOperation:
            self.fail(where, f"{key}: “{shown(raw)}” is not a percentage")
            return None
        if not value.is_finite() or not 0 <= value <= 100:
            self.fail(where, f"{key}: {shown(raw)} is not between 0 and 100")
            return None
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def count(self, data: dict, key: str, where: str, required: bool = False, maximum: int | None = None) -> int | None:
        raw = data.get(key)
        if raw in (None, ""):
            if required:
                self.fail(where, f"{key} is required")
            return None
        if not isinstance(raw, int | float | str) or isinstance(raw, bool):
            self.fail(where, f"{key} must be a number, not {type(raw).__name__}")
            return None
        try:
            value = parse_count(raw if len(str(raw)) <= SHOWN_CHARACTERS else shown(raw))
        except FiguresError as error:
            self.fail(where, f"{key}: {error}")
            return None
        if maximum is not None and value > maximum:
            self.fail(where, f"{key}: {value} is more than {maximum:,}")
            return None
        return value

    def votes_figure(self, data: dict, key: str, where: str, required: bool = True) -> str | None:
        """A running total of votes as a count sheet gives it (“2727.80000”): kept as the decimal string given.

        Transfer values are truncated to five places, so no total has more; JSON numbers are read as written.
        """
        raw = data.get(key)
        if raw in (None, ""):
            if required:
                self.fail(where, f"{key} is required")
            return None
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | float | str) or len(str(raw)) > SHOWN_CHARACTERS:
                raise InvalidOperation
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            self.fail(where, f"{key}: “{shown(raw)}” is not a number of votes")
            return None
        if not value.is_finite() or value < 0 or value >= MAX_VOTES or -value.as_tuple().exponent > 5:
            self.fail(where, f"{key}: {shown(raw)} is not a number of votes (at most five decimal places)")
            return None
        return str(raw).strip()

    def counts(self, data: dict, key: str, where: str, required: bool = False) -> dict[str, int | None]:
        """An object of counts by key (votes or seats by party), each count checked."""
        found = self.mapping(data, key, where)
        return {name: self.count(found, name, f"{where}.{key}", required) for name in found}

    def when(self, data: dict, key: str, where: str, required: bool = True) -> datetime | None:
        raw = self.text(data, key, where, required)
        if not raw:
            return None
        try:
            value = parse_datetime(raw)
        except ValueError as error:
            self.fail(where, f"{key}: “{shown(raw)}” is not a real date-time ({error})")
            return None
        if value is None or value.tzinfo is None:
            self.fail(where, f"{key}: “{shown(raw)}” is not an ISO date-time with a UTC offset")
            return None
        try:
            value.astimezone(UTC)
        except OverflowError:
            self.fail(where, f"{key}: “{shown(raw)}” is out of range")
            return None
        return value

    def day(self, data: dict, key: str, where: str) -> date | None:
        raw = self.text(data, key, where)
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            self.fail(where, f"{key}: “{shown(raw)}” is not a YYYY-MM-DD date")
            return None

    def choice(self, data: dict, key: str, where: str, choices, default: str) -> str:
        value = str(data.get(key) or default).strip()
        if value not in dict(choices):
            self.fail(where, f"{key}: “{shown(value)}” is not one of {', '.join(dict(choices))}")
        return value
