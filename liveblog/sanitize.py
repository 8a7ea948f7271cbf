"""Post bodies are HTML written by people; only a small, inert subset survives.

The reporters' editor (django-prose-editor) and the server's cleaner share one
list of features, EDITOR_EXTENSIONS: the tags the cleaner keeps are exactly the
tags those editor features produce. The cleaner is the last word on what is stored.
"""

import html
import re

import nh3
from django.utils.html import strip_tags
from django_prose_editor.config import allowlist_from_extensions

# Paragraphs, bold, italic, strike-through, links, lists, block quotes and one level of heading.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Heading": {"levels": [3]},
    "HardBreak": True,
}

ALLOWED_TAGS = frozenset(allowlist_from_extensions(EDITOR_EXTENSIONS)["tags"])
# Narrower than the editor's own attribute list: links keep where they go and a title, nothing else.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_HAS_TAG = re.compile(r"<[a-zA-Z/!]")
# What an editor leaves behind when Enter is pressed once too often: an empty paragraph or
# list item (nh3's output is normalised, so these are their only spellings), then an empty list.
_EMPTY_BLOCK = re.compile(r"<(p|li)>(?:\s|<br>|<p></p>)*</\1>")
_EMPTY_LIST = re.compile(r"<(ul|ol)>\s*</\1>")
_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs_from_plain_text(text: str) -> str:
    """Plain text, as a newsroom tool may send it: blank lines part paragraphs, single newlines break lines."""
    blocks = [block.strip() for block in _BLANK_LINE.split(text.replace("\r\n", "\n")) if block.strip()]
    return "".join("<p>" + html.escape(block).replace("\n", "<br>") + "</p>" for block in blocks)


def sanitize_body(body: str) -> str:
    """Remove scripts, event handlers, hx-*/id/style attributes and unsafe URLs.

    Only the tags and attributes listed above are kept, so anything new a
    browser or htmx learns to act on is removed by default. A body with no
    markup at all is plain text and gets its paragraphs; a body with no text
    (the editor's empty paragraph) is stored empty.
    """
    if not _HAS_TAG.search(body):
        body = paragraphs_from_plain_text(body)
    clean = nh3.clean(
        body,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
    clean = _EMPTY_LIST.sub("", _EMPTY_BLOCK.sub("", clean)).strip()
    return clean if strip_tags(clean).strip() else ""
