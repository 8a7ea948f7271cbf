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


def test_a_general_election_rehearsal_declares_what_is_left_each_time_it_runs(roles, results_desk, capsys):
    from django.core.management import call_command

    from liveblog.models import LiveBlog
    from results.models import Election

    call_command(
        "rehearse_general_election", generated=True, seats=4, rate=1000, stop_after=3, desk=results_desk.username
    )
    election = Election.objects.get(slug="parl.2019-12-12")
    assert election.declared_count == 3
    assert list(LiveBlog.objects.get(slug="general-election-rehearsal").elections.all()) == [election]
    call_command("rehearse_general_election", generated=True, rate=1000, desk=results_desk.username)
    election.refresh_from_db()
    assert election.declared_count == 4 and election.contests.count() == 4
    assert "declared England 004" in capsys.readouterr().out
