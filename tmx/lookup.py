"""Fuzzy lookup in a translation memory, in either direction.

Chinese is compared character by character, English word by word (each word is mapped to
one private character, so the same Levenshtein code measures both). An inverted index of
character bigrams (Chinese) or words (English) picks the few units sharing most of the
query's grams; only those are scored exactly with rapidfuzz. The index is built with numpy
in a few vectorised passes, one language side at a time, when first needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aligner.common.script import has_han

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_WORD_BASE = 0x10000  # words become characters from here on (astral planes, no surrogates)
_MAX_WORDS = 0x10FFFF - _WORD_BASE
_CANDIDATES = 200  # units scored exactly per lookup


@dataclass(frozen=True)
class Match:
    percent: int
    source: str  # the text in the query's language
    target: str
    source_lang: str
    target_lang: str
    index: int  # position of the unit in the memory
    tuid: str | None = None
    score: float | None = None  # the unit's x-score, when it has one


def is_chinese(text: str) -> bool:
    return has_han(text)


def _sorted_unique(values):
    """``np.unique`` for int arrays, by one sort: numpy 2's hash-based unique is far slower."""
    import numpy as np

    values = np.sort(values)
    if len(values) == 0:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class _Side:
    """One language of the memory: comparable keys and a CSR inverted index over grams."""

    def __init__(self, texts: Sequence[str], chinese: bool) -> None:
        import numpy as np

        self.chinese = chinese
        self.words: dict[str, int] = {}
        self.keys = [self.key(t, grow=True) for t in texts]
        self.gram_size = 2 if chinese else 1
        keys = self.keys
        n_units = len(keys)
        lens = np.fromiter(map(len, keys), dtype=np.int64, count=n_units)
        # Narrow types and early deletes keep the peak down on large memories.
        codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32)
        unit_of = np.repeat(np.arange(n_units, dtype=np.int32), lens)
        if self.gram_size == 2:
            same = unit_of[:-1] == unit_of[1:]
            grams = ((codes[:-1].astype(np.int64) << 21) | codes[1:])[same]
            owners = unit_of[:-1][same]
            del same
        else:
            grams, owners = codes.astype(np.int64), unit_of
        del codes, unit_of
        self.vocab = _sorted_unique(grams)
        combined = np.searchsorted(self.vocab, grams).astype(np.int64)
        del grams
        combined *= max(n_units, 1)
        combined += owners
        del owners
        # One (gram, unit) pair per distinct gram in a unit, sorted by gram then unit.
        pairs = _sorted_unique(combined)
        del combined
        self.postings = (pairs % max(n_units, 1)).astype(np.int32)
        counts = np.bincount(pairs // max(n_units, 1), minlength=len(self.vocab))
        del pairs
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.gram_counts = np.bincount(self.postings, minlength=n_units).astype(np.float64)
        self.lengths = lens

    def key(self, text: str, grow: bool = False) -> str:
        """Chinese: the text without spaces; English: one character per lower-cased word."""
        if self.chinese:
            return _SPACE.sub("", text)
        chars = []
        for word in _WORD.findall(text.lower()):
            wid = self.words.get(word)
            if wid is None:
                if not grow:
                    wid = _MAX_WORDS  # unseen: matches nothing in the memory
                else:
                    wid = self.words.setdefault(word, len(self.words) % _MAX_WORDS)
            chars.append(chr(_WORD_BASE + wid))
        return "".join(chars)

    def query_grams(self, key: str):
        import numpy as np

        codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        if self.gram_size == 2:
            codes = (codes[:-1] << 21) | codes[1:]
        return _sorted_unique(codes)

    def candidates(self, key: str, threshold: float):
        """Unit indices worth scoring exactly, best-sharing first."""
        import numpy as np

        n_units = len(self.keys)
        grams = self.query_grams(key)
        if len(grams) == 0 or n_units == 0:
            return None  # too short to index: the caller scans everything
        pos = np.searchsorted(self.vocab, grams)
        pos = pos[pos < len(self.vocab)]
        pos = pos[np.isin(self.vocab[pos], grams)]
        if len(pos) == 0:
            return np.empty(0, dtype=np.int64)
        sizes = self.offsets[pos + 1] - self.offsets[pos]
        # Grams found in a large part of the memory ("the", "的会") say little and cost a lot.
        common = sizes > max(1000, n_units // 10)
        if common.any() and not common.all():
            pos, sizes = pos[~common], sizes[~common]
        hits = np.concatenate([self.postings[self.offsets[p]:self.offsets[p + 1]] for p in pos])
        counts = np.bincount(hits, minlength=n_units)
        found = np.flatnonzero(counts)
        qlen = len(key)
        lens = self.lengths[found]
        # A similarity of t needs the shorter text to be at least t times the longer.
        fits = np.minimum(lens, qlen) >= threshold * np.maximum(lens, qlen)
        found = found[fits]
        overlap = counts[found] / np.maximum(self.gram_counts[found], len(grams))
        if len(found) > _CANDIDATES:
            top = np.argpartition(-overlap, _CANDIDATES)[:_CANDIDATES]
            found, overlap = found[top], overlap[top]
        return found[np.argsort(-overlap, kind="stable")]


class TmIndex:
    """A bilingual memory ready for fuzzy lookup from either language."""

    def __init__(self, pairs: Sequence[tuple[str, str]], src_lang: str = "zh-CN",
                 tgt_lang: str = "en-GB", tuids: Sequence[str | None] | None = None,
                 scores: Sequence[float | None] | None = None) -> None:
        self.texts = ([p[0] for p in pairs], [p[1] for p in pairs])
        self.langs = (src_lang, tgt_lang)
        self.tuids = list(tuids) if tuids is not None else [None] * len(pairs)
        self.scores = list(scores) if scores is not None else [None] * len(pairs)
        self._sides: dict[int, _Side] = {}

    @classmethod
    def from_tmx(cls, tmx) -> TmIndex:
        """From a ``tmx.read.TmxFile``: its srclang side against the first other language."""
        return cls.from_units(tmx.srclang, tmx.units)

    @classmethod
    def from_file(cls, path) -> TmIndex:
        """From a TMX file, streamed: only the texts are kept, not the parsed units."""
        from .read import iter_tmx

        _, header, units = iter_tmx(path)
        return cls.from_units(header.srclang, units)

    @classmethod
    def from_units(cls, srclang: str, units: Iterable) -> TmIndex:
        src_lang = srclang if srclang != "*all*" else ""
        tgt_lang = ""
        pairs, tuids, scores = [], [], []
        for unit in units:
            if not src_lang:
                src_lang = next(iter(unit.segs), "")
            if not tgt_lang:
                primary = src_lang.lower().split("-")[0]
                tgt_lang = next((lang for lang in unit.segs
                                 if lang.lower().split("-")[0] != primary), "")
            src = unit.text(src_lang)
            tgt = unit.text(tgt_lang) if tgt_lang else None
            if src and tgt:
                pairs.append((src, tgt))
                tuids.append(unit.tuid)
                scores.append(unit.score)
        return cls(pairs, src_lang, tgt_lang, tuids, scores)

    def __len__(self) -> int:
        return len(self.texts[0])

    def side_for(self, query: str) -> int:
        """0 (source side) or 1: the side written in the query's script."""
        chinese = [lang.lower().startswith("zh") for lang in self.langs]
        if is_chinese(query):
            return 1 if chinese[1] and not chinese[0] else 0
        return 1 if chinese[0] and not chinese[1] else 0

    def side(self, which: int) -> _Side:
        if which not in self._sides:
            self._sides[which] = _Side(self.texts[which],
                                       chinese=self.langs[which].lower().startswith("zh"))
        return self._sides[which]

    def build(self) -> None:
        """Build both sides' indexes now rather than on first lookup."""
        self.side(0)
        self.side(1)

    def lookup(self, query: str, n: int = 5, threshold: float = 0.75) -> list[Match]:
        """The ``n`` best units whose text in the query's language is at least
        ``threshold`` similar (0-1) to ``query``, best first."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        which = self.side_for(query)
        side = self.side(which)
        key = side.key(query)
        if not key:
            return []
        cands = side.candidates(key, threshold)
        if cands is None:
            choices = side.keys
            found = process.extract(key, choices, scorer=Levenshtein.normalized_similarity,
                                    score_cutoff=threshold, limit=n)
            scored = [(s, i) for _, s, i in found]
        else:
            scored = []
            for i in cands.tolist():
                s = Levenshtein.normalized_similarity(key, side.keys[i], score_cutoff=threshold)
                if s >= threshold and s > 0:
                    scored.append((s, i))
        scored.sort(key=lambda si: (-si[0], si[1]))
        other = 1 - which
        return [Match(round(100 * s), self.texts[which][i], self.texts[other][i],
                      self.langs[which], self.langs[other], i, self.tuids[i], self.scores[i])
                for s, i in scored[:n]]
