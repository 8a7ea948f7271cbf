import pytest

from demo import replay
from results.models import Result

pytestmark = pytest.mark.django_db


def test_the_replay_declares_the_night_one_by_one(night, results_desk, editor):
    said, waits = [], []
    count = replay.replay(speed=600, max_gap=8, actor=results_desk, say=said.append, sleep=waits.append)
    assert count == 6
    assert said[0].endswith("declared Hartlepool") and said[-1].endswith("declared West Midlands")
    assert all(0 <= w <= 8 for w in waits) and len(waits) == 5
    assert replay.replay(speed=600, max_gap=8, actor=results_desk, say=said.append, sleep=waits.append) == 0
    replay.reset(editor)
    assert Result.objects.count() == 0
