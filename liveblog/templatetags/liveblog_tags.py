import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import times

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def ld_json(data: dict):
    """Structured data as a non-executable script block, safe from markup inside the values."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def clock(moment, zone):
    """A post's time as readers see it: 'HH:MM' in the blog's zone, with the zone where 'HH:MM' happens twice."""
    return times.clock(moment, zone)


@register.filter
def clock_with_zone(moment, zone):
    return times.clock(moment, zone, always_zone=True)


@register.filter
def iso_time(moment):
    """For datetime attributes and scripts; unlike the date filter, never fails on a time the zone cannot show."""
    return times.iso(moment)


@register.filter
def unix_time(moment):
    return int(moment.timestamp()) if moment else ""
