# distutils: extra_compile_args = -ffp-contract=off
"""Compiled loops of the bead scorer (passes._Scorer): sentence keys as flat arrays, the
match masks of every sentence pair in the band, and each bead type's static score plane.

The float arithmetic runs operation by operation in the order and precision of the numpy
expressions the scorer was first written in (float32 where numpy kept float32, float64
where a Python float met a boolean array), so compiling it moved no score by a bit;
``-ffp-contract=off`` keeps the compiler from fusing a multiply and an add into one rounding.
"""

import numpy as np

from libc.math cimport fabs, log, sqrtf
from libc.stdint cimport int32_t, int64_t, uint64_t


cdef extern from *:
    """
    /* every x86-64 CPU since 2008 counts bits in one instruction; gcc's builtin is a
       library call unless told it may use it */
    #if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
    #pragma GCC target("popcnt")
    #endif
    """
    int popcount "__builtin_popcountll"(unsigned long long) nogil

cdef enum:
    MAXS = 8  # most sentences on one side of a bead type the loops handle


def flatten(list keys, dict vocab, bint grow):
    """One side's key dicts as CSR arrays: sentence s owns ``ids[off[s]:off[s + 1]]`` (ids
    from ``vocab``) and their unit masks. ``grow``: give unseen keys new ids; otherwise drop
    them (a key the other side never has can never match)."""
    cdef Py_ssize_t n = len(keys), total = 0, p = 0, s
    cdef dict d
    for s in range(n):
        d = keys[s]  # checked: a dict per sentence
        total += len(d)
    off_a = np.empty(n + 1, dtype=np.int64)
    ids_a = np.empty(total, dtype=np.int32)
    masks_a = np.empty(total, dtype=np.uint64)
    cdef int64_t[::1] off = off_a
    cdef int32_t[::1] ids = ids_a
    cdef uint64_t[::1] masks = masks_a
    off[0] = 0
    for s in range(n):
        d = keys[s]
        for k, v in d.items():
            kid = vocab.get(k)
            if kid is None:
                if not grow:
                    continue
                kid = len(vocab)
                vocab[k] = kid
            ids[p] = kid
            masks[p] = <uint64_t>v
            p += 1
        off[s + 1] = p
    return off_a, ids_a[:p].copy(), masks_a[:p].copy()


def pair_masks(const int64_t[::1] zoff, const int32_t[::1] zid, const uint64_t[::1] zmask,
               const int64_t[::1] eoff, const int32_t[::1] eid, const uint64_t[::1] emask,
               const int64_t[::1] lo, Py_ssize_t width, Py_ssize_t n_vocab):
    """zm[s, w], em[s, w]: the units of zh sentence s and of en sentence lo[s] + w whose keys
    the other sentence has too (0 past the last en sentence)."""
    cdef Py_ssize_t n = zoff.shape[0] - 1, m = eoff.shape[0] - 1
    zm_a = np.zeros((n, width), dtype=np.uint64)
    em_a = np.zeros((n, width), dtype=np.uint64)
    if n == 0 or width == 0:
        return zm_a, em_a
    dense_a = np.zeros(max(n_vocab, 1), dtype=np.uint64)
    cdef uint64_t[:, ::1] zm = zm_a
    cdef uint64_t[:, ::1] em = em_a
    cdef uint64_t[::1] dense = dense_a  # the zh sentence's masks by key id, 0: not in it
    cdef Py_ssize_t s, w, t, p
    cdef uint64_t a, b, z
    with nogil:
        for s in range(n):
            if zoff[s] == zoff[s + 1]:
                continue
            for p in range(zoff[s], zoff[s + 1]):
                dense[zid[p]] = zmask[p]
            for w in range(width):
                t = lo[s] + w
                if t >= m:
                    break
                a = 0
                b = 0
                for p in range(eoff[t], eoff[t + 1]):
                    z = dense[eid[p]]
                    if z:
                        a |= z
                        b |= emask[p]
                zm[s, w] = a
                em[s, w] = b
            for p in range(zoff[s], zoff[s + 1]):
                dense[zid[p]] = 0
    return zm_a, em_a


cdef inline uint64_t _at(const uint64_t* arr, const int64_t* lo, Py_ssize_t rows,
                         Py_ssize_t width, Py_ssize_t s, Py_ssize_t t) noexcept nogil:
    """arr[s, t - lo[s]] of a banded (rows, width) mask plane; 0 outside the band (no match
    known there)."""
    cdef Py_ssize_t c
    if s < 0 or s >= rows or t < 0:
        return 0
    c = t - lo[s]
    if c < 0 or c >= width:
        return 0
    return arr[s * width + c]


def static_planes(const uint64_t[:, ::1] zm, const uint64_t[:, ::1] em,
                  const int64_t[::1] lo, Py_ssize_t width, Py_ssize_t m,
                  const int64_t[::1] types_a, const int64_t[::1] types_b,
                  const uint64_t[::1] z_anchor, const uint64_t[::1] e_anchor,
                  const int32_t[::1] z_units, const int32_t[::1] e_units,
                  const int64_t[::1] zu, const int64_t[::1] eu,
                  const int64_t[::1] z_group, const int64_t[::1] e_group,
                  const unsigned char[::1] z_quote, const unsigned char[::1] e_quote,
                  const unsigned char[::1] z_gap, const unsigned char[::1] e_gap,
                  const int64_t[::1] z_speech, const int64_t[::1] e_tag,
                  float w_lex, float lam, float smooth, float w_lost, float w_part,
                  float w_cross, double w_none, double w_quote, double w_tag, float skip,
                  float w_gap,
                  int max_run, float neg):
    """The part of every bead type's score that does not change between passes, as one
    float32 (n + 1, width) plane per type; cell (i, w) is the bead ending at zh i, en
    lo[i] + w. ``z_group`` / ``e_group`` empty: no paragraphs; ``*_gap`` empty: no gaps;
    ``z_speech`` / ``e_tag`` (prefix counts of sentences opening speech / naming a speaker
    after a quotation) empty: no speech-tag cue.

    The unions of match bits a bead needs are prefix ORs: the bits of zh sentence i - da
    matched in a bead of b English sentences are those matched in one of b - 1 plus the
    pair (i - da, j - b), so each pair mask is read once per cell, not once per bead type."""
    cdef Py_ssize_t n = lo.shape[0] - 1, n_types = types_a.shape[0]
    cdef Py_ssize_t k, i, w, j, da, db, a, b
    cdef int max_a = 0, max_b = 0
    cdef int reach_z[MAXS + 1]  # reach_z[da]: most English sentences beside zh i - da
    cdef int reach_e[MAXS + 1]
    cdef int share_z[MAXS + 1]  # share_z[da]: most English sentences beside zh i - da in a
    cdef int share_e[MAXS + 1]  # bead with more than one zh sentence (its share is needed)
    cdef int ta[32]
    cdef int tb[32]
    # per cell, for zh sentence i - da beside English j-db .. j-1: its units matched, its
    # anchors left without a partner, and the share of its units matched (1: no units);
    # the same for en sentence j - db beside zh i-da .. i-1 (indexed [db][da])
    cdef int z_got[MAXS + 1][MAXS + 1]
    cdef int z_lost[MAXS + 1][MAXS + 1]
    cdef float z_share[MAXS + 1][MAXS + 1]
    cdef int e_got[MAXS + 1][MAXS + 1]
    cdef int e_lost[MAXS + 1][MAXS + 1]
    cdef float e_share[MAXS + 1][MAXS + 1]
    cdef int got_i, lost_i, g
    cdef uint64_t anchor
    cdef int units
    cdef const uint64_t* row
    cdef Py_ssize_t c0
    cdef int kind[32]  # 0: skip, 1: not allowed, 2: scored
    cdef bint has_zg = z_group.shape[0] > 0, has_eg = e_group.shape[0] > 0
    cdef bint has_zgap = z_gap.shape[0] > 0, has_egap = e_gap.shape[0] > 0
    cdef bint has_tag = z_speech.shape[0] > 0 and e_tag.shape[0] > 0 and w_tag != 0
    cdef float cz, ce, lost, part, nz, ne, st, lm
    cdef float s_part = 0.2
    cdef double v
    cdef uint64_t acc
    cdef bint valid
    if n_types > 32:
        raise ValueError("too many bead types")
    for da in range(MAXS + 1):
        reach_z[da] = 0
        reach_e[da] = 0
        share_z[da] = 0
        share_e[da] = 0
    for k in range(n_types):
        a, b = types_a[k], types_b[k]
        ta[k], tb[k] = a, b
        if a > MAXS or b > MAXS:
            raise ValueError("bead type too long for the compiled scorer")
        if not (a and b):
            kind[k] = 0
        elif max(a, b) > max_run:
            kind[k] = 1
        else:
            kind[k] = 2
            max_a, max_b = max(max_a, a), max(max_b, b)
            for da in range(1, a + 1):
                reach_z[da] = max(reach_z[da], b)
                if a > 1:
                    share_z[da] = max(share_z[da], b)
            for db in range(1, b + 1):
                reach_e[db] = max(reach_e[db], a)
                if b > 1:
                    share_e[db] = max(share_e[db], a)
    planes_a = np.empty((n_types, n + 1, width), dtype=np.float32)
    cdef float[:, :, ::1] out = planes_a
    cdef Py_ssize_t rows = zm.shape[0], plane = (n + 1) * width
    cdef const uint64_t* zp = &zm[0, 0] if rows and width else NULL
    cdef const uint64_t* ep = &em[0, 0] if rows and width else NULL
    cdef const int64_t* lp = &lo[0]
    cdef float* op = &out[0, 0, 0] if plane and n_types else NULL
    with nogil:
        for i in range(n + 1):
            for w in range(width):
                j = lo[i] + w
                if j > m:
                    for k in range(n_types):
                        op[k * plane + i * width + w] = neg
                    continue
                for da in range(1, max_a + 1):
                    if i - da < 0:
                        break
                    acc = 0
                    anchor = z_anchor[i - da]
                    units = z_units[i - da]
                    # zh i - da's row of the band: column c holds en lo[i - da] + c
                    row = zp + (i - da) * width
                    c0 = j - lp[i - da]
                    for db in range(1, reach_z[da] + 1):
                        if 0 <= c0 - db < width:
                            acc |= row[c0 - db]
                        g = popcount(acc)
                        z_got[da][db] = g
                        z_lost[da][db] = popcount(anchor & ~acc)
                        if db <= share_z[da]:
                            z_share[da][db] = <float>g / <float>units if units > 0 else 1
                for db in range(1, max_b + 1):
                    if j - db < 0:
                        break
                    acc = 0
                    anchor = e_anchor[j - db]
                    units = e_units[j - db]
                    for da in range(1, reach_e[db] + 1):
                        if i - da >= 0 and 0 <= j - db - lp[i - da] < width:
                            acc |= ep[(i - da) * width + j - db - lp[i - da]]
                        g = popcount(acc)
                        e_got[db][da] = g
                        e_lost[db][da] = popcount(anchor & ~acc)
                        if da <= share_e[db]:
                            e_share[db][da] = <float>g / <float>units if units > 0 else 1
                for k in range(n_types):
                    a, b = ta[k], tb[k]
                    valid = i - a >= 0 and j - b >= 0 and j <= m
                    if not valid or kind[k] == 1:
                        op[k * plane + i * width + w] = neg
                        continue
                    if kind[k] == 0:
                        # a 1-0 / 0-1 bead; cheaper where the coarse pass saw a passage
                        # missing on the other side
                        st = skip
                        if (a and has_zgap and z_gap[i - 1]) or (b and has_egap and e_gap[j - 1]):
                            st = st + w_gap
                        op[k * plane + i * width + w] = st
                        continue
                    # counts are small integers: exact in float32 in any order
                    got_i = 0
                    lost_i = 0
                    part = 1
                    for da in range(1, a + 1):
                        got_i += z_got[da][b]
                        lost_i += z_lost[da][b]
                        if a > 1 and z_share[da][b] < part:
                            part = z_share[da][b]
                    cz = <float>got_i
                    got_i = 0
                    for db in range(1, b + 1):
                        got_i += e_got[db][a]
                        lost_i += e_lost[db][a]
                        if b > 1 and e_share[db][a] < part:
                            part = e_share[db][a]
                    ce = <float>got_i
                    lost = <float>lost_i
                    nz = <float>(zu[i] - zu[i - a])
                    ne = <float>(eu[j] - eu[j - b])
                    # lexical coverage of the bead as one unit, both directions
                    st = w_lex * (cz + lam * ce) / (nz + lam * ne + smooth)
                    if w_cross != 0 and a == 2 and b == 2:
                        # what a split into two 1-1 beads would lose: units matched only
                        # across the bead's diagonal
                        lm = <float>(
                            popcount(_at(zp, lp, rows, width, i - 2, j - 1)
                                     & ~_at(zp, lp, rows, width, i - 2, j - 2))
                            + popcount(_at(zp, lp, rows, width, i - 1, j - 2)
                                       & ~_at(zp, lp, rows, width, i - 1, j - 1))
                            + popcount(_at(ep, lp, rows, width, i - 1, j - 2)
                                       & ~_at(ep, lp, rows, width, i - 2, j - 2))
                            + popcount(_at(ep, lp, rows, width, i - 2, j - 1)
                                       & ~_at(ep, lp, rows, width, i - 1, j - 1)))
                        st = st + w_cross * lm / (nz + ne + smooth)
                    if w_none != 0:
                        # nothing matched although both sides had words to match: more
                        # likely two unrelated sentences than a translation
                        lm = nz if nz < ne else ne
                        lm = 0 if lm < 0 else (4 if lm > 4 else lm)
                        v = w_none * (1.0 if cz + ce == 0 else 0.0) * <double>lm / 4.0
                        st = <float>(<double>st - v)
                    # numbers and symbols left without a partner inside the bead speak
                    # against it; so does a merged sentence with no evidence at all (more
                    # likely a deletion)
                    st = st - w_lost * (lost if lost < 3 else <float>3)
                    if a > 1 or b > 1:
                        st = st + w_part * ((part if part < s_part else s_part) - s_part)
                    # a bead should not straddle a paragraph / speaker-turn boundary
                    if has_zg and a > 1 and z_group[i - 1] != z_group[i - a]:
                        st = <float>(<double>st - 0.5)
                    if has_eg and b > 1 and e_group[j - 1] != e_group[j - b]:
                        st = <float>(<double>st - 0.5)
                    # dialogue: a boundary right after a closing quotation mark on one
                    # side only is more likely misplaced, whatever the words say
                    if z_quote[i] != e_quote[j]:
                        st = <float>(<double>st - w_quote)
                    # a speech tag ("...,' he said.") belongs with the Chinese sentence
                    # that introduces the speech, not with one that continues it
                    if has_tag and e_tag[j] != e_tag[j - b] and z_speech[i] == z_speech[i - a]:
                        st = <float>(<double>st - w_tag)
                    op[k * plane + i * width + w] = st
    return list(planes_a)


def bead_counts(const int64_t[::1] zoff, const int32_t[::1] zid, const uint64_t[::1] zmask,
                const int64_t[::1] eoff, const int32_t[::1] eid, const uint64_t[::1] emask,
                Py_ssize_t n_vocab, const int32_t[::1] z_units, const int32_t[::1] e_units,
                const uint64_t[::1] z_anchor, const uint64_t[::1] e_anchor,
                const int64_t[::1] path_a, const int64_t[::1] path_b):
    """What passes.bead_evidence, _spill and _stray count for every bead of a path, from the
    flat keys: per bead the units matched on each side, anchors left without a partner, the
    smallest share of a sentence's units matched (-1: no sentence has units), the spill of
    its evidence into the sentences just outside it (en, zh), how many of its sentences
    match a neighbour better than their own bead, and the edge evidence (the smallest, over
    its first and last sentence of each side, of the share matched in the bead minus the
    share matched in the sentence just across that boundary; 0 for a bead with an empty
    side)."""
    cdef Py_ssize_t n = zoff.shape[0] - 1, m = eoff.shape[0] - 1, q, beads = path_a.shape[0]
    cdef Py_ssize_t i = 0, j = 0, a, b, s, t, p, x, y, z0, z1, e0, e1
    cz_a = np.zeros(beads, dtype=np.int64)
    ce_a = np.zeros(beads, dtype=np.int64)
    lost_a = np.zeros(beads, dtype=np.int64)
    stray_a = np.zeros(beads, dtype=np.int64)
    part_a = np.zeros(beads, dtype=np.float64)
    spill_en_a = np.zeros(beads, dtype=np.float64)
    spill_zh_a = np.zeros(beads, dtype=np.float64)
    edge_a = np.zeros(beads, dtype=np.float64)
    cdef double[::1] edge = edge_a
    cdef int64_t[::1] cz = cz_a, ce = ce_a, lost = lost_a, stray = stray_a
    cdef double[::1] part = part_a, spill_en = spill_en_a, spill_zh = spill_zh_a
    dense_a = np.zeros(max(n_vocab, 1), dtype=np.uint64)
    zmark_a = np.zeros(max(n_vocab, 1), dtype=np.uint8)
    emark_a = np.zeros(max(n_vocab, 1), dtype=np.uint8)
    cdef uint64_t[::1] dense = dense_a
    cdef unsigned char[::1] zmark = zmark_a, emark = emark_a
    # sentence pairs of the bead and its neighbours: zh i-1 .. i+a, en j-1 .. j+b
    cdef uint64_t zor[MAXS + 2]
    cdef uint64_t eor[MAXS + 2]
    cdef int ov[MAXS + 2][MAXS + 2]
    # of ov, the Chinese units (oz) and the English words (oe) matched
    cdef int oz[MAXS + 2][MAXS + 2]
    cdef int oe[MAXS + 2][MAXS + 2]
    cdef double inn, ev
    cdef uint64_t ma, mb, zv
    cdef double best, share, hit
    cdef int inside, outside
    cdef bint has_part
    for q in range(beads):
        if path_a[q] > MAXS or path_b[q] > MAXS:
            raise ValueError("bead too long for the compiled counts")
    with nogil:
        for q in range(beads):
            a, b = path_a[q], path_b[q]
            for x in range(a + 2):
                zor[x] = 0
                for y in range(b + 2):
                    ov[x][y] = 0
                    oz[x][y] = 0
                    oe[x][y] = 0
            for y in range(b + 2):
                eor[y] = 0
            # x = s - i + 1, y = t - j + 1: 0 and a + 1 / b + 1 are the neighbours
            z0 = i - 1 if i > 0 else i
            z1 = i + a + 1 if i + a < n else i + a
            e0 = j - 1 if j > 0 else j
            e1 = j + b + 1 if j + b < m else j + b
            for s in range(z0, z1):
                for p in range(zoff[s], zoff[s + 1]):
                    dense[zid[p]] = zmask[p]
                for t in range(e0, e1):
                    if not (i <= s < i + a or j <= t < j + b):
                        continue
                    ma = 0
                    mb = 0
                    for p in range(eoff[t], eoff[t + 1]):
                        zv = dense[eid[p]]
                        if zv:
                            ma |= zv
                            mb |= emask[p]
                    ov[s - i + 1][t - j + 1] = popcount(ma) + popcount(mb)
                    oz[s - i + 1][t - j + 1] = popcount(ma)
                    oe[s - i + 1][t - j + 1] = popcount(mb)
                    if i <= s < i + a and j <= t < j + b:
                        zor[s - i + 1] |= ma
                        eor[t - j + 1] |= mb
                for p in range(zoff[s], zoff[s + 1]):
                    dense[zid[p]] = 0
            has_part = False
            best = 0
            for s in range(i, i + a):
                x = s - i + 1
                cz[q] += popcount(zor[x])
                lost[q] += popcount(z_anchor[s] & ~zor[x])
                if z_units[s]:
                    share = <double>popcount(zor[x]) / <double>z_units[s]
                    if not has_part or share < best:
                        best = share
                    has_part = True
            for t in range(j, j + b):
                y = t - j + 1
                ce[q] += popcount(eor[y])
                lost[q] += popcount(e_anchor[t] & ~eor[y])
                if e_units[t]:
                    share = <double>popcount(eor[y]) / <double>e_units[t]
                    if not has_part or share < best:
                        best = share
                    has_part = True
            part[q] = best if has_part else -1
            if a and b:
                for s in range(i, i + a):
                    inside = 0
                    outside = 0
                    for t in range(e0, e1):
                        if j <= t < j + b:
                            inside = max(inside, ov[s - i + 1][t - j + 1])
                        else:
                            outside = max(outside, ov[s - i + 1][t - j + 1])
                    stray[q] += outside > inside
                for t in range(j, j + b):
                    inside = 0
                    outside = 0
                    for s in range(z0, z1):
                        if i <= s < i + a:
                            inside = max(inside, ov[s - i + 1][t - j + 1])
                        else:
                            outside = max(outside, ov[s - i + 1][t - j + 1])
                    stray[q] += outside > inside
                # edge sentences: the share of the first / last sentence of each side
                # matched in the bead minus the share matched in the sentence just across
                # that boundary on the other side (0 for a sentence without units)
                ev = 1e9
                for x in range(2):
                    s = i if x == 0 else i + a - 1
                    y = 0 if x == 0 else b + 1
                    inn = 0
                    if z_units[s]:
                        inn = (popcount(zor[s - i + 1])
                               - oz[s - i + 1][y]) / <double>z_units[s]
                    ev = min(ev, inn)
                    t = j if x == 0 else j + b - 1
                    y = 0 if x == 0 else a + 1
                    inn = 0
                    if e_units[t]:
                        inn = (popcount(eor[t - j + 1])
                               - oe[y][t - j + 1]) / <double>e_units[t]
                    ev = min(ev, inn)
                edge[q] = ev
            # spill: the bead's keys of one side found in the other side's neighbours
            for s in range(i, i + a):
                for p in range(zoff[s], zoff[s + 1]):
                    zmark[zid[p]] = 1
            for t in range(j, j + b):
                for p in range(eoff[t], eoff[t + 1]):
                    emark[eid[p]] = 1
            for x in range(2):
                t = j - 1 if x == 0 else j + b
                if 0 <= t < m and e_units[t]:
                    hit = 0
                    for p in range(eoff[t], eoff[t + 1]):
                        if zmark[eid[p]]:
                            hit += popcount(emask[p])
                    hit = hit / <double>e_units[t]
                    spill_en[q] = max(spill_en[q], min(hit, 1.0))
            for x in range(2):
                s = i - 1 if x == 0 else i + a
                if 0 <= s < n and z_units[s]:
                    ma = 0
                    for p in range(zoff[s], zoff[s + 1]):
                        if emark[zid[p]]:
                            ma |= zmask[p]
                    hit = <double>popcount(ma) / <double>z_units[s]
                    spill_zh[q] = max(spill_zh[q], min(hit, 1.0))
            for s in range(i, i + a):
                for p in range(zoff[s], zoff[s + 1]):
                    zmark[zid[p]] = 0
            for t in range(j, j + b):
                for p in range(eoff[t], eoff[t + 1]):
                    emark[eid[p]] = 0
            i += a
            j += b
    return cz_a, ce_a, lost_a, part_a, spill_en_a, spill_zh_a, stray_a, edge_a


def add_length(float[:, ::1] s, const float[::1] lz, const double[::1] cum,
               const int64_t[::1] lo, Py_ssize_t b, double ratio, double var, double w_len):
    """Add the Gale-Church length term of a bead of b English sentences to its score plane
    ``s`` in place: ``w_len * (log P(|Z| >= |delta|) + 1)``, delta the English length's
    deviation from ``ratio`` x the Chinese one ``lz`` (per row) scaled by ``var``. The tail
    is erfc by Abramowitz & Stegun 7.1.26 (error < 1.5e-7) in its log form, which never
    underflows."""
    cdef Py_ssize_t n = s.shape[0], width = s.shape[1], m = cum.shape[0] - 1, i, w, j, j0
    cdef float r = <float>ratio, v = <float>var, le, dev
    cdef double x, t, poly
    with nogil:
        for i in range(n):
            for w in range(width):
                j = lo[i] + w
                if j > m:
                    j = m
                j0 = j - b
                if j0 < 0:
                    j0 = 0
                le = <float>(cum[j] - cum[j0])
                # float32, as the plane: the deviation and its scale
                dev = (le - r * lz[i]) / sqrtf(v * (lz[i] + le / r) / <float>2 + <float>1)
                x = fabs(<double>dev) / 1.4142135623730951
                t = 1.0 / (1.0 + 0.3275911 * x)
                poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                                                                 + t * (-1.453152027
                                                                        + t * 1.061405429))))
                s[i, w] = s[i, w] + <float>(w_len * ((log(poly) - x * x) + 1.0))
