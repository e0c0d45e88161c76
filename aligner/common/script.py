"""Which script a text is written in: the one definition of "Chinese characters" for all modules."""

from __future__ import annotations

import re

# CJK Unified Ideographs, Extension A, Compatibility Ideographs and the supplementary planes.
HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
HAN = re.compile(f"[{HAN_RANGES}]")


def has_han(text: str) -> bool:
    """True when ``text`` holds at least one Chinese character."""
    return HAN.search(text) is not None


def detect_lang(text: str) -> str:
    """``zh`` when Chinese characters make up a fair share of the letters, else ``en``."""
    sample = text[:20000]
    cjk = len(HAN.findall(sample))
    latin = sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return "zh" if cjk > 0.2 * (cjk + latin / 4) and cjk >= 1 else "en"
