"""One reader a file format, each returning lines in the shape of text extracted from a PDF:
a leading space marks an indented line, which may start a paragraph. DOCX paragraphs are
whole already and say so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import AlignerError
from .decode import decode
from .furniture import is_furniture


@dataclass
class Source:
    lines: list[str]
    paragraphs_known: bool = False  # DOCX: every line is already a paragraph


def read_txt(path: Path) -> Source:
    return text_source(path.read_bytes(), path)


def text_source(data: bytes, path: Path) -> Source:
    """Text in any common encoding (a file's bytes, or standard input's) as lines."""
    text = decode(data, path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    while lines and lines[0].lstrip().startswith("#"):  # a leading comment block (demo files)
        lines.pop(0)
    return Source(lines)


def read_pdf(path: Path) -> Source:
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        lines: list[str] = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page_lines = page.extract_text_lines(return_chars=False)
                lefts = Counter(round(ln["x0"]) for ln in page_lines if ln["text"].strip())
                margin = min((x for x, n in lefts.items() if n >= 2), default=None)
                if margin is None:
                    margin = min(lefts, default=0)
                body = [ln for ln in page_lines if not is_furniture(ln["text"])]
                tops = [ln["top"] for ln in body]
                steps = sorted(b - a for a, b in zip(tops[:-1], tops[1:], strict=True) if b > a)
                usual = steps[len(steps) // 4] if steps else 0  # the line spacing, robustly
                previous = None
                for ln in page_lines:
                    if is_furniture(ln["text"]):
                        lines.append(ln["text"])  # kept for find_symbol, dropped later
                        continue
                    # Extra space above a line marks a paragraph in documents that do not
                    # indent; a page break or a running head is not one: pages run on.
                    if previous is not None and usual and ln["top"] - previous > 1.6 * usual:
                        lines.append("")
                    previous = ln["top"]
                    indent = " " if ln["x0"] > margin + 4 else ""
                    lines.append(indent + ln["text"])
    except Exception as e:  # pdfminer raises many unrelated types for damaged files
        # pdfplumber wraps pdfminer's exception: look at the one inside for its real kind.
        inner = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        name = type(inner).__name__
        if isinstance(inner, PDFPasswordIncorrect) or "Encrypt" in name or "Password" in name:
            raise AlignerError(path, "encrypted PDF (password required)") from None
        detail = f"{name}: {str(inner)[:80]}" if str(inner) else name
        raise AlignerError(path, f"not a readable PDF ({detail})") from None
    if not any(ln.strip() for ln in lines):
        raise AlignerError(path, "PDF has no extractable text (a scanned image?)")
    return Source(lines)


def read_docx(path: Path) -> Source:
    import zipfile

    try:
        import docx

        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise AlignerError(path, f"not a readable DOCX ({type(e).__name__})") from None
    except Exception as e:
        raise AlignerError(path, f"not a readable DOCX ({type(e).__name__}: {str(e)[:80]})") \
            from None
    lines = [p.text.replace("\n", " ").replace("\t", " ").strip() for p in document.paragraphs]
    return Source([ln for ln in lines if ln], paragraphs_known=True)
