from decimal import Decimal

from django import template

from ..figures import one_dp

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
