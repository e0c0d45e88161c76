"""Rejoining hard-wrapped lines into paragraphs, and the spacing of Chinese text from a PDF."""

from __future__ import annotations

import re

from ..common.script import HAN, HAN_RANGES
from .turns import find_turn

_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u2015\u00b7"


def normalise_spaces(text: str) -> str:
    """Drop the spaces PDF extraction puts around Chinese; keep those between Latin words."""
    text = re.sub(r"[ \t\u3000\u00a0]+", " ", text).strip()
    text = re.sub(f"(?<=[{HAN_RANGES}{_CJK_PUNCT}]) (?=[^ ])", "", text)
    text = re.sub(f"(?<=[^ ]) (?=[{HAN_RANGES}{_CJK_PUNCT}])", "", text)
    return text


# The end of a document symbol cut by a wrap: CD/WP. | 571/Rev.1
_SYMBOL_CUT = re.compile(r"[A-Za-z]+/[\w./-]*[./-]$")


def _join(left: str, right: str, lang: str = "en") -> str:
    """Rejoin a hard-wrapped line."""
    left, right = left.rstrip(), right.strip()
    if not left:
        return right
    if not right:
        return left
    # Chinese lines wrap between any two characters, inside a number too (第 12 | 61 次,
    # 20 | 13 年); English ones only at spaces, so there two numbers are two numbers.
    if lang == "zh" and right[0].isdigit() and (left[-1].isdigit() or _SYMBOL_CUT.search(left)):
        return left + right
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


def _carries_on(line: str, text_so_far: str, lang: str) -> bool:
    """A blank line, then a line that starts with a space in the middle of a sentence: PDF
    extraction leaves that where a line sits a little lower and further right (a raised mark,
    a wider glyph), not where a paragraph starts."""
    return line[:1].isspace() and not _TERMINAL.search(text_so_far.rstrip()) \
        and not find_turn(line.strip(), lang)


def paragraphs_from_lines(lines: list[str], lang: str) -> list[str]:
    """Group wrapped lines into paragraphs.

    Text extracted from a PDF marks a paragraph by indenting its first line; blank lines
    there are wrap artefacts. Text without indentation marks paragraphs by blank lines.
    """
    body = [ln for ln in lines if ln.strip()]
    indented = sum(1 for ln in body if ln[:1].isspace())
    indented_mode = len(body) > 0 and indented >= max(2, 0.05 * len(body))
    paragraphs: list[str] = []
    current = ""
    blank = False
    for line in lines:
        if not line.strip():
            blank = bool(current)
            continue
        if blank and not indented_mode and not _carries_on(line, current, lang):
            paragraphs.append(current)
            current = ""
        blank = False
        if current and _starts_paragraph(line, current, lang, indented_mode):
            paragraphs.append(current)
            current = ""
        current = _join(current, line, lang)
    if current:
        paragraphs.append(current)
    return paragraphs
