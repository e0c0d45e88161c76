"""Sentence alignment of a Chinese text with its English translation.

Signals: lexical coverage of each candidate bead, scored as one unit in both directions
(CC-CEDICT + glossary + pinyin names + numbers, symbols and punctuation), a Gale-Church
length term whose ratio is estimated from the document pair itself, bead-type probabilities,
and agreement of the two sides on where quoted speech ends (a bead boundary right after a
closing quotation mark on one side only is usually misplaced). The search is a banded
dynamic program around a coarse alignment of blocks of the whole text (``band.py``), so cost
grows linearly with length; a stretch left unmatched on both sides is realigned in a wider
band, and a passage the coarse pass finds missing on one side is cheap to leave unmatched.
A second pass re-estimates bead-type probabilities and the length ratio from the first
(one EM-style step), conditions the bead type on the clause marks of the Chinese side
(counted on the first pass of the same pair), adds word pairs learned from its beads, and
searches a narrower band around its path.
Forward-backward over the band gives each bead a posterior, which with a few other features is
calibrated into ``score``. On verse text (lines the user gave, clearly more Chinese than
English ones), neighbouring beads of the final path that together make one verse are joined
first (``joins.py``), and the joined beads are the ones measured and calibrated.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence

import numpy as np

from ..common.errors import AlignerError
from ..common.types import Bead, Segment
from . import _score, joins
from . import features as A
from .band import coarse_band, gaps, repair_spans
from .dp import posterior_grids, posteriors, search

BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2),
    (1, 5), (1, 6), (1, 0), (0, 1),
)
# Initial bead-type probabilities (a generic prior; replaced by the document's own counts).
INITIAL_PRIOR = {(1, 1): 0.70, (1, 2): 0.12, (2, 1): 0.05, (1, 3): 0.04, (3, 1): 0.01,
                 (2, 2): 0.015, (1, 4): 0.01, (4, 1): 0.003, (2, 3): 0.006, (3, 2): 0.003,
                 (1, 5): 0.002, (1, 6): 0.001, (1, 0): 0.005, (0, 1): 0.005}

DEFAULTS = {
    "half_width": 12,      # band half-width around the anchor path, in sentences
    "w_lex": 1.0,          # weight of lexical coverage
    "w_len": 0.055,        # weight of the length log-probability
    "w_prior": 0.04,       # weight of the log bead-type probability
    "skip": -0.35,         # score of a 1-0 / 0-1 bead besides its prior
    "passes": 2,
    "en_weight": 1.0,      # weight of English words against Chinese ones in the coverage
    "smooth": 3.0,         # added to the unit count under the lexical coverage (a small bead
                           # with one chance match is weak evidence)
    "w_lost": 0.15,        # per number / symbol without a partner in its bead
    "w_part": 0.8,         # penalty for a merged sentence with no lexical evidence
    "common": 1.0,         # English stems in more than this share of sentences are ignored
    "mbr": None,           # None: Viterbi path; a number: MBR decoding with this bead cost
    "temperature": 0.1,    # of the path distribution behind each bead's posterior
    "dice_min": 0.05,      # Dice of a word pair learned from the first pass (of its links)
    "link": 1,             # count a learned pair's beads by competitive linking (0: every
                           # bead where both are unexplained, the old estimator, dice_min 0.3)
    "clause_alpha": 10.0,  # back-off weight of the clause-conditioned bead-type prior (0: off)
    "w_quote": 0.2,        # penalty for a bead whose last sentences disagree on closing a
                           # quotation (speech that ends on one side ends on the other)
    "w_tag": 0.15,         # penalty for a bead whose English names a speaker after a
                           # quotation ("...,' he said.") while its Chinese introduces no speech
    "max_run": 6,          # most sentences on one side of a bead (4: no 1-5 / 1-6 beads)
    "len_pool": 1.0,       # the length variance the second pass scores with: the document's
                           # own (0) shrunk geometrically towards LEN_VAR0 x ratio (1)
    "prior_alpha": 0.0,    # pseudo-beads of the generic prior behind the re-estimated bead-type
                           # probabilities (0: add-half smoothing only)
    "w_cross": 0.0,        # a 2-2 bead's evidence that a split into two 1-1 beads would lose
    "w_none": 0.0,         # penalty for a bead in which nothing matches though much could
    "w_gap": 0.6,          # bonus for a 1-0 / 0-1 bead where the coarse pass found a passage
                           # missing on the other side
    "join": 1,             # on verse text, join neighbouring beads that make one verse
                           # (joins.py; 0: off)
    "records": 0,          # 1: a record (RECORD_DEFAULTS): its unmatched beads are scored by
                           # the records' skip model (calibrate.SKIP_FEATURES)
}
# Starting length variance per unit of the English/Chinese character ratio. Re-estimating it
# per document (the median residual of the first pass) was worse on mac-dev than keeping it:
# a loosely translated document does not make length worth less against the words, and a
# close one does not make it worth more (cv.py --grid len_pool=0,0.25,0.5,0.75,0.9,1).
LEN_VAR0 = 6.0
N_BUCKETS = 6  # clause marks on a bead's Chinese side: 0 .. 5 or more
_CLAUSE = re.compile("[，；：,;:]")

NEG32 = np.float32(-1e18)


def _lexicon(glossary_path=None):
    from ..lexicon.dictionary import shared_lexicon

    return shared_lexicon(glossary_path)


class _Scorer:
    """Bead scores over the band. Per bead type one float32 plane is kept: the part of the
    score that does not change between passes (``_score.static_planes``); the length term,
    whose model is re-estimated, is added in ``scores``."""

    def __init__(self, zf: A.SideFeatures, ef: A.SideFeatures, lo: np.ndarray, width: int,
                 src_groups: np.ndarray | None, tgt_groups: np.ndarray | None,
                 opts: dict, flat: A.FlatKeys | None = None) -> None:
        n, m = len(zf.keys), len(ef.keys)
        lo = np.ascontiguousarray(lo, dtype=np.int64)
        self.n, self.m, self.lo, self.width = n, m, lo, width
        zm, em = A.pair_masks(zf, ef, lo, width, flat)
        r = np.arange(n + 1)
        zc = np.concatenate([[0], np.cumsum(zf.n_chars)])
        self.ec = np.ascontiguousarray(np.concatenate([[0], np.cumsum(ef.n_chars)]),
                                       dtype=np.float64)
        # how many clause marks the Chinese side of each bead has (a sentence boundary inside
        # the bead counts as one), per bead type and end row
        self.bucket: dict[tuple[int, int], np.ndarray] = {}
        clauses = opts.get("_clauses")
        if clauses is not None:
            cc = np.concatenate([[0], np.cumsum(clauses)])
            for a, b in BEAD_TYPES:
                if a:
                    k = cc[r] - cc[np.clip(r - a, 0, n)] + (a - 1)
                    self.bucket[(a, b)] = np.minimum(k, N_BUCKETS - 1)
        # the Chinese length of a bead type is one value per end row; the English one is
        # made from ``ec`` where it is used (a plane per type kept for the whole pass cost
        # more memory than the few milliseconds it saves)
        self.lz: dict[tuple[int, int], np.ndarray] = {}
        for a, b in BEAD_TYPES:
            if a and b and max(a, b) <= opts["max_run"]:
                self.lz[(a, b)] = (zc[r] - zc[np.clip(r - a, 0, n)]).astype(np.float32)
        i64, u8 = np.int64, np.uint8
        none = np.zeros(0, dtype=i64)
        gap = opts.get("_gaps")
        use_gap = gap is not None and bool(opts["w_gap"])
        speech = opts.get("_speech")
        use_tag = speech is not None and bool(opts.get("_w_tag", 0.0))
        planes = _score.static_planes(
            zm, em, lo, width, m,
            np.array([a for a, _ in BEAD_TYPES], dtype=i64),
            np.array([b for _, b in BEAD_TYPES], dtype=i64),
            np.ascontiguousarray(zf.anchor_bits, dtype=np.uint64),
            np.ascontiguousarray(ef.anchor_bits, dtype=np.uint64),
            np.ascontiguousarray(zf.n_units, dtype=np.int32),
            np.ascontiguousarray(ef.n_units, dtype=np.int32),
            np.concatenate([[0], np.cumsum(zf.n_units, dtype=i64)]),
            np.concatenate([[0], np.cumsum(ef.n_units, dtype=i64)]),
            np.ascontiguousarray(src_groups, dtype=i64) if src_groups is not None else none,
            np.ascontiguousarray(tgt_groups, dtype=i64) if tgt_groups is not None else none,
            np.array([False, *opts["_quote_ends"][0]], dtype=u8),
            np.array([False, *opts["_quote_ends"][1]], dtype=u8),
            np.asarray(gap[0], dtype=u8) if use_gap else np.zeros(0, dtype=u8),
            np.asarray(gap[1], dtype=u8) if use_gap else np.zeros(0, dtype=u8),
            np.concatenate([[0], np.cumsum(speech[0], dtype=i64)]) if use_tag else none,
            np.concatenate([[0], np.cumsum(speech[1], dtype=i64)]) if use_tag else none,
            opts["w_lex"], opts["en_weight"], opts["smooth"], opts["w_lost"], opts["w_part"],
            opts["w_cross"], opts["w_none"], opts["_w_quote"],
            opts.get("_w_tag", 0.0) if use_tag else 0.0, opts["skip"],
            opts["w_gap"] if use_gap else 0.0, int(opts["max_run"]), NEG32)
        self.static: dict | None = dict(zip(BEAD_TYPES, planes, strict=True))

    def scores(self, prior: dict[tuple[int, int], float], ratio: float, var: float,
               opts: dict, consume: bool = False) -> list[np.ndarray]:
        """Per bead type the float32 (n + 1, width) plane of bead scores. ``consume``: add
        the prior and length terms into the static planes themselves (the last call on this
        scorer; one set of planes less in memory while the DP runs)."""
        if self.static is None:
            raise RuntimeError("the scorer's planes were consumed")
        out = []
        cprior = opts.get("_cprior")
        for t in BEAD_TYPES:
            s = self.static[t] if consume else self.static[t].copy()
            if cprior is not None and t in self.bucket:
                # P(bead type | clause marks of its Chinese side), one value per end row
                lp = np.log(cprior[t][self.bucket[t]]).astype(np.float32)[:, None]
                s += np.float32(opts["w_prior"]) * lp
            else:
                s += np.float32(opts["w_prior"] * math.log(prior[t]))
            if t in self.lz:
                _score.add_length(s, self.lz[t], self.ec, self.lo, t[1], float(ratio),
                                  float(var), float(opts["w_len"]))
            out.append(s)
        if consume:
            self.static = None
        return out


def _path_evidence(zf: A.SideFeatures, ef: A.SideFeatures, flat: A.FlatKeys,
                   path: list[tuple[int, int]], ratio: float,
                   var: float) -> tuple[list[dict], list[dict], list[float], list[float]]:
    """What the aligner measured for every bead of the path (the features calibration works
    from): coverage and length (evidence), matches leaking into the neighbours (spill), and
    the share of the bead's sentences whose best match lies just outside it (stray), and how
    well its edge sentences match the bead against the sentence just across the boundary
    (edge: the smallest, over the first and last sentence of each side, of the share of its
    units matched in the bead minus the share matched across; a boundary one sentence off
    leaves an edge sentence matching both about as well, where ``stray`` needs it to match
    the neighbour better). The counting is compiled (``_score.bead_counts``);
    tests/test_score.py holds the per-bead definitions it is checked against."""
    pa = np.array([a for a, _ in path], dtype=np.int64)
    pb = np.array([b for _, b in path], dtype=np.int64)
    counts = _score.bead_counts(
        *flat.zh, *flat.en, len(flat.vocab),
        np.ascontiguousarray(zf.n_units, dtype=np.int32),
        np.ascontiguousarray(ef.n_units, dtype=np.int32),
        np.ascontiguousarray(zf.anchor_bits, dtype=np.uint64),
        np.ascontiguousarray(ef.anchor_bits, dtype=np.uint64), pa, pb)
    # per bead sums as differences of prefix sums (counts and whole numbers of characters:
    # exact)
    i0, j0 = np.cumsum(pa) - pa, np.cumsum(pb) - pb

    def per_bead(values: np.ndarray, start: np.ndarray, size: np.ndarray) -> list[float]:
        c = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
        return (c[start + size] - c[start]).tolist()

    sums = zip(per_bead(zf.n_units, i0, pa), per_bead(ef.n_units, j0, pb),
               per_bead(zf.n_chars, i0, pa), per_bead(ef.n_chars, j0, pb), strict=True)
    evidence, spill, stray = [], [], []
    for (a, b), (nz, ne, lz, le), cz, ce, lost, part, sp_en, sp_zh, out, _ in zip(
            path, sums, *(c.tolist() for c in counts), strict=True):
        delta = (le - ratio * lz) / math.sqrt(var * (lz + le / ratio) / 2 + 1.0) \
            if a and b else 0.0
        evidence.append({"cz": float(cz), "ce": float(ce), "nz": nz, "ne": ne,
                         "cov_zh": cz / nz if nz else 0.0, "cov_en": ce / ne if ne else 0.0,
                         "lex": (cz + ce) / (nz + ne + 1.0), "len_delta": delta,
                         "part": part if part >= 0 else 0.0, "lost": float(lost),
                         "src_n": float(a), "tgt_n": float(b)})
        spill.append({"spill_en": sp_en, "spill_zh": sp_zh})
        stray.append(out / (a + b) if a and b else 0.0)
    return evidence, spill, stray, counts[-1].tolist()


def check_inputs(src: Sequence[str], tgt: Sequence[str], src_path: str | None = None,
                 tgt_path: str | None = None) -> None:
    """Refuse an empty side or a pair that is not Chinese -> English."""
    if not any(s.strip() for s in src):
        raise AlignerError(src_path, "the Chinese side is empty")
    if not any(t.strip() for t in tgt):
        raise AlignerError(tgt_path, "the English side is empty")
    # counted on each side as one string: per-sentence findall lists cost 0.3 s on 40k lines
    src_text, tgt_text = "".join(src), "".join(tgt)
    src_len, tgt_len = len(src_text), len(tgt_text)
    zh_chars = src_len - len(A._CJK.sub("", src_text))
    en_cjk = tgt_len - len(A._CJK.sub("", tgt_text))
    if zh_chars < 0.05 * src_len:
        raise AlignerError(src_path, "the source side does not look Chinese "
                                 "(both sides in the same language?)")
    if en_cjk > 0.3 * tgt_len:
        raise AlignerError(tgt_path, "the target side looks Chinese, not English "
                                 "(both sides in the same language?)")


def align_sentences(src: list[str], tgt: list[str], **opts) -> list[Bead]:
    """Align Chinese sentences ``src`` with English sentences ``tgt``.

    Options (keyword): ``glossary`` (path), ``half_width``, ``passes``, ``progress`` (bool),
    ``calibrate`` (bool, default True), and the scoring weights in ``DEFAULTS``.
    """
    return _align(src, tgt, None, None, opts)


# Records (documents the reader segmented) are translated sentence by sentence; in literary
# prose a sentence with nothing matching it is often merged into its neighbour's translation,
# in a record it is far more often a courtesy phrase or remark one version left out. So in a
# record an unmatched sentence is cheaper and a merged sentence with no evidence dearer.
# `python benchmarks/skips.py` deletes each 1-1 sentence in turn from one side of the test
# record (tests/records.py) and of the demonstration pair: with the general values 49 of 98
# and 44 of 56 deleted sentences' partners were found unmatched, with these 83 and 53. The
# record's output starts losing right beads to false skips between `skip` 0.0 and 0.1 (the
# demonstration pair's at 0.2): -0.1 keeps a margin. On mac-dev and bible-dev (lines the user
# gave, scored with the general values) `skip` -0.1 alone would cost 0.0002 and 0.005 strict
# F1, both settings 0.034 and 0.018: loose translation merges such sentences rightly.
# `records` 1 scores the unmatched beads with the records' own calibration (calibrate.py).
RECORD_DEFAULTS = {"skip": -0.1, "w_part": 2.0, "records": 1}


def align_segments(src: list[Segment], tgt: list[Segment], **opts) -> list[Bead]:
    """Align segmented documents, keeping beads inside paragraphs and speaker turns."""
    src_groups = np.array([_group(s) for s in src], dtype=np.int64) if src else None
    tgt_groups = np.array([_group(t) for t in tgt], dtype=np.int64) if tgt else None
    opts = {**RECORD_DEFAULTS, **opts}
    opts["_turn_starts"] = (_turn_starts(src), _turn_starts(tgt))
    return _align([s.text for s in src], [t.text for t in tgt], src_groups, tgt_groups, opts)


def _turn_starts(segments: list[Segment]) -> list[int]:
    """Indices of the first sentence of each speaker turn."""
    out = []
    prev = None
    for k, seg in enumerate(segments):
        if seg.turn is not None and seg.turn != prev:
            out.append(k)
        prev = seg.turn
    return out


def _group(seg: Segment) -> int:
    return seg.paragraph


def _align(src: list[str], tgt: list[str], src_groups, tgt_groups, opts: dict) -> list[Bead]:
    check_inputs(src, tgt)
    o = dict(DEFAULTS)
    o.update({k: v for k, v in opts.items() if k in DEFAULTS})
    lex = _lexicon(opts.get("glossary"))
    zf, ef = A.side_features(src, tgt, lex)
    starts = opts.get("_turn_starts")
    if starts and starts[0] and starts[1]:
        # a speaker turn starting on both sides is evidence in itself (the label's country
        # is matched through the lexicon like any word of the sentence)
        for k in starts[0]:
            zf.units[k] = [*zf.units[k][:A.MAX_UNITS - 1], ("<turn>", ("p:turn",), True)]
        for k in starts[1]:
            ef.units[k] = [*ef.units[k][:A.MAX_UNITS - 1], ["p:turn"]]
        zf = A.zh_from_units(zf.units, zf.n_chars)
        ef = A.en_from_units(ef.units, ef.n_chars)
    if o["common"] < 1:
        drop = A.common_keys(ef, float(o["common"]))
        zf = A.zh_from_units(zf.units, zf.n_chars, None, drop)
        ef = A.en_from_units(ef.units, ef.n_chars, drop)
    else:
        drop = frozenset()
    # word pairs taught from outside the pair (realign.py: the reviewer's confirmed beads)
    seed = opts.get("learned") or {}
    if seed:
        zf = A.zh_from_units(zf.units, zf.n_chars, seed, drop)
    n, m = len(src), len(tgt)
    if o["clause_alpha"]:
        o["_clauses"] = np.array([len(_CLAUSE.findall(x)) for x in src], dtype=np.int64)
    o["_quote_ends"] = ([A.zh_ends_quote(x) for x in src], [A.en_ends_quote(x) for x in tgt])
    o["_w_quote"] = float(o["w_quote"]) * _quote_balance(*o["_quote_ends"])
    o["_speech"] = ([A.zh_opens_speech(x) for x in src], [A.en_speech_tag(x) for x in tgt])
    o["_w_tag"] = float(o["w_tag"]) * _quote_balance(*o["_speech"])
    # the band comes from a coarse alignment of blocks of the whole text, not from anchors
    coarse: dict = {}
    # the keys as flat arrays, once: the coarse pass and every scorer below (passes, repairs,
    # wider bands) read them; learned pairs re-flatten only the Chinese side
    flat = A.FlatKeys.build(zf, ef)
    lo, width = coarse_band(zf.keys, ef.keys, int(o["half_width"]), out=coarse, flat=flat)
    o["_gaps"] = gaps(coarse, n, m)
    # length model from the document itself: overall ratio first, then the first pass's beads
    ratio = max(float(ef.n_chars.sum()) / max(float(zf.n_chars.sum()), 1.0), 1e-3)
    var = LEN_VAR0 * ratio
    prior = dict(INITIAL_PRIOR)
    passes = max(1, int(o["passes"]))
    progress = _progress(n + 1, opts.get("progress", False), passes)
    half = int(o["half_width"])
    scorer = None
    while True:
        scorer = None  # a wider band's scorer is built without the old one in memory
        scorer = _Scorer(zf, ef, lo, width, src_groups, tgt_groups, o, flat)
        try:
            # with a second pass to come, this scorer serves one search only
            path, margins = search(scorer.scores(prior, ratio, _len_var(var, ratio, o), o,
                                                 consume=passes > 1),
                                   BEAD_TYPES, lo, width, n, m, progress)
            break
        except RuntimeError:
            # the band missed the end: widen it (the whole matrix at worst)
            if width >= m + 1:
                raise
            half *= 2
            lo, width = coarse_band(zf.keys, ef.keys, half, flat=flat)
    if passes > 1:
        scorer = None  # pass 2 scores its own band
    path, margins, fixed = _repair(path, margins, zf, ef, src_groups, tgt_groups, o, prior,
                                   ratio, var, flat)
    if fixed and passes == 1:
        # the final scores and posteriors need a band that holds the repaired path
        lo, width = _band_around_path(path, n, m, max(4, half // 2), m + 1)
        scorer = None
        scorer = _Scorer(zf, ef, lo, width, src_groups, tgt_groups, o, flat)
        path, margins = search(scorer.scores(prior, ratio, _len_var(var, ratio, o), o),
                               BEAD_TYPES, lo, width, n, m)
    prior, ratio, var = _reestimate(path, zf, ef, ratio, var, float(o["prior_alpha"]))
    first_path = path
    for _ in range(passes - 1):
        # second pass: a lexicon learned from the first pass's beads, a narrower band
        # around the first path, and the bead-type / length parameters it measured
        learned = learn_pairs(path, zf, ef, float(o["dice_min"]), bool(o["link"]))
        if seed:
            learned = {w: (*seed.get(w, ()), *learned.get(w, ())) for w in {*seed, *learned}}
        if learned:
            zf = A.zh_from_units(zf.units, zf.n_chars, learned, drop)
            flat = flat.with_zh(zf)
        if o["clause_alpha"]:
            o["_cprior"] = _clause_prior(path, o["_clauses"], prior, float(o["clause_alpha"]))
        lo2, width2 = _band_around_path(path, n, m, max(4, int(o["half_width"]) // 2),
                                        m + 1 if fixed else width)
        scorer = None
        scorer = _Scorer(zf, ef, lo2, width2, src_groups, tgt_groups, o, flat)
        path, margins = search(scorer.scores(prior, ratio, _len_var(var, ratio, o), o),
                               BEAD_TYPES, lo2, width2, n, m, progress)
        lo, width = lo2, width2
        prior, ratio, var = _reestimate(path, zf, ef, ratio, var, float(o["prior_alpha"]))
    if progress is not None:
        progress.close()
    final_scores = scorer.scores(prior, ratio, _len_var(var, ratio, o), o, consume=True)
    if o["mbr"] is not None:
        # minimum-Bayes-risk decoding: the path with the most expected right beads
        grids = posterior_grids(final_scores, BEAD_TYPES, lo, width, n, m,
                                float(o["temperature"]))
        path, margins = search([g - np.float32(o["mbr"]) for g in grids], BEAD_TYPES, lo,
                               width, n, m)
    post = posteriors(final_scores, BEAD_TYPES, lo, width, n, m, path,
                      float(o["temperature"]))
    # verse joins: only on lines the user gave, not on sentences the reader cut (records)
    verse = bool(o["join"]) and src_groups is None and joins.verse_like(n, m)
    searched = path
    path, margins, post, join_feats = _join_units(src, tgt, path, margins, post, verse,
                                                  opts.get("join_model"))
    beads = []
    cprior = o.get("_cprior")
    earlier = set(_spans(first_path))
    evidence, spill, stray, edge_ev = _path_evidence(zf, ef, flat, path, ratio, var)
    rarest = min(prior.values())
    i = j = 0
    for q, ((a, b), margin, p) in enumerate(zip(path, margins, post, strict=True)):
        src_ids, tgt_ids = tuple(range(i, i + a)), tuple(range(j, j + b))
        feats = evidence[q]
        feats["margin"] = margin
        feats["posterior"] = p
        # a joined bead may be of a type the search does not have (4-2)
        feats["prior"] = prior.get((a, b), rarest)
        if cprior is not None and a and (a, b) in cprior:
            k = min(int(o["_clauses"][i:i + a].sum()) + a - 1, N_BUCKETS - 1)
            feats["prior"] = float(cprior[(a, b)][k])
        feats.update(join_feats[q])
        feats["stable"] = float((i, j, a, b) in earlier)
        feats.update(spill[q])
        feats["stray"] = stray[q]
        # on verse text a wrong bead is a well-matched piece of a verse, which its edge
        # sentences do not tell (fitted there, it cost bible-dev 0.001 AUC held out): there
        # the boundary cues are the line ends (_boundary_cues)
        feats["edge_ev"] = 0.0 if verse else edge_ev[q]
        beads.append(Bead(src_ids, tgt_ids, 1.0, feats))
        i, j = i + a, j + b
    # a wrong bead leaves its neighbour wrong too (they share a boundary): the neighbours'
    # confidence is evidence about the bead's
    for k, bead in enumerate(beads):
        nb = [beads[x].features for x in (k - 1, k + 1) if 0 <= x < len(beads)]
        bead.features["nb_posterior"] = min((f["posterior"] for f in nb), default=1.0)
        bead.features["nb_margin"] = min((f["margin"] for f in nb), default=10.0)
        bead.features["nb_stray"] = max((f["stray"] for f in nb), default=0.0)
        bead.features["nb_skip"] = float(any(not (f["src_n"] and f["tgt_n"]) for f in nb))
    _context_features(beads, path, final_scores, lo, searched)
    _boundary_cues(beads, src, tgt, verse)
    if opts.get("calibrate", True):
        from .calibrate import apply_calibration

        beads = apply_calibration(beads, records=bool(o["records"]))
    return beads


def _join_units(src: Sequence[str], tgt: Sequence[str], path: list[tuple[int, int]],
                margins: list[float], post: list[float], verse: bool, model=None):
    """On verse text (``verse``: ``joins.verse_like`` lines the user gave), neighbouring
    beads that together make one verse become one bead (``joins.py``). Returns the path,
    margins and posteriors (a joined bead has the smaller of its parts' margins and
    posteriors: the search preferred the parts), and per bead its join features: the highest
    probability that it should have been joined with the bead before or after it (``join_p``;
    for a joined bead, of its parts with their other neighbours) and the probability of the
    join that made it (``joined``; 0 for a bead the search made), both as the decision saw
    them (adapted to the joining rate around the pair) and from the cues alone
    (``join_p_raw``, ``joined_raw``)."""
    if not verse:
        return path, margins, post, [_NO_JOIN] * len(path)
    model = model if model is not None else joins.load_model()
    if model is None:
        return path, margins, post, [_NO_JOIN] * len(path)
    raw = joins.join_probabilities(src, tgt, path, model)
    probs = joins.adapted(raw, model)
    new_path, parts = joins.join_path(path, probs, model.threshold)
    new_margins, new_post, feats = [], [], []
    for group in parts:
        first, last = group[0], group[-1]
        new_margins.append(min(margins[q] for q in group))
        new_post.append(min(post[q] for q in group))
        many = len(group) > 1
        feats.append({
            "join_p": max(probs.get(first - 1, 0.0), probs.get(last, 0.0)),
            "joined": probs[first] if many else 0.0,
            "join_p_raw": max(raw.get(first - 1, 0.0), raw.get(last, 0.0)),
            "joined_raw": raw[first] if many else 0.0})
    return new_path, new_margins, new_post, feats


_NO_JOIN = {"join_p": 0.0, "joined": 0.0, "join_p_raw": 0.0, "joined_raw": 0.0}


def _slice_side(f: A.SideFeatures, lo: int, hi: int) -> A.SideFeatures:
    return A.SideFeatures(f.keys[lo:hi], f.n_units[lo:hi], f.n_chars[lo:hi],
                          f.anchor_bits[lo:hi] if f.anchor_bits is not None else None,
                          f.units[lo:hi] if f.units is not None else None)


def _repair(path, margins, zf, ef, src_groups, tgt_groups, o, prior, ratio, var,
            flat: A.FlatKeys | None = None) -> tuple[list, list, bool]:
    """Realign, in a wider band, each stretch where the path left sentences unmatched on
    both sides (a translation seldom drops a passage on both sides at once: the band had
    lost the true path there). A stretch's new path replaces the old one; the old one lies
    inside the wider band too, so under the same scores the new one is never worse."""
    spans = repair_spans(path)
    if not spans:
        return path, margins, False
    starts = [(0, 0)]
    for a, b in path:
        starts.append((starts[-1][0] + a, starts[-1][1] + b))
    index = {p: q for q, p in enumerate(starts)}
    out_path, out_margins = [], []
    q = 0
    half = 4 * int(o["half_width"])
    for i0, j0, i1, j1 in spans:
        q0, q1 = index[(i0, j0)], index[(i1, j1)]
        out_path += path[q:q0]
        out_margins += margins[q:q0]
        sub_n, sub_m = i1 - i0, j1 - j0
        sz, se = _slice_side(zf, i0, i1), _slice_side(ef, j0, j1)
        so = dict(o)
        so["_quote_ends"] = (o["_quote_ends"][0][i0:i1], o["_quote_ends"][1][j0:j1])
        if o.get("_speech") is not None:
            so["_speech"] = (o["_speech"][0][i0:i1], o["_speech"][1][j0:j1])
        if "_clauses" in o:
            so["_clauses"] = o["_clauses"][i0:i1]
        if o.get("_gaps") is not None:
            so["_gaps"] = (o["_gaps"][0][i0:i1], o["_gaps"][1][j0:j1])
        if (sub_n + 1) * (sub_m + 1) <= 1_000_000:
            slo, swidth = np.zeros(sub_n + 1, dtype=np.int64), sub_m + 1
        else:
            slo, swidth = coarse_band(sz.keys, se.keys, half)
        sg = src_groups[i0:i1] if src_groups is not None else None
        tg = tgt_groups[j0:j1] if tgt_groups is not None else None
        sub = _Scorer(sz, se, slo, swidth, sg, tg, so,
                      flat.slice(i0, i1, j0, j1) if flat is not None else None)
        try:
            sp, sm = search(sub.scores(prior, ratio, _len_var(var, ratio, o), so, consume=True),
                            BEAD_TYPES, slo, swidth, sub_n, sub_m)
        except RuntimeError:
            sp, sm = path[q0:q1], margins[q0:q1]
        out_path += sp
        out_margins += sm
        q = q1
    out_path += path[q:]
    out_margins += margins[q:]
    return out_path, out_margins, True


def _quote_balance(zh_ends: Sequence[bool], en_ends: Sequence[bool]) -> float:
    """How far the closing-quotation cue can be trusted in this pair: 1 when both sides end
    sentences with closing quotation marks about equally often, falling to 0 when one side
    does and the other does not (a translation that turns speech into reported speech, or a
    text that quotes with dashes), where the cue would only push beads off their boundaries.
    """
    few, many = sorted((sum(zh_ends), sum(en_ends)))
    return min(1.0, 2.0 * few / many) if many else 0.0


def _context_features(beads: list[Bead], path: list[tuple[int, int]],
                      scores: Sequence[np.ndarray], lo: np.ndarray,
                      searched: list[tuple[int, int]] | None = None) -> None:
    """Record the features that look beyond the bead itself.

    ``merge_gain``: how much the path's score would change if the bead were merged with a
    neighbour into one bead of an allowed type (the largest of the two; -3 when neither merge
    is allowed). A bead that gains almost nothing against a merge may be half of a bead the
    translation gives as one. ``edge``: the bead's distance from the nearer end of the
    document, as a share of the Chinese sentences (the path is pinned at both ends, so beads
    near them are right more often). ``doc_side``: the mean longest side of the document's
    beads. A translation that often splits and joins sentences is harder to align, and its
    beads are wrong more often whatever they look like one by one (mac-dev: 1.2 for the book
    with 4% of its beads wrong, 1.75 for the one with 19%). It is measured on the path the
    search chose (``searched``, before verse joins): how many pairs get joined follows the
    joining rate estimated from the join probabilities themselves, and counted in, that
    estimate would move every bead's confidence in the document (bible-dev: 1.30-1.41 over
    the five documents as searched, 1.32-1.60 after the joins; leave-one-document-out AUC
    0.8118 -> 0.8142). The joins themselves are in the join features.
    """
    index = {t: k for k, t in enumerate(BEAD_TYPES)}
    starts = list(_spans(path))
    # a joined bead of a type the search lacks has no score of its own
    own = [_cell(scores[index[(a, b)]], lo, i + a, j + b) if (a, b) in index else float(NEG32)
           for i, j, a, b in starts]
    gains = [-3.0] * len(path)
    for q in range(len(path) - 1):
        i, j, a, b = starts[q]
        a2, b2 = path[q + 1]
        k = index.get((a + a2, b + b2))
        if k is None:
            continue
        merged = _cell(scores[k], lo, i + a + a2, j + b + b2)
        if merged > NEG32 / 2 and own[q] > NEG32 / 2 and own[q + 1] > NEG32 / 2:
            gain = merged - own[q] - own[q + 1]
            gains[q] = max(gains[q], gain)
            gains[q + 1] = max(gains[q + 1], gain)
    sides = path if searched is None else searched
    doc_side = float(np.mean([max(a, b) for a, b in sides])) if sides else 1.0
    n = max(sum(a for a, _ in path), 1)
    for bead, gain, (i, _, _, _) in zip(beads, gains, starts, strict=True):
        bead.features["merge_gain"] = gain
        bead.features["doc_side"] = doc_side
        bead.features["edge"] = min(i / n, 1.0 - i / n)


# how the last line of a bead's side ends (verse text): the Chinese is split at 。！？ only,
# so a line ending in ， ends its verse there; an English line ends in : ; , only at a verse end
_VERSE_CUES = ("end_comma", "end_clause", "end_q")


def _line_end_cues(src: Sequence[str], tgt: Sequence[str], bead: Bead) -> tuple[float, ...]:
    z = src[bead.src_ids[-1]].rstrip()[-1:] if bead.src_ids else ""
    e = tgt[bead.tgt_ids[-1]].rstrip()[-1:] if bead.tgt_ids else ""
    return float(z == "，"), float(e in (":", ";", ",")), float(e == "?" or z == "？")


def _boundary_cues(beads: list[Bead], src: Sequence[str], tgt: Sequence[str],
                   verse: bool) -> None:
    """On verse text, how the lines at the bead's two boundaries end: its own last lines
    (``end_*``, its right boundary) and the previous bead's (``prev_*``, its left one; the
    start of the document counts as a clear verse end). A bead is right only if both of its
    boundaries are verse boundaries; ``join_p`` keeps only the larger of the two join
    probabilities, fitted for joining, not for this. 0 elsewhere (as the join features)."""
    prev = (1.0, 1.0, 0.0)
    for bead in beads:
        own = _line_end_cues(src, tgt, bead) if verse else (0.0, 0.0, 0.0)
        for name, v, pv in zip(_VERSE_CUES, own, prev if verse else (0.0,) * 3, strict=True):
            bead.features[name] = v
            bead.features[f"prev_{name[4:]}"] = pv
        prev = own


def _cell(plane: np.ndarray, lo: np.ndarray, i: int, j: int) -> float:
    """plane[i, j - lo[i]] of a banded score plane, NEG32 outside the band."""
    rows, width = plane.shape
    if 0 <= i < rows and j >= 0 and 0 <= j - lo[i] < width:
        return float(plane[i, j - lo[i]])
    return float(NEG32)


def _spans(path: list[tuple[int, int]]):
    i = j = 0
    for a, b in path:
        yield (i, j, a, b)
        i, j = i + a, j + b


def _band_around_path(path: list[tuple[int, int]], n: int, m: int, half_width: int,
                      max_width: int) -> tuple[np.ndarray, int]:
    """A narrow band hugging the previous pass's path, wide enough for the path's longest stay
    in one row (a run of English-only beads), so the path is always inside it."""
    jmin = np.full(n + 1, m, dtype=np.int64)
    jmax = np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    jmin[0] = jmax[0] = 0
    for a, b in path:
        for r in range(i + 1, i + a):  # rows a many-to-one bead jumps over
            jmin[r] = jmax[r] = j
        i, j = i + a, j + b
        jmin[i] = min(jmin[i], j)
        jmax[i] = max(jmax[i], j)
    width = min(int((jmax - jmin).max()) + 2 * half_width + 1, max_width, m + 1)
    lo = np.clip(jmin - half_width, 0, m + 1 - width)
    return np.maximum.accumulate(lo), width


def learn_pairs(path: list[tuple[int, int]], zf: A.SideFeatures, ef: A.SideFeatures,
                dice_min: float, link: bool = False) -> dict[str, tuple[str, ...]]:
    """Word pairs the dictionary missed, learned from the aligned beads (Dice coefficient of
    the beads they share, or with ``link`` of the links they win).

    Only words left unexplained inside their bead are counted: a Chinese word with no match
    on the English side of its bead, an English stem with none on the Chinese side.

    With ``link``, a pair counts only the beads where it wins its word and stem by
    competitive linking: pairs taken in order of log-likelihood ratio over the whole
    document, each bead's word and stem linked once. Plain Dice credits a word frequent in
    the document with every stem of the beads it shares with a rare pair (two beads with
    "cauldron" make 先生 -> cauldron as strong as 问鼎 -> cauldron); a link goes to the
    stronger association, so the weak pairs keep almost no counts and the threshold on
    the links can stay low without letting them in.
    """
    from . import _pairs, _score

    steps = np.array(path, dtype=np.int64).reshape(-1, 2)
    starts = np.cumsum(steps, axis=0) - steps
    a, b = steps[:, 0], steps[:, 1]
    counted = (a > 0) & (b > 0) & (a + b <= 4)
    beads = np.column_stack([starts, steps])[counted]
    # units, keys, words and stems as ids; the unit tuples a word's occurrences share are
    # looked at once
    zoff, zunit, uniq = _pairs.zh_units(list(zf.units))
    vocab: dict[str, int] = {}
    wid: dict[str, int] = {}
    ukptr, ukey, uword = _pairs.unit_keys(uniq, vocab, wid)
    eoff, ekey, _ = _score.flatten(list(ef.keys), vocab, False)
    sid: dict[str, int] = {}
    soff, stem, skey = _pairs.en_stems(list(ef.units), sid, vocab)
    xs, ys, nx, ny = _pairs.unexplained(
        np.ascontiguousarray(beads).ravel(), zoff, zunit, ukptr, ukey, uword, eoff, ekey, soff,
        stem, skey, len(vocab), len(wid), len(sid))
    # every bead with both, and not too many, pairs its words with its stems
    size = nx * ny
    pick = np.flatnonzero((size > 0) & (size <= 400))
    if not len(pick):
        return {}
    x0 = (np.cumsum(nx) - nx)[pick]
    y0 = (np.cumsum(ny) - ny)[pick]
    per = size[pick]
    local = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
    nyb = np.repeat(ny[pick], per)
    tx = np.repeat(x0, per) + local // nyb
    ty = np.repeat(y0, per) + local % nyb
    px = xs[tx].astype(np.int64)
    py = ys[ty].astype(np.int64)
    cx = np.bincount(xs, minlength=len(wid))
    cy = np.bincount(ys, minlength=len(sid))
    code = px * len(sid) + py
    if not link:
        pairs, c = np.unique(code, return_counts=True)
    else:
        # the candidates grouped by pair: sorted as (pair, candidate) packed in one integer
        # where that fits (a plain sort is several times faster than an argsort)
        shift = max(len(code) - 1, 1).bit_length()
        if (max(len(wid) * len(sid) - 1, 1)).bit_length() + shift <= 62:
            packed = np.sort((code << shift) | np.arange(len(code)))
            members, grouped = packed & ((1 << shift) - 1), packed >> shift
        else:
            members = np.argsort(code)
            grouped = code[members]
        head = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
        pairs, c = grouped[head], np.diff(np.r_[head, len(code)])
    x, y = pairs // len(sid), pairs % len(sid)
    if link:
        # the pairs best first by association; one bead's word and stem link once
        rank = np.argsort(-_g2(c, cx[x], cy[y], len(beads)), kind="stable")
        c = _pairs.compete(rank, head, c, members, tx, ty, len(xs), len(ys))
    keep = (c >= 2) & (2 * c / (cx[x] + cy[y]) >= dice_min)
    x, y = x[keep], y[keep]
    # words and stems in order of first unexplained use, as they are met in the text
    xrank = np.argsort(np.argsort(_first_use(xs, len(wid)), kind="stable"), kind="stable")
    yrank = np.argsort(np.argsort(_first_use(ys, len(sid)), kind="stable"), kind="stable")
    order = np.lexsort((yrank[y], xrank[x]))
    words, names = list(wid), list(sid)
    learned: dict[str, list[str]] = {}
    for xk, yk in zip(x[order].tolist(), y[order].tolist(), strict=True):
        learned.setdefault(words[xk], []).append(names[yk])
    return {w: tuple(ys) for w, ys in learned.items()}


def _g2(c: np.ndarray, cx: np.ndarray, cy: np.ndarray, n: int) -> np.ndarray:
    """Log-likelihood ratio (G2) of each pair's 2 x 2 table of beads, negative for a pair
    seen together less often than chance."""
    k = np.stack([c, cx - c, cy - c, np.maximum(n - cx - cy + c, 0)]).astype(np.float64)

    def xlx(v):
        return np.where(v > 0, v * np.log(np.where(v > 0, v, 1.0)), 0.0)

    g = 2 * (xlx(k).sum(axis=0) - xlx(k[0] + k[1]) - xlx(k[2] + k[3]) - xlx(k[0] + k[2])
             - xlx(k[1] + k[3]) + xlx(np.float64(n)))
    return np.where(c * n > cx * cy, g, -g)


def _first_use(seen: np.ndarray, n: int) -> np.ndarray:
    """Per id, the position of its first entry in ``seen`` (len(seen) if none)."""
    first = np.full(n, len(seen), dtype=np.int64)
    ids, at = np.unique(seen, return_index=True)
    first[ids] = at
    return first


def _len_var(var: float, ratio: float, opts: dict) -> float:
    """The variance the length term scores with: the document's measured ``var`` shrunk
    towards the generic ``LEN_VAR0 * ratio`` by ``len_pool`` (geometric mean weights). The
    measured one still feeds the calibration feature ``len_delta``."""
    pool = float(opts["len_pool"])
    return var ** (1.0 - pool) * (LEN_VAR0 * ratio) ** pool


def _reestimate(path, zf, ef, ratio, var, alpha: float = 0.0):
    """Bead-type probabilities and length parameters from the aligned path (one EM step).

    ``alpha`` pseudo-beads distributed as the generic prior keep a type the first path
    rarely chose (a 2-2 bead it split, a deletion it absorbed) from being starved."""
    # add-half smoothing keeps every type possible
    counts = {t: 0.5 + alpha * INITIAL_PRIOR[t] for t in BEAD_TYPES}
    for a, b in path:
        counts[(a, b)] = counts.get((a, b), 0.5) + 1
    total = sum(counts.values())
    prior = {t: c / total for t, c in counts.items()}
    steps = np.array(path, dtype=np.int64).reshape(-1, 2)
    i0 = np.cumsum(steps[:, 0]) - steps[:, 0]
    j0 = np.cumsum(steps[:, 1]) - steps[:, 1]
    both = (steps[:, 0] > 0) & (steps[:, 1] > 0)
    if int(both.sum()) >= 10:
        # lengths are whole numbers of characters: differences of prefix sums are exact
        cz = np.concatenate([[0.0], np.cumsum(zf.n_chars)])
        ce = np.concatenate([[0.0], np.cumsum(ef.n_chars)])
        lz = (cz[i0 + steps[:, 0]] - cz[i0])[both]
        le = (ce[j0 + steps[:, 1]] - ce[j0])[both]
        ratio = float(le.sum() / max(lz.sum(), 1.0))
        resid = (le - ratio * lz) ** 2 / ((lz + le / ratio) / 2 + 1.0)
        # a robust spread: the median, scaled to a normal variance, keeps outliers from
        # inflating it
        var = max(float(np.median(resid)) / 0.455, 0.5)
    return prior, ratio, var


def _progress(total: int, enabled: bool, passes: int):
    if not enabled or total < 2000:
        return None
    from tqdm import tqdm

    return tqdm(total=total * passes, desc="aligning", unit="row", file=sys.stderr,
                disable=not sys.stderr.isatty())


def _clause_prior(path: list[tuple[int, int]], clauses: np.ndarray,
                  prior: dict[tuple[int, int], float],
                  alpha: float) -> dict[tuple[int, int], np.ndarray]:
    """P(bead type | clause marks on its Chinese side), counted on the previous pass's path
    of this document and backed off to the document's bead-type probabilities with weight
    ``alpha``: a Chinese sentence of many clauses is more often several English ones, and
    how much more is the translator's habit, so it is measured on the pair itself."""
    counts = {t: np.zeros(N_BUCKETS) for t in BEAD_TYPES}
    i = 0
    for a, b in path:
        if a:
            counts[(a, b)][min(int(clauses[i:i + a].sum()) + a - 1, N_BUCKETS - 1)] += 1
        i += a
    total = sum(counts.values())
    return {t: (counts[t] + alpha * prior[t]) / (total + alpha) for t in BEAD_TYPES}
