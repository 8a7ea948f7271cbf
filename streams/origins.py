"""Reader sockets open only from pages of this site: Origin is compared by scheme, host and port.

Allowed are the site's own origin (the scheme and Host the socket was opened with)
and the origins in CSRF_TRUSTED_ORIGINS. A missing Origin (not a browser) is allowed
only while debugging. Anything else is refused before the handshake completes.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}
SOCKET_TO_PAGE_SCHEME = {"ws": "http", "wss": "https"}


def _origin_of(url: str) -> tuple[str, str, int] | None:
    parts = urlsplit(url)
    return _origin(parts.scheme, parts.netloc)


def _origin(scheme: str, netloc: str) -> tuple[str, str, int] | None:
    host, port = split_domain_port(netloc.lower())
    if not host or scheme not in DEFAULT_PORTS:
        return None
    return scheme, host, int(port) if port else DEFAULT_PORTS[scheme]


def _page_scheme(scope, headers: dict[bytes, bytes]) -> str:
    """The scheme of the page that opened the socket, as the browser saw it (a TLS proxy says so in a header)."""
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        name = proxy_header[0].removeprefix("HTTP_").replace("_", "-").lower().encode()
        if headers.get(name, b"").decode("latin-1") == proxy_header[1]:
            return "https"
    return SOCKET_TO_PAGE_SCHEME.get(scope.get("scheme", "ws"), "http")


def origin_allowed(scope) -> bool:
    headers = dict(scope.get("headers", ()))
    raw_origin = headers.get(b"origin")
    if raw_origin is None:
        return settings.DEBUG
    origin = _origin_of(raw_origin.decode("latin-1"))
    if origin is None:
        return False
    if origin in {_origin_of(trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS}:
        return True
    host = headers.get(b"host", b"").decode("latin-1")
    if not host or not validate_host(split_domain_port(host)[0], settings.ALLOWED_HOSTS):
        return False
    return origin == _origin(_page_scheme(scope, headers), host)


class OriginValidator:
    """ASGI middleware in front of the reader sockets."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
