"""The results desk of bench/general_election.py, in a process of its own with Django set up.

It creates the generated general election and a live blog covering it, then declares
every seat at a steady rate, as `watch_results` would from a feed: through the results
service, in this process, with readers reached through Redis. For each declaration it
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


def create(env: dict, slug: str, blog_slug: str, seats: int) -> None:
    _django(env)
    from demo import general_election
    from liveblog.models import LiveBlog

    election = general_election.create(slug=slug, seats=seats)
    blog = LiveBlog.objects.create(slug=blog_slug, title="General election night", status=LiveBlog.Status.LIVE)
    blog.elections.add(election)


def _latest_event(stream_key: str) -> tuple[int, int]:
    from streams.models import Event

    seq, html = Event.objects.filter(stream__key=stream_key).order_by("-seq").values_list("seq", "html").first()
    return seq, len(html.encode())


def declare_all(env: dict, slug: str, blog_slug: str, rate: float) -> list[dict]:
    _django(env)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo import general_election
    from liveblog.models import LiveBlog
    from results.models import Contest, Election

    desk = get_user_model().objects.create_superuser("bench-desk", password=None)
    election = Election.objects.get(slug=slug)
    blog = LiveBlog.objects.get(slug=blog_slug)
    contests = list(Contest.objects.filter(election=election).select_related("election").order_by("position"))
    records = []
    next_at = time.perf_counter()
    for number, contest in enumerate(contests, start=1):
        time.sleep(max(0.0, next_at - time.perf_counter()))
        next_at += 1 / rate
        connection.queries_log.clear()  # it keeps the last 9,000: counting must not run into that bound
        with CaptureQueriesContext(connection) as queries:
            sent = time.perf_counter()
            general_election.declare(contest, number, len(contests), desk)
            took = time.perf_counter() - sent
        results_seq, results_bytes = _latest_event(election.stream_key)
        blog_seq, blog_bytes = _latest_event(blog.stream_key)
        records.append({
            "number": number, "sent": sent, "call_ms": round(took * 1000, 2), "queries": len(queries),
            "results_seq": results_seq, "results_frame_bytes": results_bytes,
            "blog_seq": blog_seq, "blog_frame_bytes": blog_bytes,
        })  # fmt: skip
    return records
