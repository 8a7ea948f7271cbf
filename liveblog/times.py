"""Times as readers and editors see them: in the blog's zone, told apart in the hour clocks go back, never fatal.

Blog and post dates are kept to DISPLAYABLE_YEARS: far enough either side of any night
a newsroom covers, and well inside what Python can turn into a local time in any zone
(year 1 and year 9999 overflow at the edges). A value stored before that rule, outside
it, is shown raw (ISO 8601, UTC) rather than taking its page down.
"""

from datetime import UTC, datetime, tzinfo

from django.core.exceptions import ValidationError
from django.utils import timezone

DISPLAYABLE_YEARS = range(1900, 2201)


def validate_displayable(value: datetime | None) -> None:
    if value is not None and value.year not in DISPLAYABLE_YEARS:
        raise ValidationError(
            f"Choose a date between {DISPLAYABLE_YEARS[0]} and {DISPLAYABLE_YEARS[-1]}.", code="undisplayable_date"
        )


def local(moment: datetime, zone: tzinfo) -> datetime | None:
    """The moment on the zone's clock, or None where that clock cannot show it."""
    try:
        return timezone.localtime(moment, zone)
    except (OverflowError, ValueError):
        return None


def occurs_twice(wall: datetime, zone: tzinfo) -> bool:
    """Whether this clock reading happens twice in the zone, as 01:30 does on the night clocks go back."""
    first, second = (wall.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
    return first.utcoffset() != second.utcoffset() and all(_exists(reading) for reading in (first, second))


def _exists(reading: datetime) -> bool:
    round_trip = reading.astimezone(UTC).astimezone(reading.tzinfo)
    return round_trip.replace(tzinfo=None, fold=0) == reading.replace(tzinfo=None, fold=0)


def clock(moment: datetime | None, zone: tzinfo, *, always_zone: bool = False) -> str:
    """'HH:MM' on the zone's clock, with the zone ('01:30 GMT') where the reading alone could mean two moments."""
    if moment is None:
        return ""
    shown = local(moment, zone)
    if shown is None:
        return moment.isoformat()
    if always_zone or occurs_twice(shown.replace(tzinfo=None), zone):
        return f"{shown:%H:%M} {shown.tzname()}"
    return f"{shown:%H:%M}"


def iso(moment: datetime | None) -> str:
    """For datetime attributes and scripts: the local ISO 8601 reading, or the UTC one where there is none."""
    if moment is None:
        return ""
    shown = local(moment, timezone.get_current_timezone())
    return (shown or moment).isoformat()
