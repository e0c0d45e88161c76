"""The UN Official Document System (ODS): a symbol and a language to a record in ``corpora/``.

ODS gives every document by symbol at one address, ``…/api/symbol/access?s=SYMBOL&l=E&t=pdf``
(one-letter languages, ``t=doc`` for Word), which redirects to the file. It answers a symbol or
language it does not hold with an HTML page and status 200, so what comes back is judged by its
first bytes before anything is saved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import AlignerError
from .download import Downloaded, Incomplete, Unreachable, download

DEFAULT_ODS_URL = "https://documents.un.org/api/symbol/access"
ODS_URL_ENV = "ALIGNER_ODS_URL"
# ODS's language letters; the records aligner pairs are zh and en, the others can be fetched.
LANG_CODES = {"ar": "A", "zh": "C", "en": "E", "fr": "F", "ru": "R", "es": "S"}
FORMATS = ("pdf", "doc")
# Every suffix a record of one language may have: one already there is kept unless --force.
RECORD_SUFFIXES = (".txt", ".pdf", ".docx", ".doc")

# UN symbols: letters, digits and . / - ( ), and a space in some (S/RES/2231 (2015)).
_SYMBOL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./()\- ]*$")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97-2003 files


@dataclass(frozen=True)
class Fetched:
    symbol: str
    lang: str
    path: Path
    size: int | None  # None: an existing file was kept
    url: str | None = None


def ods_url(override: str | None = None) -> str:
    """The symbol-access endpoint: ``--ods-url``, else ``$ALIGNER_ODS_URL``, else ODS itself."""
    return override or os.environ.get(ODS_URL_ENV) or DEFAULT_ODS_URL


def normalise_symbol(text: str) -> str:
    """``CD/PV.1261`` as given, or spelt as in a file name (``CD_PV.1261``)."""
    symbol = " ".join(text.replace("_", "/").split())
    if not _SYMBOL.match(symbol) or "//" in symbol:
        raise AlignerError(text, "not a UN document symbol (like CD/PV.1261 or A/RES/78/1)")
    return symbol


def stem(symbol: str) -> str:
    """``CD/PV.1261`` -> ``CD_PV.1261``: the name ``aligner run`` pairs records by."""
    return symbol.replace("/", "_")


def existing_record(folder: Path, symbol: str, lang: str) -> Path | None:
    for suffix in RECORD_SUFFIXES:
        path = folder / f"{stem(symbol)}_{lang}{suffix}"
        if path.is_file():
            return path
    return None


def kind_of(head: bytes) -> str:
    """What the first bytes of a file are: pdf, doc, docx, html, rtf or other."""
    if b"%PDF-" in head[:1024]:  # the PDF header may follow a little junk
        return "pdf"
    if head.startswith(_OLE):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) \
            or b"<html" in text:
        return "html"
    return "other"


_WHAT = {"html": "an HTML page", "rtf": "an RTF file", "doc": "a Word 97-2003 file",
         "docx": "a Word file", "pdf": "a PDF"}


def check_content(head: bytes, headers: Mapping[str, str], fmt: str, label: str) -> str:
    """The file suffix for what ODS sent, or the AlignerError saying why it is refused."""
    kind = kind_of(head)
    if kind == "other" and "text/html" in headers.get("content-type", "").lower():
        kind = "html"
    wanted = "a PDF" if fmt == "pdf" else "a Word file"
    if (fmt == "pdf" and kind == "pdf") or (fmt == "doc" and kind in ("doc", "docx")):
        return kind
    if kind == "html":
        raise AlignerError(label, f"ODS returned an HTML page, not {wanted} (no such document?)")
    what = _WHAT.get(kind) or (f"{len(head)} bytes of "
                               f"{headers.get('content-type') or 'unknown content'}")
    raise AlignerError(label, f"ODS returned {what}, not {wanted}")


def fetch(symbol: str, lang: str, folder: Path, *, fmt: str = "pdf", force: bool = False,
          base_url: str | None = None, timeout: float = 30.0, retries: int = 3,
          backoff: float = 1.0, progress: bool = True) -> Fetched:
    """Download one language version of ``symbol`` into ``folder`` as ``STEM_LANG.pdf`` (etc.).

    A record of that language already in ``folder`` (any suffix) is kept unless ``force``.
    """
    symbol = normalise_symbol(symbol)
    label = f"{symbol} ({lang})"
    if lang not in LANG_CODES:
        raise AlignerError(label, f"unknown language (use {', '.join(LANG_CODES)})")
    if fmt not in FORMATS:
        raise AlignerError(label, f"unknown format {fmt!r} (use pdf or doc)")
    old = existing_record(folder, symbol, lang)
    if old is not None and not force:
        return Fetched(symbol, lang, old, None)
    if folder.exists() and not folder.is_dir():
        raise AlignerError(folder, "not a folder")

    def choose(head: bytes, headers: Mapping[str, str]) -> Path:
        suffix = check_content(head, headers, fmt, label)
        return folder / f"{stem(symbol)}_{lang}.{suffix}"

    got: Downloaded = download(
        ods_url(base_url), choose, label=label,
        params={"s": symbol, "l": LANG_CODES[lang], "t": fmt}, timeout=timeout,
        retries=retries, backoff=backoff, progress=progress, check_tail=_check_pdf_end)
    return Fetched(symbol, lang, got.path, got.size, got.url)


def _check_pdf_end(path: Path, tail: bytes) -> None:
    # A server that sends no length and closes early leaves a PDF without its trailer.
    if path.suffix == ".pdf" and b"%%EOF" not in tail:
        raise Incomplete("a PDF without its end-of-file marker")


def fetch_all(wanted: list[tuple[str, str]], folder: Path,
              **options: object) -> Iterator[Fetched | AlignerError]:
    """Fetch every (symbol, language), yielding what each gave, a file or the error why not.

    A host that cannot be reached ends the batch: the next request would only wait as long.
    """
    for symbol, lang in wanted:
        try:
            yield fetch(symbol, lang, folder, **options)
        except Unreachable as e:
            yield e
            return
        except AlignerError as e:
            yield e


def fetch_command(symbol: str, lang: str, folder: Path) -> str:
    """The ``aligner fetch`` command line that puts this record in ``folder``."""
    import shlex

    to = "" if folder == Path("corpora") else f" --to {shlex.quote(str(folder))}"
    return f"aligner fetch {shlex.quote(symbol)} --lang {lang}{to}"
