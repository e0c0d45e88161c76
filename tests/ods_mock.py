"""A stand-in for the UN Official Document System on 127.0.0.1, for the ``aligner fetch`` tests.

A real HTTP server in a thread, answering ``/TOKEN/api/symbol/access?s=SYMBOL&l=E&t=pdf`` the
way ODS does, and the ways a network fails. What it answers depends on the symbol:

- ``CD/PV.9999``: the record (PDFs made by ``records.write_pdf``, a DOCX for ``t=doc``), after a
  chain of two redirects, as ODS redirects to the file; languages C and E only;
- any other symbol: an HTML "not found" page with status 200, as ODS answers;
- ``CD/PV.7001``: 503 (Retry-After: 0) on the first request, then the record;
- ``CD/PV.7002``: the first answer stops half-way and the connection drops, then the record;
- ``CD/PV.7003``: every answer drops half-way;
- ``CD/PV.7004``: waits ``SLOW`` seconds before answering;
- ``CD/PV.7005``: redirects to itself, for ever;
- ``CD/PV.7006``: 404;
- ``CD/PV.7007``: the first answer has no length and stops half-way, then the record;
- ``CD/PV.7008``: a PDF of ``BIG`` bytes, sent in pieces.

``requests`` lists every request as (path, query dict) and ``count(symbol)`` how often a
symbol was asked for. Requests without the token or with another Host header get 403.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

SLOW = 3.0
BIG = 3 << 20
PAUSE = 0.002  # between the 64 KiB pieces of the large file, for the progress bar to show
NOT_FOUND_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Official Document System</title></head>"
                  b"<body><p>The document you requested was not found.</p></body></html>\n")
LETTERS = {"C": "zh", "E": "en"}


class MockODS:
    def __init__(self, files: dict[tuple[str, str], bytes]) -> None:
        """``files``: (language letter, t) -> the bytes served for CD/PV.9999 and the others."""
        self.files = files
        self.token = secrets.token_hex(8)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def do_GET(self) -> None:
                mock._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.token}"

    @property
    def url(self) -> str:
        """The symbol-access endpoint, for --ods-url / ALIGNER_ODS_URL."""
        return f"{self.base}/api/symbol/access"

    def count(self, symbol: str) -> int:
        with self._lock:
            return self._counts[symbol]

    def __enter__(self) -> MockODS:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- answers ------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        if h.headers.get("Host") != f"127.0.0.1:{self.port}" \
                or not parts.path.startswith(f"/{self.token}/"):
            return self._send(h, 403, b"forbidden", "text/plain")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path[len(self.token) + 1:]
        with self._lock:
            self.requests.append((path, query))
        if path == "/api/symbol/access":
            return self._access(h, query)
        if path.startswith("/hop/"):  # the second link of the redirect chain
            return self._redirect(h, 301, f"{self.base}/files/{path[len('/hop/'):]}")
        if path.startswith("/files/"):
            letter, kind = path[len("/files/"):].split(".")
            return self._file(h, self.files[(letter, kind)])
        self._send(h, 404, b"no such page", "text/plain")

    def _access(self, h: BaseHTTPRequestHandler, q: dict[str, str]) -> None:
        symbol, letter, kind = q.get("s", ""), q.get("l", ""), q.get("t", "pdf")
        with self._lock:
            self._counts[symbol] += 1
            n = self._counts[symbol]
        body = self.files.get((letter, kind))
        if symbol == "CD/PV.9999" and body is not None:
            return self._redirect(h, 302, f"/{self.token}/hop/{letter}.{kind}")
        if symbol == "CD/PV.7001" and body is not None:
            if n == 1:
                return self._send(h, 503, b"busy", "text/plain", {"Retry-After": "0"})
            return self._file(h, body)
        if symbol == "CD/PV.7002" and body is not None:
            return self._file(h, body, cut=n == 1)
        if symbol == "CD/PV.7003" and body is not None:
            return self._file(h, body, cut=True)
        if symbol == "CD/PV.7004":
            time.sleep(SLOW)
            return self._file(h, body or b"")
        if symbol == "CD/PV.7005":
            return self._redirect(h, 302, f"/{self.token}/api/symbol/access?s={quote(symbol)}"
                                          f"&l={letter}&t={kind}&n={n}")
        if symbol == "CD/PV.7006":
            return self._send(h, 404, b"not found", "text/plain")
        if symbol == "CD/PV.7007" and body is not None:
            return self._file(h, body, cut=n == 1, length=False)
        if symbol == "CD/PV.7008" and body is not None:
            return self._file(h, big_pdf(body), pause=PAUSE)
        self._send(h, 200, NOT_FOUND_PAGE, "text/html; charset=utf-8")

    def _file(self, h: BaseHTTPRequestHandler, body: bytes, cut: bool = False,
              length: bool = True, pause: float = 0.0) -> None:
        kind = "application/pdf" if body.startswith(b"%PDF") else "application/octet-stream"
        if not length:
            h.protocol_version = "HTTP/1.0"  # the end of the body is the end of the connection
        h.send_response(200)
        h.send_header("Content-Type", kind)
        if length:
            h.send_header("Content-Length", str(len(body)))
        h.send_header("Connection", "close")
        h.end_headers()
        sent = body[: len(body) // 2] if cut else body
        step = 64 << 10 if pause else len(sent) or 1
        for start in range(0, len(sent), step):  # in pieces, for a progress bar to show
            h.wfile.write(sent[start:start + step])
            h.wfile.flush()
            time.sleep(pause)
        h.close_connection = True

    def _redirect(self, h: BaseHTTPRequestHandler, status: int, location: str) -> None:
        self._send(h, status, b"", "text/plain", {"Location": location})

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, kind: str,
              headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)


def record_files(folder: Path) -> dict[tuple[str, str], bytes]:
    """The record CD/PV.9999 as ODS would serve it: PDFs in C and E, DOCX for ``t=doc``."""
    import records

    files = {}
    for letter, lang in LETTERS.items():
        records.write_pdf(folder / f"{lang}.pdf", lang)
        records.write_docx(folder / f"{lang}.docx", lang)
        files[(letter, "pdf")] = (folder / f"{lang}.pdf").read_bytes()
        files[(letter, "doc")] = (folder / f"{lang}.docx").read_bytes()
    return files


def big_pdf(pdf: bytes) -> bytes:
    """``pdf`` grown to ``BIG`` bytes by a comment before its end, still a PDF to any reader."""
    end = pdf.rindex(b"%%EOF")
    filler = b"%" + b"x" * (BIG - len(pdf) - 2) + b"\n"
    return pdf[:end] + filler + pdf[end:]
