"""Reader and desk sockets under odd frames, odd resumes and odd paths: closed or answered, never a traceback."""

import json
from dataclasses import dataclass

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from config.asgi import application
from results.models import Election
from tests.helpers import BROWSER_HEADERS, HEARTBEAT

from .common import FUZZ, any_text, json_values, short_repr

pytestmark = pytest.mark.django_db(transaction=True)
ANSWER_SECONDS = 3

resumes = st.builds(
    lambda after: json.dumps({"type": "resume", "after": after}), st.integers(0, 3) | st.integers() | json_values
)
text_frames = (
    resumes
    | resumes
    | json_values.map(json.dumps)
    | any_text.map(lambda text: text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    | st.sampled_from(['{"type": "resume"}', '{"type": "resume", "after": 0}' + " " * 300, '{"type": "still-here"}'])
)
one_frame = st.tuples(st.just("text"), text_frames) | st.tuples(st.just("bytes"), st.binary(max_size=80))
frames = st.just([]) | st.lists(one_frame, max_size=4)
slugs = st.text(st.characters(codec="ascii", categories=["L", "N", "Pd", "Pc"]), min_size=1, max_size=30)


@dataclass
class Visit:
    path: str
    frames: list
    resumes_after: bool  # a reader socket: end with a good resume, which must be answered or refused

    def __repr__(self):
        return f"Visit(path={self.path!r}, frames={short_repr(self.frames)}, resumes_after={self.resumes_after})"


def visits(blog_slug: str, election_slug: str, blog_pk: int):
    query = st.text(st.characters(max_codepoint=255), max_size=20).map(lambda text: "?post=" + text) | st.just("")
    known = st.sampled_from([f"/ws/live/{blog_slug}/", f"/ws/live/{blog_slug}/", f"/ws/results/{election_slug}/"])
    reader_paths = known | known | known | slugs.map(lambda slug: f"/ws/live/{slug}/")
    readers = st.builds(Visit, path=reader_paths, frames=frames, resumes_after=st.just(True))
    desks = st.builds(
        Visit, path=st.builds(lambda q: f"/ws/desk/{blog_pk}/{q}", query),
        frames=frames, resumes_after=st.just(False),
    )  # fmt: skip
    elsewhere = st.builds(
        Visit,
        path=st.text(st.characters(codec="ascii", exclude_characters="?#"), max_size=30).map(lambda p: "/" + p)
        | slugs.map(lambda s: f"/ws/desk/{s}/"),
        frames=frames, resumes_after=st.just(False),
    )  # fmt: skip
    return readers | readers | desks | elsewhere


async def _exchange(visit: Visit, cookie: str) -> str:
    """Connect, send the frames, end with a good resume; what became of the socket."""
    headers = [*BROWSER_HEADERS, (b"cookie", cookie.encode())]
    communicator = WebsocketCommunicator(application, visit.path, headers=headers)
    connected, code = await communicator.connect(timeout=ANSWER_SECONDS)
    if not connected:
        return f"refused {code}"
    for kind, frame in visit.frames:
        # As a browser can: an empty frame too, which send_to refuses to send.
        await communicator.send_input({"type": "websocket.receive", kind: frame})
    outcome = "open"
    if visit.resumes_after:
        await communicator.send_to(text_data=json.dumps({"type": "resume", "after": 0}))
        outcome = await _answer(communicator)
    await communicator.disconnect(timeout=ANSWER_SECONDS)  # raises what the application raised, if anything
    return outcome


async def _answer(communicator) -> str:
    while True:
        message = await communicator.receive_output(timeout=ANSWER_SECONDS)
        if message["type"] == "websocket.close":
            return f"closed {message.get('code', 1000)}"
        if HEARTBEAT in (message.get("text") or ""):
            return "answered"


@pytest.fixture
def desk_cookie(blog, reporter, night):
    client = Client()
    client.force_login(reporter)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@FUZZ
@given(data=st.data())
def test_sockets_close_or_answer_odd_frames_and_paths_without_a_traceback(data, blog, desk_cookie, tracebacks):
    visit = data.draw(visits(blog.slug, Election.objects.order_by("pk").first().slug, blog.pk), label="visit")
    tracebacks.clear()
    try:
        outcome = async_to_sync(_exchange)(visit, desk_cookie)
    except TimeoutError:
        pytest.fail("a reader's resume went unanswered and its socket stayed open")
    event(f"{visit.path.split('/')[2] if visit.path.count('/') > 2 else 'other'}: {outcome}")
    assert not tracebacks.found()
