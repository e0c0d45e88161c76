"""Banded dynamic programming over bead types, vectorised along each row with numpy.

Row i of the band holds DP cells (i, j) for j = lo[i] .. lo[i] + width - 1; a bead (a, b)
ending in cell (i, j) covers zh sentences i-a .. i-1 and en sentences j-b .. j-1. Memory
and time are O(n * width * bead types): never an n x m matrix.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

NEG = -1e18


def gather(arr: np.ndarray, lo: np.ndarray, rows: np.ndarray, cols: np.ndarray,
           fill: float | int = 0) -> np.ndarray:
    """arr[row, col - lo[row]] for a banded array, ``fill`` outside the band."""
    n_rows, width = arr.shape
    r_ok = (rows >= 0) & (rows < n_rows)
    r = np.clip(rows, 0, n_rows - 1)
    c = cols - lo[r]
    ok = r_ok & (c >= 0) & (c < width) & (cols >= 0)
    out = arr[r, np.clip(c, 0, width - 1)]
    return np.where(ok, out, fill)


def search(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]], lo: np.ndarray,
           width: int, n: int, m: int, progress=None) -> tuple[list[tuple[int, int]], list[float]]:
    """Best monotone path maximising the sum of bead scores.

    ``scores[k][i, w]`` is the score of a bead of ``types[k]`` ending at (i, lo[i]+w). Returns
    the beads' (a, b) sizes in order, and for each bead its margin: how much better the best
    way into its end cell is than the best way through another bead type (a confidence cue).
    """
    best = np.full((n + 1, width), NEG)
    second = np.full((n + 1, width), NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    cols = np.arange(width)
    start_c = 0 - lo[0]
    if 0 <= start_c < width:
        best[0, start_c] = 0.0
    for i in range(n + 1):
        j = lo[i] + cols
        row_best = best[i]
        row_second = second[i]
        row_back = back[i]
        for k, (a, b) in enumerate(types):
            if a == 0:
                continue  # runs of English-only beads are chained below
            if a > i:
                continue
            # cell (i, lo[i]+w) comes from (i-a, lo[i]+w-b): a shift of row i-a
            d = int(lo[i] - b - lo[i - a])
            prev = np.full(width, NEG)
            if -width < d < width:
                if d >= 0:
                    prev[:width - d] = best[i - a, d:]
                else:
                    prev[-d:] = best[i - a, :width + d]
            cand = prev + scores[k][i]
            better = cand > row_best
            np.maximum(row_second, np.where(better, row_best, cand), out=row_second)
            if better.any():
                row_best[better] = cand[better]
                row_back[better] = k
        for k, (a, b) in enumerate(types):
            if a == 0 and b == 1:
                # a run of 0-1 beads inside the row: best[w] = max(own, best[w-1] + skip),
                # solved for the whole row at once as a prefix maximum
                skip = float(np.max(scores[k][i]))
                offs = skip * cols
                chained = np.maximum.accumulate(row_best - offs) + offs
                better = chained > row_best + 1e-9
                if better.any():
                    np.maximum(row_second, np.where(better, row_best, NEG), out=row_second)
                    row_best[better] = chained[better]
                    row_back[better] = k
        row_best[j > m] = NEG
        if progress is not None:
            progress.update(1)
    # trace back from (n, m)
    i, j = n, m
    out: list[tuple[int, int]] = []
    margins: list[float] = []
    if not (0 <= m - lo[n] < width) or best[n, m - lo[n]] <= NEG / 2:
        raise RuntimeError("no alignment path inside the band")
    while i > 0 or j > 0:
        k = int(back[i, j - lo[i]])
        a, b = types[k]
        out.append((a, b))
        w = j - lo[i]
        margins.append(float(best[i, w] - second[i, w]) if second[i, w] > NEG / 2 else 10.0)
        i, j = i - a, j - b
    return out[::-1], margins[::-1]


def _shift(row: np.ndarray, d: int, fill: float) -> np.ndarray:
    """out[w] = row[w + d], ``fill`` where w + d falls outside the row."""
    width = len(row)
    out = np.full(width, fill)
    if -width < d < width:
        if d >= 0:
            out[:width - d] = row[d:]
        else:
            out[-d:] = row[:width + d]
    return out


def forward_backward(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]],
                     lo: np.ndarray, width: int, n: int, m: int, temperature: float):
    """Log forward and backward sums over all monotone paths in the band, each path weighted
    by exp(total score / temperature); returns (fwd, bwd, log total)."""
    inv = 1.0 / temperature
    fwd = np.full((n + 1, width), NEG)
    bwd = np.full((n + 1, width), NEG)
    cols = np.arange(width)
    skip_k = next((k for k, t in enumerate(types) if t == (0, 1)), None)
    if 0 <= -lo[0] < width:
        fwd[0, -lo[0]] = 0.0
    for i in range(n + 1):
        acc = fwd[i]
        for k, (a, b) in enumerate(types):
            if a == 0 or a > i:
                continue
            cand = _shift(fwd[i - a], int(lo[i] - b - lo[i - a]), NEG) + inv * scores[k][i]
            acc = np.logaddexp(acc, cand)
        if skip_k is not None:
            s = inv * float(np.max(scores[skip_k][i]))
            acc = np.logaddexp.accumulate(acc - s * cols) + s * cols
        acc[lo[i] + cols > m] = NEG
        fwd[i] = np.maximum(acc, NEG)
    end_w = m - lo[n]
    bwd[n, end_w] = 0.0
    for i in range(n, -1, -1):
        acc = bwd[i]
        for k, (a, b) in enumerate(types):
            if a == 0 or i + a > n:
                continue
            r = i + a
            d = int(lo[i] + b - lo[r])
            cand = _shift(bwd[r] + inv * scores[k][r], d, NEG)
            acc = np.logaddexp(acc, cand)
        if skip_k is not None:
            # beta[w] = logaddexp(own[w], s + beta[w+1]): a reversed prefix accumulation
            s = inv * float(np.max(scores[skip_k][i]))
            rev = acc[::-1]
            rc = cols
            acc = (np.logaddexp.accumulate(rev - s * rc) + s * rc)[::-1]
        acc[lo[i] + cols > m] = NEG
        bwd[i] = np.maximum(acc, NEG)
    return fwd, bwd, float(fwd[n, end_w])


def posterior_grids(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]],
                    lo: np.ndarray, width: int, n: int, m: int,
                    temperature: float) -> list[np.ndarray]:
    """For every bead type and end cell, the posterior probability of that bead."""
    fwd, bwd, total = forward_backward(scores, types, lo, width, n, m, temperature)
    inv = 1.0 / temperature
    out = []
    for k, (a, b) in enumerate(types):
        grid = np.zeros((n + 1, width), dtype=np.float32)
        for i in range(a, n + 1):
            start = _shift(fwd[i - a], int(lo[i] - b - lo[i - a]), NEG)
            lp = start + inv * scores[k][i] + bwd[i] - total
            grid[i] = np.exp(np.minimum(lp, 0.0))
        out.append(grid)
    return out


def posteriors(scores: Sequence[np.ndarray], types: Sequence[tuple[int, int]], lo: np.ndarray,
               width: int, n: int, m: int, path: Sequence[tuple[int, int]],
               temperature: float) -> list[float]:
    """Posterior probability of each bead of ``path`` among all monotone paths in the band."""
    fwd, bwd, total = forward_backward(scores, types, lo, width, n, m, temperature)
    inv = 1.0 / temperature
    out = []
    i = j = 0
    for a, b in path:
        k = types.index((a, b))
        i2, j2 = i + a, j + b
        w0, w2 = j - lo[i], j2 - lo[i2]
        ok = 0 <= w0 < width and 0 <= w2 < width
        lp = fwd[i, w0] + inv * scores[k][i2, w2] + bwd[i2, w2] - total if ok else NEG
        out.append(float(np.exp(min(lp, 0.0))))
        i, j = i2, j2
    return out
