"""Every registered party that stood since 2019 is known by its register id; an unknown one is created grey."""

import pytest
from django.core.management import call_command

from results.models import Party
from results.parties import NEW_PARTY_COLOUR, REGISTERED_PARTIES, chosen_short_name, upsert_registered_parties

from .test_import_as_published import write

pytestmark = pytest.mark.django_db

ELECTION = "local.exampleshire.2021-05-06"


def one_ballot_per_party(parties) -> dict:
    """A ward per party, each won by that party's candidate: the headline says the winner's short name."""
    return {"elections": [{
        "election_id": ELECTION, "election_name": "Exampleshire", "poll_open_date": "2021-05-06",
        "ballots": [
            {"ballot_paper_id": f"local.exampleshire.ward-{i}.2021-05-06", "post_name": f"Ward {i}",
             "candidates": [{"person_name": f"Candidate {i}", "party_id": party_id, "party_name": name,
                             "votes_cast": 100}],
             "result": {"declared_at": "2021-05-07T02:00:00+01:00"}}
            for i, (party_id, name) in enumerate(parties)
        ],
    }]}  # fmt: skip


def headlines(client) -> dict[str, str]:
    contests = client.get(f"/api/results/{ELECTION}/").json()["contests"]
    return {c["name"]: c["declaration"]["headline"] for c in contests}


def test_every_registered_party_imports_by_its_register_id_and_shows_its_short_name(
    tmp_path, client, results_desk, capsys
):
    feed = one_ballot_per_party([(register_id, "") for *_, register_id in REGISTERED_PARTIES])
    call_command("import_results", str(write(tmp_path, feed)), "--as", "desk")
    assert "New party" not in capsys.readouterr().out
    shown = headlines(client)
    for i, (_code, name, short_name, colour, register_id) in enumerate(REGISTERED_PARTIES):
        assert shown[f"Ward {i}"] == f"{short_name} win", (register_id, name)
        assert colour != NEW_PARTY_COLOUR


def test_democracy_clubs_party_ids_name_the_same_parties(tmp_path, client, results_desk, capsys):
    feed = one_ballot_per_party([("party:70", ""), ("party:39", ""), ("PP12700", ""), ("party:2055", "")])
    call_command("import_results", str(write(tmp_path, feed)), "--as", "desk")
    assert list(headlines(client).values()) == ["DUP win", "SF win", "Alba win", "Yorks win"]


def test_an_unknown_party_is_created_grey_with_its_whole_name_and_listed(tmp_path, client, results_desk, capsys):
    name = "Hartlepool Harbour and Headland Independent Alliance"  # illustrative, longer than a short name
    feed = one_ballot_per_party([("PP99998", name)])
    call_command("import_results", str(write(tmp_path, feed)), "--as", "desk")
    assert f"New party: {name} (pp99998, PP99998)" in capsys.readouterr().out
    party = Party.objects.get(register_id="PP99998")
    assert (party.name, party.short_name, party.colour) == (name, "HHAHIA", NEW_PARTY_COLOUR)
    assert headlines(client) == {"Ward 0": "HHAHIA win"}


def test_a_short_name_is_chosen_never_cut_from_the_name():
    assert chosen_short_name("Yorkshire Party") == "Yorkshire Party"
    assert chosen_short_name("Trade Unionist and Socialist Coalition") == "TUASC"
    for _code, name, short_name, *_ in REGISTERED_PARTIES:
        assert len(short_name) <= Party._meta.get_field("short_name").max_length
        assert len(name) <= Party._meta.get_field("name").max_length


def test_a_party_an_import_created_takes_its_registered_colour_and_keeps_its_code(results_desk):
    Party.objects.filter(register_id="PP2055").delete()
    Party.objects.create(name="Yorkshire Party", code="pp2055", short_name="Yorkshire Party",
                         colour=NEW_PARTY_COLOUR, register_id="PP2055")  # fmt: skip
    upsert_registered_parties(Party, REGISTERED_PARTIES)
    party = Party.objects.get(register_id="PP2055")
    assert (party.code, party.short_name, party.colour) == ("pp2055", "Yorks", "#00AEEF")


def test_a_colour_an_editor_set_is_kept(results_desk):
    Party.objects.filter(code="alba").update(colour="#123456", code="alba-party")
    upsert_registered_parties(Party, REGISTERED_PARTIES)
    assert Party.objects.get(register_id="PP12700").colour == "#123456"
