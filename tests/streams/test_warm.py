"""A process warms up at lifespan start-up: templates compiled, database open, hub connected."""

import gc

import pytest
from asgiref.testing import ApplicationCommunicator

from streams.fanout import hub
from streams.jobs import PeriodicJobs
from streams.warm import compile_templates, template_names

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_project_template_compiles_at_start_up():
    names = template_names()
    assert "liveblog/_post.html" in names and "results/_declaration_card.html" in names
    assert compile_templates() == len(names)


async def start_up(settings, warm: bool) -> None:
    settings.LIVEBLOG_WARM_START = warm
    lifespan = ApplicationCommunicator(PeriodicJobs(None, jobs=[]), {"type": "lifespan"})
    await lifespan.send_input({"type": "lifespan.startup"})
    assert (await lifespan.receive_output(10))["type"] == "lifespan.startup.complete"
    await lifespan.send_input({"type": "lifespan.shutdown"})
    await lifespan.receive_output(5)


async def test_the_hub_is_connected_before_the_first_request(settings):
    await start_up(settings, warm=True)
    assert hub().channel is not None


async def test_warming_can_be_turned_off_for_comparisons(settings):
    await start_up(settings, warm=False)
    assert hub().channel is None


async def test_what_start_up_loaded_is_kept_out_of_later_collections(settings):
    gc.unfreeze()
    thresholds = gc.get_threshold()
    settings.LIVEBLOG_GC_THRESHOLDS = (4321, 10, 100)
    try:
        await start_up(settings, warm=True)
        assert gc.get_freeze_count() > 10_000  # Django, the project's modules and templates
        assert gc.get_threshold() == (4321, 10, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


async def test_a_coroutine_job_runs_on_the_event_loop_and_a_plain_one_on_the_database_thread(settings):
    import asyncio
    import threading

    settings.LIVEBLOG_WARM_START = False
    ran = {}

    async def on_the_loop():
        ran["loop"] = threading.current_thread()

    def on_a_thread():
        ran["thread"] = threading.current_thread()

    lifespan = ApplicationCommunicator(
        PeriodicJobs(None, jobs=[(lambda: 60, on_the_loop), (lambda: 60, on_a_thread)]), {"type": "lifespan"}
    )
    await lifespan.send_input({"type": "lifespan.startup"})
    assert (await lifespan.receive_output(10))["type"] == "lifespan.startup.complete"
    for _ in range(100):
        if len(ran) == 2:
            break
        await asyncio.sleep(0.02)
    await lifespan.send_input({"type": "lifespan.shutdown"})
    await lifespan.receive_output(5)
    assert ran["loop"] is threading.current_thread() and ran["thread"] is not threading.current_thread()
