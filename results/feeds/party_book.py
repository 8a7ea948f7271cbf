"""Parties as feeds name them: the project's codes, register ids (PP52), Democracy Club's ids.

`ynmp-party:2` is Democracy Club's independent; `ynmp-party:12522` its "Speaker seeking re-election",
which is no party: the Speaker stands without one (the project's own feeds may say `speaker`).
`joint-party:53-119` is a joint description, counted for its lead party (PP53). A feed may name a
party the project does not know yet, with `party_name`: the import creates it with a neutral colour and reports it.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from ..figures import INDEPENDENT_CODE, SPEAKER_DESCRIPTION
from ..models import Party
from ..parties import NEW_PARTY_COLOUR, chosen_short_name

INDEPENDENT_IDS = {"ynmp-party:2"}
SPEAKER_IDS = {"ynmp-party:12522", "speaker"}


def is_speaker(raw: str | None, name: str = "") -> bool:
    """True where a feed's party is the Speaker's description: by Democracy Club's id, or its name."""
    return (raw or "").strip().lower() in SPEAKER_IDS or name.strip().casefold() == SPEAKER_DESCRIPTION.casefold()


# At most 18 digits: PP and the number must fit Party.register_id (20 characters).
_JOINT = re.compile(r"^joint-party:(\d{1,18})-\d+$")
_REGISTER = re.compile(r"^(?:PP|party:)(\d{1,18})$", re.IGNORECASE)


def _register_key(raw: str) -> str | None:
    """PP53 for PP53, party:53 or joint-party:53-119; None for anything else."""
    match = _JOINT.match(raw) or _REGISTER.match(raw)
    return f"PP{match.group(1)}" if match else None


@dataclass
class PartyBook:
    by_code: dict[str, Party]
    by_register: dict[str, Party]
    new: dict[str, str] = field(default_factory=dict)  # key the feed used -> the name it gave

    @classmethod
    def load(cls) -> "PartyBook":
        parties = list(Party.objects.all())
        return cls({p.code: p for p in parties}, {p.register_id.upper(): p for p in parties if p.register_id})

    def problem(self, raw: str | None, name: str, *, allow_new: bool) -> str | None:
        """Why a candidate's party id cannot be used, or None when it can (noting a new party to create)."""
        if not raw or raw in INDEPENDENT_IDS or is_speaker(raw, name):
            return None
        if raw.lower() in {INDEPENDENT_CODE, "independent"}:
            return f"party_id “{raw}”: an independent has no party; leave party_id empty (or ynmp-party:2)"
        if self._known(raw) is not None:
            return None
        if name and allow_new:
            self.new.setdefault(raw, name)
            return None
        if name:
            return f"party_id “{raw}” ({name}) is not a known party, and new parties are refused (--no-new-parties)"
        return f"party_id “{raw}” is not a known party code or register id; add party_name to create it"

    def create_new(self) -> list[Party]:
        """Create the parties the feed named and the project lacked; call inside the import's transaction.

        A party already known by that name (but not by that id) is used, and learns its register id.
        """
        created = []
        for raw, name in self.new.items():
            register = _register_key(raw) or ""
            party = Party.objects.filter(name__iexact=name).first()
            if party is None:
                code = self._free_code(slugify(register or name)[:30] or "party")
                party = Party.objects.create(
                    name=name,
                    code=code,
                    short_name=chosen_short_name(name),
                    colour=NEW_PARTY_COLOUR,
                    register_id=register,
                )
                created.append(party)
            elif register and not party.register_id and register not in self.by_register:
                party.register_id = register
                party.save(update_fields=["register_id"])
            self.by_code[party.code] = party
            if party.register_id:
                self.by_register[party.register_id.upper()] = party
            self.by_code.setdefault(raw, party)
        return created

    def party(self, raw: str | None, name: str = "") -> Party | None:
        """The party a checked id stands for; None for an independent or the Speaker."""
        if not raw or raw in INDEPENDENT_IDS or is_speaker(raw, name):
            return None
        return self._known(raw) or self.by_code[raw]

    def code(self, raw: str) -> str | None:
        """The project's code for a party named in previous results, or None if unknown."""
        party = self._known(raw)
        return party.code if party else None

    def _known(self, raw: str) -> Party | None:
        register = _register_key(raw)
        return self.by_register.get(register) if register else self.by_code.get(raw)

    def _free_code(self, code: str) -> str:
        candidate, n = code, 2
        while candidate in self.by_code or Party.objects.filter(code=candidate).exists():
            candidate, n = f"{code[:27]}-{n}", n + 1
        return candidate
