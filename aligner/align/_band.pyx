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
