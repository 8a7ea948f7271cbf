"""What a ballot's id says when the feed does not: the kind of election and contest, and when polls close.

Democracy Club's ids begin with the kind of election (local.…, parl.…, pcc.cleveland.2024-05-02 for a
police and crime commissioner, mayor.… for a mayoralty) and end with polling day;
UK polls close at 22:00 on polling day.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ..models import Contest, Election

UK = ZoneInfo("Europe/London")
POLLS_CLOSE = time(22, 0)
# The first part of an election id says what kind of election it is.
KINDS = {
    "local": (Election.Kind.LOCAL, Contest.Kind.WARD),
    "mayor": (Election.Kind.MAYORAL, Contest.Kind.MAYORALTY),
    "pcc": (Election.Kind.PCC, Contest.Kind.POLICE_AREA),
    "parl": (Election.Kind.GENERAL, Contest.Kind.CONSTITUENCY),
    "sp": (Election.Kind.DEVOLVED, Contest.Kind.CONSTITUENCY),
    "senedd": (Election.Kind.DEVOLVED, Contest.Kind.CONSTITUENCY),
    "nia": (Election.Kind.DEVOLVED, Contest.Kind.CONSTITUENCY),
}


def kinds_for(ballot_id: str) -> tuple[str, str]:
    """(election kind, contest kind) as the id's first part says: local.… is a ward, parl.… a constituency."""
    prefix = ballot_id.split(".", 1)[0]
    election_kind, contest_kind = KINDS.get(prefix, (Election.Kind.LOCAL, Contest.Kind.WARD))
    if prefix == "parl" and ".by." in ballot_id:
        election_kind = Election.Kind.BY_ELECTION
    return election_kind, contest_kind


def polls_close_on(day: date) -> str:
    return datetime.combine(day, POLLS_CLOSE, UK).isoformat()
