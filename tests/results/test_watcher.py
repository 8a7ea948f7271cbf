"""watch_results: files dropped into a folder or served at a URL are imported as they land, once."""

import copy
import http.server
import json
import os
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from results.feeds.watch import FolderSource, UrlSource, look_once
from results.models import FeedFile, Result, Revision
from tests.results.test_import_as_published import HARTLEPOOL, ballot

pytestmark = pytest.mark.django_db


def drop(folder, name, data, *, settled=True):
    path = folder / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    if settled:  # as if written a moment ago and closed
        past = time.time() - 5
        os.utime(path, (past, past))
    return path


def corrected():
    data = copy.deepcopy(HARTLEPOOL)
    ballot(data)["candidates"][1]["votes_cast"] = 8590
    ballot(data)["result"]["reason"] = "Bundle recounted"
    return data


def test_a_dropped_file_is_applied_once_and_a_changed_one_again(tmp_path, results_desk):
    drop(tmp_path, "0420-hartlepool.json", HARTLEPOOL)
    [done] = look_once(FolderSource(tmp_path), actor=results_desk)
    assert done.outcome == "applied" and done.lines[0] == "Hartlepool: declared"
    assert "new party: Headland Heritage Party" in done.lines
    assert look_once(FolderSource(tmp_path), actor=results_desk) == []  # a restart, too, remembers it
    drop(tmp_path, "0420-hartlepool.json", corrected())
    [done] = look_once(FolderSource(tmp_path), actor=results_desk)
    assert done.lines == ["Hartlepool: corrected"]
    assert Revision.objects.count() == 2 and Result.objects.get().status == Result.Status.CORRECTED


def test_a_bad_file_is_reported_once_and_the_watch_goes_on(tmp_path, results_desk):
    drop(tmp_path, "a-broken.json", '{"elections": [1]}')
    [refused] = look_once(FolderSource(tmp_path), actor=results_desk)
    assert refused.outcome == "refused" and refused.lines == ["elections[0]: must be an object"]
    drop(tmp_path, "b-good.json", HARTLEPOOL)
    [applied] = look_once(FolderSource(tmp_path), actor=results_desk)
    assert applied.name == "b-good.json" and applied.outcome == "applied"
    assert FeedFile.objects.get(name="a-broken.json").outcome == FeedFile.Outcome.REFUSED


def test_a_file_still_being_written_waits_for_the_next_look(tmp_path, results_desk):
    path = drop(tmp_path, "fresh.json", HARTLEPOOL, settled=False)
    assert look_once(FolderSource(tmp_path), actor=results_desk) == []
    past = time.time() - 5
    os.utime(path, (past, past))
    assert [done.outcome for done in look_once(FolderSource(tmp_path), actor=results_desk)] == ["applied"]


def test_a_watched_url_is_asked_with_its_etag_and_a_304_imports_nothing(results_desk):
    body = json.dumps(HARTLEPOOL).encode()
    seen = []

    class Feed(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("If-None-Match"))
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        source = UrlSource(f"http://127.0.0.1:{server.server_port}/results.json")
        assert [d.outcome for d in look_once(source, actor=results_desk)] == ["applied"]
        assert look_once(source, actor=results_desk) == []
    finally:
        server.shutdown()
        server.server_close()
    assert seen == [None, '"v1"']


def test_the_command_prints_a_line_per_file(tmp_path, results_desk, capsys):
    drop(tmp_path, "0420.json", HARTLEPOOL)
    call_command("watch_results", str(tmp_path), "--as", "desk", "--once")
    out = capsys.readouterr().out
    assert "0420.json: applied" in out and "Hartlepool: declared" in out


def test_the_command_refuses_someone_who_may_not_declare_and_a_missing_folder_is_said(
    tmp_path, reporter, results_desk, capsys
):
    with pytest.raises(CommandError, match="not an active user allowed to declare"):
        call_command("watch_results", str(tmp_path), "--as", "reporter", "--once")
    call_command("watch_results", str(tmp_path / "nowhere"), "--as", "desk", "--once")
    assert "is not a folder" in capsys.readouterr().err
