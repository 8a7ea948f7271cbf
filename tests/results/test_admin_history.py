"""A result's history is there to read: it changes only through the entry form and the services behind it."""

import pytest

from results.models import Result
from tests.helpers import declare_demo_contest

pytestmark = pytest.mark.django_db


def test_the_results_desk_cannot_revert_a_declared_result_through_its_history(client, night, results_desk):
    declare_demo_contest("hartlepool", results_desk)
    result = Result.objects.get(contest__slug="hartlepool")
    expected = result.history.earliest("history_date")
    assert expected.status == Result.Status.EXPECTED
    url = f"/admin/results/result/{result.pk}/history/{expected.history_id}/"
    client.force_login(results_desk)
    assert client.get(url).status_code == 200  # still readable
    assert client.get(f"/admin/results/result/{result.pk}/history/").status_code == 200
    response = client.post(url, {"status": "expected", "version": "0", "contest": str(result.contest_id)})
    result.refresh_from_db()
    assert result.status == Result.Status.DECLARED and result.current_id is not None
    assert response.status_code == 405


def test_a_blogs_history_is_read_only_too(client, blog, editor):
    version = blog.history.earliest("history_date")
    client.force_login(editor)
    response = client.post(f"/admin/liveblog/liveblog/{blog.pk}/history/{version.history_id}/", {"title": "Forced"})
    assert response.status_code == 405
    blog.refresh_from_db()
    assert blog.title != "Forced"
