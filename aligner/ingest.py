"""Reading UN records: bytes or PDF/DOCX in, clean paragraphs and speaker turns out.

The reader turns every format into the shape of text extracted from a PDF — lines, where an
indented line may start a paragraph — strips the page furniture (running heads with the
document symbol, page and job numbers, the cover block), rejoins hard-wrapped lines and
finds the speaker turns. DOCX paragraphs are real paragraphs and skip the rejoining.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import AlignerError
from .fileio import existing_file
from .script import HAN, HAN_RANGES
from .types import Document, Paragraph, Turn

SUPPORTED = (".txt", ".text", ".pdf", ".docx")

_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u2015\u00b7"

# --- page furniture --------------------------------------------------------------------------
# A UN document symbol: CD/PV.1261, CD/WP.571/Rev.1, A/RES/67/56, S/2012/1.
SYMBOL = r"[A-Z]{1,8}(?:/[A-Za-z0-9.\-]+)+"
_FURNITURE = [re.compile(p) for p in (
    rf"^(?:\d{{1,3}}\s+)?{SYMBOL}(?:\s+\d{{1,3}})?$",  # running head, maybe with page number
    # job number, maybe with a page number, and on a first page the issue dates: GE.12-63627
    # (E) 180712 190712
    r"^(?:\d{1,3}\s+)?GE\.\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}(?:\s+\d{1,3})?$",
    r"^(?:page\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?$",  # bare page number
    r"^-\s*\d{1,3}\s*-$",  # - 3 -
    r"^\*\d{7,}\*$",  # bar code text
    r"^Please recycle$",
)]
# Cover-page lines, dropped only before the first speaker turn.
_COVER = [re.compile(p, re.IGNORECASE) for p in (
    r"^Conference on Disarmament$", r"^裁军谈判会议$", r"^United Nations$", r"^联合国$",
    r"^(English|Chinese|French|Russian|Spanish|Arabic|中文|英文)$",
    r"^Original\s*:", r"^原文\s*[:：]",
    r"^\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}$",
    r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$",
    r"^(Final|Provisional) record of the", r"最后记录$", r"^第.{1,20}次全体会议",
    r"^Held at the Palais des Nations", r"在日内瓦万国宫举行",
    r"\.{6,}|…{3,}|_{6,}",  # dot leaders of the cover's "President: ....... (Finland)"
    r"^This record contains", r"^Corrections (to this record )?should", r"^本记录",
    r"^Distr\.", r"^GE\.",
)]
# The first page's footnote on how to correct the record: it sits at the foot of the page, so
# in extracted text it interrupts the speech that runs on to the next page.
_FOOTNOTE = re.compile(r"^(This record contains|This record is subject to correction|"
                       r"Corrections (to this record )?should be submitted|本记录)")
_FOOTNOTE_MAX_LINES = 8
_CONTINUED = re.compile(r"^\(?(continued|续)\)?$", re.IGNORECASE)

# --- speaker turns -----------------------------------------------------------------------------
_ZH_OFFICER = r"(?:代理主席|临时主席|主席|秘书长兼[^：:()（）]{1,20}|副秘书长|秘书长|临时秘书长)"
_ZH_TURN = re.compile(
    rf"^(?P<label>(?P<officer>{_ZH_OFFICER})|"
    r"(?P<person>[^\s，。：:()（）]{1,20}?(?:先生|女士|夫人|小姐|阁下|大使|法官|教授|博士))"
    r"[(（](?P<country>[^()（）]{1,40})[)）]"
    r"(?:[(（](?P<note>以[^()（）]{1,10}发言)[)）])?)"
    r"(?P<colon>[：:])?"
)
_EN_OFFICER = (r"(?:The (?:Acting |Temporary )?(?:President|Chair|Chairperson|Secretary-General"
               r"|Deputy Secretary-General|Acting Secretary-General|Secretary))")
_EN_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|Archbishop|Monsignor|H\.E)\.?"
_EN_TURN = re.compile(
    rf"^(?P<label>(?P<officer>{_EN_OFFICER})|"
    rf"(?P<person>{_EN_TITLE}\s+[^():\n]{{1,60}}?)\s*\((?P<country>[^()]{{1,60}})\)"
    r"(?:\s*\((?P<note>(?:spoke|speaking) in [A-Za-z]+)\))?)"
    r"\s*(?P<colon>:)"
)


def find_turn(text: str, lang: str) -> tuple[Turn, int] | None:
    """A speaker label at the start of ``text``: the turn (index 0) and where the label ends.

    A Chinese label may have lost its colon in extraction
    (``纽尔季列乌奥夫先生(哈萨克斯坦)哈萨克斯坦作为…``); an officer's label (主席) without a
    colon is not a label but an address (主席先生，…).
    """
    m = (_ZH_TURN if lang == "zh" else _EN_TURN).match(text)
    if not m or (m.group("officer") and not m.group("colon")):
        return None
    if lang == "zh" and m.group("officer") and m.end() < len(text) and text[m.end()] in "先，":
        return None
    officer = m.group("officer")
    turn = Turn(
        index=0,
        label=m.group("label").strip(),
        person=(officer or m.group("person")).strip(),
        country=m.group("country"),
        language_note=m.group("note"),
        is_president=bool(officer) and ("主席" in officer or "President" in officer
                                        or "Chair" in officer),
    )
    return turn, m.end()


# --- decoding ----------------------------------------------------------------------------------
def decode(data: bytes, path: str | Path) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then a detected legacy encoding.

    Text that no encoding decodes cleanly is an error, never a silent guess.
    """
    if not data.strip():
        raise AlignerError(path, "empty file")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                     (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                     (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(enc), path)
            except UnicodeDecodeError:
                raise AlignerError(path, f"starts with a {enc} byte-order mark but does not "
                                         f"decode as {enc}") from None
    if b"\x00" in data:
        raise AlignerError(path, "binary data, not text (NUL bytes and no UTF-16 byte-order mark)")
    try:
        return _check_text(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "cp1252", "utf_16"]).best()
    if best is None:
        raise AlignerError(path, "undecodable bytes: not UTF-8, UTF-16 or GB18030 text")
    enc = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        raise AlignerError(path, "undecodable bytes: not UTF-8, UTF-16 or GB18030 text") from None
    return _check_text(text, path)


def _check_text(text: str, path: str | Path) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(2, len(text) // 1000):
        raise AlignerError(path, "binary data, not text (control characters)")
    return text


# --- format readers: each returns lines, a leading space marking an indented line ----------
@dataclass
class _Source:
    lines: list[str]
    paragraphs_known: bool = False  # DOCX: every line is already a paragraph


def _read_txt(path: Path) -> _Source:
    text = decode(path.read_bytes(), path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    while lines and lines[0].lstrip().startswith("#"):  # a leading comment block (demo files)
        lines.pop(0)
    return _Source(lines)


def _read_pdf(path: Path) -> _Source:
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
    return _Source(lines)


def _read_docx(path: Path) -> _Source:
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
    return _Source([ln for ln in lines if ln], paragraphs_known=True)


# --- cleaning and rejoining --------------------------------------------------------------------
def is_furniture(line: str) -> bool:
    s = line.strip()
    return bool(s) and any(p.match(s) for p in _FURNITURE)


def normalise_spaces(text: str) -> str:
    """Drop the spaces PDF extraction puts around Chinese; keep those between Latin words."""
    text = re.sub(r"[ \t\u3000\u00a0]+", " ", text).strip()
    text = re.sub(f"(?<=[{HAN_RANGES}{_CJK_PUNCT}]) (?=[^ ])", "", text)
    text = re.sub(f"(?<=[^ ]) (?=[{HAN_RANGES}{_CJK_PUNCT}])", "", text)
    return text


def _join(left: str, right: str) -> str:
    """Rejoin a hard-wrapped line."""
    left, right = left.rstrip(), right.strip()
    if not left:
        return right
    if not right:
        return left
    if HAN.match(left[-1]) or HAN.match(right[0]) or left[-1] in "，。、；：（《“" \
            or re.match(f"[{_CJK_PUNCT}]", left[-1]) or re.match(f"[{_CJK_PUNCT}]", right[0]):
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalnum():
        return left + right  # UN texts only break at hyphens of real compounds
    return left + " " + right


_TERMINAL = re.compile(r"[。！？.!?:：;；…]['\"’”」』)）\]]*$")
_BULLET = re.compile(r"^[•·▪◦●○■□\-–—]\s")


def _starts_paragraph(line: str, text_so_far: str, lang: str, indented_mode: bool) -> bool:
    stripped = line.strip()
    if _BULLET.match(stripped) or stripped.startswith("•"):
        return True
    if not indented_mode:
        return False
    if not line[:1].isspace():
        return False
    if find_turn(stripped, lang):
        return True
    return bool(_TERMINAL.search(text_so_far.rstrip())) or not text_so_far.strip()


def _paragraphs_from_lines(lines: list[str], lang: str) -> list[str]:
    """Group wrapped lines into paragraphs.

    Text extracted from a PDF marks a paragraph by indenting its first line; blank lines
    there are wrap artefacts. Text without indentation marks paragraphs by blank lines.
    """
    body = [ln for ln in lines if ln.strip()]
    indented = sum(1 for ln in body if ln[:1].isspace())
    indented_mode = len(body) > 0 and indented >= max(2, 0.05 * len(body))
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line.strip():
            if not indented_mode and current:
                paragraphs.append(current)
                current = ""
            continue
        if current and _starts_paragraph(line, current, lang, indented_mode):
            paragraphs.append(current)
            current = ""
        current = _join(current, line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _drop_cover(paragraphs: list[str], lang: str) -> list[str]:
    """Remove cover-page matter that stands before the first speaker turn."""
    first_turn = next((i for i, p in enumerate(paragraphs) if find_turn(p, lang)), None)
    if first_turn is None:
        return paragraphs
    head = [p for p in paragraphs[:first_turn] if not any(c.search(p) for c in _COVER)]
    return head + paragraphs[first_turn:]


def _drop_footnotes(lines: list[str]) -> list[str]:
    """Drop the correction footnote: from its first line to the page furniture that follows."""
    out: list[str] = []
    skip = 0
    for line in lines:
        if skip and (is_furniture(line) or not line.strip()):
            skip = 0
        if skip:
            skip -= 1
            continue
        if _FOOTNOTE.match(line.strip()):
            skip = _FOOTNOTE_MAX_LINES - 1
            continue
        out.append(line)
    return out


def detect_lang(text: str) -> str:
    """``zh`` when Chinese characters make up a fair share of the letters, else ``en``."""
    sample = text[:20000]
    cjk = len(HAN.findall(sample))
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return "zh" if cjk > 0.2 * (cjk + latin / 4) and cjk >= 1 else "en"


# A symbol spelt in a file name, ``_`` for ``/``: CD_PV.1261_zh.txt, A_RES_78_1.jsonl.
_SYMBOL_FILE = re.compile(r"^([A-Z]{1,8}(?:_[A-Z0-9]+(?:\.[A-Z0-9]+)*)+)(?![A-Za-z0-9])")


def symbol_from_filename(path: str | Path) -> str | None:
    """``CD_PV.1261_zh.txt`` or ``CD_PV.1261.jsonl`` -> ``CD/PV.1261``; None for other names."""
    m = _SYMBOL_FILE.match(Path(path).name)
    return m.group(1).replace("_", "/") if m else None


def find_symbol(lines: Iterable[str]) -> str | None:
    """The document symbol most often repeated as a running head."""
    heads = Counter()
    for ln in lines:
        m = re.match(rf"^(?:\d{{1,3}}\s+)?({SYMBOL})(?:\s+\d{{1,3}})?$", ln.strip())
        if m:
            heads[m.group(1)] += 1
    return heads.most_common(1)[0][0] if heads else None


def build_document(lines: list[str], path: str, lang: str = "auto",
                   paragraphs_known: bool = False) -> Document:
    """Pure core of the reader: raw lines to a Document."""
    symbol = find_symbol(lines)
    # A DOCX paragraph is whole: only a wrapped footnote runs over several lines.
    lines = [ln for ln in lines if not _FOOTNOTE.match(ln.strip())] if paragraphs_known \
        else _drop_footnotes(lines)
    kept = [ln for ln in lines if not is_furniture(ln) and not _CONTINUED.match(ln.strip())]
    if lang == "auto":
        lang = detect_lang("\n".join(kept))
    if lang not in ("zh", "en"):
        raise AlignerError(path, f"unknown language {lang!r} (use zh, en or auto)")
    raw = [ln.strip() for ln in kept if ln.strip()] if paragraphs_known \
        else _paragraphs_from_lines(kept, lang)
    texts = [normalise_spaces(p) if lang == "zh" else re.sub(r"\s+", " ", p).strip()
             for p in raw]
    texts = _drop_cover([t for t in texts if t], lang)
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
    """Read a record (.txt in any common encoding, .pdf, .docx) into paragraphs and turns."""
    path = existing_file(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise AlignerError(path, f"unsupported file type {suffix or '(none)'!r} "
                                 f"(use {', '.join(SUPPORTED)})")
    if path.stat().st_size == 0:
        raise AlignerError(path, "empty file")
    try:
        source = {".pdf": _read_pdf, ".docx": _read_docx}.get(suffix, _read_txt)(path)
    except PermissionError:
        raise AlignerError(path, "permission denied") from None
    return build_document(source.lines, str(path), lang, source.paragraphs_known)
