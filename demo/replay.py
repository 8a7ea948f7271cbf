"""Election-night replay: declares the demo contests one by one, as the night went."""

import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction

from liveblog.services import post_delete
from results import scoreboard, services
from results.models import Contest, Result
from streams import events
from streams.frames import reload_frame

from .night import CONTESTS, demo_entry
from .pacing import paced


def contests_in_order() -> list[tuple[Contest, object]]:
    contests = {(c.election.slug, c.slug): c for c in Contest.objects.select_related("election")}
    return sorted(
        ((contests[(s.election, s.slug)], s) for s in CONTESTS if (s.election, s.slug) in contests),
        key=lambda pair: pair[1].declared_at,
    )


def reset(editor) -> None:
    """Withdraw the demo's declarations so the night can be replayed; open pages are told to reload."""
    with transaction.atomic():
        for contest, _spec in contests_in_order():
            result = Result.objects.filter(contest=contest).first()
            if result is None:
                continue
            for post in result.posts.all():
                post_delete(post=post, actor=editor)
            # Revisions are protected while current; withdraw the pointer, then the whole result.
            Result.objects.filter(pk=result.pk).update(current=None)
            result.delete()
        for election in {contest.election for contest, _ in contests_in_order()}:
            scoreboard.rebuild(election)
            events.append(stream_key=election.stream_key, kind=events.RELOAD, render=reload_frame)


def declare(contest: Contest, spec, actor) -> None:
    result, _ = Result.objects.get_or_create(contest=contest)
    if result.status == Result.Status.EXPECTED:
        result = services.result_set_status(
            contest=contest, status=Result.Status.COUNTING, actor=actor, expected_version=result.version
        )
    _, entry = demo_entry(contest)
    services.result_declare(
        contest=contest, entry=entry, declared_at=spec.declared_at, actor=actor,
        expected_version=result.version, source=spec.source,
    )  # fmt: skip


def replay(*, speed: float, max_gap: float, actor, say: Callable[[str], None], sleep=time.sleep) -> int:
    """Declare every undeclared demo contest in time order; returns how many were declared."""
    declared = 0
    waiting = [
        (contest, spec) for contest, spec in contests_in_order()
        if not Result.objects.filter(contest=contest, current__isnull=False).exists()
    ]  # fmt: skip
    for contest, spec in paced(waiting, lambda pair: pair[1].declared_at, speed=speed, max_wait=max_gap, sleep=sleep):
        declare(contest, spec, actor)
        declared += 1
        say(f"{spec.declared_at:%a %H:%M}  declared {contest.name}")
    return declared


def demo_user(username: str):
    return get_user_model().objects.get(username=username)
