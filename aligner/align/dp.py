"""Banded dynamic programming over bead types; the row loops are compiled in ``_dp.pyx``.

Row i of the band holds DP cells (i, j) for j = lo[i] .. lo[i] + width - 1; a bead (a, b)
ending in cell (i, j) covers zh sentences i-a .. i-1 and en sentences j-b .. j-1. Memory
and time are O(n * width * bead types): never an n x m matrix. A 0-1 bead's score is taken
as the row's best 0-1 score, so a run of them inside a row is a prefix maximum (a prefix
log-sum-exp in the forward-backward); other beads with no Chinese side are not searched.

This module checks and prepares the arguments (score planes as C-contiguous float32, the
bead types and ``lo`` as int64) and allocates the DP arrays; ``_dp`` fills them row by row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import _dp

NEG = -1e18


# rows per compiled call when a progress bar is to move
_CHUNK = 1024


def _prepare(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]], lo: np.ndarray,
             width: int, n: int) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Score planes as C-contiguous float32 (copied only when they are not), types as int64."""
    if width < 1:
        raise ValueError("the band needs a width of at least 1")
    if len(scores) != len(types):
        raise ValueError(f"{len(scores)} score planes for {len(types)} bead types")
    planes = [np.ascontiguousarray(s, dtype=np.float32) for s in scores]
    for k, p in enumerate(planes):
        if p.shape != (n + 1, width):
            raise ValueError(f"score plane {k} has shape {p.shape}, expected {(n + 1, width)}")
    t = np.asarray(types, dtype=np.int64).reshape(len(types), 2)
    lo = np.ascontiguousarray(lo, dtype=np.int64)
    if lo.shape != (n + 1,):
        raise ValueError(f"lo has shape {lo.shape}, expected {(n + 1,)}")
    return planes, np.ascontiguousarray(t[:, 0]), np.ascontiguousarray(t[:, 1]), lo


def search(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]], lo: np.ndarray,
           width: int, n: int, m: int, progress=None) -> tuple[list[tuple[int, int]], list[float]]:
    """Best monotone path maximising the sum of bead scores.

    ``scores[k][i, w]`` is the score of a bead of ``types[k]`` ending at (i, lo[i]+w). Returns
    the beads' (a, b) sizes in order, and for each bead its margin: how much better the best
    way into its end cell is than the best way through another bead type (a confidence cue).
    Of equal ways into a cell the first bead type wins. ``progress`` (``.update(rows)``)
    advances once per chunk of rows.
    """
    planes, ta, tb, lo = _prepare(scores, types, lo, width, n)
    if len(types) > 127:
        raise ValueError("at most 127 bead types (back pointers are int8)")
    best = np.full((n + 1, width), NEG)
    second = np.full((n + 1, width), NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    if 0 <= -lo[0] < width:
        best[0, -lo[0]] = 0.0
    step = n + 1 if progress is None else _CHUNK
    for r0 in range(0, n + 1, step):
        r1 = min(r0 + step, n + 1)
        _dp.viterbi_rows(planes, ta, tb, lo, m, best, second, back, r0, r1)
        if progress is not None:
            progress.update(r1 - r0)
    if not (0 <= m - lo[n] < width) or best[n, m - lo[n]] <= NEG / 2:
        raise RuntimeError("no alignment path inside the band")
    ks, margins = _dp.traceback(best, second, back, ta, tb, lo, n, m)
    return [tuple(types[k]) for k in ks], margins


def forward_backward(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]],
                     lo: np.ndarray, width: int, n: int, m: int, temperature: float):
    """Log forward and backward sums over all monotone paths in the band, each path weighted
    by exp(total score / temperature); returns (fwd, bwd, log total)."""
    return _forward_backward(_prepare(scores, types, lo, width, n), types, width, n, m,
                             temperature)


def _forward_backward(prepared, types, width, n, m, temperature):
    """forward_backward on arguments ``_prepare`` has checked (and converted once)."""
    planes, ta, tb, lo = prepared
    inv = 1.0 / temperature
    skip_k = next((k for k, t in enumerate(types) if tuple(t) == (0, 1)), -1)
    fwd = np.full((n + 1, width), NEG)
    bwd = np.full((n + 1, width), NEG)
    if 0 <= -lo[0] < width:
        fwd[0, -lo[0]] = 0.0
    _dp.forward_rows(planes, ta, tb, lo, m, inv, skip_k, fwd)
    end_w = m - lo[n]
    bwd[n, end_w] = 0.0
    _dp.backward_rows(planes, ta, tb, lo, m, inv, skip_k, bwd)
    return fwd, bwd, float(fwd[n, end_w])


def posterior_grids(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]],
                    lo: np.ndarray, width: int, n: int, m: int,
                    temperature: float) -> list[np.ndarray]:
    """For every bead type and end cell, the posterior probability of that bead."""
    prepared = _prepare(scores, types, lo, width, n)
    fwd, bwd, total = _forward_backward(prepared, types, width, n, m, temperature)
    planes, _, _, lo = prepared
    out = []
    for k, (a, b) in enumerate(types):
        grid = np.zeros((n + 1, width), dtype=np.float32)
        _dp.posterior_plane(planes[k], a, b, lo, 1.0 / temperature, fwd, bwd, total, grid)
        out.append(grid)
    return out


def posteriors(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]], lo: np.ndarray,
               width: int, n: int, m: int, path: Sequence[tuple[int, int]],
               temperature: float) -> list[float]:
    """Posterior probability of each bead of ``path`` among all monotone paths in the band."""
    fwd, bwd, total = forward_backward(scores, types, lo, width, n, m, temperature)
    if not path:
        return []
    inv = 1.0 / temperature
    ks = np.array([types.index((a, b)) for a, b in path], dtype=np.int64)
    size = np.asarray(path, dtype=np.int64).reshape(len(path), 2)
    end = np.cumsum(size, axis=0)
    i0, j0 = (end - size).T
    i2, j2 = end.T
    lo = np.asarray(lo, dtype=np.int64)
    w0, w2 = j0 - lo[i0], j2 - lo[i2]
    ok = (w0 >= 0) & (w0 < width) & (w2 >= 0) & (w2 < width)
    w0, w2 = np.clip(w0, 0, width - 1), np.clip(w2, 0, width - 1)
    score = np.empty(len(path), dtype=np.float32)
    for k in np.unique(ks):
        at = ks == k
        score[at] = scores[k][i2[at], w2[at]]
    # inv * float32 stays float32, as in the score planes' own arithmetic
    lp = np.where(ok, fwd[i0, w0] + inv * score + bwd[i2, w2] - total, NEG)
    return np.exp(np.minimum(lp, 0.0)).tolist()
