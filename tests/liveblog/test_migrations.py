"""Moving streams to their own app keeps every stream and event, with its seq, on a database that has them."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from streams import events
from streams.models import Event, Stream

BEFORE_THE_MOVE = [("liveblog", "0006_image_renditions")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_moving_streams_to_their_own_app_keeps_every_event_and_numbers_new_ones_after_them():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE_THE_MOVE).loader.project_state(BEFORE_THE_MOVE).apps
        OldStream, OldEvent = old_apps.get_model("liveblog", "Stream"), old_apps.get_model("liveblog", "Event")
        stream = OldStream.objects.create(key="blog-41", last_seq=3)
        for seq in (1, 2, 3):
            OldEvent.objects.create(stream=stream, seq=seq, kind="post.published", html=f'<div data-seq="{seq}">')
        old_ids = sorted(OldEvent.objects.values_list("id", flat=True))
    finally:
        _migrate(latest)
    moved = Stream.objects.get(key="blog-41")
    assert moved.last_seq == 3
    kept = list(Event.objects.filter(stream=moved).values_list("id", "seq"))
    assert kept == list(zip(old_ids, [1, 2, 3], strict=True))
    with transaction.atomic():
        event = events.append(stream_key="blog-41", kind="post.published", render=lambda seq: f"<div data-seq={seq}>")
    assert event.seq == 4 and event.id > old_ids[-1]  # new rows are numbered after the copied ones
