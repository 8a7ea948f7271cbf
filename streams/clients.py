"""Who is asking: the client's address, the same way for the admin's login lockout and for reader sockets.

Behind DJANGO_PROXY_COUNT trusted proxies, each appending the address it saw to
X-Forwarded-For, the client is that many entries from the right. Entries further
left were written by the client itself and prove nothing.
"""

from django.conf import settings


def client_address(remote_addr: str, forwarded_for: str | None, proxies: int) -> str:
    if proxies and forwarded_for:
        entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
        if len(entries) >= proxies:
            return entries[-proxies]
    return remote_addr


def request_client_address(request) -> str:
    """For Django requests (django-axes calls it: AXES_CLIENT_IP_CALLABLE)."""
    meta = request.META
    return client_address(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR"), settings.PROXY_COUNT)


def scope_client_address(scope) -> str:
    """For ASGI connections, such as reader sockets."""
    client = scope.get("client") or ("", 0)
    forwarded = [value for name, value in scope.get("headers", ()) if name == b"x-forwarded-for"]
    header = b",".join(forwarded).decode("latin-1") if forwarded else None
    return client_address(client[0], header, settings.PROXY_COUNT)
