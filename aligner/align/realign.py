"""Constrained re-alignment: beads a reviewer confirmed are fixed, the stretches between them
are aligned again.

A confirmed bead pins both sides at its edges, so the best path through all the fixed beads
is the best path of each stretch between two of them, found on its own: the aligner runs on
each stretch's sentences, and its beads are shifted back to the document's numbering. What
the confirmations teach goes in too: word pairs learned from the confirmed beads join the
lexicon the aligner scores every stretch with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..common.errors import AlignerError
from ..common.types import Bead


@dataclass(frozen=True)
class Stretch:
    """Beads ``first`` .. ``last - 1`` (none of them fixed) and the sentences they hold."""

    first: int
    last: int
    src: range
    tgt: range


def stretches(beads: Sequence[Bead], fixed: Sequence[bool]) -> list[Stretch]:
    """The maximal runs of beads that are not fixed, in order."""
    if len(beads) != len(fixed):
        raise ValueError("one fixed flag a bead")
    out: list[Stretch] = []
    i = j = 0
    start = None
    si = sj = 0
    for k, (bead, pinned) in enumerate(zip(beads, fixed, strict=True)):
        if not pinned and start is None:
            start, si, sj = k, i, j
        if pinned and start is not None:
            out.append(Stretch(start, k, range(si, i), range(sj, j)))
            start = None
        i += len(bead.src_ids)
        j += len(bead.tgt_ids)
    if start is not None:
        out.append(Stretch(start, len(beads), range(si, i), range(sj, j)))
    return out


def confirmed_pairs(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead],
                    fixed: Sequence[bool], glossary=None,
                    dice_min: float | None = None) -> dict[str, tuple[str, ...]]:
    """Word pairs the dictionary lacks, learned from the fixed beads alone (as the aligner's
    second pass learns them from its own first path, but from beads a person vouched for)."""
    from . import features as A
    from .passes import DEFAULTS, _lexicon, learn_pairs

    chosen = [b for b, f in zip(beads, fixed, strict=True) if f and b.src_ids and b.tgt_ids]
    if not chosen:
        return {}
    zs = [src[i] for b in chosen for i in b.src_ids]
    es = [tgt[j] for b in chosen for j in b.tgt_ids]
    zf = A.zh_features(zs, _lexicon(glossary))
    ef = A.en_features(es)
    path = [(len(b.src_ids), len(b.tgt_ids)) for b in chosen]
    return learn_pairs(path, zf, ef, float(DEFAULTS["dice_min"] if dice_min is None
                                           else dice_min), bool(DEFAULTS["link"]))


def realign(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead],
            fixed: Sequence[bool], *, only: int | None = None,
            learned: dict[str, tuple[str, ...]] | None = None, **opts) -> list[Bead]:
    """The alignment with every fixed bead kept and the stretches between them re-aligned.

    ``beads`` must cover ``src`` and ``tgt`` in order (as an aligner's output does). ``only``
    re-aligns just the stretch holding bead ``only``. ``learned`` (word -> English stems) is
    added to the lexicon; by default it is learned from the fixed beads. Other keywords go to
    ``align_sentences``. A stretch with nothing on one side becomes unmatched sentences; one the
    aligner refuses (say, a stretch of figures with no Chinese in it) keeps its beads.
    """
    from .passes import align_sentences

    _check_cover(beads, len(src), len(tgt))
    if learned is None:
        learned = confirmed_pairs(src, tgt, beads, fixed, opts.get("glossary"))
    todo = stretches(beads, fixed)
    if only is not None:
        todo = [s for s in todo if s.first <= only < s.last]
    out = list(beads)
    # right to left, so that replacing one stretch leaves the others' bead numbers valid
    for st in reversed(todo):
        zs = [src[i] for i in st.src]
        es = [tgt[j] for j in st.tgt]
        if not zs or not es:
            new = ([Bead((i,), (), 1.0) for i in st.src] + [Bead((), (j,), 1.0) for j in st.tgt])
        else:
            try:
                got = align_sentences(zs, es, learned=learned, **opts)
            except AlignerError:
                continue
            i0, j0 = st.src.start, st.tgt.start
            new = [Bead(tuple(i + i0 for i in b.src_ids), tuple(j + j0 for j in b.tgt_ids),
                        b.score, b.features) for b in got]
        out[st.first:st.last] = new
    return out


def _check_cover(beads: Sequence[Bead], n: int, m: int) -> None:
    i = j = 0
    for k, b in enumerate(beads):
        if list(b.src_ids) != list(range(i, i + len(b.src_ids))) or \
                list(b.tgt_ids) != list(range(j, j + len(b.tgt_ids))):
            raise ValueError(f"bead {k} is out of order")
        i += len(b.src_ids)
        j += len(b.tgt_ids)
    if (i, j) != (n, m):
        raise ValueError(f"the beads cover {i} x {j} sentences, not {n} x {m}")
