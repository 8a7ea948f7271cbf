import re

import pytest

from results.models import Contest, Result

pytestmark = pytest.mark.django_db


def entry_url(contest):
    return f"/admin/results/contest/{contest.pk}/enter/"


def hartlepool_form(contest, **overrides):
    votes = {
        "Jill Mortimer": "15,529", "Paul Williams": "8,589", "Sam Lee": "2,904", "Claire Martin": "468",
        "John Prescott": "368", "Rachel Featherstone": "358", "Andy Hagon": "349", "Thelma Walker": "250",
        "Chris Killick": "248", "Hilton Dawson": "163", "Ralph Ward-Jackson": "157", "Gemma Evans": "140",
        "Adam Gaines": "126", "The Incredible Flying Brick": "108", "David Bettney": "104", "Steve Jack": "72",
    }  # fmt: skip
    data = {f"votes_{c.pk}": votes[c.name] for c in contest.candidacies.all()}
    data.update({"declared_at": "2021-05-07T04:20", "version": "0", "source": "Count", "_preview": "Preview"})
    data.update(overrides)
    return data


@pytest.fixture
def hartlepool(night):
    return Contest.objects.get(slug="hartlepool")


def test_the_entry_form_lists_candidates_in_ballot_order(client, hartlepool, results_desk):
    client.force_login(results_desk)
    html = client.get(entry_url(hartlepool)).content.decode()
    names = re.findall(r'<label for="id_votes_\d+">([^<(]+) \(', html)
    assert names[:3] == ["Jill Mortimer", "Paul Williams", "Sam Lee"]
    assert len(names) == 16


def test_preview_shows_the_computed_card_and_declares_nothing(client, hartlepool, results_desk):
    client.force_login(results_desk)
    html = client.post(entry_url(hartlepool), hartlepool_form(hartlepool)).content.decode()
    assert "Preview: Con GAIN from Lab" in html and "16.0% from Lab to Con" in html
    assert 'name="_declare"' in html
    assert not Result.objects.filter(contest=hartlepool, current__isnull=False).exists()


def test_declare_commits_only_the_previewed_figures(client, hartlepool, results_desk):
    client.force_login(results_desk)
    preview = client.post(entry_url(hartlepool), hartlepool_form(hartlepool)).content.decode()
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview).group(1)

    changed = hartlepool_form(hartlepool, _declare="Declare", previewed=digest)
    changed[f"votes_{hartlepool.candidacies.get(name='Steve Jack').pk}"] = "73"
    html = client.post(entry_url(hartlepool), changed).content.decode()
    assert "changed since the preview" in html
    assert not Result.objects.filter(contest=hartlepool, current__isnull=False).exists()

    response = client.post(entry_url(hartlepool), hartlepool_form(hartlepool, _declare="Declare", previewed=digest))
    assert response.status_code == 302
    assert Result.objects.get(contest=hartlepool).status == Result.Status.DECLARED


@pytest.mark.parametrize(
    ("votes", "message"),
    [("-12", "negative"), ("12.5", "not a whole number"), ("twelve", "not a whole number"), ("", "missing")],
)
def test_bad_vote_figures_get_a_clear_error(client, hartlepool, results_desk, votes, message):
    client.force_login(results_desk)
    form = hartlepool_form(hartlepool)
    form[f"votes_{hartlepool.candidacies.get(name='Sam Lee').pk}"] = votes
    html = client.post(entry_url(hartlepool), form).content.decode()
    assert message in html
    assert "Preview:" not in html


def test_a_stale_entry_form_shows_a_conflict(client, hartlepool, results_desk, editor):
    from results.services import result_set_status

    client.force_login(results_desk)
    preview = client.post(entry_url(hartlepool), hartlepool_form(hartlepool)).content.decode()
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview).group(1)
    result_set_status(contest=hartlepool, status="counting", actor=editor, expected_version=0)
    html = client.post(entry_url(hartlepool), hartlepool_form(hartlepool, _declare="Declare", previewed=digest))
    assert "editor saved this result" in html.content.decode()
    assert Result.objects.get(contest=hartlepool).current is None


def test_status_buttons_move_the_count_on(client, hartlepool, results_desk):
    client.force_login(results_desk)
    client.post(entry_url(hartlepool), {"_status": "counting", "version": "0"})
    assert Result.objects.get(contest=hartlepool).status == Result.Status.COUNTING


def test_a_reporter_cannot_open_the_results_desk(client, hartlepool, reporter):
    client.force_login(reporter)
    assert client.get(entry_url(hartlepool)).status_code == 403
    assert client.post(entry_url(hartlepool), {"_status": "counting", "version": "0"}).status_code == 403
    assert not Result.objects.filter(contest=hartlepool, status=Result.Status.COUNTING).exists()


def test_opening_the_entry_page_creates_no_result(client, hartlepool, results_desk):
    Result.objects.filter(contest=hartlepool).delete()
    client.force_login(results_desk)
    page = client.get(entry_url(hartlepool))
    assert page.status_code == 200 and 'Status: <strong id="result-status">Expected</strong>' in page.content.decode()
    assert not Result.objects.filter(contest=hartlepool).exists()
    client.post(entry_url(hartlepool), hartlepool_form(hartlepool))  # a preview writes nothing either
    assert not Result.objects.filter(contest=hartlepool).exists()


def declare_through_the_form(client, contest, **overrides):
    preview = client.post(entry_url(contest), hartlepool_form(contest, **overrides)).content.decode()
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview).group(1)
    response = client.post(entry_url(contest), hartlepool_form(contest, _declare="Declare", previewed=digest,
                                                               **overrides))  # fmt: skip
    assert response.status_code == 302, response.content.decode()


def input_values(html: str) -> dict[str, str]:
    values = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            values[name.group(1)] = value.group(1) if value else ""
    return values


def test_a_correction_opens_with_the_declared_figures_and_keeps_the_declaration_time(client, hartlepool, results_desk):
    client.force_login(results_desk)
    declare_through_the_form(client, hartlepool)
    page = client.get(entry_url(hartlepool)).content.decode()
    declared = page.split('<section class="desk__declared"')[1].split('<h2 id="correct-heading">')[0]
    assert "Con GAIN from Lab" in declared and 'href="#correct-heading">Correct this result</a>' in declared
    assert page.index("As declared") < page.index('id="entry-form"')
    filled = input_values(page)
    jack = hartlepool.candidacies.get(name="Steve Jack").pk
    mortimer = hartlepool.candidacies.get(name="Jill Mortimer").pk
    assert filled[f"votes_{mortimer}"] == "15529" and filled[f"votes_{jack}"] == "72"
    assert filled["declared_at"] == "2021-05-07T04:20" and filled["source"] == "Count"

    # The desk changes the one wrong box and gives a reason; everything else goes back as it came.
    correction = {**filled, f"votes_{jack}": "73", "reason": "Steve Jack's figure misread at the count",
                  "_preview": "Preview"}  # fmt: skip
    correction.pop("previewed", None)
    preview = client.post(entry_url(hartlepool), correction).content.decode()
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview).group(1)
    response = client.post(entry_url(hartlepool), {**correction, "_declare": "Declare", "previewed": digest})
    assert response.status_code == 302, response.content.decode()

    result = Result.objects.select_related("current").get(contest=hartlepool)
    first, second = result.revisions.order_by("number")
    assert result.current == second and second.declared_at == first.declared_at
    assert second.votes.get(candidacy_id=jack).votes == 73 and second.source == "Count"
    assert "Declared <time" in second.card_html and ">04:20 BST</time> · corrected <time" in second.card_html
    assert "revision 2" not in second.card_html


def test_the_desk_enters_the_electorate_with_the_count_and_the_card_gives_turnout(client, hartlepool, results_desk):
    Contest.objects.filter(pk=hartlepool.pk).update(electorate=None)
    client.force_login(results_desk)
    page = client.get(entry_url(hartlepool)).content.decode()
    assert 'name="electorate"' in page
    preview = client.post(entry_url(hartlepool), hartlepool_form(hartlepool, electorate="70,855")).content.decode()
    assert "Turnout" in preview and "42.2" in preview  # 29,924 valid votes of 70,855 electors
    declare_through_the_form(client, hartlepool, electorate="70,855")
    hartlepool.refresh_from_db()
    assert hartlepool.electorate == 70855
    assert "42.2" in Result.objects.get(contest=hartlepool).current.card_html


@pytest.mark.parametrize(("electorate", "message"), [("20,000", "more than the electorate"), ("0", "at least 1")])
def test_an_electorate_the_count_cannot_fit_is_refused_and_nothing_is_saved(
    client, hartlepool, results_desk, electorate, message
):
    client.force_login(results_desk)
    html = client.post(entry_url(hartlepool), hartlepool_form(hartlepool, electorate=electorate)).content.decode()
    assert message in html
    hartlepool.refresh_from_db()
    assert hartlepool.electorate != int(electorate.replace(",", ""))
    assert not Result.objects.filter(contest=hartlepool, current__isnull=False).exists()


def test_the_desks_home_finds_a_contest_by_name_and_lists_those_still_to_declare(client, hartlepool, results_desk):
    client.force_login(results_desk)
    home = client.get("/admin/").content.decode()
    box = home.split('id="enter-a-result"')[1].split("</div>")[0]
    assert 'action="/admin/results/contest/"' in box and 'name="q"' in box
    assert f'href="{entry_url(hartlepool)}"' in box  # Hartlepool waits to be declared
    found = client.get("/admin/results/contest/", {"q": "hartl"}).content.decode()
    assert f'href="{entry_url(hartlepool)}">Enter result</a>' in found

    declare_through_the_form(client, hartlepool)
    box = client.get("/admin/").content.decode().split('id="enter-a-result"')[1].split("</div>")[0]
    assert f'href="{entry_url(hartlepool)}"' not in box


def test_a_reporter_has_no_results_box_on_the_admin_home(client, night, reporter):
    client.force_login(reporter)
    assert 'id="enter-a-result"' not in client.get("/admin/").content.decode()
