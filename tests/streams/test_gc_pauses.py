"""Every garbage collection is timed; long pauses are logged, and the figures written for benchmarks."""

import gc
import json

from streams.gc_pauses import PauseWatch


def test_every_collection_is_timed_and_a_long_pause_is_logged_once(settings, tmp_path, caplog):
    settings.LIVEBLOG_GC_WARN_MS = 0  # every pause counts as long here
    settings.LIVEBLOG_GC_REPORT = str(tmp_path / "gc.json")
    watch = PauseWatch()
    gc.callbacks.append(watch)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(watch)
    assert watch.collections[2] == 1 and watch.longest_ms > 0
    with caplog.at_level("WARNING", logger="streams.gc_pauses"):
        watch.report()
        watch.report()
    assert caplog.text.count("Garbage collection paused this process") == 1
    written = json.loads((tmp_path / "gc.json").read_text())
    assert written["collections_by_generation"][2] == 1
    assert written["longest_pause_ms"] == round(watch.longest_ms, 2) and written["longest_pause_generation"] == 2


def test_short_pauses_are_counted_but_not_logged(settings, caplog):
    settings.LIVEBLOG_GC_WARN_MS = 60_000
    watch = PauseWatch()
    gc.callbacks.append(watch)
    try:
        gc.collect()
    finally:
        gc.callbacks.remove(watch)
    with caplog.at_level("WARNING", logger="streams.gc_pauses"):
        watch.report()
    assert watch.collections[2] == 1 and "Garbage collection" not in caplog.text
