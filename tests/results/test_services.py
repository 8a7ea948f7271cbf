import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from demo.night import CONTESTS, demo_entry
from results import services
from results.models import Candidacy, Contest, Result
from results.summary import Entry
from streams.models import Event

pytestmark = pytest.mark.django_db


def contest(night, slug):
    return Contest.objects.select_related("election").get(slug=slug)


def declare(c, actor, entry=None, **kwargs):
    kwargs.setdefault("declared_at", next(s for s in CONTESTS if s.slug == c.slug).declared_at)
    result = Result.objects.filter(contest=c).first()
    kwargs.setdefault("expected_version", result.version if result else 0)
    return services.result_declare(contest=c, entry=entry or demo_entry(c)[1], actor=actor, **kwargs)


def ids(c):
    return dict(c.candidacies.values_list("name", "pk"))


def test_declaring_hartlepool_stores_a_card_with_the_real_figures(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    revision = declare(hartlepool, results_desk)
    card = revision.card_html
    assert revision.number == 1
    assert Result.objects.get(contest=hartlepool).status == Result.Status.DECLARED
    assert f'id="result-{hartlepool.pk}"' in card
    for text in ["Con GAIN from Lab", "15,529", "8,589", "51.9", "+23.0", "28.7", "−9.0", "6,940",
                 "16.0% from Lab to Con", "42.3%", "valid votes ÷ electorate"]:  # fmt: skip
        assert text in card, text
    tally = {key: revision.facts[key] for key in ("council", "elected", "gain", "lost_by", "headline")}
    assert tally == {
        "council": False, "elected": ["con"], "gain": True, "lost_by": "lab", "headline": "Con GAIN from Lab"
    }  # fmt: skip
    assert revision.facts["words"].startswith("Jill Mortimer (Con) wins Hartlepool: Con GAIN from Lab.")
    assert revision.facts["figures"]["majority"] == 6940


def test_a_reporter_cannot_declare_a_result(night, reporter):
    with pytest.raises(PermissionDenied):
        declare(contest(night, "hartlepool"), reporter)


def test_a_declaration_with_a_candidate_missing_is_rejected_and_nothing_is_saved(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    _, entry = demo_entry(hartlepool)
    partial = Entry(votes=dict(list(entry.votes.items())[:-1]))
    with pytest.raises(ValidationError, match="missing Steve Jack"):
        declare(hartlepool, results_desk, entry=partial)
    assert not Result.objects.filter(contest=hartlepool, current__isnull=False).exists()
    assert Event.objects.count() == 0


def test_votes_adding_up_to_more_than_the_electorate_are_rejected(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    entry = Entry(votes={pk: 5000 for pk in ids(hartlepool).values()})
    with pytest.raises(ValidationError, match="more than the electorate"):
        declare(hartlepool, results_desk, entry=entry)


def test_a_declaration_before_polls_close_is_rejected(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    with pytest.raises(ValidationError, match="before polls close"):
        declare(hartlepool, results_desk, declared_at=hartlepool.polls_close - timedelta(minutes=1))


def test_a_declaration_dated_in_the_future_is_rejected(night, results_desk):
    from django.utils import timezone

    with pytest.raises(ValidationError, match="cannot be dated in the future"):
        declare(contest(night, "hartlepool"), results_desk, declared_at=timezone.now() + timedelta(days=3))
    assert not Result.objects.filter(current__isnull=False).exists()


def test_a_tie_needs_a_winner_by_lot_and_then_declares_them(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    votes = {pk: 10 for pk in ids(hartlepool).values()}
    with pytest.raises(ValidationError, match="tied"):
        declare(hartlepool, results_desk, entry=Entry(votes=votes))
    lot = ids(hartlepool)["Sam Lee"]
    revision = declare(hartlepool, results_desk, entry=Entry(votes=votes, lot_winner=lot))
    assert revision.winner_by_lot_id == lot
    assert "Ind GAIN from Lab" in revision.card_html


def test_supplementary_vote_transfers_outside_the_top_two_are_rejected(night, results_desk):
    west_midlands = contest(night, "west-midlands")
    _, entry = demo_entry(west_midlands)
    transfers = {**entry.transfers, ids(west_midlands)["Steve Caudwell"]: 100}
    with pytest.raises(ValidationError, match="top two"):
        declare(west_midlands, results_desk, entry=Entry(votes=entry.votes, transfers=transfers))


def test_a_supplementary_vote_count_declares_the_winner_after_transfers(night, results_desk):
    revision = declare(contest(night, "west-midlands"), results_desk)
    assert "Con HOLD" in revision.card_html
    assert "314,669" in revision.card_html and "267,626" in revision.card_html
    assert "47,043" in revision.card_html  # majority after transfers


def test_a_correction_needs_a_reason_and_adds_a_revision(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    first = declare(hartlepool, results_desk)
    _, entry = demo_entry(hartlepool)
    fixed = Entry(votes={**entry.votes, ids(hartlepool)["Steve Jack"]: 73})
    with pytest.raises(ValidationError, match="needs a reason"):
        declare(hartlepool, results_desk, entry=fixed)
    second = declare(hartlepool, results_desk, entry=fixed, reason="Returning officer amended a bundle count.")
    result = Result.objects.get(contest=hartlepool)
    assert (result.status, result.current, second.number) == (Result.Status.CORRECTED, second, 2)
    assert list(result.revisions.values_list("number", flat=True)) == [1, 2]
    first.refresh_from_db()
    assert "Corrected" not in first.card_html  # the first revision is kept as it was
    assert "Corrected" in second.card_html and "amended a bundle count" in second.card_html


def test_a_stale_form_gets_a_conflict_and_overwrites_nothing(night, results_desk, editor):
    hartlepool = contest(night, "hartlepool")
    services.result_set_status(contest=hartlepool, status="counting", actor=editor, expected_version=0)
    with pytest.raises(services.ConflictError, match="editor saved this result"):
        declare(hartlepool, results_desk, expected_version=0)
    assert Result.objects.get(contest=hartlepool).status == Result.Status.COUNTING


def test_status_changes_follow_the_count(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    result = services.result_set_status(contest=hartlepool, status="counting", actor=results_desk, expected_version=0)
    result = services.result_set_status(
        contest=hartlepool, status="recount", actor=results_desk, expected_version=result.version
    )
    assert result.status == Result.Status.RECOUNT
    with pytest.raises(ValidationError, match="cannot go from Recount to Expected"):
        services.result_set_status(
            contest=hartlepool, status="expected", actor=results_desk, expected_version=result.version
        )
    declare(hartlepool, results_desk)
    with pytest.raises(ValidationError, match="declared"):
        services.result_set_status(contest=hartlepool, status="counting", actor=results_desk, expected_version=None)


def test_an_uncontested_seat_is_returned_without_votes(night, results_desk):
    hartlepool = contest(night, "hartlepool")
    Candidacy.objects.filter(contest=hartlepool).exclude(name="Jill Mortimer").delete()
    revision = declare(hartlepool, results_desk, entry=Entry(uncontested=True))
    assert Result.objects.get(contest=hartlepool).status == Result.Status.UNCONTESTED
    assert "Elected unopposed" in revision.card_html and "Jill Mortimer" in revision.card_html


def test_uncontested_is_refused_when_more_candidates_stand_than_seats(night, results_desk):
    with pytest.raises(ValidationError, match="not uncontested"):
        declare(contest(night, "hartlepool"), results_desk, entry=Entry(uncontested=True))


def test_council_control_and_seat_changes_are_computed(night, results_desk):
    revision = declare(contest(night, "harlow"), results_desk)
    tally = {key: revision.facts[key] for key in ("council", "control_before", "control_after", "headline")}
    assert tally == {
        "council": True, "control_before": "lab", "control_after": "con", "headline": "Con gain from Lab"
    }  # fmt: skip
    assert "Con gain from Lab" in revision.card_html
    assert "Lab → Con" in revision.card_html and "17 of 33" in revision.card_html


def test_council_seats_must_add_up_to_the_council(night, results_desk):
    with pytest.raises(ValidationError, match="add up to 32"):
        declare(contest(night, "harlow"), results_desk, entry=Entry(council_seats={"con": 20, "lab": 12}))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_declaring_the_same_result_at_once_one_gets_a_conflict(night, results_desk, editor):
    hartlepool = contest(night, "hartlepool")
    Result.objects.create(contest=hartlepool)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(actor):
        try:
            barrier.wait()
            declare(hartlepool, actor, expected_version=0)
            outcomes.append("saved")
        except services.ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user,)) for user in (results_desk, editor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    result = Result.objects.get(contest=hartlepool)
    assert result.revisions.count() == 1 and result.version == 1
