"""Items handed out at the pace their times went by, sped up: a night's hours in minutes."""

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TypeVar

T = TypeVar("T")


def paced(
    items: Iterable[T], when: Callable[[T], datetime], *, speed: float, max_wait: float, sleep=time.sleep
) -> Iterator[T]:
    """Each item in turn, after waiting the time since the one before divided by `speed`, never more than
    `max_wait` seconds (a long gap in the night does not stall it); the first at once."""
    previous = None
    for item in items:
        at = when(item)
        if previous is not None:
            sleep(min(max_wait, max(0.0, (at - previous).total_seconds() / speed)))
        previous = at
        yield item
