"""The front page and the /live/ and /results/ indexes: what is live, coming up and ended, and every results page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from liveblog.models import LiveBlog
from results.models import Contest, Election

pytestmark = pytest.mark.django_db
CLOSE = datetime(2024, 7, 4, 21, 0, tzinfo=UTC)


@pytest.fixture
def blogs():
    now = timezone.now()
    made = {}
    for slug, status, starts in [
        ("live-new", LiveBlog.Status.LIVE, now - timedelta(hours=1)),
        ("live-old", LiveBlog.Status.LIVE, now - timedelta(days=2)),
        ("soon", LiveBlog.Status.LIVE, now + timedelta(days=1)),
        ("ended", LiveBlog.Status.ENDED, now - timedelta(days=30)),
        ("draft", LiveBlog.Status.DRAFT, now - timedelta(hours=2)),
    ]:
        made[slug] = LiveBlog.objects.create(title=f"Blog {slug}", slug=slug, status=status, starts_at=starts)
    return made


def section(html: str, heading: str) -> str:
    start = html.index(f">{heading}</")
    return html[start : html.find("</section>", start)]


def test_the_live_index_lists_live_coming_and_ended_blogs_each_in_its_section_and_no_draft(client, blogs):
    html = client.get("/live/").content.decode()
    live = section(html, "Live now")
    assert live.index("Blog live-new") < live.index("Blog live-old") and "Blog soon" not in live
    coming = section(html, "Coming up")
    assert "Blog soon" in coming and "Coverage starts" in coming
    assert "Blog ended" in section(html, "Ended")
    assert "Blog draft" not in html


def test_with_nothing_live_the_index_says_so_and_leaves_out_empty_sections(client, db):
    html = client.get("/live/").content.decode()
    assert "Nothing is live right now." in html and "Coming up" not in html and ">Ended<" not in html


def test_the_results_index_lists_every_election_newest_first_with_its_count(client, db):
    old = Election.objects.create(name="Hartlepool by-election 2021", slug="parl.hartlepool.2021-05-06",
                                  polling_day=date(2021, 5, 6), kind=Election.Kind.BY_ELECTION)  # fmt: skip
    Contest.objects.create(election=old, name="Hartlepool", slug="parl.hartlepool.2021-05-06", position=1,
                           polls_close=CLOSE)  # fmt: skip
    Election.objects.filter(pk=old.pk).update(declared_count=1)
    new = Election.objects.create(name="General election 2024", slug="parl.2024-07-04",
                                  polling_day=date(2024, 7, 4), kind=Election.Kind.GENERAL)  # fmt: skip
    for n in range(3):
        Contest.objects.create(election=new, name=f"Seat {n}", slug=f"parl.seat-{n}.2024-07-04", position=n,
                               polls_close=CLOSE)  # fmt: skip
    html = client.get("/results/").content.decode()
    assert html.index("General election 2024") < html.index("Hartlepool by-election 2021")
    assert 'href="/results/parl.2024-07-04/"' in html and "0 of 3 declared" in html and "all 1 declared" in html


def test_the_front_page_has_the_blogs_and_the_results(client, blogs):
    Election.objects.create(name="Mayors 2021", slug="mayor.2021-05-06", polling_day=date(2021, 5, 6),
                            kind=Election.Kind.MAYORAL)  # fmt: skip
    html = client.get("/").content.decode()
    assert "Blog live-new" in section(html, "Live now") and "Blog soon" in section(html, "Coming up")
    assert 'href="/results/mayor.2021-05-06/"' in html and 'href="/results/"' in html


def test_the_results_index_with_no_elections_says_so(client, db):
    assert "No results pages yet." in client.get("/results/").content.decode()


def test_the_index_pages_answer_get_and_head_only(client, db):
    assert client.post("/live/").status_code == 405 and client.post("/results/").status_code == 405
    assert client.head("/live/").status_code == 200


def test_coverage_starting_later_is_shown_in_london_time(client, db):
    LiveBlog.objects.create(title="Count day", slug="count-day", status=LiveBlog.Status.LIVE,
                            starts_at=datetime(2030, 5, 3, 8, 0, tzinfo=UTC))  # fmt: skip
    assert "Friday 3 May, 09:00" in client.get("/live/").content.decode()
