"""Reader pages, the events catch-up and the posting form under odd query strings: never a server error."""

from urllib.parse import quote

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from .common import FUZZ, SENDABLE_STRINGS

pytestmark = pytest.mark.django_db

PAGES = ["/live/hartlepool/", "/live/hartlepool/events", "/live/hartlepool/key-events/", "/embed/live/hartlepool/",
         "/admin/liveblog/post/add/", "/healthz"]  # fmt: skip
NAMES = ["after", "before", "blog", "just", "fragment", "page", "post"]
values = st.integers(-2, 2**70).map(str) | st.text(st.characters(max_codepoint=0x10FFFF, codec="utf-8"), max_size=20)
values |= st.sampled_from(SENDABLE_STRINGS)
# Raw: a query string as a client may send it, percent-escapes and all, not always well formed.
raw_queries = st.text(st.characters(codec="ascii"), max_size=40) | st.sampled_from(
    ["after=%00", "before=%ff%fe", "a=%"]
)


@st.composite
def queries(draw) -> str:
    if draw(st.booleans()):
        return draw(raw_queries)
    pairs = draw(st.lists(st.tuples(st.sampled_from(NAMES), values), max_size=3))
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in pairs)


@FUZZ
@given(page=st.sampled_from(PAGES), query=queries(), htmx=st.booleans())
def test_odd_query_strings_get_an_answer_below_500_without_a_traceback(
    page, query, htmx, client, blog, reporter, tracebacks
):
    tracebacks.clear()
    client.raise_request_exception = False
    client.force_login(reporter)
    response = client.get(f"{page}?{query}", headers={"HX-Request": "true"} if htmx else {})
    event(f"{page} answered {response.status_code}")
    assert response.status_code < 500, response.content[:300]
    assert not tracebacks.found()
