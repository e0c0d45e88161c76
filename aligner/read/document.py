"""Reading UN records: bytes or PDF/DOCX in, clean paragraphs and speaker turns out.

The reader turns every format into the shape of text extracted from a PDF — lines, where an
indented line may start a paragraph — strips the page furniture (running heads with the
document symbol, page and job numbers, the cover block), rejoins hard-wrapped lines and
finds the speaker turns. DOCX paragraphs are real paragraphs and skip the rejoining.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..common.errors import AlignerError
from ..common.fileio import existing_file
from ..common.script import detect_lang
from ..common.types import Document, Paragraph, Turn
from .furniture import (
    drop_cover,
    drop_footnotes,
    find_symbol,
    is_continued,
    is_footnote,
    is_furniture,
)
from .paragraphs import normalise_spaces, paragraphs_from_lines
from .sources import read_doc, read_docx, read_pdf, read_txt, text_source
from .turns import find_turn

SUPPORTED = (".txt", ".text", ".pdf", ".docx", ".doc")

# A symbol spelt in a file name, ``_`` for ``/``: CD_PV.1261_zh.txt, A_RES_78_1.jsonl.
_SYMBOL_FILE = re.compile(r"^([A-Z]{1,8}(?:_[A-Z0-9]+(?:\.[A-Z0-9]+)*)+)(?![A-Za-z0-9])")


def symbol_from_filename(path: str | Path) -> str | None:
    """``CD_PV.1261_zh.txt`` or ``CD_PV.1261.jsonl`` -> ``CD/PV.1261``; None for other names."""
    m = _SYMBOL_FILE.match(Path(path).name)
    return m.group(1).replace("_", "/") if m else None


def build_document(lines: list[str], path: str, lang: str = "auto",
                   paragraphs_known: bool = False) -> Document:
    """Pure core of the reader: raw lines to a Document."""
    symbol = find_symbol(lines)
    # A DOCX paragraph is whole: only a wrapped footnote runs over several lines.
    lines = [ln for ln in lines if not is_footnote(ln)] if paragraphs_known \
        else drop_footnotes(lines)
    kept = [ln for ln in lines if not is_furniture(ln) and not is_continued(ln)]
    if lang == "auto":
        lang = detect_lang("\n".join(kept))
    if lang not in ("zh", "en"):
        raise AlignerError(path, f"unknown language {lang!r} (use zh, en or auto)")
    raw = [ln.strip() for ln in kept if ln.strip()] if paragraphs_known \
        else paragraphs_from_lines(kept, lang)
    texts = [normalise_spaces(p) if lang == "zh" else re.sub(r"\s+", " ", p).strip()
             for p in raw]
    texts = drop_cover([t for t in texts if t], lang)
    paragraphs: list[Paragraph] = []
    turns: list[Turn] = []
    for text in texts:
        found = find_turn(text, lang)
        if found:
            turn, _ = found
            turns.append(Turn(len(turns), turn.label, turn.person, turn.country,
                              turn.language_note, turn.is_president))
        paragraphs.append(Paragraph(len(paragraphs), text, len(turns) - 1 if turns else None))
    if not paragraphs:
        raise AlignerError(path, "no text found after removing page furniture")
    return Document(path=str(path), lang=lang, paragraphs=paragraphs, turns=turns, symbol=symbol)


def read_document(path: str | Path, lang: str = "auto") -> Document:
    """Read a record (.txt in any common encoding, .pdf, .docx, .doc) into paragraphs and turns;
    ``-`` is text read from standard input (a pipe)."""
    if str(path) == "-":
        return _read_stdin(lang)
    path = existing_file(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise AlignerError(path, f"unsupported file type {suffix or '(none)'!r} "
                                 f"(use {', '.join(SUPPORTED)})")
    if path.stat().st_size == 0:
        raise AlignerError(path, "empty file")
    try:
        source = {".pdf": read_pdf, ".docx": read_docx,
                  ".doc": read_doc}.get(suffix, read_txt)(path)
    except PermissionError:
        raise AlignerError(path, "permission denied") from None
    return build_document(source.lines, str(path), lang, source.paragraphs_known)


def _read_stdin(lang: str) -> Document:
    import sys

    shown = Path("<stdin>")
    try:
        data = sys.stdin.buffer.read()
    except OSError as e:
        raise AlignerError(shown, f"cannot read: {(e.strerror or str(e)).lower()}") from None
    if not data:
        raise AlignerError(shown, "empty input")
    source = text_source(data, shown)
    return build_document(source.lines, str(shown), lang, source.paragraphs_known)
