"""The client's address, behind trusted proxies, for the login lockout and reader sockets."""

import pytest

from streams.clients import client_address


@pytest.mark.parametrize(
    ("forwarded_for", "proxies", "expected"),
    [
        (None, 0, "10.1.1.1"),
        ("203.0.113.5", 0, "10.1.1.1"),  # no proxies trusted: the header is the client's own words
        ("203.0.113.5", 1, "203.0.113.5"),
        ("10.0.7.1, 203.0.113.5", 1, "203.0.113.5"),  # the left entry was written by the client
        ("10.0.7.1, 203.0.113.5, 198.51.100.2", 2, "203.0.113.5"),
        ("203.0.113.5", 2, "10.1.1.1"),  # fewer entries than proxies: something is wrong; trust the socket
    ],
)
def test_the_client_is_counted_from_the_right_of_x_forwarded_for(forwarded_for, proxies, expected):
    assert client_address("10.1.1.1", forwarded_for, proxies) == expected


@pytest.mark.django_db
def test_spoofed_forwarded_for_entries_cannot_escape_the_login_lockout(client, editor, settings):
    settings.PROXY_COUNT = 1
    for i in range(30):
        client.post(
            "/admin/login/?next=/admin/", {"username": "editor", "password": "wrong"},
            headers={"X-Forwarded-For": f"10.0.{i}.1, 203.0.113.5"},
        )  # fmt: skip
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "pw-editor"},
        headers={"X-Forwarded-For": "10.0.99.1, 203.0.113.5"},
    )  # fmt: skip
    assert response.status_code == 429  # django-axes' lockout answer
    assert "_auth_user_id" not in client.session
