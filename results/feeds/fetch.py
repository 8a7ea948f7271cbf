"""Fetching a feed's URL with a deadline for the whole answer, a size limit and a rule for redirects.

An answer that cannot be a feed (a malformed status line, a broken chunked body, more bytes than the
limit, not complete by the deadline, a redirect inward) raises `Refused`, which the watcher records
against the URL; a feed that cannot be reached at all (DNS, a refused connection, an HTTP error status)
raises OSError, which the watcher reports and tries again on its next look.

Redirects: up to five are followed, to http(s) only. A redirect may lead to a public address, or to an
internal one (loopback, private, link-local, reserved) only of a kind the original URL's own host already
has: a feed served from 127.0.0.1 may move within it, but a public feed cannot send the watcher to the
machine itself, the office network or a cloud metadata address. The check is made on the addresses the
name resolves to when the redirect is followed.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5
READ_CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
# What the worker may still need after the deadline to notice its socket is shut.
WORKER_GRACE_SECONDS = 2.0
USER_AGENT = "election-night-live watch_results"


class Refused(Exception):
    """An answer, or a file, that is not taken: the message is the one-line reason recorded."""


@dataclass(frozen=True)
class Fetched:
    content: bytes | None  # None: not modified since the validators sent
    etag: str | None = None
    modified: str | None = None


def address_kind(address: str) -> str:
    """'public', or which kind of internal address this is."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "public"


def host_kinds(url: str) -> set[str]:
    """The kinds of address the URL's host resolves to."""
    parts = urlsplit(url)
    infos = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)
    return {address_kind(info[4][0]) for info in infos}


def redirect_refusal(original: str, target: str) -> str | None:
    """Why a redirect from the original URL to the target is not followed, or None when it may be."""
    if urlsplit(target).scheme not in {"http", "https"} or not urlsplit(target).hostname:
        return f"redirected to {target[:200]}, which is not an http(s) URL"
    inward = host_kinds(target) - {"public"} - host_kinds(original)
    if inward:
        return f"redirected to {urlsplit(target).hostname}, a {'/'.join(sorted(inward))} address"
    return None


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified fit to send back: short, printable ASCII."""
    if value and len(value) <= 200 and value.isascii() and value.isprintable():
        return value
    return None


class _Attempt:
    """One fetch, run on a worker thread so that the caller can abandon it at the deadline."""

    def __init__(self, url: str, headers: dict, timeout: float, max_bytes: int):
        self.url, self.headers, self.timeout, self.max_bytes = url, headers, timeout, max_bytes
        self.connection: http.client.HTTPConnection | None = None
        self.outcome: Fetched | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.outcome = self._follow()
        except Exception as error:  # handed to the calling thread, which raises it
            self.error = error
        finally:
            self._close()

    def abandon(self) -> None:
        """Shut the socket under the worker, so a read it is blocked in returns at once."""
        connection = self.connection
        if connection is not None and connection.sock is not None:
            with contextlib.suppress(OSError):  # already closed by the worker
                connection.sock.shutdown(socket.SHUT_RDWR)

    def _close(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def _follow(self) -> Fetched:
        url = self.url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._ask(url)
            if response.status not in REDIRECTS:
                return self._answer(response)
            target = urljoin(url, response.getheader("Location") or "")
            self._close()
            try:
                refusal = redirect_refusal(self.url, target)
            except ValueError:  # a port out of range, a malformed address
                refusal = f"redirected to {target[:200]}, which is not a usable URL"
            if refusal:
                raise Refused(refusal)
            url = target
        raise Refused(f"more than {MAX_REDIRECTS} redirects")

    def _ask(self, url: str) -> http.client.HTTPResponse:
        parts = urlsplit(url)
        self.connection = _connection(url, self.timeout)
        self.connection.connect()  # an OSError here: the feed cannot be reached for now
        try:
            self.connection.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                                    headers={"User-Agent": USER_AGENT, **self.headers})  # fmt: skip
            return self.connection.getresponse()
        except (http.client.HTTPException, ValueError, OSError) as error:
            raise Refused(f"not a readable HTTP answer ({one_line(error)})") from error

    def _answer(self, response: http.client.HTTPResponse) -> Fetched:
        if response.status == 304:
            return Fetched(None)
        if not 200 <= response.status < 300:
            raise OSError(f"the feed answered {response.status} {response.reason}")
        declared = response.getheader("Content-Length") or ""
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise Refused(f"the answer is {int(declared):,} bytes; the most taken is {self.max_bytes:,}")
        body = bytearray()
        try:
            while chunk := response.read1(READ_CHUNK):
                body += chunk
                if len(body) > self.max_bytes:
                    raise Refused(f"the answer is more than {self.max_bytes:,} bytes, the most taken")
        except (http.client.HTTPException, ValueError, OSError) as error:
            raise Refused(f"the answer broke off ({one_line(error)})") from error
        return Fetched(bytes(body), _validator(response.getheader("ETag")),
                       _validator(response.getheader("Last-Modified")))  # fmt: skip


def one_line(error: BaseException) -> str:
    """The error's message on one line, cut at 200 characters."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:200]


def fetch(url: str, *, etag: str | None, modified: str | None, timeout: float, max_bytes: int) -> Fetched:
    """The URL's content, or None as content when unchanged; the whole exchange must end within `timeout`."""
    headers = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", modified)) if value}
    attempt = _Attempt(url, headers, timeout, max_bytes)
    worker = threading.Thread(target=attempt.run, name="feed-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        attempt.abandon()
        worker.join(WORKER_GRACE_SECONDS)
        raise Refused(f"no complete answer within {timeout:g} s")
    if attempt.error is not None:
        raise attempt.error
    return attempt.outcome
