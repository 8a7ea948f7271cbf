"""Finding a constituency: a few letters of any word of its name, case and accents aside, reach its page."""

import logging

import pytest

from results.models import Contest
from results.seat_search import SUGGESTIONS_SHOWN, Query, fold, matches
from tests.results import general_night

pytestmark = pytest.mark.django_db

FIND = "/results/parl.2024-07-04/find"
SUGGEST = "/results/parl.2024-07-04/find/suggestions"


@pytest.fixture
def election(roles):
    return general_night.create(seats=70)


def url_of(name: str) -> str:
    return Contest.objects.get(name=name).get_absolute_url()


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Ynys Môn", "ynys mon"),
        ("Montgomeryshire and Glyndŵr", "montgomeryshire and glyndwr"),
        ("St. Albans", "st albans"),
        ("Weston-super-Mare", "weston super mare"),
        ("King's Lynn", "kings lynn"),
        ("KING’S LYNN", "kings lynn"),
        ("  Hartlepool  ", "hartlepool"),
    ],
)
def test_names_and_what_is_typed_are_folded_alike(name, folded):
    assert fold(name) == folded


@pytest.mark.parametrize(
    ("typed", "name", "found"),
    [
        ("ynys", "Ynys Môn", True),
        ("mon", "Ynys Môn", True),
        ("MÔN", "Ynys Môn", True),
        ("st albans", "St Albans", True),
        ("albans", "St Albans", True),
        ("albans st", "St Albans", True),
        ("lbans", "St Albans", False),  # inside a word, not at its start
        ("hartl", "Hartlepool", True),
        ("hartl", "Harlow", False),
        ("super", "Weston-super-Mare", True),
        ("and knar", "Harrogate and Knaresborough", True),
    ],
)
def test_every_word_typed_must_begin_a_word_of_the_name(typed, name, found):
    assert matches(name, Query.parse(typed).words) is found


def test_one_match_goes_straight_to_its_page(client, election):
    response = client.get(FIND, {"q": "Hartl"})
    assert response.status_code == 302
    assert response["Location"] == url_of("Hartlepool")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("typed", ["ynys", "mon", "MÔN", "Ynys Môn", "ynys-mon"])
def test_accents_and_case_do_not_matter(client, election, typed):
    response = client.get(FIND, {"q": typed})
    assert (response.status_code, response["Location"]) == (302, url_of("Ynys Môn"))


def test_two_words_find_the_seat_with_both(client, election):
    assert client.get(FIND, {"q": "st albans"})["Location"] == url_of("St Albans")


def test_several_matches_are_listed_with_links_and_their_status(client, election, results_desk):
    general_night.declare(election, results_desk, count=1, through_service=1)  # Hartlepool
    response = client.get(FIND, {"q": "har"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "3 constituencies match “har”" in text
    listed = text.split('class="seat-matches__list"')[1].split("</ul>")[0]
    for name in ("Harborough, Oadby and Wigston", "Harlow", "Hartlepool"):
        assert f'<a href="{url_of(name)}">{name}</a>' in listed
    hartlepool = Contest.objects.get(name="Hartlepool").result.current.facts["headline"]
    assert hartlepool in listed and "Expected" in listed
    assert 'id="seat-search-input"' in text and 'value="har"' in text  # the box again, with what was typed


def test_the_name_itself_and_names_that_begin_so_come_first(client, election):
    text = client.get(FIND, {"q": "st"}).content.decode()
    listed = text.split('class="seat-matches__list"')[1]
    order = [listed.index(name) for name in ("St Albans", "St Ives", "Stoke-on-Trent Central")]
    assert order == sorted(order)


def test_no_match_says_so_and_offers_the_box_again(client, election):
    response = client.get(FIND, {"q": "Xanadu"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "No constituency matches “Xanadu”" in text
    assert 'id="seat-search-input"' in text


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ({}, 200, "Type a few letters of a constituency"),
        ({"q": ""}, 200, "Type a few letters of a constituency"),
        ({"q": "   "}, 200, "Type a few letters of a constituency"),
        ({"q": "x" * 101}, 400, "longer than any constituency"),
        ({"q": "!!! ???"}, 400, "Type letters or numbers"),
        ({"q": "\u202e\u200b"}, 400, "Type letters or numbers"),
        ({"q": "<script>alert(1)</script>"}, 200, "No constituency matches “&lt;script&gt;"),
        ({"q": "%ff%fe"}, 200, "No constituency matches"),
    ],
)
def test_odd_input_gets_a_clear_answer(client, election, caplog, query, status, says):
    with caplog.at_level(logging.ERROR):
        response = client.get(FIND, query)
    assert response.status_code == status
    assert says in response.content.decode()
    assert caplog.records == []


def test_a_nul_byte_is_refused_at_the_door(client, election):
    assert client.get(f"{FIND}?q=Hart%00").status_code == 400


def test_an_unknown_election_is_not_found(client, election):
    assert client.get("/results/parl.1066/find", {"q": "Hastings"}).status_code == 404


def test_finding_reads_the_contests_in_one_query(client, election, django_assert_num_queries):
    # The election, the stream's latest seq for the page cache, and the contests: 650 or 70 alike.
    with django_assert_num_queries(3):
        client.get(FIND, {"q": "har"})


def test_each_search_is_its_own_page_in_the_cache(client, election):
    assert "3 constituencies" in client.get(FIND, {"q": "har"}).content.decode()
    assert client.get(FIND, {"q": "hartl"}).status_code == 302
    assert "No constituency matches “harz”" in client.get(FIND, {"q": "harz"}).content.decode()
    assert "3 constituencies" in client.get(FIND, {"q": "har"}).content.decode()


def test_suggestions_are_options_for_the_list_at_most_eight(client, election):
    text = client.get(SUGGEST, {"q": "seat"}).content.decode()
    assert text.count('role="option"') == SUGGESTIONS_SHOWN
    assert f"{SUGGESTIONS_SHOWN} suggestions" in text and "more on Enter" in text
    assert 'hx-swap-oob="innerHTML"' in text  # the count is announced in the status line


def test_a_suggestion_names_its_seat_and_where_it_goes(client, election):
    text = client.get(SUGGEST, {"q": "hartl"}).content.decode()
    assert text.count('role="option"') == 1
    assert f'data-href="{url_of("Hartlepool")}"' in text and ">Hartlepool<" in text and "Expected" in text


@pytest.mark.parametrize("typed", ["", "zzz", "!!!", "x" * 500])
def test_nothing_to_suggest_is_an_empty_list(client, election, typed):
    response = client.get(SUGGEST, {"q": typed})
    assert response.status_code == 200
    assert 'role="option"' not in response.content.decode()
