"""Chinese word segmentation as jieba does it (``lcut(text, HMM=True)``), at rjieba's speed.

jieba (pure Python) reads its 349k-word dictionary in about a second and segments slowly;
rjieba (a Rust port on PyPI) embeds the same dictionary and finds the same best dictionary
route. Its own handling of what the dictionary does not know differs from jieba's in a few
places (a wider range of characters joined into runs, ASCII symbols inside unknown runs, float
near-ties in its HMM), so only the dictionary route is taken from rjieba, and the runs of
single characters it leaves are settled here by jieba's own rules and HMM tables.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
from collections.abc import Callable, Iterable

from ._hmm import cut_han

# jieba's block class is U+4E00-U+9FD5 and these (jieba/__init__.py); its HMM's classes
# (jieba/finalseg/__init__.py) follow
_ASCII_BLOCK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")
_HAN_RUN = re.compile("([\u4E00-\u9FD5]+)")
_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_MIN_FLOAT = -3.14e100
# a frequency no text can reach: the word is a private-use character outside every block
_TOTAL_WORD = "\uf8ff"


def jieba_dir() -> str:
    """jieba's package directory, found without importing jieba (its import costs 0.1 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed")
    return os.path.dirname(spec.origin)


def jieba_dict_path() -> str:
    return os.path.join(jieba_dir(), "dict.txt")


def _load_table(name: str) -> dict:
    """One of jieba's HMM tables (finalseg/prob_*.py) through its compiled module, without
    importing the jieba package."""
    path = os.path.join(jieba_dir(), "finalseg", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_aligner_jieba_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.P


class _Hmm:
    """jieba's finalseg: a BMES Viterbi over a run of characters the dictionary left single."""

    def __init__(self) -> None:
        self.start = _load_table("prob_start")
        self.trans = _load_table("prob_trans")
        self.emit = _load_table("prob_emit")
        t = {(a, b): self.trans[a].get(b, _MIN_FLOAT) for a in "BMES" for b in "BMES"}
        # what _hmm.cut_han takes: the tables by state, the eight transitions that can happen
        self._tables = (*(self.emit[y] for y in "BMES"), tuple(self.start[y] for y in "BMES"),
                        (t["E", "B"], t["S", "B"], t["M", "M"], t["B", "M"],
                         t["S", "S"], t["E", "S"], t["B", "E"], t["M", "E"]))

    def _cut_han(self, text: str) -> list[str]:
        return cut_han(text, *self._tables)

    def cut(self, text: str) -> list[str]:
        if _HAN_RUN.fullmatch(text):  # most runs: split would only add empty ends
            return self._cut_han(text)
        out: list[str] = []
        for blk in _HAN_RUN.split(text):
            if _HAN_RUN.match(blk):
                out.extend(self._cut_han(blk))
            else:
                out.extend(x for x in _SKIP.split(blk) if x)
        return out


@functools.lru_cache(maxsize=1)
def _rjieba_class():
    """rjieba's Jieba class, from its compiled module: the package's __init__ builds a default
    tokenizer nobody here uses (0.13 s)."""
    import sys
    from importlib.machinery import EXTENSION_SUFFIXES

    spec = importlib.util.find_spec("rjieba")
    if "rjieba" not in sys.modules and spec is not None and spec.submodule_search_locations:
        for base in spec.submodule_search_locations:
            for suffix in EXTENSION_SUFFIXES:
                path = os.path.join(base, "rjieba" + suffix)
                if os.path.exists(path):
                    ext = importlib.util.spec_from_file_location("rjieba.rjieba", path)
                    if ext is not None and ext.loader is not None:
                        module = importlib.util.module_from_spec(ext)
                        ext.loader.exec_module(module)
                        return module.Jieba
    import rjieba

    return rjieba.Jieba


class ZhSegmenter:
    """jieba's HMM segmentation with the extra ``words`` of a lexicon, on rjieba's route."""

    def __init__(self, words: Iterable[str] = (), freq: int = 2000,
                 known_freq: Callable[[list[str]], list[int]] | None = None) -> None:
        """``known_freq(words)``: jieba's dictionary frequency of each word (0 if absent),
        needed to give the route the same total frequency jieba's would have."""
        self._rj = _rjieba_class()()
        words = list(words)
        base = dict(zip(words, known_freq(words), strict=True)) if known_freq and words else {}
        # jieba's add_word adds ``freq`` to its total even for a word it knew (rjieba replaces
        # the old frequency), and every route probability is divided by that total
        lost = 0
        for w in words:
            lost += base.get(w, 0)
            base[w] = freq
            self._rj.add_word(w, freq, None)
        if lost:
            self._rj.add_word(_TOTAL_WORD, lost, None)
        self._hmm: _Hmm | None = None
        self._runs: dict[str, tuple[str, ...]] = {}

    def _run(self, run: str) -> tuple[str, ...]:
        """How jieba splits a run of single characters of its route (cached per run)."""
        if len(run) == 1:
            return (run,)
        got = self._runs.get(run)
        if got is None:
            if self._rj.has_word(run):
                got = tuple(run)
            else:
                if self._hmm is None:
                    self._hmm = _Hmm()
                got = tuple(self._hmm.cut(run))
            self._runs[run] = got
        return got

    def cut(self, text: str, spaces: bool = True) -> list[str]:
        """The words of ``text`` as ``jieba.lcut(text, HMM=True)`` gives them (without the
        whitespace between them if not ``spaces``)."""
        out: list[str] = []
        append, extend, split_run, has_word = out.append, out.extend, self._run, self._rj.has_word
        run = ""
        for w in self._rj.cut(text, False):
            if len(w) == 1:
                if "\u4e00" <= w <= "\u9fd5" or w in _ASCII_BLOCK:
                    run += w
                    continue
                if not spaces and w.isspace():
                    if run:
                        extend(split_run(run))
                        run = ""
                    continue
            elif w.isascii() and w.isalnum() and not has_word(w):
                run += w  # rjieba's route joins single ASCII letters and digits
                continue
            elif not spaces and w == "\r\n":
                if run:
                    extend(split_run(run))
                    run = ""
                continue
            if run:
                extend(split_run(run))
                run = ""
            append(w)
        if run:
            extend(split_run(run))
        return out
