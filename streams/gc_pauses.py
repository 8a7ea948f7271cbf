"""Garbage-collection pauses: how long the collector stopped this process, so long ones are seen.

While the collector runs, no frame goes out and no request is answered; with ten thousand
sockets open a full collection walks every object they hold. Each collection is timed
(gc.callbacks). A periodic job (config/asgi.py) logs a warning for each pause longer than
LIVEBLOG_GC_WARN_MS and, when LIVEBLOG_GC_REPORT names a file, writes the process's figures
there as JSON (benchmarks read it).

`freeze_start_up` moves everything loaded at start-up (Django, templates, modules) out of
the collector's way (gc.freeze), so full collections walk only what serving has created.
"""

import gc
import json
import logging
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


class PauseWatch:
    """Times every collection; installed once per process."""

    def __init__(self):
        self._started: float | None = None
        self.collections = [0, 0, 0]
        self.longest_ms = 0.0
        self.longest_generation: int | None = None
        self.total_ms = 0.0
        self.long_pauses: list[tuple[float, int]] = []  # not yet logged: logging inside the collector is unwise
        self.frozen = 0  # objects kept out of collections at start-up (counting them walks them all)

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        if self._started is None:
            return
        paused_ms, self._started = (time.perf_counter() - self._started) * 1000, None
        generation = info["generation"]
        self.collections[generation] += 1
        self.total_ms += paused_ms
        if paused_ms > self.longest_ms:
            self.longest_ms, self.longest_generation = paused_ms, generation
        if paused_ms > settings.LIVEBLOG_GC_WARN_MS and len(self.long_pauses) < 100:
            self.long_pauses.append((paused_ms, generation))

    def figures(self) -> dict:
        return {
            "collections_by_generation": list(self.collections),
            "longest_pause_ms": round(self.longest_ms, 2),
            "longest_pause_generation": self.longest_generation,
            "total_pause_ms": round(self.total_ms, 1),
            "frozen_objects": self.frozen,
        }

    async def report_now(self) -> None:
        """`report`, as a job on the event loop: it needs no database and should not wait for its thread."""
        self.report()

    def report(self) -> None:
        """Log the long pauses seen since the last call, and write the figures where LIVEBLOG_GC_REPORT says."""
        pauses, self.long_pauses = self.long_pauses, []
        for paused_ms, generation in pauses:
            logger.warning("Garbage collection paused this process for %.0f ms (generation %d)", paused_ms, generation)
        if settings.LIVEBLOG_GC_REPORT:
            Path(settings.LIVEBLOG_GC_REPORT).write_text(json.dumps(self.figures()))


WATCH = PauseWatch()


def watch() -> PauseWatch:
    if WATCH not in gc.callbacks:
        gc.callbacks.append(WATCH)
    return WATCH


def freeze_start_up() -> None:
    """Collect once, keep what start-up loaded out of every later collection, and set the thresholds."""
    gc.collect()
    gc.freeze()
    WATCH.frozen = gc.get_freeze_count()
    gc.set_threshold(*settings.LIVEBLOG_GC_THRESHOLDS)
