"""Odd input anywhere in the admin, at its login or on a socket gets a plain refusal, never a traceback."""

import logging

import pytest

from tests.helpers import reader_socket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/liveblog/post/?status=%00",
        "/admin/results/result/?status=%00",
        "/admin/liveblog/post/?q=%00",
        "/admin/liveblog/post/?blog__id__exact=%00",
    ],
)
def test_a_nul_byte_in_an_admin_list_filter_is_a_bad_request(client, editor, caplog, url):
    client.force_login(editor)
    with caplog.at_level(logging.ERROR):
        response = client.get(url)
    assert response.status_code == 400
    assert caplog.records == []


@pytest.mark.parametrize("url", ["/admin/liveblog/post/", "/admin/results/result/", "/admin/auth/user/"])
def test_a_changelist_action_on_a_malformed_id_is_refused_cleanly(client, editor, caplog, url):
    client.force_login(editor)
    with caplog.at_level(logging.ERROR):
        response = client.post(url, {"action": "delete_selected", "_selected_action": ["abc"], "index": "0"})
    assert response.status_code in (302, 400)
    assert caplog.records == []


@pytest.mark.parametrize("username", ["x" * 10_000, "reporter\x00"])
def test_an_impossible_username_at_the_admin_login_is_refused_cleanly(client, reporter, caplog, username):
    with caplog.at_level(logging.ERROR):
        response = client.post("/admin/login/?next=/admin/", {"username": username, "password": "pw-reporter"})
    assert response.status_code in (200, 400)
    assert "_auth_user_id" not in client.session
    assert caplog.records == []


def test_a_login_form_that_is_not_utf8_is_refused_cleanly(client, reporter, caplog):
    body = b"username=r%E9porter%FF&password=pw-reporter"
    with caplog.at_level(logging.ERROR):
        response = client.post("/admin/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert caplog.records == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/ws/nope/", "/ws/desk/abc/", "/ws/live/%ff/", "/ws/results/%00/"])
async def test_a_socket_to_an_unknown_address_is_refused_without_a_traceback(caplog, path):
    socket = reader_socket(path)
    with caplog.at_level(logging.ERROR):
        connected, code = await socket.connect()
    assert not connected and code == 4404
    assert caplog.records == []


@pytest.mark.parametrize("page", ["abc/history/", "1/history/abc/", "abc/history/1/"])
def test_a_history_page_for_an_id_that_cannot_exist_is_not_found(client, editor, blog, caplog, page):
    client.force_login(editor)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/admin/liveblog/liveblog/{page}")
    assert response.status_code == 404
    assert caplog.records == []
