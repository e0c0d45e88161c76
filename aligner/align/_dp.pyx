# distutils: extra_compile_args = -O3 -ffp-contract=off
"""The compiled rows of the banded DP (see dp.py for the band convention and the API).

Every function works in place on arrays the Python front allocates, one band row at a time,
without the GIL. The arithmetic is the numpy version's, operation for operation and in the
same order (float64 sums of float32 scores; ``inv * score`` rounded to float32 first, as
numpy does for a Python float times a float32 array), so paths, margins and posteriors come
out bit for bit the same. ``-ffp-contract=off`` keeps the compiler from fusing a multiply
and an add into one differently rounded instruction.
"""

from libc.math cimport exp, log1p
from libc.stdint cimport int64_t
from libc.stdlib cimport free, malloc

cdef double NEG = -1e18
cdef double LOGE2 = 0.693147180559945309417232121458176568


cdef inline double _logaddexp(double x, double y) noexcept nogil:
    # numpy's npy_logaddexp, so that sums agree to the last bit; past a difference of 746
    # exp() underflows to exactly 0 (through libm's slow error path), so skip it
    cdef double tmp
    if x == y:
        return x + LOGE2
    tmp = x - y
    if tmp > 746.0:
        return x + 0.0
    if tmp < -746.0:
        return y + 0.0
    if tmp > 0:
        return x + log1p(exp(-tmp))
    if tmp <= 0:
        return y + log1p(exp(tmp))
    return tmp


cdef inline double _row_max(const float *row, Py_ssize_t width) noexcept nogil:
    cdef float mx = row[0]
    cdef Py_ssize_t w
    for w in range(1, width):
        if row[w] > mx:
            mx = row[w]
    return mx


cdef inline void _overlap(Py_ssize_t d, Py_ssize_t width, Py_ssize_t *w0,
                          Py_ssize_t *w1) noexcept nogil:
    # the cells w with 0 <= w + d < width: w0 <= w < w1
    w0[0] = min(max(-d, 0), width)
    w1[0] = max(min(width - d, width), w0[0])


cdef inline void _keep(double *rb, double *rs, signed char *bk, double cand,
                       signed char k) noexcept nogil:
    # a new way into a cell: the better of it and the best so far becomes the best, the
    # other one competes for second; selects rather than branches, since which of the two
    # wins is unpredictable
    cdef bint better = cand > rb[0]
    cdef double loser = rb[0] if better else cand
    rs[0] = loser if loser > rs[0] else rs[0]
    rb[0] = cand if better else rb[0]
    bk[0] = k if better else bk[0]


cdef inline void _relax(double *rb, double *rs, signed char *bk, const double *pr,
                        const float *sc, Py_ssize_t d, Py_ssize_t width,
                        signed char k) noexcept nogil:
    # every cell w against "cell w + d of row pr, plus this bead's score" (NEG off the row)
    cdef Py_ssize_t w, w0, w1
    _overlap(d, width, &w0, &w1)
    for w in range(w0):
        _keep(rb + w, rs + w, bk + w, NEG + <double>sc[w], k)
    for w in range(w0, w1):
        _keep(rb + w, rs + w, bk + w, pr[w + d] + <double>sc[w], k)
    for w in range(w1, width):
        _keep(rb + w, rs + w, bk + w, NEG + <double>sc[w], k)


cdef const float **_planes(list scores, Py_ssize_t rows, Py_ssize_t width) except NULL:
    """Pointers to the score planes: one C-contiguous float32 (rows, width) array per type."""
    cdef const float[:, ::1] view
    cdef Py_ssize_t k
    cdef const float **out = <const float **>malloc(max(len(scores), 1) * sizeof(float *))
    if out == NULL:
        raise MemoryError()
    for k in range(len(scores)):
        view = scores[k]
        if view.shape[0] != rows or view.shape[1] != width:
            free(out)
            raise ValueError(f"score plane {k} has shape {tuple(view.shape)[:2]}, "
                             f"expected ({rows}, {width})")
        out[k] = &view[0, 0]
    return out


def viterbi_rows(list scores, const int64_t[::1] ta, const int64_t[::1] tb, const int64_t[::1] lo,
                 int64_t m, double[:, ::1] best, double[:, ::1] second,
                 signed char[:, ::1] back, Py_ssize_t r0, Py_ssize_t r1) -> None:
    """Fill rows r0 .. r1-1 of best / second / back (rows before r0 are done)."""
    cdef Py_ssize_t rows = best.shape[0], width = best.shape[1], nt = ta.shape[0]
    cdef const float **P = _planes(scores, rows, width)
    cdef Py_ssize_t i, k, w, u, d
    cdef double prev, cand, skip, offs, run, chained
    cdef double *rb
    cdef double *rs
    cdef signed char *bk
    cdef const float *sc
    try:
        with nogil:
            for i in range(r0, r1):
                rb = &best[i, 0]
                rs = &second[i, 0]
                bk = &back[i, 0]
                for k in range(nt):
                    if ta[k] == 0 or ta[k] > i:
                        continue
                    # cell (i, lo[i]+w) comes from (i-a, lo[i]+w-b): a shift of row i-a
                    _relax(rb, rs, bk, &best[i - ta[k], 0], P[k] + i * width,
                           lo[i] - tb[k] - lo[i - ta[k]], width, <signed char>k)
                for k in range(nt):
                    if ta[k] != 0 or tb[k] != 1:
                        continue
                    # a run of 0-1 beads inside the row: best[w] = max(own, best[w-1] + skip),
                    # i.e. a prefix maximum of best[u] - skip*u, shifted back by skip*w
                    skip = _row_max(P[k] + i * width, width)
                    run = NEG
                    for w in range(width):
                        offs = skip * <double>w
                        if w == 0 or rb[w] - offs > run:
                            run = rb[w] - offs
                        chained = run + offs
                        if chained > rb[w] + 1e-9:
                            if rb[w] > rs[w]:
                                rs[w] = rb[w]
                            rb[w] = chained
                            bk[w] = <signed char>k
                for w in range(width):
                    if lo[i] + w > m:
                        rb[w] = NEG
    finally:
        free(P)


def traceback(const double[:, ::1] best, const double[:, ::1] second,
              const signed char[:, ::1] back, const int64_t[::1] ta, const int64_t[::1] tb,
              const int64_t[::1] lo, int64_t n, int64_t m) -> tuple[list[int], list[float]]:
    """Bead types (indices) and margins from (0, 0) to (n, m), given a path ends there."""
    cdef Py_ssize_t width = best.shape[1], nt = ta.shape[0]
    cdef int64_t i = n, j = m, w, k
    ks: list[int] = []
    margins: list[float] = []
    while i > 0 or j > 0:
        w = j - lo[i] if 0 <= i <= n else -1
        if not 0 <= w < width:
            raise RuntimeError("the back pointers leave the band")
        k = back[i, w]
        if k < 0:
            k += nt  # an unset pointer reads like Python's types[-1], as the numpy version did
        ks.append(k)
        margins.append(best[i, w] - second[i, w] if second[i, w] > NEG / 2 else 10.0)
        i -= ta[k]
        j -= tb[k]
    ks.reverse()
    margins.reverse()
    return ks, margins


def forward_rows(list scores, const int64_t[::1] ta, const int64_t[::1] tb, const int64_t[::1] lo,
                 int64_t m, double inv, int64_t skip_k, double[:, ::1] fwd) -> None:
    """Log forward sums, row by row; ``fwd`` holds NEG and the start cell's 0 on entry."""
    cdef Py_ssize_t rows = fwd.shape[0], width = fwd.shape[1], nt = ta.shape[0]
    cdef const float **P = _planes(scores, rows, width)
    cdef float inv32 = <float>inv
    cdef Py_ssize_t i, k, w, u, d
    cdef double prev, s, offs, run, v
    cdef double *acc
    cdef const float *sc
    try:
        with nogil:
            for i in range(rows):
                acc = &fwd[i, 0]
                for k in range(nt):
                    if ta[k] == 0 or ta[k] > i:
                        continue
                    d = lo[i] - tb[k] - lo[i - ta[k]]
                    sc = P[k] + i * width
                    for w in range(width):
                        u = w + d
                        prev = fwd[i - ta[k], u] if 0 <= u < width else NEG
                        acc[w] = _logaddexp(acc[w], prev + <double>(inv32 * sc[w]))
                if skip_k >= 0:
                    s = inv * <double>_row_max(P[skip_k] + i * width, width)
                    run = NEG
                    for w in range(width):
                        offs = s * <double>w
                        run = acc[w] - offs if w == 0 else _logaddexp(run, acc[w] - offs)
                        acc[w] = run + offs
                for w in range(width):
                    v = NEG if lo[i] + w > m else acc[w]
                    acc[w] = NEG if v < NEG else v
    finally:
        free(P)


def backward_rows(list scores, const int64_t[::1] ta, const int64_t[::1] tb, const int64_t[::1] lo,
                  int64_t m, double inv, int64_t skip_k, double[:, ::1] bwd) -> None:
    """Log backward sums, from the last row up; ``bwd`` holds NEG and the end cell's 0."""
    cdef Py_ssize_t rows = bwd.shape[0], width = bwd.shape[1], nt = ta.shape[0]
    cdef const float **P = _planes(scores, rows, width)
    cdef float inv32 = <float>inv
    cdef Py_ssize_t i, r, k, w, u, d, top = width - 1
    cdef double cand, s, offs, run, v
    cdef double *acc
    cdef const float *sc
    try:
        with nogil:
            for i in range(rows - 1, -1, -1):
                acc = &bwd[i, 0]
                for k in range(nt):
                    r = i + ta[k]
                    if ta[k] == 0 or r >= rows:
                        continue
                    d = lo[i] + tb[k] - lo[r]
                    sc = P[k] + r * width
                    for w in range(width):
                        u = w + d
                        cand = bwd[r, u] + <double>(inv32 * sc[u]) if 0 <= u < width else NEG
                        acc[w] = _logaddexp(acc[w], cand)
                if skip_k >= 0:
                    # beta[w] = logaddexp(own[w], s + beta[w+1]): the forward chain, reversed
                    s = inv * <double>_row_max(P[skip_k] + i * width, width)
                    run = NEG
                    for u in range(width):
                        offs = s * <double>u
                        run = (acc[top - u] - offs if u == 0
                               else _logaddexp(run, acc[top - u] - offs))
                        acc[top - u] = run + offs
                for w in range(width):
                    v = NEG if lo[i] + w > m else acc[w]
                    acc[w] = NEG if v < NEG else v
    finally:
        free(P)


def posterior_plane(const float[:, ::1] plane, int64_t a, int64_t b, const int64_t[::1] lo,
                    double inv, const double[:, ::1] fwd, const double[:, ::1] bwd,
                    double total, float[:, ::1] out) -> None:
    """out[i, w]: posterior of a bead (a, b) ending at (i, lo[i]+w); rows before a untouched."""
    cdef Py_ssize_t rows = fwd.shape[0], width = fwd.shape[1]
    cdef float inv32 = <float>inv
    cdef Py_ssize_t i, w, u, d
    cdef double start, lp
    with nogil:
        for i in range(a, rows):
            d = lo[i] - b - lo[i - a]
            for w in range(width):
                u = w + d
                start = fwd[i - a, u] if 0 <= u < width else NEG
                lp = start + <double>(inv32 * plane[i, w]) + bwd[i, w] - total
                out[i, w] = <float>exp(lp if not lp > 0.0 else 0.0)
