"""Phones and small windows: nothing with text is cut off, and nothing scrolls the page sideways."""

import pytest

from liveblog.services import post_pin
from tests.helpers import call_as_server, declare_demo_contest, publish_from_a_server_thread

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WIDTHS = (320, 360, 390, 768)

# Every element that hides its overflow and holds text must fit what it holds.
CUT_OFF = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(style.overflowX);
    if (!hides || el.classList.contains('visually-hidden') || !el.textContent.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) cut.push(`${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  return {cut, page: document.documentElement.scrollWidth};
}"""


def test_no_text_is_cut_off_and_nothing_scrolls_sideways_at_phone_widths(
    asgi_server, browser, blog, night, reporter, editor, results_desk
):
    blog.elections.add(night["hartlepool-2021"], night["mayors-2021"])
    for contest in ("hartlepool", "west-midlands"):
        call_as_server(declare_demo_contest, contest, results_desk)
    card_post = blog.posts.get(result__contest__slug="hartlepool")
    call_as_server(post_pin, post=card_post, actor=editor)
    post = publish_from_a_server_thread(blog, reporter, "A headline long enough to wrap across a narrow phone screen")
    pages = [
        blog.get_absolute_url(), post.get_permalink(), f"/embed/live/{blog.slug}/",
        "/results/mayors-2021/", "/embed/results/mayors-2021/", "/results/hartlepool-2021/",
    ]  # fmt: skip
    problems = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for path in pages:
            page.goto(f"{asgi_server}{path}")
            found = page.evaluate(CUT_OFF)
            if found["cut"] or found["page"] > width:
                problems.append((width, path, found))
        page.close()
    assert problems == []
