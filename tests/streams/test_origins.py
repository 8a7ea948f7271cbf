"""Reader sockets open only from the site's own pages, and one address cannot hold too many."""

import pytest

from tests.helpers import TOO_MANY_SOCKETS, open_reader, reader_socket

pytestmark = pytest.mark.django_db(transaction=True)

SITE = b"127.0.0.1:8000"


async def opens(blog, origin: bytes | None, host: bytes = SITE) -> bool:
    headers = [(b"host", host)] + ([(b"origin", origin)] if origin is not None else [])
    communicator = reader_socket(f"/ws/live/{blog.slug}/", headers=headers)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


async def test_a_page_of_the_site_opens_a_socket(blog):
    assert await opens(blog, b"http://127.0.0.1:8000")


@pytest.mark.parametrize(
    "origin",
    [b"http://127.0.0.1:9999", b"https://127.0.0.1:8000", b"http://evil.example", b"null", b"http://127.0.0.1"],
)
async def test_another_port_scheme_or_host_is_refused(blog, origin):
    assert not await opens(blog, origin)


async def test_a_trusted_origin_is_allowed_exactly(blog, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://live.example.org"]
    assert await opens(blog, b"https://live.example.org")
    assert not await opens(blog, b"https://live.example.org:8443")
    assert not await opens(blog, b"http://live.example.org")


async def test_a_host_outside_allowed_hosts_is_refused_whatever_the_origin(blog):
    assert not await opens(blog, b"http://evil.example", host=b"evil.example")


async def test_behind_a_tls_proxy_the_https_page_is_the_sites_own(blog, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    headers = [(b"host", b"127.0.0.1"), (b"origin", b"https://127.0.0.1"), (b"x-forwarded-proto", b"https")]
    communicator = reader_socket(f"/ws/live/{blog.slug}/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.disconnect()


async def test_one_address_past_its_share_of_sockets_is_refused_with_a_clear_code(blog, settings):
    settings.LIVEBLOG_SOCKETS_PER_ADDRESS = 2
    first, second = await open_reader(blog), await open_reader(blog)
    third = reader_socket(f"/ws/live/{blog.slug}/")
    connected, code = await third.connect()
    assert (connected, code) == (False, TOO_MANY_SOCKETS)
    elsewhere = reader_socket(f"/ws/live/{blog.slug}/", client=("192.0.2.7", 50000))
    assert (await elsewhere.connect())[0]
    await first.disconnect()
    again = reader_socket(f"/ws/live/{blog.slug}/")
    assert (await again.connect())[0]  # a socket closed frees its place
    for communicator in (second, elsewhere, again):
        await communicator.disconnect()
