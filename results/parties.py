"""The main GB parties, loaded by a data migration. Independent is for council seat tallies only."""

GB_PARTIES = [
    # code, name, short name, colour
    ("con", "Conservative", "Con", "#0087DC"),
    ("lab", "Labour", "Lab", "#E4003B"),
    ("ld", "Liberal Democrats", "LD", "#FAA61A"),
    ("green", "Green Party", "Green", "#02A95B"),
    ("reform", "Reform UK", "Reform", "#12B6CF"),
    ("snp", "Scottish National Party", "SNP", "#FDF38E"),
    ("pc", "Plaid Cymru", "PC", "#005B54"),
    ("ukip", "UK Independence Party", "UKIP", "#6D3177"),
    ("ind", "Independent", "Ind", "#AAAAAA"),
]


def upsert_parties(party_model, rows) -> None:
    """Create or update parties from (code, name, short name, colour) rows; safe to run again."""
    for code, name, short_name, colour in rows:
        party_model.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "colour": colour}
        )
