"""Where the sentence dynamic program searches: a coarse global alignment of blocks.

Both sides are cut into the same number of blocks of consecutive sentences; every block pair
is scored by the idf-weighted cosine of the keys the two blocks share (with the row and column
medians subtracted, so a block full of common words is not similar to everything), and the
best monotone path through the block matrix (dynamic time warping) says where the sentence
path must run. The band of the sentence DP is the line through that path, plus its
half-width and one block on either side.

Rare-word anchors used to place the band. They are local: one wrong anchor (a name glossed
character by character, a word rare on one side only) dragged the band hundreds of sentences
off the true path in long texts, and nothing brought it back. The block path is global: every
block pair is weighed against every other, so a few chance matches cannot move it far.

``repair_spans`` finds where the sentence path has nonetheless lost its way (a run of
unmatched sentences on both sides, which a translation rarely has), so the caller can realign
that stretch in a wider band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .features import FlatKeys

MAX_BLOCKS = 1000  # blocks a side for documents up to ~20k sentences a side
BLOCK_MIN = 20     # longer documents: no block holds more than about this many sentences


def n_blocks(n: int, m: int) -> int:
    """How many blocks each side is cut into: one sentence a block on short documents (the
    band then follows the sentence-level matches), at most ``MAX_BLOCKS`` until blocks would
    exceed ``BLOCK_MIN`` sentences, when the count grows so the band stays narrow."""
    if n == 0 or m == 0:
        return 0
    return max(1, min(n, m, max(MAX_BLOCKS, math.ceil(max(n, m) / BLOCK_MIN))))


def _edges(count: int, k: int) -> np.ndarray:
    """Block boundaries: block b holds sentences edges[b] .. edges[b+1]-1."""
    return np.round(np.linspace(0, count, k + 1)).astype(np.int64)


def block_scores(zh_keys: Sequence[dict], en_keys: Sequence[dict], k: int,
                 flat: FlatKeys | None = None) -> np.ndarray:
    """k x k similarity of zh block r and en block c: the cosine of their idf-weighted key
    counts over the keys found on both sides, minus the row and then the column median.
    ``flat``: the same keys already flattened for the whole pair (``FlatKeys.build``)."""
    n, m = len(zh_keys), len(en_keys)
    ze, ee = _edges(n, k), _edges(m, k)
    zb = np.repeat(np.arange(k), np.diff(ze))
    eb = np.repeat(np.arange(k), np.diff(ee))
    from . import _score

    # the keys as flat arrays (ids of the English side's keys); a block matrix column per
    # key found on both sides
    if flat is None:
        ids: dict[str, int] = {}
        e_off, e_ids, _ = _score.flatten(list(en_keys), ids, True)
        z_off, z_ids, _ = _score.flatten(list(zh_keys), ids, False)
        n_ids = len(ids)
    else:
        (e_off, e_ids, _), (z_off, z_ids, _), n_ids = flat.en, flat.zh, len(flat.vocab)
    shared = np.zeros(n_ids, dtype=bool)
    shared[z_ids] = True
    v = int(shared.sum())
    if v == 0:
        return np.zeros((k, k), dtype=np.float32)
    col = np.where(shared, np.cumsum(shared) - 1, -1)
    z_rows, z_cols, z_val = _block_weights(z_off, col[z_ids], zb, k, v)
    e_rows, e_cols, e_val = _block_weights(e_off, col[e_ids], eb, k, v)
    # the product walks, per Chinese block key, the English blocks that have the key
    by_key = np.argsort(e_cols, kind="stable")
    e_ptr = np.concatenate([[0], np.cumsum(np.bincount(e_cols, minlength=v))])
    z_ptr = np.concatenate([[0], np.cumsum(np.bincount(z_rows, minlength=k))])
    from . import _band

    sim = _band.sparse_dot(z_ptr, z_cols.astype(np.int32), z_val, e_ptr,
                           e_rows[by_key].astype(np.int32), e_val[by_key], k)
    sim -= np.median(sim, axis=1, keepdims=True)
    sim -= np.median(sim, axis=0, keepdims=True)
    return sim.astype(np.float32, copy=False)


def _block_weights(off: np.ndarray, cols: np.ndarray, block_of: np.ndarray, k: int,
                   v: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The non-zero cells of a side's k x v block matrix, by block and then key column:
    how many sentences of the block have the key (``cols[off[s]:off[s+1]]`` are sentence
    s's key columns, -1 for a key the matrix leaves out), times the key's idf over blocks,
    each block row scaled to unit length. Returns (block, column, weight) arrays."""
    rows = np.repeat(block_of, np.diff(off))
    keep = cols >= 0
    cells, counts = np.unique(rows[keep] * v + cols[keep], return_counts=True)
    rows, cols = cells // v, cells % v
    # idf per side over blocks: a key in every block says nothing about where a block goes
    df = np.bincount(cols, minlength=v).astype(np.float32)
    idf = np.log((k + 1.0) / (df + 1.0)).astype(np.float32)
    val = counts.astype(np.float32) * idf[cols]
    norm = np.sqrt(np.bincount(rows, weights=val * val, minlength=k)).astype(np.float32)
    val /= np.maximum(norm, 1e-9)[rows]
    nz = val != 0
    return rows[nz], cols[nz], val[nz]


def dtw_path(sim: np.ndarray) -> list[tuple[int, int]]:
    """Best monotone path of cells from (0, 0) to (k-1, k'-1), steps right, down or diagonal,
    maximising the sum of the cells it visits. Along each row the chain of right steps is a
    prefix maximum over cumulative sums (``_band.dtw_back``, compiled: a row at a time in
    numpy cost a mac-dev document 7 ms)."""
    from . import _band

    rows, cols = sim.shape
    back = _band.dtw_back(np.ascontiguousarray(sim, dtype=np.float64))
    path = []
    i, j = rows - 1, cols - 1
    while True:
        path.append((i, j))
        if i == 0 and j == 0:
            break
        if i == 0:
            j -= 1
            continue
        step = back[i, j]
        if step == 0 and j > 0:
            j -= 1
        elif step == 1:
            i -= 1
        else:
            i, j = i - 1, j - 1
    return path[::-1]


def coarse_band(zh_keys: Sequence[dict], en_keys: Sequence[dict], half_width: int,
                blocks: int | None = None, out: dict | None = None,
                flat: FlatKeys | None = None) -> tuple[np.ndarray, int]:
    """Per DP row i (0 .. n) the first English column of the band, and the band's width.

    The centre of the band runs through the block path (the middle of the block pairs the
    path visits in each row of blocks); the band reaches ``half_width`` plus one English
    block beyond it on either side, and further where the path runs sideways for long.
    """
    n, m = len(zh_keys), len(en_keys)
    k = blocks if blocks is not None else n_blocks(n, m)
    if k <= 1:
        return np.zeros(n + 1, dtype=np.int64), m + 1
    sim = block_scores(zh_keys, en_keys, k, flat)
    path = dtw_path(sim)
    ze, ee = _edges(n, k), _edges(m, k)
    if out is not None:
        out.update(path=path, sim=sim, ze=ze, ee=ee)
    zc = (ze[:-1] + ze[1:]) / 2.0
    ec = (ee[:-1] + ee[1:]) / 2.0
    lo_c = np.full(k, np.inf)
    hi_c = np.full(k, -np.inf)
    for r, c in path:
        lo_c[r] = min(lo_c[r], ec[c])
        hi_c[r] = max(hi_c[r], ec[c])
    block = m / k
    # A path that steps sideways now and then only follows a slope steeper than the block
    # grid's: the line through the middle of each row's cells is right to within a block.
    # Only a long sideways run (a passage with nothing on the other side) widens the band.
    centre = (lo_c + hi_c) / 2.0
    extra = np.maximum((hi_c - lo_c) / 2.0 - 2 * block, 0.0)
    xs = np.concatenate([[0.0], zc, [float(n)]])
    rows = np.arange(n + 1, dtype=np.float64)
    lo_line = np.interp(rows, xs, np.concatenate([[0.0], centre - extra, [float(m)]]))
    hi_line = np.interp(rows, xs, np.concatenate([[0.0], centre + extra, [float(m)]]))
    pad = half_width + math.ceil(block)
    first = np.floor(lo_line - pad).astype(np.int64)
    last = np.ceil(hi_line + pad).astype(np.int64)
    width = int(min((last - first).max() + 1, m + 1))
    lo = np.clip(first, 0, m + 1 - width)
    return np.maximum.accumulate(lo), width


def gaps(coarse: dict, n: int, m: int, min_blocks: int = 4,
         min_sentences: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Sentences the block path says have no counterpart: the inner blocks of a run of at
    least ``min_blocks`` blocks (inner blocks of ``min_sentences`` sentences or more) of one
    side that the path pairs with a single block of the other, when those pairs are less
    than half as similar as the path's median pair. A chapter left out of one side shows so;
    a few sentences left out are the sentence DP's business (on short texts, where blocks
    are single sentences, a run of four is only a 4-1 bead). Returns a boolean per Chinese
    and per English sentence."""
    zh_gap = np.zeros(n, dtype=bool)
    en_gap = np.zeros(m, dtype=bool)
    path, sim = coarse.get("path"), coarse.get("sim")
    if not path:
        return zh_gap, en_gap
    ze, ee = coarse["ze"], coarse["ee"]
    typical = float(np.median([sim[r, c] for r, c in path]))
    for axis, edges, mask in ((1, ze, zh_gap), (0, ee, en_gap)):
        # axis 1: runs of cells sharing an English block (Chinese blocks without partner)
        q = 0
        while q < len(path):
            e = q
            while e + 1 < len(path) and path[e + 1][axis] == path[q][axis]:
                e += 1
            run = path[q:e + 1]
            if len(run) >= min_blocks and (np.mean([sim[r, c] for r, c in run[1:-1]])
                                           < 0.5 * typical):
                inner = [cell[1 - axis] for cell in run[1:-1]]
                lo_s, hi_s = edges[min(inner)], edges[max(inner) + 1]
                if hi_s - lo_s >= min_sentences:
                    mask[lo_s:hi_s] = True
            q = e + 1
    return zh_gap, en_gap


def path_in_band(path: Sequence[tuple[int, int]], lo: np.ndarray, width: int) -> bool:
    """Whether every cell the DP visits on a bead path (each bead's end, and the start)
    lies inside the band."""
    i = j = 0
    if not lo[0] <= 0 < lo[0] + width:
        return False
    for a, b in path:
        i, j = i + a, j + b
        if not lo[i] <= j < lo[i] + width:
            return False
    return True


def repair_spans(path: Sequence[tuple[int, int]], min_run: int = 2, gap: int = 40,
                 margin: int = 8) -> list[tuple[int, int, int, int]]:
    """Stretches where the path has lost its way: unmatched sentences on both sides close
    together (skip beads at most ``gap`` beads apart, with at least ``min_run`` Chinese and
    ``min_run`` English sentences left unmatched). A DP that lost the true path skips off it
    on one side, runs along wrong pairs and skips back on the other; a translation seldom
    drops text on both sides at once. Each stretch is returned as (i0, j0, i1, j1) in
    sentences, widened by ``margin`` beads either way and cut at bead boundaries, overlapping
    stretches merged."""
    starts = []
    i = j = 0
    for a, b in path:
        starts.append((i, j))
        i, j = i + a, j + b
    starts.append((i, j))
    skips = [q for q, (a, b) in enumerate(path) if not (a and b)]
    spans: list[list[int]] = []
    k = 0
    while k < len(skips):
        e = k
        while e + 1 < len(skips) and skips[e + 1] - skips[e] <= gap:
            e += 1
        zh_un = sum(path[q][0] for q in skips[k:e + 1])
        en_un = sum(path[q][1] for q in skips[k:e + 1])
        if zh_un >= min_run and en_un >= min_run:
            s0 = max(0, skips[k] - margin)
            s1 = min(len(path), skips[e] + 1 + margin)
            if spans and s0 <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], s1)
            else:
                spans.append([s0, s1])
        k = e + 1
    return [(*starts[s0], *starts[s1]) for s0, s1 in spans]
