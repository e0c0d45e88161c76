"""Scoring an alignment against a gold one: strict and lax precision, recall and F1.

The definitions are those of the published MAC-Test results (Vecalign / Bertalign scoring):

* strict: a test bead counts if the identical bead is in the gold;
* lax: it counts if it shares a source and a target sentence with a gold link;
* precision is over all test beads; recall is over gold beads with both sides non-empty,
  matched against test beads with both sides non-empty (recall is precision with the roles
  swapped, insertions and deletions left out);
* counts are pooled over documents, then divided (micro-average).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import AlignerError
from ..common.types import Bead

_Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scores:
    strict_p: float
    strict_r: float
    strict_f1: float
    lax_p: float
    lax_r: float
    lax_f1: float

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in
                ("strict_p", "strict_r", "strict_f1", "lax_p", "lax_r", "lax_f1")}


def _links(beads: Iterable[Bead | _Link]) -> list[_Link]:
    out = []
    for b in beads:
        if isinstance(b, Bead):
            out.append((tuple(b.src_ids), tuple(b.tgt_ids)))
        else:
            out.append((tuple(b[0]), tuple(b[1])))
    return out


def _counts(gold: Sequence[_Link], test: Sequence[_Link]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of ``test`` measured against ``gold``."""
    gold_set = {g for g in gold if g[0] or g[1]}
    test_set = {t for t in test if t[0] or t[1]}
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for g_src, g_tgt in gold_set:
        for s in g_src:
            src_to_tgt[s].update(g_tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for t in test_set:
        if t in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        linked: set[int] = set()
        for s in t[0]:
            linked |= src_to_tgt.get(s, set())
        if linked.intersection(t[1]):
            tp_l += 1
        else:
            fp_l += 1
    return tp_s, fp_s, tp_l, fp_l


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def evaluate(docs: Iterable[tuple[Sequence[Bead], Sequence[Bead]]]) -> Scores:
    """Micro-averaged scores over documents, each given as ``(test_beads, gold_beads)``."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for test, gold in docs:
        test_l, gold_l = _links(test), _links(gold)
        for i, c in enumerate(_counts(gold_l, test_l)):
            p[i] += c
        both_test = [t for t in test_l if t[0] and t[1]]
        both_gold = [g for g in gold_l if g[0] and g[1]]
        for i, c in enumerate(_counts(both_test, both_gold)):
            r[i] += c
    sp, sr = _ratio(p[0], p[0] + p[1]), _ratio(r[0], r[0] + r[1])
    lp, lr = _ratio(p[2], p[2] + p[3]), _ratio(r[2], r[2] + r[3])
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def bead_correct(beads: Sequence[Bead], gold: Sequence[Bead]) -> list[bool]:
    """For each test bead, whether the identical bead is in the gold (strict correctness)."""
    gold_set = set(_links(gold))
    return [link in gold_set for link in _links(beads)]


def check_gold_fits(gold: Sequence[Bead], n_src: int, n_tgt: int,
                    path: str | Path | None = None) -> None:
    """Raise AlignerError unless ``gold`` covers sentences 0..n-1 of both sides once, in order.

    Used to reject a gold file that belongs to another document (or another segmentation).
    """
    next_src = next_tgt = 0
    for n, b in enumerate(gold, 1):
        for ids, expected, side in ((b.src_ids, next_src, "source"),
                                    (b.tgt_ids, next_tgt, "target")):
            if ids and list(ids) != list(range(expected, expected + len(ids))):
                raise AlignerError(path, f"bead {n}: {side} ids {list(ids)} out of order "
                                         f"(expected {expected} next)")
        next_src += len(b.src_ids)
        next_tgt += len(b.tgt_ids)
    if (next_src, next_tgt) != (n_src, n_tgt):
        raise AlignerError(path, f"gold covers {next_src} source and {next_tgt} target sentences, "
                                 f"but the texts have {n_src} and {n_tgt}: "
                                 "is it the gold for another document?")
