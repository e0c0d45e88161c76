"""``aligner fetch`` and ``aligner run --fetch`` against a mock ODS on 127.0.0.1 (no internet)."""

import os
import socket
import time

import pytest

from aligner.common.errors import AlignerError
from aligner.fetch.download import Unreachable
from aligner.fetch.ods import check_content, fetch, fetch_command, kind_of, normalise_symbol

from ods_mock import NOT_FOUND_PAGE, SLOW, MockODS, record_files


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return record_files(tmp_path_factory.mktemp("ods-files"))


@pytest.fixture
def ods(files):
    with MockODS(files) as server:
        yield server


def fetch_cli(cli, ods, *args):
    return cli("fetch", *args, "--ods-url", ods.url)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_fetch_both_languages_through_redirects_then_run_aligns_them(tmp_path, cli, ods, files):
    corpora = tmp_path / "corpora"
    result = fetch_cli(cli, ods, "CD/PV.9999", "--to", corpora)
    assert result.returncode == 0, result.stderr
    assert (corpora / "CD_PV.9999_zh.pdf").read_bytes() == files[("C", "pdf")]
    assert (corpora / "CD_PV.9999_en.pdf").read_bytes() == files[("E", "pdf")]
    assert leftovers(corpora) == ["CD_PV.9999_en.pdf", "CD_PV.9999_zh.pdf"]
    asked = [q for path, q in ods.requests if path == "/api/symbol/access"]
    assert asked == [{"s": "CD/PV.9999", "l": "C", "t": "pdf"},
                     {"s": "CD/PV.9999", "l": "E", "t": "pdf"}]
    # both redirects were followed to the file
    assert [p for p, _ in ods.requests] == ["/api/symbol/access", "/hop/C.pdf", "/files/C.pdf",
                                            "/api/symbol/access", "/hop/E.pdf", "/files/E.pdf"]
    assert f"{corpora / 'CD_PV.9999_en.pdf'}: {len(files[('E', 'pdf')]):,} bytes" in result.stdout

    out = tmp_path / "build"
    run = cli("run", "--corpora", corpora, "--out", out, "--jobs", "1")
    assert run.returncode == 0, run.stderr
    assert (out / "CD_PV.9999.tmx").stat().st_size > 0
    assert "CD/PV.9999" in run.stdout and "done" in run.stdout


def test_an_existing_record_is_kept_unless_force(tmp_path, cli, ods):
    corpora = tmp_path / "corpora"
    corpora.mkdir()
    mine = corpora / "CD_PV.9999_en.docx"  # any suffix counts as the English record
    mine.write_bytes(b"my own copy")
    result = fetch_cli(cli, ods, "CD/PV.9999", "--lang", "en", "--to", corpora)
    assert result.returncode == 0, result.stderr
    assert "already there, kept" in result.stdout
    assert ods.count("CD/PV.9999") == 0 and mine.read_bytes() == b"my own copy"
    result = fetch_cli(cli, ods, "CD/PV.9999", "--lang", "en", "--to", corpora, "--force")
    assert result.returncode == 0, result.stderr
    assert ods.count("CD/PV.9999") == 1
    assert (corpora / "CD_PV.9999_en.pdf").read_bytes().startswith(b"%PDF-")


def test_an_html_page_is_refused_in_one_line_and_nothing_is_saved(tmp_path, cli, ods):
    corpora = tmp_path / "corpora"
    result = fetch_cli(cli, ods, "CD/PV.99999", "--lang", "en", "--to", corpora)
    assert result.returncode == 2
    assert result.stderr == ("aligner: error: CD/PV.99999 (en): ODS returned an HTML page, "
                             "not a PDF (no such document?)\n")
    assert leftovers(corpora) == []


def test_a_language_ods_does_not_hold_is_refused_the_others_saved(tmp_path, cli, ods):
    corpora = tmp_path / "corpora"
    result = fetch_cli(cli, ods, "CD_PV.9999", "--lang", "en,fr", "--to", corpora)
    assert result.returncode == 2
    assert result.stderr == ("aligner: error: CD/PV.9999 (fr): ODS returned an HTML page, "
                             "not a PDF (no such document?)\n")
    assert leftovers(corpora) == ["CD_PV.9999_en.pdf"]
    assert ("/api/symbol/access", {"s": "CD/PV.9999", "l": "F", "t": "pdf"}) in ods.requests


def test_word_format_is_saved_under_the_suffix_its_bytes_say(tmp_path, cli, ods, files):
    corpora = tmp_path / "corpora"
    result = fetch_cli(cli, ods, "CD/PV.9999", "--lang", "zh", "--format", "doc", "--to",
                       corpora)
    assert result.returncode == 0, result.stderr
    assert (corpora / "CD_PV.9999_zh.docx").read_bytes() == files[("C", "doc")]
    assert ods.requests[0][1]["t"] == "doc"


def test_503_then_200_is_retried(tmp_path, cli, ods, files):
    corpora = tmp_path / "corpora"
    result = fetch_cli(cli, ods, "CD/PV.7001", "--lang", "en", "--to", corpora)
    assert result.returncode == 0, result.stderr
    assert ods.count("CD/PV.7001") == 2
    assert (corpora / "CD_PV.7001_en.pdf").read_bytes() == files[("E", "pdf")]


def test_503_every_time_gives_up_after_the_retries(tmp_path, cli, ods):
    result = fetch_cli(cli, ods, "CD/PV.7001", "--lang", "en", "--to", tmp_path, "--retries", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("aligner: error: CD/PV.7001 (en): ")
    assert "answered 503" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("symbol", ["CD/PV.7002", "CD/PV.7007"])
def test_a_connection_dropped_mid_body_is_retried(tmp_path, ods, files, symbol):
    # 7002 announces its length; 7007 does not, and is caught by the missing end of the PDF.
    got = fetch(symbol, "zh", tmp_path, base_url=ods.url, backoff=0.01, progress=False)
    assert ods.count(symbol) == 2
    assert got.path.read_bytes() == files[("C", "pdf")]
    assert leftovers(tmp_path) == [got.path.name]


def test_a_download_that_always_drops_leaves_no_half_file_and_the_old_one_intact(
        tmp_path, cli, ods):
    corpora = tmp_path / "corpora"
    corpora.mkdir()
    old = corpora / "CD_PV.7003_en.pdf"
    old.write_bytes(b"%PDF-1.4 the copy from last year %%EOF")
    result = fetch_cli(cli, ods, "CD/PV.7003", "--lang", "en", "--to", corpora, "--force",
                       "--retries", "1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "connection dropped before the end of the file" in result.stderr
    assert "(after 2 tries)" in result.stderr
    assert ods.count("CD/PV.7003") == 2
    assert leftovers(corpora) == ["CD_PV.7003_en.pdf"]  # no .part file either
    assert old.read_bytes() == b"%PDF-1.4 the copy from last year %%EOF"


def test_a_slow_answer_times_out(tmp_path, cli, ods):
    start = time.monotonic()
    result = fetch_cli(cli, ods, "CD/PV.7004", "--lang", "en", "--to", tmp_path,
                       "--timeout", "0.5", "--retries", "0")
    elapsed = time.monotonic() - start
    assert result.returncode == 2
    assert result.stderr == ("aligner: error: CD/PV.7004 (en): "
                             f"127.0.0.1:{ods.port} sent nothing for 0.5 s\n")
    assert elapsed < SLOW  # gave up before the server answered
    assert leftovers(tmp_path) == []


def test_a_large_file_shows_a_progress_bar_on_a_terminal(tmp_path, ods):
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from ods_mock import BIG

    main, secondary = pty.openpty()
    # a terminal 80 columns wide: tqdm draws nothing in one of width 0
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "fetch", "CD/PV.7008", "--lang",
                             "en", "--to", str(tmp_path), "--ods-url", ods.url],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal is gone with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    stdout, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, seen
    assert b"CD/PV.7008 (en)" in seen and b"%|" in seen  # tqdm's bar: "40%|####  |"
    assert (tmp_path / "CD_PV.7008_en.pdf").stat().st_size == BIG
    assert b"CD_PV.7008_en.pdf: 3,145,728 bytes" in stdout


def test_redirect_loop_and_404_are_one_line_errors(tmp_path, cli, ods):
    result = fetch_cli(cli, ods, "CD/PV.7005", "CD/PV.7006", "--lang", "en", "--to", tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"aligner: error: CD/PV.7005 (en): 127.0.0.1:{ods.port}: more than 10 redirects",
        f"aligner: error: CD/PV.7006 (en): 127.0.0.1:{ods.port} answered 404 Not Found "
        "(no such document?)",
    ]


def test_the_mock_refuses_requests_without_its_token(ods):
    import httpx

    answer = httpx.get(f"http://127.0.0.1:{ods.port}/api/symbol/access?s=CD/PV.9999&l=E")
    assert answer.status_code == 403


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_network_is_one_line_naming_the_host_within_the_timeout(tmp_path, cli):
    # .invalid never resolves (RFC 6761): what a machine without network sees for any name.
    start = time.monotonic()
    result = cli("fetch", "CD/PV.1261", "CD/PV.1262", "--to", tmp_path, "--timeout", "2",
                 "--ods-url", "https://ods.invalid/api/symbol/access")
    elapsed = time.monotonic() - start
    assert result.returncode == 2
    # one line for the batch: the other records would only wait as long
    assert result.stderr == ("aligner: error: CD/PV.1261 (zh): cannot reach ods.invalid: cannot "
                             "resolve the host name (no network, or a wrong --ods-url?)\n")
    assert elapsed < 2 + 10  # the timeout, plus the start of a Python process on a busy machine
    assert leftovers(tmp_path) == []


def test_a_closed_port_is_connection_refused(tmp_path):
    port = _free_port()
    with pytest.raises(Unreachable, match=f"cannot reach 127.0.0.1:{port}: connection refused"):
        fetch("CD/PV.1261", "en", tmp_path, base_url=f"http://127.0.0.1:{port}/x", retries=1,
              backoff=0.01)


def test_the_endpoint_comes_from_the_environment(tmp_path, cli, ods, files):
    env = {**os.environ, "ALIGNER_ODS_URL": ods.url}
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "aligner", "fetch", "CD/PV.9999", "--lang",
                             "en", "--to", str(tmp_path)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "CD_PV.9999_en.pdf").read_bytes() == files[("E", "pdf")]


def test_bad_arguments_are_one_line(tmp_path, cli):
    result = cli("fetch", "CD/PV.1261", "--lang", "en,xx", "--to", tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("aligner: error: --lang: ")
    result = cli("fetch", "CD//PV", "--to", tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("aligner: error: CD//PV: not a UN document symbol (like CD/PV.1261 "
                             "or A/RES/78/1)\n")
    result = cli("fetch", "CD/PV.1261", "--format", "rtf", "--to", tmp_path)
    assert result.returncode == 2 and "--format" in result.stderr


def test_content_is_judged_by_its_bytes():
    assert kind_of(b"%PDF-1.7\n") == "pdf"
    assert kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "doc"
    assert kind_of(b"PK\x03\x04") == "docx"
    assert kind_of(NOT_FOUND_PAGE) == "html"
    assert kind_of(b"\xef\xbb\xbf  <HTML><body>") == "html"
    with pytest.raises(AlignerError, match="ODS returned a Word file, not a PDF"):
        check_content(b"PK\x03\x04", {}, "pdf", "X (en)")
    with pytest.raises(AlignerError, match="ODS returned a PDF, not a Word file"):
        check_content(b"%PDF-1.4", {}, "doc", "X (en)")
    with pytest.raises(AlignerError, match="an HTML page"):
        check_content(b"Sorry, nothing here", {"content-type": "text/html"}, "pdf", "X (en)")
    assert normalise_symbol(" CD_PV.1261 ") == "CD/PV.1261"
    assert normalise_symbol("S/RES/2231 (2015)") == "S/RES/2231 (2015)"


def test_fetch_command_is_what_a_user_types(tmp_path):
    from pathlib import Path

    assert fetch_command("CD/PV.1261", "en", Path("corpora")) == "aligner fetch CD/PV.1261 --lang en"
    assert fetch_command("S/RES/2231 (2015)", "zh", Path("my records")) == \
        "aligner fetch 'S/RES/2231 (2015)' --lang zh --to 'my records'"


# --- aligner run --fetch ---------------------------------------------------------------------
def _zh_only(folder, stem="CD_PV.9999"):
    import records

    folder.mkdir(parents=True, exist_ok=True)
    records.write_pdf(folder / f"{stem}_zh.pdf", "zh")


def test_run_fetch_downloads_the_missing_english_then_aligns(tmp_path, cli, ods):
    corpora, out = tmp_path / "corpora", tmp_path / "build"
    _zh_only(corpora)
    env = {**os.environ, "ALIGNER_ODS_URL": ods.url}
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "aligner", "run", "--fetch", "--corpora",
                             str(corpora), "--out", str(out), "--jobs", "1"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert ("/api/symbol/access", {"s": "CD/PV.9999", "l": "E", "t": "pdf"}) in ods.requests
    assert (corpora / "CD_PV.9999_en.pdf").exists()
    assert (out / "CD_PV.9999.tmx").stat().st_size > 0
    assert not (out / "demo").exists()  # a real pair now, not the demonstration


def test_without_fetch_a_missing_partner_ends_with_the_fetch_command(tmp_path, cli):
    import records

    corpora, out = tmp_path / "corpora", tmp_path / "build"
    _zh_only(corpora, "CD_PV.9998")
    records.write_txt(corpora / "CD_PV.9999_zh.txt", "zh")
    records.write_txt(corpora / "CD_PV.9999_en.txt", "en")
    result = cli("run", "--corpora", corpora, "--out", out, "--jobs", "1")
    assert result.returncode == 1
    line = next(ln for ln in result.stderr.splitlines() if "CD_PV.9998_zh.pdf" in ln)
    assert line.startswith("aligner: error: ")
    assert line.endswith(f"to download it: aligner fetch CD/PV.9998 --lang en --to {corpora})")
