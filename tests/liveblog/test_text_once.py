"""Text leaves the database escaped exactly once, whatever carries it: page, lists, share tags, JSON-LD, Atom."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tests.helpers import declare_demo_contest

pytestmark = pytest.mark.django_db

TRICKY = 'Q&A: 5 < 6 "quoted" it\'s'
ATOM = "{http://www.w3.org/2005/Atom}"


class Reader(HTMLParser):
    """What a browser shows: the text of chosen elements and the attributes of meta tags, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.key_events, self.ld_json, self._in = {}, [], "", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        if tag == "ol" and attrs.get("id") == "key-events":
            self._in.append("key")
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in.append("ld")
        if tag == "time" and self._in[-1:] == ["key"]:
            self._in.append("time")

    def handle_endtag(self, tag):
        if self._in and {"ol": "key", "script": "ld", "time": "time"}.get(tag) == self._in[-1]:
            self._in.pop()

    def handle_data(self, data):
        if self._in[-1:] == ["key"]:
            self.key_events.append(data)
        elif self._in[-1:] == ["ld"]:
            self.ld_json += data


def read_page(client, url) -> Reader:
    reader = Reader()
    reader.feed(client.get(url).content.decode())
    return reader


def test_tricky_text_reads_the_same_everywhere_it_leaves(client, blog, reporter, publish):
    # Stored as the editor stores it: the body's text is HTML-escaped, the headline is plain text.
    post = publish(reporter, body=f"<p>{TRICKY.replace('&', '&amp;').replace('<', '&lt;')}</p>", is_key_event=True)
    titled = publish(reporter, headline=TRICKY, body="<p>x</p>")

    page = read_page(client, blog.get_absolute_url())
    assert TRICKY in "".join(page.key_events)
    updates = {u["url"].rsplit("/", 2)[-2]: u for u in json.loads(page.ld_json)["liveBlogUpdate"]}
    assert updates[str(post.pk)]["articleBody"] == TRICKY and updates[str(post.pk)]["headline"] == TRICKY
    assert updates[str(titled.pk)]["headline"] == TRICKY

    permalink = read_page(client, post.get_permalink())
    assert permalink.meta["og:description"] == TRICKY and permalink.meta["twitter:description"] == TRICKY
    assert read_page(client, titled.get_permalink()).meta["og:title"].startswith(TRICKY)

    feed = ET.fromstring(client.get(f"{blog.get_absolute_url()}feed/").content)  # noqa: S314 (our own feed)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]
    assert titles == [TRICKY, TRICKY]


def test_atom_entries_have_uri_ids_and_the_elements_atom_requires(client, blog, reporter, publish):
    post = publish(reporter, headline="Turnout")
    feed = ET.fromstring(client.get(f"{blog.get_absolute_url()}feed/").content)  # noqa: S314 (our own feed)
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None and feed.find(f"{ATOM}{required}").text
    [entry] = feed.findall(f"{ATOM}entry")
    for required in ("id", "title", "updated"):
        assert entry.find(f"{ATOM}{required}").text
    assert entry.find(f"{ATOM}id").text == f"http://testserver{post.get_permalink()}"
    assert re.match(r"^https?://", feed.find(f"{ATOM}id").text)


def test_a_declaration_entry_says_the_result_in_words(client, blog, night, results_desk):
    blog.elections.add(night["hartlepool-2021"])
    declare_demo_contest("hartlepool", results_desk)
    feed = ET.fromstring(client.get(f"{blog.get_absolute_url()}feed/").content)  # noqa: S314 (our own feed)
    [entry] = feed.findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary").text
    assert summary == (
        "Jill Mortimer (Con) wins Hartlepool: Con GAIN from Lab. Majority 6,940 (23.2 points). Turnout 42.3%."
    )


def test_plain_text_keeps_a_space_between_paragraphs_list_items_and_lines(blog, reporter, publish):
    post = publish(reporter, headline="", body="<p>Turnout is 42%.</p><p>Counting &amp; checking<br>goes on.</p>"
                   "<ul><li>Lab</li><li>Con</li></ul>")  # fmt: skip
    assert post.body_text == "Turnout is 42%. Counting & checking goes on. Lab Con"
