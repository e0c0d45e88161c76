"""``aligner review``'s server, started for real on a free port and spoken to over HTTP."""

from __future__ import annotations

import http.client
import re
import signal
import urllib.parse

import lxml.etree
import pytest

from aligner.review.state import sidecar_path

from reviewing import CUT, ids, read_jsonl, request, review_server, write_alignment_file


@pytest.fixture
def path(tmp_path):
    return write_alignment_file(tmp_path / "CD_PV.9999.jsonl")


def raw_get(server, path: str, host: str | None = None) -> int:
    """A GET with a Host header of our choosing (urllib always sends the right one)."""
    u = urllib.parse.urlsplit(server.base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host or u.netloc)
        conn.endheaders()
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def test_first_line_is_the_address_with_a_token_on_loopback(path):
    with review_server(path) as server:
        assert re.fullmatch(r"review: http://127\.0\.0\.1:\d+/\?token=[\w-]{20,}",
                            server.first_line)
        status, page = server.get("/")
        assert status == 200 and b"<title>aligner review</title>" in page
        status, data = server.get("/api/beads")
        assert status == 200 and data["version"] == 0
        assert set(data["beads"][0]) >= {"src_ids", "tgt_ids", "src", "tgt", "score", "status",
                                         "flags"}
        assert ids(data["beads"]) == ids(read_jsonl(path))


def test_without_the_token_or_with_another_host_everything_is_403(path):
    with review_server(path) as server:
        for p in ("/", "/api/beads", "/assets/review.js", "/nothing"):
            assert server.get(p, token=False)[0] == 403
            assert request(server.url(p, False) + "?token=wrong")[0] == 403
        assert request(server.url("/api/ops", False), {"version": 0, "op": "confirm",
                                                        "bead": 0})[0] == 403
        good = f"/api/beads?token={server.token}"
        assert raw_get(server, good) == 200
        # DNS rebinding: a hostile name resolving to 127.0.0.1 sends its own Host
        assert raw_get(server, good, host="evil.example:80") == 403
        port = urllib.parse.urlsplit(server.base).port
        assert raw_get(server, good, host=f"127.0.0.1:{port + 1}") == 403
        assert raw_get(server, good, host=f"localhost:{port}") == 200
    assert read_jsonl(path)[0].get("status") is None  # nothing was changed


def test_the_cookie_the_page_sets_carries_the_token(path):
    with review_server(path) as server:
        u = urllib.parse.urlsplit(server.base)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        conn.request("GET", f"/?token={server.token}")
        resp = conn.getresponse()
        resp.read()
        cookie = resp.getheader("Set-Cookie")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
        assert "script-src 'self'" in resp.getheader("Content-Security-Policy")
        conn.request("GET", "/api/beads", headers={"Cookie": cookie.split(";")[0]})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200
        conn.close()


def test_only_its_own_assets_are_served(path):
    with review_server(path) as server:
        assert server.get("/assets/review.js")[0] == 200
        assert server.get("/assets/review.css")[0] == 200
        for p in ("/assets/state.py", "/assets/..%2Fstate.py", "/assets/../state.py",
                  "/CD_PV.9999.jsonl", "/etc/passwd", "/assets/index.html"):
            assert server.get(p)[0] == 404, p


def test_operations_return_the_new_state_and_a_stale_one_gets_409(path):
    with review_server(path) as server:
        status, state = server.op({"version": 0, "op": "confirm", "bead": 2})
        assert status == 200 and state["version"] == 1
        assert state["beads"][2]["status"] == "confirmed"
        assert read_jsonl(path)[2]["status"] == "confirmed"
        status, state = server.op({"version": 1, "op": "merge", "bead": CUT})
        assert status == 200 and len(state["beads"]) == len(read_jsonl(path))
        saved = path.read_bytes()
        # a second tab still on version 1
        status, body = server.op({"version": 1, "op": "unconfirm", "bead": 2})
        assert status == 409 and body["error"] == "reload: the alignment changed"
        assert path.read_bytes() == saved
        assert server.op({"version": 2, "op": "merge", "bead": 10 ** 6})[0] == 400
        assert request(server.url("/api/ops"), None)[0] in (404, 405)
        status, state = server.op({"version": 2, "op": "undo"})
        assert status == 200 and state["redo"] == 1
        status, state = server.op({"version": 3, "op": "redo", "reply": "version"})
        assert status == 200 and state == {"version": 4, "undo": 2, "redo": 0}


def test_kill_9_between_operations_loses_nothing(path):
    with review_server(path) as server:
        server.op({"version": 0, "op": "confirm", "bead": 0})
        _, after_merge = server.op({"version": 1, "op": "merge", "bead": CUT})
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
    assert sidecar_path(path).exists()
    with review_server(path) as server:
        status, state = server.get("/api/beads")
        assert state["version"] == 2 and state["undo"] == 2
        assert ids(state["beads"]) == ids(after_merge["beads"])
        assert state["beads"][0]["status"] == "confirmed"
        # the undo history came back too
        status, state = server.op({"version": 2, "op": "undo"})
        assert status == 200 and len(state["beads"]) == len(after_merge["beads"]) + 1
        status, state = server.op({"version": 3, "op": "undo"})
        assert state["beads"][0]["status"] == "auto"


def test_ctrl_c_stops_cleanly(path):
    with review_server(path) as server:
        assert server.get("/api/beads")[0] == 200
        server.proc.send_signal(signal.SIGINT)
        assert server.proc.wait(timeout=20) == 0
        assert "Traceback" not in server.proc.stderr.read()


def test_export_carries_x_status_and_can_keep_only_confirmed(path):
    with review_server(path) as server:
        server.op({"version": 0, "op": "confirm", "bead": 4})
        server.op({"version": 1, "op": "confirm", "bead": 6})
        status, tmx = server.get("/api/export.tmx")
        assert status == 200
        units = lxml.etree.fromstring(tmx).findall(".//tu")
        statuses = [u.findtext("prop[@type='x-status']") for u in units]
        assert statuses.count("confirmed") == 2 and statuses.count("auto") == len(units) - 2
        status, tmx = server.get("/api/export.tmx?confirmed_only=1")
        units = lxml.etree.fromstring(tmx).findall(".//tu")
        assert len(units) == 2
        assert {u.findtext("prop[@type='x-status']") for u in units} == {"confirmed"}


def test_bad_input_is_one_line_exit_2(tmp_path, cli):
    result = cli("review", tmp_path / "missing.jsonl", "--no-browser")
    assert result.returncode == 2 and result.stderr == \
        f"aligner: error: {tmp_path / 'missing.jsonl'}: no such file\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = cli("review", bad, "--no-browser")
    assert result.returncode == 2 and result.stderr.startswith("aligner: error: ")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_reasons_of_a_bead(path):
    with review_server(path) as server:
        status, body = server.get(f"/api/reasons?bead={CUT + 1}")
        assert status == 200 and body["reasons"][0].startswith("omission: ")
        assert server.get("/api/reasons?bead=x")[0] == 400
        assert server.get("/api/reasons?bead=100000")[0] == 400
        assert server.get(f"/api/reasons?bead={CUT + 1}", token=False)[0] == 403


def test_the_host_names_answered_are_those_of_the_address_served():
    from aligner.review.server import allowed_hosts

    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000",
                                                 "[::1]:8000"}
    assert allowed_hosts("192.0.2.7", 81) == {"192.0.2.7:81"}
    everywhere = allowed_hosts("0.0.0.0", 81)
    assert "localhost:81" in everywhere and "evil.example:81" not in everywhere
