"""The publishing API under odd requests: an answer below 500, no traceback, and nothing written unless 201."""

import json
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, given
from hypothesis import strategies as st

from liveblog.models import ApiReplay, Post, Quote
from streams.models import Event
from tests.helpers import api_token

from .common import FUZZ, any_text, json_values, latin1_text, odd_or, rolled_back, row_counts, sendable, short_repr
from .pictures import uploads

pytestmark = pytest.mark.django_db

URL = "/api/live/hartlepool/posts/"
WRITTEN = (Post, Quote, ApiReplay, Event)
# Text that a multipart body can carry: any character a client can encode.
form_text = st.text(st.characters(codec="utf-8"), max_size=60) | latin1_text

QUOTE_FIELDS = ("text", "speaker_name", "speaker_role")
quote = st.fixed_dictionaries({}, optional={name: odd_or(any_text) for name in QUOTE_FIELDS})
post_fields = {
    "headline": any_text,
    "body": st.sampled_from(["<p>Counting continues.</p>", "<p>Turnout <b>42%</b></p><script>x()</script>"]) | any_text,
    "status": st.sampled_from([*Post.Status.values, "PUBLISHED", "deleted"]) | any_text,
    "is_key_event": st.booleans() | st.sampled_from(["true", "false", "on", "1", ""]),
    "published_at": st.sampled_from(["2021-05-07T04:20:00+01:00", "2021-05-07T04:20", "2038-01-19T03:14:08Z"])
    | any_text,
    "image_caption": any_text,
    "image_credit": any_text,
    "embed_url": st.sampled_from(["https://twitter.com/bbc/status/1", "https://www.youtube.com/watch?v=x", "http://"])
    | any_text,
    "allow_ended": st.booleans() | json_values,
    "quotes": st.lists(odd_or(quote), max_size=22),
}
post_object = st.fixed_dictionaries({}, optional={name: odd_or(value) for name, value in post_fields.items()})


@dataclass
class ApiRequest:
    """One request as a newsroom tool, or something pretending to be one, might send it."""

    body: bytes | dict
    content_type: str | None = None  # None: multipart, from the dict
    key: str | None = None
    authorization: str = "token"  # "token": the fixture's valid token
    files: dict = field(default_factory=dict)

    def __repr__(self):
        shown = {name: short_repr(value) for name, value in self.__dict__.items()}
        return "ApiRequest(" + ", ".join(f"{name}={value}" for name, value in shown.items()) + ")"

    def send(self, client, token: str):
        headers = {"Authorization": f"Bearer {token}" if self.authorization == "token" else self.authorization}
        if self.key is not None:
            headers["Idempotency-Key"] = self.key
        if self.content_type is None:
            data = {**self.body, **{name: SimpleUploadedFile(name, content) for name, content in self.files.items()}}
            return client.post(URL, data, headers=headers)
        return client.post(URL, self.body, content_type=self.content_type, headers=headers)


def _as_form(fields: dict) -> dict:
    """A post object as multipart fields: text stays text, anything else goes as its JSON."""
    return {name: value if isinstance(value, str) else json.dumps(value) for name, value in fields.items()}


json_requests = st.builds(
    ApiRequest,
    body=(post_object | json_values).map(lambda value: json.dumps(value).encode()),
    content_type=st.just("application/json"),
)
# JSON nested deeper than a parser's stack: a few hundred bytes of brackets.
deep_json = st.builds(
    lambda depth, opener, inner: f'{{"quotes": {opener * depth}{inner}{_closer(opener) * depth}}}'.encode(),
    depth=st.sampled_from([1_000, 10_000, 100_000]),
    opener=st.sampled_from(["[", '{"a":']),
    inner=st.sampled_from(["1", "null"]),
)
raw_requests = st.builds(
    ApiRequest,
    body=st.binary(max_size=300) | any_text.map(lambda text: text.encode("utf-8", "surrogatepass")) | deep_json,
    content_type=st.sampled_from([
        "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "multipart/form-data",
    ]),
)  # fmt: skip
form_requests = st.builds(
    ApiRequest,
    body=st.dictionaries(st.sampled_from(sorted(post_fields)), form_text, max_size=6)
    | post_object.filter(lambda fields: all(sendable(v) for v in fields.values())).map(_as_form),
    content_type=st.none(),
    files=st.dictionaries(st.just("image"), uploads().map(lambda upload: upload[1]), max_size=1),
)
keys = st.none() | st.sampled_from(["retry-1", "a" * 200, "a" * 201]) | latin1_text
# Mostly the valid token, so most requests get past it to the parts that read the body.
authorizations = st.just("token") | st.just("token") | st.just("token") | st.sampled_from(["Bearer ", "Token x"])


@st.composite
def requests(draw) -> ApiRequest:
    request = draw(json_requests | raw_requests | form_requests)
    request.key = draw(keys)
    request.authorization = draw(authorizations | latin1_text)
    return request


def _closer(opener: str) -> str:
    return "]" if opener == "[" else "}"


@pytest.fixture
def token(blog, reporter, settings, tmp_path):
    settings.LIVEBLOG_API_RATE_PER_MINUTE = 0  # the limit would answer most examples with a 429
    settings.MEDIA_ROOT = tmp_path
    return api_token(reporter)


@FUZZ
@given(request=requests())
def test_the_publishing_api_answers_odd_requests_without_a_server_error_or_half_a_post(
    request, quiet_client, token, tracebacks
):
    tracebacks.clear()
    with rolled_back():
        before = row_counts(*WRITTEN)
        response = request.send(quiet_client, token)
        event(f"answered {response.status_code}")
        assert response.status_code < 500, response.content[:500]
        assert not tracebacks.found()
        after = row_counts(*WRITTEN)
        if response.status_code != 201:
            assert after == before, f"refused with {response.status_code} but wrote rows"
            return
        assert after["Post"] == before["Post"] + 1
        if request.key:
            again = request.send(quiet_client, token)
            assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
            assert row_counts(*WRITTEN) == after, "a retry with the same Idempotency-Key posted again"
