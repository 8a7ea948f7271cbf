"""Each party's colour as a CSS class, `.party-lab { --party: #E4003B }`, from the party book.

A table of 650 seats names its winner's swatch by class (a few bytes a row) rather than drawing
each one; the page's policy allows no inline style, so the colours come as a stylesheet.
"""

from .figures import INDEPENDENT_CODE
from .models import Party

NO_PARTY_COLOUR = "#777777"  # independents and the Speaker, as on the cards


def stylesheet() -> str:
    lines = [f".party-{code}{{--party:{colour}}}" for code, colour in Party.objects.values_list("code", "colour")]
    lines += [f".party-{INDEPENDENT_CODE},.party-speaker{{--party:{NO_PARTY_COLOUR}}}"]
    return "\n".join(lines) + "\n"
