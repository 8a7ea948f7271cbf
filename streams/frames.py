"""The frame envelope: the element every pushed change travels in, and the swaps inside it.

A frame's root element carries data-seq and data-kind; its parts are fragments
that htmx swaps into the page by element id. What goes inside is rendered by the
app that owns it (liveblog/frames.py, results/frames.py). See docs/architecture.md.
"""

import functools
import re

from django.template.loader import render_to_string

from . import events

_FIRST_TAG = re.compile(r"^(\s*<[a-zA-Z][\w-]*)")


def swap_by_id(html: str) -> str:
    """Mark an already-rendered fragment to replace the element with its id."""
    return _FIRST_TAG.sub(r'\1 hx-swap-oob="true"', html, count=1)


def swap_if_present(element_id: str, html: str) -> str:
    """A part that replaces the element with this id on a page that has it and is passed over on one that has
    not (static/liveblog/live.js applies it): an oob swap would be an error there."""
    return f'<template class="swap-if-present" data-target="{element_id}">{html}</template>'


def remove_by_id(element_id: str) -> str:
    return render_to_string("streams/_remove.html", {"element_id": element_id})


def frame(*, seq: int, kind: str, parts: list[str]) -> str:
    return render_to_string("streams/_frame.html", {"seq": seq, "kind": kind, "parts": parts})


def reload_frame(seq: int) -> str:
    return frame(seq=seq, kind=events.RELOAD, parts=[])


@functools.lru_cache(maxsize=256)
def heartbeat_frame(seq: int) -> events.Frame:
    """Tells a reader the stream's latest seq; it is not an event, so it is sent, never stored.

    Made once per seq: every reader resuming at the same point is sent the same frame.
    """
    return events.Frame(seq=seq, text=frame(seq=seq, kind=events.HEARTBEAT, parts=[]))
