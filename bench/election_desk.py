"""The results desk of bench/general_election.py, in a process of its own with Django set up.

It sets up the real 2024 general election from the shipped feed (demo/data/ge-2024, every contest,
nothing declared; or, with `generated`, the generated election) and a live blog covering it, then
declares every seat at a steady rate in the night's order, as `watch_results` would from a feed:
through the feed importer (the generated one through the results service), in this process, with
readers reached through Redis. For each declaration it
records when the call started (time.perf_counter, comparable with the readers' clocks in
the benchmark's process), how long it took, its queries, and the seq and size of the frame
it added to the results stream and to the blog's stream.
"""

import os
import time


def _django(env: dict):
    """Set up Django with the server's settings (database, Redis, production mode)."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _desk():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="bench-desk", defaults={"is_superuser": True})[0]


def create(env: dict, slug: str, blog_slug: str, seats: int, generated: bool) -> None:
    _django(env)
    from demo import feed_replay, general_election
    from liveblog.models import LiveBlog
    from results.models import Election

    if generated:
        election = general_election.create(slug=slug, seats=seats)
    else:
        feed_replay.set_up(feed_replay.read_night(feed_replay.NIGHT_2024), _desk())
        feed_replay.give_previous_national_shares()
        election = Election.objects.get(slug=slug)
    blog = LiveBlog.objects.create(slug=blog_slug, title="General election night", status=LiveBlog.Status.LIVE)
    blog.elections.add(election)


def _latest_event(stream_key: str) -> tuple[int, int]:
    from streams.models import Event

    seq, html = Event.objects.filter(stream__key=stream_key).order_by("-seq").values_list("seq", "html").first()
    return seq, len(html.encode())


def _declarations(slug: str, generated: bool, desk) -> list:
    """One call per seat, in the night's order: each declares that seat."""
    from demo import feed_replay, general_election
    from results.models import Contest

    if generated:
        contests = list(Contest.objects.filter(election__slug=slug).select_related("election").order_by("position"))
        return [
            (lambda c=c, n=n: general_election.declare(c, n, len(contests), desk))
            for n, c in enumerate(contests, start=1)
        ]
    night = feed_replay.read_night(feed_replay.NIGHT_2024)
    return [(lambda row=row: feed_replay.apply_rows(night, [row], desk)) for row in night.declarations]


def declare_all(env: dict, slug: str, blog_slug: str, rate: float, generated: bool) -> list[dict]:
    _django(env)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liveblog.models import LiveBlog
    from results.models import Election

    desk = _desk()
    election = Election.objects.get(slug=slug)
    blog = LiveBlog.objects.get(slug=blog_slug)
    records = []
    next_at = time.perf_counter()
    for number, declare in enumerate(_declarations(slug, generated, desk), start=1):
        time.sleep(max(0.0, next_at - time.perf_counter()))
        next_at += 1 / rate
        connection.queries_log.clear()  # it keeps the last 9,000: counting must not run into that bound
        with CaptureQueriesContext(connection) as queries:
            sent = time.perf_counter()
            declare()
            took = time.perf_counter() - sent
        results_seq, results_bytes = _latest_event(election.stream_key)
        blog_seq, blog_bytes = _latest_event(blog.stream_key)
        records.append({
            "number": number, "sent": sent, "call_ms": round(took * 1000, 2), "queries": len(queries),
            "results_seq": results_seq, "results_frame_bytes": results_bytes,
            "blog_seq": blog_seq, "blog_frame_bytes": blog_bytes,
        })  # fmt: skip
    return records
