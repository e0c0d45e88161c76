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


# Word 97-2003 (.doc), which ODS serves for older records, is read through a converter the
# user may have, best first: LibreOffice keeps paragraphs and every script; antiword and catdoc
# print one paragraph a line when told not to wrap.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOC_CONVERTERS = ("soffice", "libreoffice", "antiword", "catdoc")
DOC_TIMEOUT = 120.0


def _how_to_convert(path: Path) -> str:
    return (f"save it as .docx (Word: File > Save As; or soffice --headless --convert-to docx "
            f"{path}), or install LibreOffice, antiword or catdoc")


def _convert_doc(name: str, exe: str, path: Path) -> Source:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="aligner-doc-") as tmp:
        if name in ("soffice", "libreoffice"):
            # A profile of its own: a LibreOffice the user has open would otherwise take the job.
            cmd = [exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx", "--outdir", tmp, str(path)]
        elif name == "antiword":
            cmd = [exe, "-w", "0", "-m", "UTF-8.txt", str(path)]
        else:
            cmd = [exe, "-w", "-d", "utf-8", str(path)]
        done = subprocess.run(cmd, capture_output=True, timeout=DOC_TIMEOUT,
                              stdin=subprocess.DEVNULL)
        if name in ("soffice", "libreoffice"):
            out = Path(tmp, path.stem + ".docx")
            if done.returncode or not out.is_file():
                raise ValueError(_first_line(done.stderr) or "no output")
            return read_docx(out)
    if done.returncode:
        raise ValueError(_first_line(done.stderr) or f"exit status {done.returncode}")
    text = done.stdout.decode("utf-8", errors="replace")
    lines = [ln.replace("\t", " ").strip() for ln in text.replace("\r", "\n").split("\n")]
    return Source([ln for ln in lines if ln], paragraphs_known=True)


def _first_line(data: bytes) -> str:
    lines = data.decode("utf-8", errors="replace").strip().splitlines()
    return " ".join(lines[0].split())[:100] if lines else ""


def _garbled(lines: list[str]) -> str | None:
    """Why a converter's text is not fit to align, or None: it must be text, not substitutes."""
    chars = [c for c in "".join(lines) if not c.isspace()]
    if not chars:
        return "no text"
    bad = sum(1 for c in chars if c in "\ufffd?" or (ord(c) < 32))
    if bad > max(3, 0.02 * len(chars)):
        return f"{bad} of {len(chars)} characters unreadable"
    return None


def read_doc(path: Path) -> Source:
    """A Word 97-2003 file, through LibreOffice, antiword or catdoc, whichever is installed."""
    import os
    import shutil
    import subprocess

    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        return read_docx(path)  # a .docx named .doc
    if not head.startswith(_OLE):
        what = "an RTF file" if head.startswith(b"{\\rtf") else "not a Word 97-2003 file"
        raise AlignerError(path, f"{what}; {_how_to_convert(path)}")
    # ALIGNER_DOC_CONVERTER=antiword (or a comma-separated list) picks among those installed.
    chosen = os.environ.get("ALIGNER_DOC_CONVERTER", "").replace(" ", "").split(",")
    names = [n for n in DOC_CONVERTERS if n in chosen] if any(chosen) else DOC_CONVERTERS
    found = [(name, exe) for name in names if (exe := shutil.which(name))]
    if not found:
        raise AlignerError(path, f"a Word 97-2003 file needs a converter: {_how_to_convert(path)}")
    problems = []
    for name, exe in found:
        try:
            source = _convert_doc(name, exe, path)
        except subprocess.TimeoutExpired:
            problems.append(f"{name}: no result in {DOC_TIMEOUT:g} s")
            continue
        except (OSError, ValueError) as e:
            problems.append(f"{name}: {e}")
            continue
        except AlignerError as e:
            problems.append(f"{name}: {e.reason}")
            continue
        why = _garbled(source.lines)
        if why is None:
            return source
        problems.append(f"{name}: {why}")
    raise AlignerError(path, f"could not read this Word 97-2003 file ({'; '.join(problems)}); "
                             f"{_how_to_convert(path)}")
