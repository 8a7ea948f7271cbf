"""The reporters' posting form and the results desk's entry form under odd input: no 500, nothing half-saved."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, given
from hypothesis import strategies as st

from liveblog.models import Post, Quote
from results.models import Contest, Result, Revision
from streams.models import Event
from tests.helpers import publish_post

from .common import FUZZ, SENDABLE_STRINGS, rolled_back, row_counts
from .pictures import uploads

pytestmark = pytest.mark.django_db

# What a browser form can send: text a page can hold, or the odd values people paste.
field_text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(SENDABLE_STRINGS)
whole_numbers = st.integers(-3, 1200).map(str) | st.sampled_from(["", "abc", "1.5", "9" * 30, "\x00", "-0"])
datetimes = st.sampled_from([
    "2021-05-07T04:20:00", "2021-05-07T04:20", "2021-03-28T01:30:00", "2021-10-31T01:30:00", "0001-01-01T00:00:00",
    "9999-12-31T23:59:59", "2021-05-07 04:20", "07/05/2021 04:20",
]) | field_text  # fmt: skip
counts = st.integers(-5, 10**7).map(str) | st.sampled_from(["15,529", "15.5", "1e3", "٣٤", "", " 12 ", "9" * 40])
WRITTEN_BY_POSTS = (Post, Quote, Event)
WRITTEN_BY_RESULTS = (Result, Revision, Event)


def _odd_fields(fields: dict) -> st.SearchStrategy[list]:
    """Which fields of a good form to spoil (or leave out: None), up to four at once."""
    return st.lists(st.sampled_from(sorted(fields)), max_size=4, unique=True)


def _spoil(draw, form: dict, fields: dict) -> dict:
    for name in draw(_odd_fields(fields)):
        value = draw(st.none() | fields[name])
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    return form


POST_FIELDS = {
    "blog": whole_numbers,
    "headline": field_text,
    "body": st.sampled_from(["<p><a href='javascript:x'>x</a></p>", "<img src=x onerror=y>"]) | field_text,
    "status": st.sampled_from([*Post.Status.values, "approved"]) | field_text,
    "published_at": datetimes,
    "is_key_event": st.sampled_from(["on", "", "false"]) | field_text,
    "embed_url": st.sampled_from(["https://twitter.com/bbc/status/1", "https://youtu.be/x", "ftp://x"]) | field_text,
    "image_caption": field_text,
    "image_credit": field_text,
    "edited_version": whole_numbers,
    "post_to_ended_blog": st.sampled_from(["on", ""]),
    "correction": field_text,
    "quotes-TOTAL_FORMS": st.sampled_from(["2", "-1", "1001", "abc", ""]),
    "quotes-INITIAL_FORMS": st.sampled_from(["1", "-1", "abc", "5"]),
    "quotes-MIN_NUM_FORMS": whole_numbers,
    "quotes-MAX_NUM_FORMS": whole_numbers,
    **{f"quotes-0-{name}": field_text for name in ("text", "speaker_name", "speaker_role")},
    "quotes-0-id": whole_numbers,
    "quotes-0-DELETE": st.sampled_from(["on", ""]),
}


@st.composite
def post_form(draw, blog_pk: int) -> dict:
    """A good posting form, with a quote or not, and a few of its fields spoilt or missing."""
    form = {"blog": str(blog_pk), "headline": "Turnout is low", "body": "<p>From the count.</p>",
            "status": "published", "published_at": "2021-05-07T04:20:00", "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "0", "quotes-MIN_NUM_FORMS": "0", "quotes-MAX_NUM_FORMS": "1000"}  # fmt: skip
    if draw(st.booleans()):
        form.update({"quotes-0-text": "A new chapter.", "quotes-0-speaker_name": "Jill Mortimer"})
    return _spoil(draw, form, POST_FIELDS)


@pytest.fixture
def reporter_client(client, blog, reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.raise_request_exception = False
    client.force_login(reporter)
    return client


def _stored(post: Post) -> tuple:
    post.refresh_from_db()
    return post.headline, post.body, post.status, post.version, post.published_at, list(post.quotes.values_list())


@FUZZ
@given(data=st.data())
def test_the_posting_form_refuses_odd_input_without_a_server_error_or_half_a_post(
    data, reporter_client, blog, reporter, tracebacks
):
    form = data.draw(post_form(blog.pk), label="form")
    picture = data.draw(st.none() | uploads(), label="picture")
    if picture is not None:
        form["image"] = SimpleUploadedFile(*picture)
    tracebacks.clear()
    with rolled_back():
        post = publish_post(blog, reporter, headline="Turnout is low")
        changing = data.draw(st.booleans(), label="change the existing post")
        before, stored = row_counts(*WRITTEN_BY_POSTS), _stored(post)
        url = f"/admin/liveblog/post/{post.pk}/change/" if changing else "/admin/liveblog/post/add/"
        response = reporter_client.post(url, form)
        event(f"{'change' if changing else 'add'} answered {response.status_code}")
        assert response.status_code < 500, response.content[:500]
        assert not tracebacks.found()
        if response.status_code != 302:  # refused: the form is shown again with its errors
            assert row_counts(*WRITTEN_BY_POSTS) == before, "a refused form wrote rows"
            assert _stored(post) == stored, "a refused form changed the post"


@st.composite
def entry_form(draw, contest: Contest) -> dict:
    """Plausible figures for every candidate, then a few fields spoilt or missing."""
    candidacies = list(contest.candidacies.values_list("pk", flat=True))
    form = {f"votes_{pk}": str(draw(st.integers(0, 20_000))) for pk in candidacies}
    form.update({"declared_at": "2021-05-07T04:20", "version": "0", "source": "Count", "rejected_ballots": "12"})
    fields = {
        "declared_at": datetimes,
        "rejected_ballots": counts,
        "ballot_papers": counts,
        "source": field_text,
        "uncontested": st.sampled_from(["on", ""]),
        "lot_winner": st.sampled_from([str(pk) for pk in candidacies] or [""]) | whole_numbers,
        "reason": field_text,
        "version": whole_numbers,
        **{f"seats_{code}": counts for code in ("con", "lab", "ld")},
        **{f"votes_{pk}": counts for pk in candidacies},
        **{f"transfers_{pk}": counts for pk in candidacies},
    }
    return _spoil(draw, form, fields)


@pytest.fixture
def desk_client(client, night, results_desk):
    client.raise_request_exception = False
    client.force_login(results_desk)
    return client


@FUZZ
@given(data=st.data())
def test_the_results_entry_form_refuses_odd_figures_without_a_server_error_or_half_a_declaration(
    data, desk_client, night, tracebacks
):
    contests = Contest.objects.filter(candidacies__isnull=False).distinct().order_by("pk")
    choices = list(contests[:2]) + list(contests.filter(seats_up__gt=1)[:1])
    contest = data.draw(st.sampled_from(choices), label="contest")
    form = data.draw(entry_form(contest), label="form")
    statuses = st.sampled_from([*Result.Status.values, "won"])
    status = data.draw(st.none() | st.none() | st.none() | statuses, label="_status")
    url = f"/admin/results/contest/{contest.pk}/enter/"
    tracebacks.clear()
    with rolled_back():
        desk_client.get(url)  # the page makes the contest's result row when it is first opened
        before = row_counts(*WRITTEN_BY_RESULTS)
        if status is not None:
            response = desk_client.post(url, {**form, "_status": status})
        else:
            response = desk_client.post(url, {**form, "_preview": "Preview"})
            assert response.status_code < 500, response.content[:500]
            digest = re.search(rb'name="previewed" value="([0-9a-f]+)"', response.content)
            if digest:  # the figures were good enough for a card: declare them, as the desk would
                response = desk_client.post(url, {**form, "previewed": digest.group(1).decode(), "_declare": "1"})
        event(f"{'status' if status else 'entry'} answered {response.status_code}")
        assert response.status_code < 500, response.content[:500]
        assert not tracebacks.found()
        if response.status_code != 302:
            assert row_counts(*WRITTEN_BY_RESULTS) == before, "a refused entry wrote rows"
