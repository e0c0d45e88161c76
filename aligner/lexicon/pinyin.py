"""Pinyin of Chinese words as ``"".join(pypinyin.lazy_pinyin(word))`` gives it, read from the
lexicon store instead of pypinyin's tables (importing pypinyin costs 0.3 s a process).

pypinyin cuts a word into the longest phrases of its phrase table (forward maximum matching,
strict: a prefix that is no phrase is not a segment) and reads each phrase from that table and
every other character by its first reading. Both tables are taken from pypinyin, converted by
its own converter, when the store is made; here only the cutting is redone.
"""

from __future__ import annotations

import importlib.util
import os
from itertools import chain


def pypinyin_version() -> str:
    """A stamp of the installed pypinyin's data (size and mtime of its tables), found without
    importing it."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pypinyin is not installed")
    base = os.path.dirname(spec.origin)
    parts = []
    for name in ("__init__.py", "pinyin_dict.py", "phrases_dict.py", "phrases_dict.json"):
        try:
            st = os.stat(os.path.join(base, name))
        except OSError:
            continue
        parts.append(f"{st.st_size}.{int(st.st_mtime)}")
    return "-".join(parts)


def pinyin_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(phrase -> its pinyin, character -> the pinyin of its first reading), NORMAL style,
    each as pypinyin's ``lazy_pinyin`` converts a segment."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.converter import UltimateConverter

    conv = UltimateConverter()  # the converter lazy_pinyin uses, with its default options
    args = (Style.NORMAL, False, "default")
    phrases = {p: "".join(chain(*conv.convert(p, *args, strict=True))) for p in PHRASES_DICT}
    chars: dict[str, str] = {}
    for code in range(0x4E00, 0xA000):
        c = chr(code)
        # what convert() does for a character inside a segment that is not a phrase
        pys = conv._single_pinyin(c, *args, True)
        post = conv.post_pinyin(c, False, pys)
        if post is not None:
            pys = post
        pys = conv.convert_styles(pys, c, *args, True)
        chars[c] = "".join(x for item in pys for x in item[:1] if x)
    return phrases, chars


def prefix_set(phrases: dict[str, str]) -> frozenset[str]:
    """Every prefix of every phrase (pypinyin's PrefixSet)."""
    return frozenset(p[:k] for p in phrases for k in range(1, len(p) + 1))


class PinyinReader:
    """pypinyin's cutting and reading over its tables (as ``pinyin_tables`` gives them), with
    the set of the phrases' prefixes (``prefix_set``). Nothing is kept: the caller memoises."""

    def __init__(self, phrases: dict[str, str], chars: dict[str, str],
                 prefixes: frozenset[str]) -> None:
        self._phrases = phrases
        self._chars = chars
        self._prefixes = prefixes

    def pinyin(self, word: str) -> str:
        phrases, chars, prefixes = self._phrases, self._chars, self._prefixes
        if word in phrases:  # the longest phrase at its start: what the cutting comes to
            return phrases[word]
        n = len(word)
        if n == 1:
            return chars.get(word, word)
        if n == 2:  # not a phrase: whatever the cutting finds, each character is read alone
            a, b = word
            return ((phrases[a] if a in phrases else chars.get(a, a))
                    + (phrases[b] if b in phrases else chars.get(b, b)))
        out = []
        i = 0
        while i < n:
            # the longest phrase starting at i, looked for while some phrase starts so
            best = 0
            k = i
            while k < n and word[i:k + 1] in prefixes:
                k += 1
                if word[i:k] in phrases:
                    best = k
            if best:
                out.append(phrases[word[i:best]])
                i = best
            elif k < n:
                out.append(chars.get(word[i], word[i]))
                i += 1
            else:
                # every prefix of the rest starts a phrase and none is one: pypinyin reads
                # each character of it on its own (a character may be a phrase of its own)
                out.extend(phrases[c] if c in phrases else chars.get(c, c) for c in word[i:])
                break
        return "".join(out)
