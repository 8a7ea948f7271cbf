"""Nothing a file holds stops the watch: a bad file is recorded as refused with its reason, and the next is read.

Each case also looks again with a fresh source, as a restarted watcher would, and that look does not fail
either. URL cases are served by a scripted server on 127.0.0.1 that answers as a broken or hostile feed would.
"""

import contextlib
import json
import os
import socket
import threading
import time

import pytest
from django.core.management import call_command

from results.feeds.fetch import redirect_refusal
from results.feeds.watch import FolderSource, UrlSource, look_once
from results.models import FeedFile, Result
from results.signals import result_declared
from tests.results.test_import_as_published import HARTLEPOOL, ballot

pytestmark = pytest.mark.django_db

GOOD = json.dumps(HARTLEPOOL).encode()


def with_change(change) -> bytes:
    data = json.loads(GOOD)
    change(data)
    return json.dumps(data).encode()


def settle(path):
    past = time.time() - 5
    os.utime(path, (past, past), follow_symlinks=False)


def drop_bytes(folder, name, content: bytes):
    path = folder / name
    path.write_bytes(content)
    settle(path)
    return path


def outcomes(handled):
    return [(done.name, done.outcome) for done in handled]


BAD_FILES = [
    ("json nested 100,000 deep", "a-deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("an hour of 25", "a-hour.json",
     with_change(lambda d: ballot(d)["result"].update(declared_at="2021-05-07T25:20:00+01:00")), "hour must be"),
    ("a month of 13", "a-month.json",
     with_change(lambda d: ballot(d).update(polls_close="2021-13-06T22:00:00+01:00")), "month must be"),
    ("an offset of +99:00", "a-offset.json",
     with_change(lambda d: ballot(d)["result"].update(declared_at="2021-05-07T04:20:00+99:00")), "not a real"),
    ("a name longer than its column", "a-long.json",
     with_change(lambda d: ballot(d)["candidates"][0].update(person_name="J" * 500)), "the most is 120"),
    ("a NUL", "a-nul.json",
     with_change(lambda d: ballot(d).update(post_name="Hartle\x00pool")), "contains a NUL character"),
    ("a name that is not UTF-8", os.fsdecode(b"a-\xff.json"),
     with_change(lambda d: ballot(d).update(post_name="")), "post_name is required"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "name", "content", "reason"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_is_refused_with_its_reason_and_the_next_file_is_imported(
    tmp_path, results_desk, case, name, content, reason
):
    drop_bytes(tmp_path, name, content)
    drop_bytes(tmp_path, "b-good.json", GOOD)
    refused, applied = look_once(FolderSource(tmp_path), actor=results_desk)
    assert refused.outcome == "refused" and any(reason in line for line in refused.lines)
    assert applied.name == "b-good.json" and applied.outcome == "applied"
    record = FeedFile.objects.get(outcome=FeedFile.Outcome.REFUSED)
    assert record.name == refused.name and reason in record.report
    assert look_once(FolderSource(tmp_path), actor=results_desk) == []  # a restart goes on as well


def test_a_file_name_that_is_not_utf8_is_recorded_with_its_bytes_escaped(tmp_path, results_desk):
    drop_bytes(tmp_path, os.fsdecode(b"0420-\xff\xfe.json"), b"{}")
    [refused] = look_once(FolderSource(tmp_path), actor=results_desk)
    assert FeedFile.objects.get().name == refused.name == "0420-\\xff\\xfe.json"


def test_the_command_goes_on_past_a_bad_file_and_after_a_restart(tmp_path, results_desk, capsys):
    for _case, name, content, _reason in BAD_FILES:
        drop_bytes(tmp_path, name, content)
    drop_bytes(tmp_path, "b-good.json", GOOD)
    call_command("watch_results", str(tmp_path), "--as", "desk", "--once")
    out = capsys.readouterr().out
    assert out.count(": refused") == len(BAD_FILES) and "b-good.json: applied" in out
    call_command("watch_results", str(tmp_path), "--as", "desk", "--once")  # the restart
    assert ": refused" not in capsys.readouterr().out
    assert Result.objects.get().status == Result.Status.DECLARED


def _refusing_declarations(error: BaseException):
    def receiver(sender, **kwargs):
        raise error

    return receiver


def test_whatever_an_import_raises_refuses_that_file_in_one_line_and_the_watch_goes_on(tmp_path, results_desk):
    receiver = _refusing_declarations(RuntimeError("the covering blog's store is away\nfor now"))
    result_declared.connect(receiver, weak=False, dispatch_uid="test-refusing-declarations")
    try:
        drop_bytes(tmp_path, "a-first.json", GOOD)
        [refused] = look_once(FolderSource(tmp_path), actor=results_desk)
    finally:
        result_declared.disconnect(dispatch_uid="test-refusing-declarations")
    assert refused.lines == ["could not be imported: RuntimeError: the covering blog's store is away for now"]
    assert not Result.objects.exists() and FeedFile.objects.get().outcome == FeedFile.Outcome.REFUSED
    drop_bytes(tmp_path, "b-again.json", GOOD)
    assert outcomes(look_once(FolderSource(tmp_path), actor=results_desk)) == [("b-again.json", "applied")]


def test_an_interrupt_during_an_import_stops_the_watcher_and_records_nothing(tmp_path, results_desk):
    result_declared.connect(_refusing_declarations(KeyboardInterrupt()), weak=False, dispatch_uid="test-interrupt")
    try:
        drop_bytes(tmp_path, "a-first.json", GOOD)
        with pytest.raises(KeyboardInterrupt):
            look_once(FolderSource(tmp_path), actor=results_desk)
    finally:
        result_declared.disconnect(dispatch_uid="test-interrupt")
    assert not FeedFile.objects.exists() and not Result.objects.exists()


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, results_desk, settings):
    settings.RESULTS_FEED_MAX_BYTES = len(GOOD) + 10
    drop_bytes(tmp_path, "a-huge.json", b" " * (len(GOOD) + 11))
    drop_bytes(tmp_path, "b-good.json", GOOD)
    refused, applied = look_once(FolderSource(tmp_path), actor=results_desk)
    assert refused.lines == [f"is {len(GOOD) + 11:,} bytes; the most taken is {len(GOOD) + 10:,}"]
    assert applied.outcome == "applied"


def test_a_link_out_of_the_watched_folder_is_refused(tmp_path, results_desk):
    watched, outside = tmp_path / "feed", tmp_path / "private"
    watched.mkdir()
    outside.mkdir()
    secret = drop_bytes(outside, "secret.json", GOOD)
    (watched / "a-link.json").symlink_to(secret)
    settle(watched / "a-link.json")
    inner = drop_bytes(watched, "inner.data", GOOD)
    (watched / "b-inner-link.json").symlink_to(inner)
    settle(watched / "b-inner-link.json")
    refused, applied = look_once(FolderSource(watched), actor=results_desk)
    assert (refused.name, refused.lines) == ("a-link.json", ["links to a file outside the watched folder"])
    assert (applied.name, applied.outcome) == ("b-inner-link.json", "applied")


def test_a_link_out_of_the_folder_to_a_name_that_is_not_utf8_is_refused(tmp_path, results_desk):
    watched = tmp_path / "feed"
    watched.mkdir()
    secret = drop_bytes(tmp_path, os.fsdecode(b"secret-\xff.json"), GOOD)
    (watched / "a-link.json").symlink_to(secret)
    settle(watched / "a-link.json")
    [refused] = look_once(FolderSource(watched), actor=results_desk)
    assert refused.lines == ["links to a file outside the watched folder"]
    assert look_once(FolderSource(watched), actor=results_desk) == []


def _read_unprivileged(folder) -> list[tuple[str, str, bool]]:
    """What FolderSource reads in a child process with no special rights, as the watcher runs in production."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        status = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            found = [(a.name, a.refusal, a.content is not None) for a in FolderSource(folder).files()]
            os.write(write_end, json.dumps(found).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read()
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return [tuple(item) for item in json.loads(report)]


def test_one_unreadable_file_is_refused_and_the_files_after_it_are_still_read(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared-feed")
    folder.chmod(0o755)
    for parent in folder.parents:
        if parent.is_relative_to(tmp_path_factory.getbasetemp().parent):
            parent.chmod(parent.stat().st_mode | 0o001)  # an unprivileged reader may pass through, not list
    drop_bytes(folder, "a-unreadable.json", GOOD).chmod(0o000)
    drop_bytes(folder, "b-good.json", GOOD).chmod(0o644)
    assert _read_unprivileged(folder) == [
        ("a-unreadable.json", "cannot be read: Permission denied", False),
        ("b-good.json", "", True),
    ]


class ScriptedFeed:
    """A feed server on 127.0.0.1 answering each connection with the next scripted answer, then with `last`."""

    def __init__(self, answers, last: bytes):
        self.answers, self.last = list(answers), last
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return  # closed at the end of the test
            self.connections += 1
            answer = self.answers.pop(0) if self.answers else self.last
            threading.Thread(target=self._answer, args=(connection, answer), daemon=True).start()

    @staticmethod
    def _answer(connection, answer):
        with connection:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                if not (data := connection.recv(4096)):
                    return
                request += data
            with contextlib.suppress(OSError):  # the watcher hung up, as it should on a hostile answer
                answer(connection) if callable(answer) else connection.sendall(answer)

    def close(self):
        self.server.close()


def ok(body: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)


def trickle(connection):
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 30000\r\n\r\n")
    for _ in range(150):  # at most 30 s, long after the watcher's deadline
        time.sleep(0.2)
        connection.sendall(b" ")


def trickled_headers(connection):
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 150:
        time.sleep(0.2)
        connection.sendall(bytes([byte]))


BAD_ANSWERS = [
    ("a malformed status line", b"HTTP/1.1 banana\r\n\r\n", "not a readable HTTP answer"),
    ("a status line that is not HTTP", b"\x00\xff garbage\r\n\r\n", "not a readable HTTP answer"),
    ("a broken chunked body", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\"", "broke off"),
    ("a chunk size that is not a number",
     b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", "broke off"),
    ("a body that trickles a byte at a time", trickle, "no complete answer within 1 s"),
    ("headers that trickle a byte at a time", trickled_headers, "no complete answer within 1 s"),
    ("more bytes than the limit, unannounced",
     b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b" " * 50_000, "more than 40,000 bytes"),
    ("more bytes than the limit, announced", b"HTTP/1.1 200 OK\r\nContent-Length: 300000000\r\n\r\n",
     "300,000,000 bytes"),
    ("a redirect to a link-local address",
     b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\n\r\n",
     "redirected to 169.254.169.254, a link-local address"),
    ("a redirect to a port that cannot be",
     b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:99999/\r\nContent-Length: 0\r\n\r\n", "not a usable URL"),
    ("a redirect out of http", b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n",
     "not an http(s) URL"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "answer", "reason"), BAD_ANSWERS, ids=[case[0] for case in BAD_ANSWERS])
def test_a_bad_answer_is_refused_with_its_reason_and_the_next_good_one_is_imported(
    results_desk, settings, case, answer, reason
):
    settings.RESULTS_FEED_TIMEOUT = 1
    settings.RESULTS_FEED_MAX_BYTES = 40_000
    feed = ScriptedFeed([answer, answer], last=ok(GOOD))
    try:
        url = f"{feed.url}/results.json"
        [refused] = look_once(UrlSource(url), actor=results_desk)
        assert refused.outcome == "refused" and reason in refused.lines[0] and len(refused.lines) == 1
        assert look_once(UrlSource(url), actor=results_desk) == []  # a restart meets it again, and goes on
        [applied] = look_once(UrlSource(url), actor=results_desk)
        assert applied.outcome == "applied"
    finally:
        feed.close()
    assert FeedFile.objects.get(outcome=FeedFile.Outcome.REFUSED).report == refused.lines[0]


def test_a_redirect_within_the_feeds_own_address_is_followed(results_desk):
    feed = ScriptedFeed([b"HTTP/1.1 302 Found\r\nLocation: /moved.json\r\nContent-Length: 0\r\n\r\n"], ok(GOOD))
    try:
        [applied] = look_once(UrlSource(f"{feed.url}/results.json"), actor=results_desk)
    finally:
        feed.close()
    assert applied.outcome == "applied" and feed.connections == 2


def test_a_signed_url_longer_than_the_name_column_is_imported_and_remembered(results_desk):
    feed = ScriptedFeed([], last=ok(GOOD))
    try:
        url = f"{feed.url}/results.json?X-Amz-Signature=" + "ab12" * 200
        [applied] = look_once(UrlSource(url), actor=results_desk)
        assert applied.outcome == "applied"
        assert look_once(UrlSource(url), actor=results_desk) == []  # remembered across a restart
        assert look_once(UrlSource(url + "cd"), actor=results_desk)[0].outcome == "applied"  # another URL
    finally:
        feed.close()
    assert all(len(record.name) <= 300 and len(record.source) <= 500 for record in FeedFile.objects.all())


REDIRECTS = [
    ("http://93.184.216.34/results.json", "http://127.0.0.1/admin/", "a loopback address"),
    ("http://93.184.216.34/results.json", "http://10.0.0.5/", "a private address"),
    ("http://93.184.216.34/results.json", "http://169.254.169.254/latest/", "a link-local address"),
    ("http://93.184.216.34/results.json", "http://[::1]:8000/", "a loopback address"),
    ("http://93.184.216.34/results.json", "http://[::ffff:127.0.0.1]/", "a loopback address"),
    ("http://93.184.216.34/results.json", "http://93.184.216.35/results.json", None),
    ("http://127.0.0.1:8000/results.json", "http://127.0.0.1:9000/moved.json", None),
    ("http://127.0.0.1:8000/results.json", "http://169.254.169.254/", "a link-local address"),
    ("http://127.0.0.1:8000/results.json", "ftp://127.0.0.1/results.json", "not an http(s) URL"),
]


@pytest.mark.parametrize(("original", "target", "refusal"), REDIRECTS)
def test_a_redirect_may_not_lead_inward_from_where_the_feed_is(original, target, refusal):
    said = redirect_refusal(original, target)
    assert said == refusal if refusal is None else refusal in said


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_file_that_cannot_even_be_recorded_is_reported_and_looked_at_again(tmp_path, results_desk):
    import psycopg
    from django.db import connection

    drop_bytes(tmp_path, "a-first.json", GOOD)
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}) as other:
        other.execute("LOCK TABLE results_feedfile IN ACCESS EXCLUSIVE MODE")  # held until this block ends
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            [reported] = look_once(FolderSource(tmp_path), actor=results_desk)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    assert reported.outcome == "refused" and "lock timeout" in reported.lines[0] and len(reported.lines) == 1
    assert outcomes(look_once(FolderSource(tmp_path), actor=results_desk)) == [("a-first.json", "applied")]
