"""The main GB parties, loaded by data migrations. Independent is for council seat tallies only.

Register ids are the Electoral Commission's, as Democracy Club's feeds give them.
"""

GB_PARTIES = [
    # code, name, short name, colour, register id
    ("con", "Conservative", "Con", "#0087DC", "PP52"),
    ("lab", "Labour", "Lab", "#E4003B", "PP53"),
    ("ld", "Liberal Democrats", "LD", "#FAA61A", "PP90"),
    ("green", "Green Party", "Green", "#02A95B", "PP63"),
    ("reform", "Reform UK", "Reform", "#12B6CF", "PP7931"),
    ("snp", "Scottish National Party", "SNP", "#FDF38E", "PP102"),
    ("pc", "Plaid Cymru", "PC", "#005B54", "PP77"),
    ("ukip", "UK Independence Party", "UKIP", "#6D3177", "PP85"),
    ("ind", "Independent", "Ind", "#AAAAAA", ""),
    # Renamed Reform UK in January 2021; its register id went with it.
    ("brexit", "The Brexit Party", "Brexit", "#12B6CF", ""),
]

# Successor code -> predecessor code.
SUCCESSIONS = {"reform": "brexit"}


def link_successions(party_model, successions: dict[str, str]) -> None:
    for successor, predecessor in successions.items():
        party_model.objects.filter(code=successor).update(predecessor=party_model.objects.get(code=predecessor))


def upsert_parties(party_model, rows) -> None:
    """Create or update parties from (code, name, short name, colour, register id) rows; safe to run again.

    Rows without a register id (the first migration's) leave the stored one alone.
    """
    for code, name, short_name, colour, *register in rows:
        defaults = {"name": name, "short_name": short_name, "colour": colour}
        if register:
            defaults["register_id"] = register[0]
        party_model.objects.update_or_create(code=code, defaults=defaults)
