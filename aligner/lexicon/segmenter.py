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

    def _viterbi(self, obs: str) -> list[str]:
        # jieba's viterbi, unrolled over its four states: the same sums in the same order and
        # ties broken the same way (max of (probability, state)), with back pointers
        eb, em, ee, es = (self.emit[y] for y in "BMES")
        t = {(a, b): self.trans[a].get(b, _MIN_FLOAT) for a in "BMES" for b in "BMES"}
        t_eb, t_sb, t_mm, t_bm = t["E", "B"], t["S", "B"], t["M", "M"], t["B", "M"]
        t_ss, t_es, t_be, t_me = t["S", "S"], t["E", "S"], t["B", "E"], t["M", "E"]
        c = obs[0]
        vb = self.start["B"] + eb.get(c, _MIN_FLOAT)
        vm = self.start["M"] + em.get(c, _MIN_FLOAT)
        ve = self.start["E"] + ee.get(c, _MIN_FLOAT)
        vs = self.start["S"] + es.get(c, _MIN_FLOAT)
        back = []
        for c in obs[1:]:
            xb, xm = eb.get(c, _MIN_FLOAT), em.get(c, _MIN_FLOAT)
            xe, xs = ee.get(c, _MIN_FLOAT), es.get(c, _MIN_FLOAT)
            nb = max((ve + t_eb + xb, "E"), (vs + t_sb + xb, "S"))
            nm = max((vm + t_mm + xm, "M"), (vb + t_bm + xm, "B"))
            ns = max((vs + t_ss + xs, "S"), (ve + t_es + xs, "E"))
            ne = max((vb + t_be + xe, "B"), (vm + t_me + xe, "M"))
            back.append({"B": nb[1], "M": nm[1], "E": ne[1], "S": ns[1]})
            vb, vm, ve, vs = nb[0], nm[0], ne[0], ns[0]
        state = max((ve, "E"), (vs, "S"))[1]
        tags = [state]
        for prev in reversed(back):
            state = prev[state]
            tags.append(state)
        tags.reverse()
        return tags

    def _cut_han(self, text: str) -> list[str]:
        tags = self._viterbi(text)
        out = []
        begin = nexti = 0
        for i, tag in enumerate(tags):
            if tag == "B":
                begin = i
            elif tag == "E":
                out.append(text[begin:i + 1])
                nexti = i + 1
            elif tag == "S":
                out.append(text[i])
                nexti = i + 1
        if nexti < len(text):
            out.append(text[nexti:])
        return out

    def cut(self, text: str) -> list[str]:
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
        run = ""
        for w in self._rj.cut(text, False):
            if len(w) == 1:
                if "\u4e00" <= w <= "\u9fd5" or w in _ASCII_BLOCK:
                    run += w
                    continue
                if not spaces and w.isspace():
                    if run:
                        out.extend(self._run(run) if len(run) > 1 else (run,))
                        run = ""
                    continue
            elif w.isascii() and w.isalnum() and not self._rj.has_word(w):
                run += w  # rjieba's route joins single ASCII letters and digits
                continue
            elif not spaces and w == "\r\n":
                if run:
                    out.extend(self._run(run) if len(run) > 1 else (run,))
                    run = ""
                continue
            if run:
                out.extend(self._run(run) if len(run) > 1 else (run,))
                run = ""
            out.append(w)
        if run:
            out.extend(self._run(run) if len(run) > 1 else (run,))
        return out
