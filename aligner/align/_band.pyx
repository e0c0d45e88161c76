"""Compiled loop of the coarse band (band.block_scores): the block-by-block similarity as a
product of two sparse matrices. A block holds a few hundred of the tens of thousands of keys,
so walking each Chinese block's keys and, per key, the English blocks that have it, touches
only the non-zero terms of the dense product.
"""

import numpy as np

from libc.stdint cimport int32_t, int64_t


def sparse_dot(const int64_t[::1] zptr, const int32_t[::1] zcol, const float[::1] zval,
               const int64_t[::1] ecptr, const int32_t[::1] erow, const float[::1] eval,
               Py_ssize_t k_en):
    """out[r, c] = sum over keys v of Z[r, v] * E[c, v], float32. Z by rows (zh block r owns
    ``zcol/zval[zptr[r]:zptr[r + 1]]``), E by columns (key v is in the en blocks
    ``erow/eval[ecptr[v]:ecptr[v + 1]]``). Sums run in double, rounded once per cell."""
    cdef Py_ssize_t k_zh = zptr.shape[0] - 1, r, c, p, q, v
    out_a = np.empty((k_zh, k_en), dtype=np.float32)
    acc_a = np.zeros(max(k_en, 1), dtype=np.float64)
    cdef float[:, ::1] out = out_a
    cdef double[::1] acc = acc_a
    cdef double zv
    with nogil:
        for r in range(k_zh):
            for p in range(zptr[r], zptr[r + 1]):
                v = zcol[p]
                zv = zval[p]
                for q in range(ecptr[v], ecptr[v + 1]):
                    acc[erow[q]] += zv * eval[q]
            for c in range(k_en):
                out[r, c] = <float>acc[c]
                acc[c] = 0.0
    return out_a


def dtw_back(const double[:, ::1] sim):
    """The forward pass of band.dtw_path: per cell the step into it on the best path from
    (0, 0), 0 from the left, 1 from above, 2 diagonal (int8). A row's chain of right steps
    is a running maximum over its prefix sums, computed as the vectorised version did, in the
    same order, so the same ties fall the same way."""
    cdef Py_ssize_t rows = sim.shape[0], cols = sim.shape[1], i, j
    back_a = np.zeros((rows, cols), dtype=np.int8)
    prev_a = np.empty(cols, dtype=np.float64)
    cur_a = np.empty(cols, dtype=np.float64)
    cdef signed char[:, ::1] back = back_a
    cdef double[::1] prev = prev_a, cur = cur_a, tmp
    cdef double cs, acc, up, diag, enter, val, inf = float("inf")
    with nogil:
        cs = 0.0
        for j in range(cols):
            cs = cs + sim[0, j]
            prev[j] = cs
        for i in range(1, rows):
            cs = 0.0
            acc = -inf
            for j in range(cols):
                up = prev[j]
                diag = prev[j - 1] if j > 0 else -inf
                enter = up if up >= diag else diag
                # best[i, j] = cs[j] + max over k <= j of (enter[k] - cs[k - 1])
                val = enter - cs
                if val > acc or j == 0:
                    acc = val
                cs = cs + sim[i, j]
                cur[j] = cs + acc
                if j > 0 and cur[j - 1] > enter:
                    back[i, j] = 0
                elif up >= diag:
                    back[i, j] = 1
                else:
                    back[i, j] = 2
            tmp = prev
            prev = cur
            cur = tmp
    return back_a
