"""The general election rehearsal: the real 2024 night replayed through the feed importer."""

import json
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from demo import feed_replay
from liveblog.models import LiveBlog, Post
from results.models import Contest, Election, ExitPoll, Revision
from results.national import national_picture

pytestmark = pytest.mark.django_db

SLUG = "parl.2024-07-04"


def first_of_the_night(tmp_path, count=4, **changes):
    """The shipped night cut to its first `count` declarations: the same feed, quick to set up."""
    document = json.loads(feed_replay.NIGHT_2024.read_text())
    ballots = document["elections"][0]["ballots"] = document["elections"][0]["ballots"][:count]
    for ballot in ballots:
        ballot["result"].update(changes)
    path = tmp_path / "night.json"
    path.write_text(json.dumps(document))
    return path, ballots


def rehearse(desk, **options):
    call_command("rehearse_general_election", desk=desk.username, speed=1e9, **options)


def test_the_replay_declares_in_order_with_real_times_and_a_second_run_continues(tmp_path, results_desk, capsys):
    path, ballots = first_of_the_night(tmp_path)
    rehearse(results_desk, file=path, stop_after=2)
    out = capsys.readouterr().out
    assert "Set up 4 contest(s)" in out and "4 declaration(s) to replay" in out and "2 declared, 2 left" in out
    election = Election.objects.get(slug=SLUG)
    assert election.declared_count == 2 and election.contests.count() == 4
    stamped = dict(Revision.objects.values_list("result__contest__name", "declared_at"))
    assert stamped == {b["post_name"]: datetime.fromisoformat(b["result"]["declared_at"]) for b in ballots[:2]}
    blog = LiveBlog.objects.get(slug="general-election-2024")
    assert list(blog.elections.all()) == [election]
    assert sorted(blog.posts.values_list("published_at", flat=True)) == sorted(stamped.values())

    rehearse(results_desk, file=path)
    out = capsys.readouterr().out
    assert "Set up" not in out and "2 declared, 0 left" in out
    assert f"declared {ballots[3]['post_name']}" in out and f"declared {ballots[0]['post_name']}" not in out
    election.refresh_from_db()
    assert election.declared_count == 4 and blog.posts.count() == 4
    rehearse(results_desk, file=path)
    assert "0 declared, 0 left" in capsys.readouterr().out


def test_waits_are_the_gaps_between_declarations_sped_up_and_capped(tmp_path, results_desk):
    path, ballots = first_of_the_night(tmp_path)
    night = feed_replay.read_night(path)
    feed_replay.set_up(night, results_desk)
    waits, said = [], []
    count = feed_replay.replay(night, speed=60, max_gap=10, stop_after=None, actor=results_desk,
                               say=said.append, sleep=waits.append)  # fmt: skip
    times = [datetime.fromisoformat(b["result"]["declared_at"]) for b in ballots]
    gaps = [(later - earlier).total_seconds() / 60 for earlier, later in zip(times, times[1:], strict=False)]
    assert count == 4 and waits == [min(10, gap) for gap in gaps]
    assert said[0] == f"{times[0]:%a %H:%M}  declared {ballots[0]['post_name']}"


def test_stopping_after_n_waits_for_no_declaration_it_will_not_make(tmp_path, results_desk):
    path, _ = first_of_the_night(tmp_path)
    night = feed_replay.read_night(path)
    feed_replay.set_up(night, results_desk)
    waits = []
    feed_replay.replay(night, speed=60, max_gap=10, stop_after=1, actor=results_desk, say=print, sleep=waits.append)
    assert waits == []


def test_the_shipped_night_starts_with_the_first_seats_declared_in_2024(results_desk, capsys):
    rehearse(results_desk, stop_after=2)
    out = capsys.readouterr().out
    assert "Set up 650 contest(s) from results.json" in out and "648 left" in out
    declared = Contest.objects.filter(result__current__isnull=False).order_by("result__current__declared_at")
    assert [c.name for c in declared] == ["Houghton and Sunderland South", "Blyth and Ashington"]
    assert "Thu 23:18  declared Houghton and Sunderland South" in out
    election = Election.objects.get(slug="parl.2024-07-04")
    assert (election.previous_year, election.previous_shares["con"], election.previous_shares["brexit"]) == (
        2019,
        43.6,
        2.0,
    )
    reform = national_picture(election).shares.shares
    assert all(share.change is not None for share in reform)  # both seats' parties stood in 2019, Reform as Brexit


def test_the_shipped_night_opens_with_the_exit_poll_at_22_00_pinned_in_the_blog_once(results_desk, capsys):
    rehearse(results_desk, stop_after=1)
    out = capsys.readouterr().out
    assert out.index("Thu 22:00  exit poll: Labour majority of 170") < out.index("Thu 23:18  declared Houghton")
    poll = ExitPoll.objects.get(election__slug=SLUG)
    assert poll.published_at == datetime.fromisoformat("2024-07-04T22:00:00+01:00")
    seats = {(row.party.code if row.party else ""): row.seats for row in poll.seats.select_related("party")}
    assert seats == {"lab": 410, "con": 131, "ld": 61, "reform": 13, "snp": 10, "pc": 4, "green": 2, "": 19}
    assert sum(seats.values()) == 650
    card = LiveBlog.objects.get(slug="general-election-2024").posts.get(exit_poll=poll)
    assert card.is_pinned and card.is_key_event and card.published_at == poll.published_at

    rehearse(results_desk, stop_after=1)  # a second run goes on with the count, the poll as it was
    assert "exit poll" not in capsys.readouterr().out
    assert Post.objects.filter(exit_poll=poll).count() == 1


def test_a_declaration_before_polls_close_is_refused_as_the_importer_refuses_it(tmp_path, results_desk):
    path, _ = first_of_the_night(tmp_path, count=1, declared_at="2024-07-04T21:30:00+01:00")
    with pytest.raises(CommandError, match="before polls close"):
        rehearse(results_desk, file=path)
    assert not Revision.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"speed": 0}, "--speed must be positive"),
        ({"max_gap": -1}, "--max-gap 0 or more"),
        ({"stop_after": -2}, "--stop-after must be 0 or more"),
        ({"seats": 10}, "--seats and --rate are for a generated election"),
        ({"generated": True, "file": "x.json"}, "--generated takes --seats and --rate"),
        ({"generated": True, "rate": 0}, "--rate and --seats must be positive"),
        ({"file": "no-such-night.json"}, "No such file: no-such-night.json"),
        ({"desk": "nobody"}, "“nobody” is not an active user allowed to declare results"),
    ],
)
def test_bad_arguments_are_a_clear_message(results_desk, options, message):
    options = {"desk": results_desk.username, **options}
    with pytest.raises(CommandError, match=message):
        call_command("rehearse_general_election", **options)
    assert not Election.objects.exists()


def test_a_feed_with_errors_is_refused_with_their_places(tmp_path, results_desk):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"elections": [{"election_id": "parl.2024-07-04", "ballots": [{"post_name": "X"}]}]}))
    with pytest.raises(CommandError, match=r"bad.json: elections\[0\]"):
        rehearse(results_desk, file=path)
