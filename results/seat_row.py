"""A row of the table of all seats as HTML, for the page (650 at once) and for a declaration's frame (one).

Written out here rather than as a template: the page joins 650 of them, and a template rendered 650
times cost about 150 ms of each render of a general election's summary. Every value is escaped.
The cells' end tags are left out, as HTML allows, which keeps 650 rows about 16 KB smaller.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .seat_table import SeatRow


def seat_row_html(row: SeatRow, *, notional_everywhere: bool, oob: bool = False) -> SafeString:
    # The seat links relative to the results page, /results/<election>/, as the table is only there.
    swap = ' hx-swap-oob="true"' if oob else ""
    head = f'<tr id="seat-{row.pk}"{swap}>'
    name = f'<th><a href="{escape(row.slug)}/">{escape(row.name)}</a>'
    if row.declared:
        notional = " (notional)" if row.notional and not notional_everywhere else ""
        gain = ' class="gain"' if row.gain else ""
        cells = (
            f'<td class="party-{escape(row.party)}">{escape(row.party_label)}'
            f"<td{gain}>{escape(row.change)}{notional}"
            f"<td>{escape(row.majority_text)}<td>{escape(row.turnout_text)}<td>{escape(row.time)}"
        )
    else:
        cells = f'<td class="waiting" colspan="5">{escape(row.status_label)}'
    html = f"{head}{name}{cells}</tr>"
    return mark_safe(f"<template>{html}</template>" if oob else html)  # noqa: S308 (every value escaped above)
