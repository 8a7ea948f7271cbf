"""What many tests do: publish a post, open a reader socket, read its frames, call a service as a server would."""

import asyncio
import json
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from websockets.asyncio.client import connect

from config.asgi import application
from demo.night import demo_entry
from liveblog.models import ApiToken, Post
from liveblog.services import post_create
from liveblog.tokens import issue
from results.models import Contest
from results.services import result_declare

# What a browser on a page of the site at http://127.0.0.1:8000 sends with its socket.
BROWSER_HEADERS = [(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000")]
HEARTBEAT = 'data-kind="heartbeat"'
# Close codes readers are told.
NOT_FOUND, POLICY_VIOLATION, MESSAGE_TOO_BIG, STREAM_CLOSED, TOO_MANY_SOCKETS = 4404, 1008, 1009, 4410, 4429


def seq_of(frame: str) -> int:
    return int(frame.split('data-seq="', 1)[1].split('"', 1)[0])


def publish_post(blog, author, **fields) -> Post:
    """Publish a post through the service, as its author; a body is made up when none is given."""
    fields.setdefault("body", "<p>An update.</p>")
    quotes = fields.pop("quotes", None)
    return post_create(post=Post(blog=blog, **fields), actor=author, quotes=quotes).post


publish_post_async = database_sync_to_async(publish_post)


def call_as_server(service, *args, **kwargs):
    """Call a service from a thread of its own, as a server would, when this thread runs an event loop."""

    def call():
        try:
            return service(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def reader_socket(path: str, headers=None, client=None) -> WebsocketCommunicator:
    """A socket to the site's ASGI application, not yet connected; `client` is (address, port)."""
    communicator = WebsocketCommunicator(application, path, headers=BROWSER_HEADERS if headers is None else headers)
    if client is not None:
        communicator.scope["client"] = client
    return communicator


async def open_reader(blog=None, *, after: int = 0, path: str | None = None) -> WebsocketCommunicator:
    """Connect and resume; frames replayed before the handshake's heartbeat land in .replayed."""
    communicator = reader_socket(path or f"/ws/live/{blog.slug}/")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data=json.dumps({"type": "resume", "after": after}))
    communicator.replayed = []
    while HEARTBEAT not in (frame := await next_frame(communicator)):
        communicator.replayed.append(frame)
    return communicator


async def next_frame(communicator, timeout: float = 3) -> str:
    return await communicator.receive_from(timeout=timeout)


async def next_frames(communicator, count: int) -> list[str]:
    return [await next_frame(communicator) for _ in range(count)]


async def close_code(communicator, timeout: float = 3) -> int:
    """Wait for the server to close the socket; the code it closed with."""
    message = await communicator.receive_output(timeout=timeout)
    assert message["type"] == "websocket.close", message
    return message.get("code", 1000)


def api_token(user) -> str:
    token = ApiToken(user=user, name="test")
    key = issue(token)
    token.save()
    return key


def publish_via_api(host: str, slug: str, key: str, headline: str, body: str = "") -> dict:
    request = urllib.request.Request(
        f"http://{host}/api/live/{slug}/posts/",
        data=json.dumps({"headline": headline, "body": body}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback test server)
        assert response.status == 201
        return json.loads(response.read())


def publish_from_a_server_thread(blog, author, headline: str, body: str = "<p>Update.</p>", **fields) -> Post:
    """Publish while this thread runs Playwright's event loop."""
    return call_as_server(publish_post, blog, author, headline=headline, body=body, **fields)


def open_page_reader(page, server: str, blog) -> None:
    """Open the blog in the browser and wait until its socket is open, so what follows arrives live.

    The page's sockets are collected in `page.sockets`, for waiting on the frames they receive.
    """
    page.sockets = []
    page.on("websocket", lambda socket: page.sockets.append(socket))
    page.goto(f"{server}{blog.get_absolute_url()}")
    page.evaluate("window.__notReloaded = true")
    page.wait_for_selector('#live[data-transport="socket"]', state="attached")


def log_in(page, server: str, username: str) -> None:
    """Log in to the admin as a test user (password pw-<username>) and wait for the index."""
    page.goto(f"{server}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("input[type=submit]")
    page.wait_for_selector("#post-an-update")


# The rich-text editor's writing area (its menu holds another ProseMirror element, not editable).
EDITOR = '.ProseMirror[contenteditable="true"]'


def write_in_editor(page, text: str) -> None:
    """Type into the posting form's rich-text editor, as a reporter does."""
    page.locator(EDITOR).click()
    page.keyboard.type(text)


def paste_into_editor(page, html: str) -> None:
    """Paste HTML into the rich-text editor, as copying from a web page or a word processor does."""
    page.locator(EDITOR).evaluate(
        """(editor, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", editor.ownerDocument.createRange().createContextualFragment(html).textContent);
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def frame_reaching(page, text: str, timeout_ms: float = 20_000):
    """A context in which to make a change; it ends once a frame containing `text` has reached the page's socket.

    The bound is generous: a shared two-core machine running the browser, the server and PostgreSQL can take
    seconds to deliver what normally takes milliseconds, and a missing frame still fails.
    """
    return page.sockets[-1].expect_event("framereceived", predicate=lambda payload: text in payload, timeout=timeout_ms)


async def open_network_reader(host: str, slug: str):
    """A reader over a real TCP connection to a server process, resumed and answered."""
    # No queue limit: like a browser, it takes in everything that arrives, however slowly the test reads it.
    socket = await connect(f"ws://{host}/ws/live/{slug}/", origin=f"http://{host}", compression=None, max_queue=None)
    await socket.send(json.dumps({"type": "resume", "after": 0}))
    assert HEARTBEAT in await asyncio.wait_for(socket.recv(), 5)
    return socket


async def next_post(socket, timeout: float) -> str:
    """The next frame on a network reader that is not a heartbeat."""
    while True:
        frame = await asyncio.wait_for(socket.recv(), timeout)
        if HEARTBEAT not in frame:
            return frame


def declare_demo_contest(slug: str, actor, **kwargs):
    """Declare one of the demo night's contests with its real figures (or `entry`), as the results desk would."""
    contest = Contest.objects.select_related("election").get(slug=slug)
    spec, entry = demo_entry(contest)
    kwargs.setdefault("entry", entry)
    return result_declare(contest=contest, declared_at=spec.declared_at, actor=actor, expected_version=None, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port} within {seconds}s")
