"""A declaration is summarised once, when declared: reading the results API costs the same however many there are."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .test_import_as_published import write

pytestmark = pytest.mark.django_db

ELECTION = "local.exampleshire.2021-05-06"


def wards(first: int, last: int) -> dict:
    """Wards first..last-1, each declared with two candidates (illustrative figures)."""
    return {"elections": [{
        "election_id": ELECTION, "election_name": "Exampleshire", "poll_open_date": "2021-05-06",
        "ballots": [
            {"ballot_paper_id": f"local.exampleshire.ward-{i}.2021-05-06", "post_name": f"Ward {i}",
             "electorate": 5000,
             "previous": {"votes": {"PP53": 900, "PP52": 700}, "winner": "PP53"},
             "candidates": [
                 {"person_name": f"Con {i}", "party_id": "PP52", "votes_cast": 1000 + i},
                 {"person_name": f"Lab {i}", "party_id": "PP53", "votes_cast": 800},
                 {"person_name": f"Ind {i}", "party_id": "ynmp-party:2", "votes_cast": 90},
             ],
             "result": {"declared_at": "2021-05-07T02:00:00+01:00", "rejected_ballots": 12}}
            for i in range(first, last)
        ],
    }]}  # fmt: skip


def declare_wards(tmp_path, first: int, last: int) -> None:
    call_command("import_results", str(write(tmp_path, wards(first, last), f"wards-{last}.json")), "--as", "desk")


def queries_to_read(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_results_api_reads_a_fixed_number_of_queries_however_many_are_declared(tmp_path, client, results_desk):
    url = f"/api/results/{ELECTION}/"
    declare_wards(tmp_path, 0, 2)
    with_two = queries_to_read(client, url)
    declare_wards(tmp_path, 2, 12)
    with_twelve = queries_to_read(client, url)
    assert with_twelve == with_two
    declared = {c["name"]: c["declaration"] for c in client.get(url).json()["contests"]}
    assert len(declared) == 12 and declared["Ward 11"]["headline"] == "Con GAIN from Lab"
    assert declared["Ward 11"]["majority"] == 211 and declared["Ward 11"]["rejected_ballots"] == 12
