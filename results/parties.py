"""The main GB parties, loaded by data migrations. Independent is for council seat tallies only.

Register ids are the Electoral Commission's, as Democracy Club's feeds give them.
"""

# What an import gives a party it has to create: a grey that reads as text on white and on the dark theme's
# cards, and says "not yet set" beside every registered party's own colour.
NEW_PARTY_COLOUR = "#767676"

SHORT_NAME_MAX = 20  # Party.short_name's column


def chosen_short_name(name: str) -> str:
    """A short name for a party only its name is known of: the name when it fits, else its initials
    (Hartlepool Independent Alliance Party: HIAP), never the name's first characters."""
    if len(name) <= SHORT_NAME_MAX:
        return name
    initials = "".join(word[0].upper() for word in name.split() if word[0].isalnum())
    return initials[:SHORT_NAME_MAX] or name.split()[0][:SHORT_NAME_MAX]


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


# Parties on the Northern Ireland register that stood for the Assembly in 2022, beyond the book's first list.
# The Conservatives and the Heritage Party are registered in Northern Ireland apart from their GB parties.
NORTHERN_IRELAND_MORE = [
    ("aontu", "Aontú", "Aontú", "#44532A", "PP7968"),
    ("ni-con", "Conservative and Unionist Party (Northern Ireland)", "NI Con", "#0087DC", "PP51"),
    ("pup", "Progressive Unionist Party of Northern Ireland", "PUP", "#1F4E9C", "PP101"),
    ("socialist-ni", "Socialist Party (Northern Ireland)", "Socialist", "#D7261E", "PP28"),
    ("irsp", "Irish Republican Socialist Party", "IRSP", "#8B1A1A", "PP14057"),
    ("ccla", "Cross-Community Labour Alternative", "CCLA", "#C8102E", "PP4037"),
    ("heritage-ni", "Heritage Party (Northern Ireland)", "Heritage NI", "#0C2C5C", "PP12553"),
    ("resume", "The Resume Party (NI)", "Resume", "#5A5A5A", "PP14009"),
]  # fmt: skip

# Every party registered in Great Britain or Northern Ireland that stood in a general, devolved or mayoral
# election since 2019, by its Electoral Commission register id, with a colour readers know it by. Names
# are the registered ones (a party both registers use once: Green Party Northern Ireland); short names
# are chosen for the cards, never cut from the name. Codes already shipped or used by the demo stay.
REGISTERED_PARTIES = [
    # code, name, short name, colour, register id
    *[row for row in GB_PARTIES if row[4]],
    ("scot-green", "Scottish Green Party", "Scot Green", "#00B140", "PP130"),
    ("alba", "Alba Party", "Alba", "#005EB8", "PP12700"),
    ("dup", "Democratic Unionist Party", "DUP", "#D46A4C", "PP70"),
    ("sf", "Sinn Féin", "SF", "#326760", "PP39"),
    ("sdlp", "Social Democratic and Labour Party", "SDLP", "#2AA82C", "PP55"),
    ("uup", "Ulster Unionist Party", "UUP", "#48A5EE", "PP83"),
    ("alliance", "Alliance Party of Northern Ireland", "Alliance", "#F6CB2F", "PP103"),
    ("tuv", "Traditional Unionist Voice", "TUV", "#0C3A6A", "PP680"),
    ("pbp", "People Before Profit Alliance", "PBP", "#E91D50", "PP773"),
    ("green-ni", "Green Party Northern Ireland", "Green NI", "#8DC63F", "PP305"),
    ("workers-ni", "The Workers Party", "Workers Party", "#B31B1B", "PP127"),
    ("wpb", "Workers Party of Britain", "WPB", "#8B0000", "PP11382"),
    ("yorkshire", "Yorkshire Party", "Yorks", "#00AEEF", "PP2055"),
    ("heritage", "Heritage Party", "Heritage", "#0C2C5C", "PP12550"),
    ("coop", "Co-operative Party", "Co-op", "#3F1D70", "PP119"),
    ("nep", "The North East Party", "NEP", "#5B2C6F", "PP2303"),
    ("wep", "Women's Equality Party", "WEP", "#68217A", "PP2755"),
    ("loony", "Official Monster Raving Loony Party", "Loony", "#E6D400", "PP66"),
    ("sdp", "Social Democratic Party", "SDP", "#004A63", "PP243"),
    ("fa", "Freedom Alliance- Integrity, Society, Economy", "FA", "#7A7A7A", "PP12667"),
    ("tusc", "Trade Unionist and Socialist Coalition", "TUSC", "#EC008C", "PP804"),
    ("eng-dem", "English Democrats", "Eng Dem", "#915F6D", "PP17"),
    ("cpa", "Christian Peoples Alliance", "CPA", "#813887", "PP79"),
    ("christian", "Christian Party \"Proclaiming Christ's Lordship\"", "Christian", "#9966CC", "PP2893"),
    ("liberal", "The Liberal Party", "Liberal", "#EB7A43", "PP54"),
    ("scot-family", "Scottish Family Party", "Scot Family", "#2E4F8A", "PP6380"),
    ("isp", "Independence for Scotland Party", "ISP", "#1B3F8B", "PP11433"),
    ("ssp", "Scottish Socialist Party", "SSP", "#E00000", "PP46"),
    ("abolish-wales", "Abolish The Welsh Assembly Party", "Abolish", "#5A5A8C", "PP12653"),
    ("gwlad", "Gwlad", "Gwlad", "#2A8C4A", "PP6851"),
    ("propel", "Propel", "Propel", "#1C1C5C", "PP12731"),
    ("reclaim", "The Reclaim Party", "Reclaim", "#C03F31", "PP9050"),
    ("animal-welfare", "Animal Welfare Party", "Animal Welfare", "#C4007A", "PP616"),
    ("communist", "Communist Party of Britain", "Communist", "#C1121F", "PP78"),
    ("rejoin-eu", "Rejoin EU", "Rejoin EU", "#003399", "PP11423"),
    ("volt", "Volt United Kingdom", "Volt", "#502379", "PP8009"),
    ("adf", "Alliance for Democracy and Freedom", "ADF", "#4B0082", "PP10288"),
    ("ashfield-ind", "Ashfield Independents", "Ashfield Ind", "#E2A100", "PP3902"),
    ("slp", "Socialist Labour Party", "SLP", "#A50021", "PP73"),
    ("party-of-women", "Party Of Women", "Party of Women", "#A6148C", "PP17545"),
    *NORTHERN_IRELAND_MORE,
]  # fmt: skip


def upsert_registered_parties(party_model, rows) -> None:
    """Bring in each registered party by its register id, else by its code, else by its name; safe to run again.

    A party an import already created (grey, its short name its name's start) takes the chosen short name and
    colour; one an editor has set keeps theirs. A party found keeps its code: feeds' previous figures use it.
    """
    for code, name, short_name, colour, register_id in rows:
        party = (
            party_model.objects.filter(register_id__iexact=register_id).first()
            or party_model.objects.filter(code=code).first()
            or party_model.objects.filter(name__iexact=name).first()
        )
        if party is None:
            party_model.objects.create(code=code, name=name, short_name=short_name, colour=colour,
                                       register_id=register_id)  # fmt: skip
            continue
        made_by_an_import = party.short_name in (party.name[:SHORT_NAME_MAX], chosen_short_name(party.name))
        if party.colour.upper() == NEW_PARTY_COLOUR and made_by_an_import:
            party.short_name, party.colour = short_name, colour
        if party.code == code:
            party.name, party.short_name, party.colour = name, short_name, colour
        party.register_id = register_id
        party.save()
