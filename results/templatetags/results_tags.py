from decimal import Decimal

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from ..figures import one_dp
from ..seat_row import seat_row_html

register = template.Library()


@register.filter
def pct1(value: Decimal | None) -> str:
    """51.88 -> "51.9"."""
    return "" if value is None else f"{one_dp(value)}"


@register.filter
def signed1(value: Decimal | None) -> str:
    """A change in points, with a real minus sign: +23.0, −9.0."""
    if value is None:
        return "new"
    rounded = one_dp(value)
    if rounded > 0:
        return f"+{rounded}"
    if rounded < 0:
        return f"−{-rounded}"
    return "0.0"


@register.filter
def signed_int(value: int | None) -> str:
    if value is None:
        return "new"
    return f"+{value}" if value > 0 else (f"−{-value}" if value < 0 else "0")


@register.simple_tag
def contest_rows(rows) -> str:
    """Every contest of the results page: a declared one's stored card as it is, otherwise its status row.

    Joined here rather than looped in the template: a general election's 650 cards are
    already rendered, and the page is only waiting for them to be put together.
    """
    status_row = get_template("results/_contest_row.html")
    return mark_safe("".join(row.card or status_row.render({"row": row, "oob": False}) for row in rows))  # noqa: S308


@register.simple_tag
def hexmap_rows(hexmap) -> str:
    """The hex map's table alternative, a row a constituency, each as a live frame renders it (frames.hexmap_part)."""
    row = get_template("results/_hexmap_row.html")
    return mark_safe("".join(row.render({"h": h}) for h in hexmap.contests))  # noqa: S308


@register.simple_tag
def seat_rows(table) -> str:
    """The rows of the table of all seats (results/seat_row.py), joined as contest_rows joins cards."""
    rows = (seat_row_html(row, notional_everywhere=table.notional_everywhere) for row in table.rows)
    return mark_safe("".join(rows))  # noqa: S308 (each row escapes its values)
