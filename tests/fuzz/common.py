"""What every fuzz target shares: its budget, the odd values it draws from, and what counts as a failure.

Each target runs FUZZ_EXAMPLES examples (150 unless set), derandomized so a run in CI
can be repeated exactly; a failure prints the smallest input Hypothesis found for it.
    FUZZ_EXAMPLES=1000 python -m pytest tests/fuzz                          # a longer hunt, by hand
    FUZZ_RANDOM=1 python -m pytest tests/fuzz --hypothesis-seed=7           # other inputs than CI's
    python -m pytest tests/fuzz --hypothesis-show-statistics                 # what the examples were answered
"""

import math
import os
import re
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,  # derandomized: nothing to remember between runs, and no .hypothesis folder
    print_blob=True,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    # Each target reuses its function's fixtures (a blog, a token, a logged-in client) for every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")

# Values people and programs really send by mistake, beside whatever Hypothesis makes up.
ODD_STRINGS = [
    "", " ", "\x00", "a\x00b", "NaN", "Infinity", "-1", "0", "1e400", "9" * 40, "15,529", "15.5", "١٢٣",
    "2021-02-30T25:61:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2021-03-28T01:30:00",
    "2021-10-31T01:30:00", "javascript:alert(1)", "<script>x()</script>", "\u202eevil", "\ud800", "🗳️" * 50,
    "x" * 5000,
]  # fmt: skip


def sendable(value) -> bool:
    """Whether an HTTP client can send this as form text: anything but a string holding a lone surrogate."""
    try:
        return not isinstance(value, str) or bool(value.encode("utf-8")) or True
    except UnicodeEncodeError:
        return False


# The odd strings a browser or an HTTP client can send (a lone surrogate cannot be encoded).
SENDABLE_STRINGS = [text for text in ODD_STRINGS if sendable(text)]
ODD_NUMBERS = [2**31, 2**63, -(2**63) - 1, 10**30, -1, 0, math.nan, math.inf, -math.inf, 1e308, -0.0]

any_text = st.text(st.characters(codec=None), max_size=60) | st.sampled_from(ODD_STRINGS)
# What a header or a form field carries over HTTP: Latin-1 at most.
latin1_text = st.text(st.characters(max_codepoint=255), max_size=60) | st.sampled_from(SENDABLE_STRINGS[:12])
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(ODD_NUMBERS) | any_text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


def odd_or(plausible):
    """Mostly a value shaped like the real thing, sometimes anything at all."""
    return st.one_of(plausible, plausible, json_values)


@contextmanager
def rolled_back():
    """One example's writes, undone after it, so each example starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def damage(draw, content: bytes, most: int = 6) -> bytes:
    """A few bytes overwritten, and sometimes the end cut off, as a file half-copied or mis-saved."""
    damaged = bytearray(content)
    for _ in range(draw(st.integers(0, most))):
        if damaged:
            damaged[draw(st.integers(0, len(damaged) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        damaged = damaged[: draw(st.integers(0, len(damaged)))]
    return bytes(damaged)


def short_repr(value) -> str:
    """A repr with long runs of one character counted, so a failing example stays readable."""
    return re.sub(r"(.)\1{11,}", lambda run: f"«{run.group(1)}×{len(run.group(0))}»", repr(value))


def row_counts(*models) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}
