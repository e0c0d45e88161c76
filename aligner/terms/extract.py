"""Term extraction: candidate Chinese-English term pairs from aligned sentence pairs.

Chinese candidates are noun phrases from jieba's POS tagger (glossary terms added to its
dictionary so they stay whole); English candidates are word n-grams that neither start nor
end with a function word. A pair is scored by how consistently its two sides share beads
(Dice coefficient, with the log-likelihood ratio alongside) and by how much of it a
dictionary explains (CC-CEDICT through ``aligner.lexicon.dictionary``); pairs whose lengths
cannot be translations of each other are dropped.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..common.fileio import atomic_write
from ..common.formats import AlignedPair, bead_line
from ..lexicon.glossary import Entry, Glossary, has_cjk, is_acronym, singular

# Function words of English. A candidate term never starts or ends with one.
EN_STOP = frozenset("""
a about above across after again against all almost also although always am among an and
another any are as at be because been before being below between both but by can cannot could
did do does doing done down during each either else even ever every few for from further had
has have having he her here hers him his how however i if in into is it its itself just last
least less like made make many may me might more most much must my neither never no nor not
now of off on once one only or other others our out over own per perhaps rather same several
shall she should since so some such than that the their them themselves then there therefore
these they this those though through thus to too under until up upon us very via was we well
were what whatever when where whether which while who whom whose why will with within without
would yet you your mr mrs ms madam sir first second third new like let said say says
""".split())

# Function words allowed inside an English term: "prevention of an arms race in outer space".
EN_INNER = frozenset("of the and in on for to an a".split())

_L = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters, accented ones too
_EN_WORD = re.compile(rf"[{_L}][{_L}'\u2019-]*[{_L}]|[{_L}]")
_EN_BREAK = re.compile(r"[,.;:!?()\[\]\"\u201c\u201d\u2018\u2014\u2013/]|\s'|'\s")

# jieba tags that make a noun phrase: heads must be nouns, modifiers may also be these.
_ZH_HEAD = frozenset({"n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "ng", "vn", "an", "j", "eng"})
_ZH_MOD = _ZH_HEAD | {"b", "a", "l"}
_ZH_STOP = frozenset("""
问题 方面 情况 时候 方式 部分 原因 目的 结果 过程 内容 同时 今天 今年 明年 先生 女士 地方 事情
东西 工作 作用 意见 看法 问题上 之间 方面 时间 一点 时期 阶段 领域 程度 基础 方向 这方面
""".split())


@dataclass(frozen=True)
class Candidate:
    zh: str
    en: str
    freq: int  # beads holding both
    zh_freq: int
    en_freq: int
    dice: float
    llr: float
    support: float | None  # share explained by the dictionary, None without one
    score: float
    glossary: str  # "", "known", or "zh-known" (Chinese known with another English)
    examples: tuple[str, ...]  # bead ids, e.g. "[3]:[4]"


# --- Candidates of one sentence --------------------------------------------------------------

def zh_candidates(tagged: Sequence[tuple[str, str]], max_tokens: int = 4) -> set[str]:
    """Noun phrases of a POS-tagged Chinese sentence: runs of nominal words ending in a noun."""
    out: set[str] = set()
    run: list[tuple[str, str]] = []
    for word, flag in [*tagged, ("", "x")]:
        if flag in _ZH_MOD and has_cjk(word):
            run.append((word, flag))
            continue
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + max_tokens) + 1):
                if run[j - 1][1] not in _ZH_HEAD:
                    continue
                phrase = "".join(w for w, _ in run[i:j])
                if len(phrase) >= 2 and phrase not in _ZH_STOP:
                    out.add(phrase)
        run = []
    return out


def en_candidates(text: str, max_words: int = 6) -> dict[str, str]:
    """English n-grams that may be terms: normalised key -> surface form."""
    out: dict[str, str] = {}
    for chunk in _EN_BREAK.split(text):
        words = _EN_WORD.findall(chunk)
        lows = [w.lower() for w in words]
        for i, first in enumerate(lows):
            if first in EN_STOP or first.isdigit():
                continue
            for j in range(i + 1, min(len(words), i + max_words) + 1):
                inner = lows[i:j]
                last = inner[-1]
                if any(w in EN_STOP and w not in EN_INNER for w in inner):
                    break
                if last in EN_STOP or (j - i == 1 and len(last) < 3 and not is_acronym(words[i])):
                    continue
                key = " ".join(singular(w) for w in inner)
                out.setdefault(key, " ".join(words[i:j]))
    return out


def en_size(term: str) -> int:
    """How many words an English term counts for in the length check (an acronym: its letters)."""
    words = [w for w in _EN_WORD.findall(term) if w.lower() not in EN_STOP]
    return sum(len(w) if is_acronym(w) else 1 for w in words)


def plausible_lengths(zh: str, en: str) -> bool:
    """Whether a Chinese term of this many characters can translate an English one of this size.

    A Chinese character carries about half to one English content word; names and
    abbreviations stretch that, hence the slack.
    """
    chars, words = len(zh), en_size(en)
    return words > 0 and words <= chars + 1 and chars <= 4 * words + 2


# --- Association ---------------------------------------------------------------------------

def dice(both: int, a: int, b: int) -> float:
    return 2.0 * both / (a + b) if a + b else 0.0


def log_likelihood(both: int, a: int, b: int, n: int) -> float:
    """Dunning's G2 for the 2x2 table of beads with/without each side."""
    cells = (both, a - both, b - both, n - a - b + both)
    rows = (a, n - a)
    cols = (b, n - b)
    g2 = 0.0
    for k, (r, c) in zip(cells, ((0, 0), (0, 1), (1, 0), (1, 1)), strict=True):
        expected = rows[r] * cols[c] / n if n else 0.0
        if k > 0 and expected > 0:
            g2 += k * math.log(k / expected)
    return 2.0 * g2


class _Support:
    """How much of a candidate pair the dictionary explains, as an F-measure of coverage."""

    def __init__(self, lexicon) -> None:
        from ..lexicon.dictionary import en_content_stems

        self.lexicon = lexicon
        self.en_stems = en_content_stems

    def __call__(self, zh_tokens: Sequence[str], en: str) -> float:
        e_stems = set(self.en_stems(en))
        if not zh_tokens or not e_stems:
            return 0.0
        covered_en: set[str] = set()
        hit = 0
        for tok in zh_tokens:
            stems = set(self.lexicon.translations(tok)) & e_stems
            if stems:
                hit += 1
                covered_en |= stems
        zh_cov = hit / len(zh_tokens)
        en_cov = len(covered_en) / len(e_stems)
        return 2 * zh_cov * en_cov / (zh_cov + en_cov) if zh_cov + en_cov else 0.0


def _tagger(glossary: Glossary | None):
    words = tuple(glossary.jieba_words()) if glossary is not None else ()
    return _tagger_for(words)


@functools.lru_cache(maxsize=4)
def _tagger_for(words: tuple[str, ...]):
    from ..lexicon.dictionary import jieba_tokenizer, pos_tagger

    # a private tokenizer: glossary words must not leak into other users of jieba
    return pos_tagger(jieba_tokenizer(words, tag="nz"))


def _lexicon_for(glossary_path: str | None):
    from ..lexicon.dictionary import shared_lexicon

    return shared_lexicon(glossary_path)


def extract_candidates(pairs: Sequence[AlignedPair], glossary: Glossary | None = None,
                       lexicon="auto", **options) -> list[Candidate]:
    """``extract_terms`` with the CC-CEDICT lexicon loaded (once per process) when available."""
    if lexicon == "auto":
        try:
            lexicon = _lexicon_for(glossary.path if glossary is not None else None)
        except (ImportError, OSError):  # no dictionary: association alone still ranks
            lexicon = None
    return extract_terms(pairs, glossary=glossary, lexicon=lexicon, **options)


def extract_terms(pairs: Sequence[AlignedPair], glossary: Glossary | None = None,
                  lexicon=None, min_freq: int = 2, max_en_words: int = 6,
                  min_score: float = 0.25, examples: int = 3,
                  progress: bool = True) -> list[Candidate]:
    """Candidate term pairs from aligned pairs, best first.

    ``lexicon`` is an ``aligner.lexicon.dictionary.Lexicon`` (or anything with
    ``translations(word)`` giving English stems); without one, pairs are ranked by
    association alone.
    """
    from tqdm import tqdm

    tagger = _tagger(glossary)
    beads: list[tuple[str, set[str], dict[str, str]]] = []
    zh_tokens: dict[str, list[str]] = {}
    for p in tqdm(pairs, desc="terms", unit="bead", file=sys.stderr,
                  disable=None if progress else True):
        if not p.src.strip() or not p.tgt.strip():
            continue
        tagged = [(w, f) for w, f in tagger.lcut(p.src)]
        zs = zh_candidates(tagged)
        for z in zs:
            if z not in zh_tokens:
                zh_tokens[z] = _split_like(z, tagged)
        beads.append((bead_line(p.bead()), zs, en_candidates(p.tgt, max_en_words)))

    n = len(beads)
    zf: Counter[str] = Counter()
    ef: Counter[str] = Counter()
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for _, zs, es in beads:
        zf.update(zs)
        ef.update(es.keys())
        for key, form in es.items():
            surface[key][form] += 1
    co: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[str]] = defaultdict(list)
    for bid, zs, es in beads:
        keep_z = [z for z in zs if zf[z] >= min_freq]
        keep_e = [e for e in es if ef[e] >= min_freq]
        for z in keep_z:
            for e in keep_e:
                co[z, e] += 1
                if len(where[z, e]) < examples:
                    where[z, e].append(bid)

    by_zh: dict[str, list[str]] = defaultdict(list)
    for (z, e), c in co.items():
        if c >= min_freq:
            by_zh[z].append(e)
    support = _Support(lexicon) if lexicon is not None else None
    known = _known_forms(glossary)

    best: dict[str, Candidate] = {}
    for z, es in by_zh.items():
        scored = []
        for e in es:
            form = surface[e].most_common(1)[0][0]
            if not plausible_lengths(z, form):
                continue
            d = dice(co[z, e], zf[z], ef[e])
            scored.append((d, e, form))
        # Only the few best-associated English sides are worth a dictionary check.
        scored.sort(key=lambda t: (-t[0], -len(t[1])))
        for d, e, form in scored[:12]:
            sup = support(zh_tokens[z], form) if support else None
            score = 0.6 * d + 0.4 * sup if sup is not None else d
            if score < min_score:
                continue
            cand = Candidate(z, form, co[z, e], zf[z], ef[e], round(d, 4),
                             round(log_likelihood(co[z, e], zf[z], ef[e], n), 2),
                             None if sup is None else round(sup, 4), round(score, 4),
                             _glossary_mark(known, glossary, z, form), tuple(where[z, e]))
            old = best.get(z)
            if old is None or _rank(cand) < _rank(old):
                best[z] = cand
    # One Chinese term per English term: the best-scoring claimant keeps it.
    by_en: dict[str, Candidate] = {}
    for cand in best.values():
        key = cand.en.lower()
        if key not in by_en or _rank(cand) < _rank(by_en[key]):
            by_en[key] = cand
    return sorted(_drop_nested(list(by_en.values())), key=_rank)


def _drop_nested(cands: list[Candidate]) -> list[Candidate]:
    """Drop a pair that only ever occurs inside a longer candidate pair (消极/negative when
    消极安全/negative security has the same beads): it is a piece, not a term of its own."""
    def inside(small: str, big: str, sep: str) -> bool:
        return small != big and f"{sep}{small}{sep}" in f"{sep}{big}{sep}"

    out = []
    for c in cands:
        if not any(inside(c.zh, o.zh, "") and inside(c.en.lower(), o.en.lower(), " ")
                   and o.freq == c.freq and o.zh_freq == c.zh_freq for o in cands):
            out.append(c)
    return out


def _rank(c: Candidate) -> tuple:
    # Higher score, then more evidence, then the longer (more specific) English side.
    return (-c.score, -c.freq, -len(c.en.split()), c.zh, c.en)


def _split_like(phrase: str, tagged: Sequence[tuple[str, str]]) -> list[str]:
    """The words of ``phrase`` as the tagger cut them (for the dictionary check)."""
    words = [w for w, _ in tagged]
    for i in range(len(words)):
        acc = ""
        for j in range(i, len(words)):
            acc += words[j]
            if acc == phrase:
                return words[i:j + 1]
            if not phrase.startswith(acc):
                break
    return [phrase]


def _known_forms(glossary: Glossary | None) -> dict[str, Entry]:
    if glossary is None:
        return {}
    out: dict[str, Entry] = {}
    for entry in glossary.entries:
        for form in entry.zh_forms:
            out.setdefault(form, entry)
    return out


def _glossary_mark(known: dict[str, Entry], glossary: Glossary | None, zh: str, en: str) -> str:
    entry = known.get(zh)
    if entry is None or glossary is None:
        return ""
    return "known" if glossary.en_present(entry, en) else "zh-known"


# --- Output --------------------------------------------------------------------------------

CANDIDATE_COLUMNS = ("zh", "en", "freq", "zh_freq", "en_freq", "dice", "llr", "support",
                     "score", "glossary", "examples")


def write_candidates(target: str | Path | IO[str], candidates: Iterable[Candidate]) -> int:
    """Write candidates as TSV with a header row, to an open file or atomically to a path.

    Returns how many were written.
    """
    if not hasattr(target, "write"):
        with atomic_write(target) as fh:
            return write_candidates(fh, candidates)
    fh = target
    fh.write("\t".join(CANDIDATE_COLUMNS) + "\n")
    count = 0
    for c in candidates:
        cells = [c.zh, c.en, str(c.freq), str(c.zh_freq), str(c.en_freq), f"{c.dice:.4f}",
                 f"{c.llr:.2f}", "" if c.support is None else f"{c.support:.4f}",
                 f"{c.score:.4f}", c.glossary, " ".join(c.examples)]
        fh.write("\t".join(x.replace("\t", " ").replace("\n", " ") for x in cells) + "\n")
        count += 1
    return count
