"""The compiled banded DP against references written plainly here, on small random bands.

Two references, both independent of the row-vector formulation in ``aligner.align._dp``:
a full-matrix Viterbi over every cell (i, j) of the band, one cell at a time, with the tie
rules spelt out; and, for very small pairs, an enumeration of every monotone path, which
gives the best total, log Z and each bead's posterior by plain sums. The band convention is
dp.py's: a 0-1 bead scores its row's best 0-1 score and both its cells lie in the band.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from aligner.align.dp import NEG, forward_backward, posterior_grids, posteriors, search

TYPES = [(1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1)]
# the 0-1 type in the middle: the order of the types decides ties, not a fixed list
SHUFFLED = [(2, 1), (1, 0), (0, 1), (1, 1), (2, 2), (1, 2)]


def _in_band(lo, width, m, i, j):
    return 0 <= j <= m and 0 <= j - lo[i] < width


def _score(scores, lo, k, i, j):
    return float(scores[k][i, j - lo[i]])


def ref_search(scores, types, lo, width, n, m):
    """Cell-by-cell Viterbi: the first type wins a tie, a 0-1 step only if better by > 1e-9;
    second = best of the losing candidates (the 0-1 step counts only when it wins)."""
    value, back, second = {}, {}, {}
    for i in range(n + 1):
        for j in range(m + 1):
            if not _in_band(lo, width, m, i, j):
                continue
            if i == j == 0:
                value[0, 0], second[0, 0] = 0.0, None
                continue
            best, sec = None, None
            for k, (a, b) in enumerate(types):
                if a == 0 or (i - a, j - b) not in value:
                    continue
                cand = value[i - a, j - b] + _score(scores, lo, k, i, j)
                if best is None or cand > best[0]:
                    if best is not None:
                        sec = best[0] if sec is None else max(sec, best[0])
                    best = (cand, k)
                else:
                    sec = cand if sec is None else max(sec, cand)
            for k, t in enumerate(types):
                if t == (0, 1) and (i, j - 1) in value:
                    cand = value[i, j - 1] + float(np.max(scores[k][i]))
                    if best is None or cand > best[0] + 1e-9:
                        if best is not None:
                            sec = best[0] if sec is None else max(sec, best[0])
                        best = (cand, k)
            if best is not None:
                value[i, j], back[i, j], second[i, j] = best[0], best[1], sec
    if (n, m) not in value or value[n, m] <= NEG / 2:
        raise RuntimeError("no path")
    path, margins = [], []
    i, j = n, m
    while (i, j) != (0, 0):
        a, b = types[back[i, j]]
        path.append((a, b))
        s = second[i, j]
        margins.append(value[i, j] - s if s is not None and s > NEG / 2 else 10.0)
        i, j = i - a, j - b
    return path[::-1], margins[::-1], value[n, m]


def all_paths(scores, types, lo, width, n, m):
    """Every monotone path in the band from (0, 0) to (n, m): (total score, [(k, i, j), ...])
    with (i, j) the cell each bead ends in."""
    out = []

    def walk(i, j, total, beads):
        if (i, j) == (n, m):
            out.append((total, beads))
        for k, (a, b) in enumerate(types):
            i2, j2 = i + a, j + b
            if (a, b) == (0, 1):
                s = float(np.max(scores[k][i]))
            elif a == 0 or i2 > n:
                continue
            else:
                s = None
            if not _in_band(lo, width, m, i2, j2):
                continue
            if s is None:
                s = _score(scores, lo, k, i2, j2)
            walk(i2, j2, total + s, beads + [(k, i2, j2)])

    if _in_band(lo, width, m, 0, 0):
        walk(0, 0, 0.0, [])
    return out


def _band(rng, n, m, shape):
    """lo (n + 1 ints) and width for a few band shapes, every one holding (0, 0) and (n, m)."""
    if shape == "full":
        return np.zeros(n + 1, dtype=np.int64), m + 1
    slope = m / max(n, 1)
    if shape == "diagonal":
        half = int(rng.integers(1, 4))
        lo = np.array([round(i * slope) - half for i in range(n + 1)], dtype=np.int64)
        return lo, 2 * half + 1
    # "steps": an irregular, non-decreasing left edge
    width = int(rng.integers(3, 7))
    lo = np.array([math.floor(i * slope) - int(rng.integers(0, width - 1))
                   for i in range(n + 1)], dtype=np.int64)
    lo = np.maximum.accumulate(lo)
    lo[0] = min(lo[0], 0)
    lo[n] = max(min(lo[n], m), m - width + 1)
    return lo, width


def _scores(rng, types, n, width, ties, flat_skip=False):
    """Random float32 planes; ``ties``: small integers, so that equal totals are common;
    a few cells forbidden (NEG, as the scorer marks impossible beads)."""
    planes = []
    for a, b in types:
        if ties:
            p = rng.integers(-3, 2, size=(n + 1, width)).astype(np.float32)
        else:
            p = rng.normal(-1.0, 1.0, size=(n + 1, width)).astype(np.float32)
        if (a, b) == (0, 1) and flat_skip:
            p[:] = p[:, :1]
        elif (a, b) != (1, 1):
            p[rng.random(p.shape) < 0.1] = np.float32(NEG)
        planes.append(p)
    return planes


SHAPES = ("full", "diagonal", "steps")
CASES = [(shape, ties, types) for shape in SHAPES
         for ties in (False, True) for types in (TYPES, SHUFFLED)]


@pytest.mark.parametrize("shape,ties,types", CASES)
def test_search_matches_the_cell_by_cell_viterbi(shape, ties, types):
    rng = np.random.default_rng([SHAPES.index(shape), ties, len(types)])
    checked = 0
    for _ in range(25):
        n, m = int(rng.integers(1, 18)), int(rng.integers(1, 18))
        lo, width = _band(rng, n, m, shape)
        scores = _scores(rng, types, n, width, ties)
        try:
            want, want_margins, _ = ref_search(scores, types, lo, width, n, m)
        except RuntimeError:
            with pytest.raises(RuntimeError):
                search(scores, types, lo, width, n, m)
            continue
        path, margins = search(scores, types, lo, width, n, m)
        assert path == want
        assert margins == pytest.approx(want_margins, rel=1e-9, abs=1e-9)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("types", [TYPES, SHUFFLED])
def test_search_finds_the_best_of_all_paths(shape, types):
    rng = np.random.default_rng([len(shape), len(types), 7])
    for _ in range(12):
        n, m = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        lo, width = _band(rng, n, m, shape)
        scores = _scores(rng, types, n, width, ties=False)
        paths = all_paths(scores, types, lo, width, n, m)
        if not paths or max(t for t, _ in paths) <= NEG / 2:
            with pytest.raises(RuntimeError):
                search(scores, types, lo, width, n, m)
            continue
        path, _ = search(scores, types, lo, width, n, m)
        totals = {tuple(types[k] for k, _, _ in beads): t for t, beads in paths}
        assert totals[tuple(path)] == pytest.approx(max(totals.values()), rel=1e-12)


def _log_z(paths, inv):
    top = max(t * inv for t, _ in paths)
    return top + math.log(sum(math.exp(t * inv - top) for t, _ in paths))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("types", [TYPES, SHUFFLED])
@pytest.mark.parametrize("temperature", [1.0, 0.5, 2.0])
@pytest.mark.parametrize("ties", [False, True])
def test_posteriors_are_the_path_sums(shape, types, temperature, ties):
    # temperatures that are powers of two keep score / T exact in float32, so the reference
    # (float64 throughout) and the DP add up the same numbers; with ties, equal partial sums
    # meet in the log-sum-exp
    rng = np.random.default_rng([SHAPES.index(shape), len(types), int(temperature * 4), ties])
    inv = 1.0 / temperature
    for _ in range(10):
        n, m = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        lo, width = _band(rng, n, m, shape)
        scores = _scores(rng, types, n, width, ties, flat_skip=True)
        paths = all_paths(scores, types, lo, width, n, m)
        if not paths or max(t for t, _ in paths) <= NEG / 2:
            continue
        log_z = _log_z(paths, inv)
        want = [np.zeros((n + 1, width)) for _ in types]
        for t, beads in paths:
            for k, i, j in beads:
                want[k][i, j - lo[i]] += math.exp(t * inv - log_z)

        _, _, total = forward_backward(scores, types, lo, width, n, m, temperature)
        assert total == pytest.approx(log_z, rel=1e-9, abs=1e-9)
        for got, w in zip(posterior_grids(scores, types, lo, width, n, m, temperature), want,
                          strict=True):
            assert got.dtype == np.float32
            np.testing.assert_allclose(got, w, rtol=1e-5, atol=1e-7)
        path, _ = search(scores, types, lo, width, n, m)
        got = posteriors(scores, types, lo, width, n, m, path, temperature)
        i = j = 0
        for (a, b), p in zip(path, got, strict=True):
            i, j = i + a, j + b
            k = types.index((a, b))
            assert p == pytest.approx(want[k][i, j - lo[i]], rel=1e-9, abs=1e-12)


def test_posteriors_of_a_path_outside_the_band_are_zero():
    rng = np.random.default_rng(3)
    n, m = 6, 6
    lo, width = _band(rng, n, m, "diagonal")
    scores = _scores(rng, TYPES, n, width, ties=False, flat_skip=True)
    # all Chinese first, then all English: leaves a diagonal band at once
    path = [(1, 0)] * n + [(0, 1)] * m
    got = posteriors(scores, TYPES, lo, width, n, m, path, 1.0)
    assert len(got) == n + m and got[n - 1] == 0.0 and got[-1] > 0.0


def test_no_path_inside_the_band_is_an_error():
    n, m = 5, 9
    lo, width = np.zeros(n + 1, dtype=np.int64), 4  # (5, 9) is not in the band
    scores = _scores(np.random.default_rng(0), TYPES, n, width, ties=False)
    with pytest.raises(RuntimeError):
        search(scores, TYPES, lo, width, n, m)


def test_score_planes_of_another_layout_give_the_same_path():
    rng = np.random.default_rng(11)
    n, m = 40, 50
    lo, width = _band(rng, n, m, "diagonal")
    scores = _scores(rng, TYPES, n, width, ties=False)
    want = search(scores, TYPES, lo, width, n, m)
    assert search([s.astype(np.float64) for s in scores], TYPES, lo.astype(np.int32),
                  width, n, m) == want
    assert search([np.asfortranarray(s) for s in scores], TYPES, lo, width, n, m) == want
    with pytest.raises(ValueError):
        search([s[:, 1:] for s in scores], TYPES, lo, width, n, m)


class Counter:
    """What the aligner's progress bar offers the DP: ``update(rows)``."""

    def __init__(self) -> None:
        self.steps: list[int] = []

    def update(self, k: int) -> None:
        self.steps.append(k)


def test_progress_moves_in_chunks_of_rows():
    rng = np.random.default_rng(5)
    n = m = 3000
    lo, width = _band(rng, n, m, "diagonal")
    scores = _scores(rng, TYPES, n, width, ties=False)
    bar = Counter()
    path, margins = search(scores, TYPES, lo, width, n, m, bar)
    assert sum(bar.steps) == n + 1 and len(bar.steps) >= 3
    assert (path, margins) == search(scores, TYPES, lo, width, n, m)
