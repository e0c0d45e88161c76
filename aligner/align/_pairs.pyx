"""Compiled loop of passes.learn_pairs: per bead, the Chinese words and English stems left
unexplained. Keys, units, words and stems arrive as integer ids; a bead marks its keys in a
stamp array (the bead's number), so each test is one array read and nothing is cleared."""

import numpy as np

from libc.stdint cimport int32_t, int64_t


def unexplained(const int64_t[::1] beads, const int64_t[::1] zoff, const int32_t[::1] zunit,
                const int64_t[::1] ukptr, const int32_t[::1] ukey, const int32_t[::1] uword,
                const int64_t[::1] eoff, const int32_t[::1] ekey,
                const int64_t[::1] soff, const int32_t[::1] stem, const int32_t[::1] skey,
                Py_ssize_t n_keys, Py_ssize_t n_words, Py_ssize_t n_stems):
    """``beads``: (i, j, a, b) rows flattened, the beads to count. zh sentence s owns units
    ``zunit[zoff[s]:zoff[s + 1]]``; unit u has keys ``ukey[ukptr[u]:ukptr[u + 1]]`` and word
    ``uword[u]`` (-1: too short to learn). En sentence t has keys ``ekey[eoff[t]:...]`` and
    stems ``stem[soff[t]:...]`` (the stem's key id ``skey``, -1 if no zh unit has it).
    Returns the words and stems left unexplained, bead by bead in order of first use, and
    how many of each every bead has."""
    cdef Py_ssize_t nb = beads.shape[0] // 4, q, s, t, p, r, u, i, j, a, b
    cdef int64_t mark
    en_at_a = np.zeros(max(n_keys, 1), dtype=np.int64)
    zh_at_a = np.zeros(max(n_keys, 1), dtype=np.int64)
    w_at_a = np.zeros(max(n_words, 1), dtype=np.int64)
    y_at_a = np.zeros(max(n_stems, 1), dtype=np.int64)
    xs_a = np.empty(zunit.shape[0], dtype=np.int32)
    ys_a = np.empty(stem.shape[0], dtype=np.int32)
    nx_a = np.zeros(nb, dtype=np.int64)
    ny_a = np.zeros(nb, dtype=np.int64)
    cdef int64_t[::1] en_at = en_at_a, zh_at = zh_at_a, w_at = w_at_a, y_at = y_at_a
    cdef int32_t[::1] xs = xs_a, ys = ys_a
    cdef int64_t[::1] nx = nx_a, ny = ny_a
    cdef Py_ssize_t px = 0, py = 0
    cdef bint explained
    with nogil:
        for q in range(nb):
            i, j, a, b = beads[4 * q], beads[4 * q + 1], beads[4 * q + 2], beads[4 * q + 3]
            mark = q + 1
            for t in range(j, j + b):
                for p in range(eoff[t], eoff[t + 1]):
                    en_at[ekey[p]] = mark
            for s in range(i, i + a):
                for p in range(zoff[s], zoff[s + 1]):
                    u = zunit[p]
                    explained = False
                    for r in range(ukptr[u], ukptr[u + 1]):
                        zh_at[ukey[r]] = mark
                        if en_at[ukey[r]] == mark:
                            explained = True
                    if uword[u] >= 0 and not explained and w_at[uword[u]] != mark:
                        w_at[uword[u]] = mark
                        xs[px] = uword[u]
                        px += 1
                        nx[q] += 1
            for t in range(j, j + b):
                for p in range(soff[t], soff[t + 1]):
                    if (skey[p] < 0 or zh_at[skey[p]] != mark) and y_at[stem[p]] != mark:
                        y_at[stem[p]] = mark
                        ys[py] = stem[p]
                        py += 1
                        ny[q] += 1
    return xs_a[:px].copy(), ys_a[:py].copy(), nx_a, ny_a


def zh_units(list all_units):
    """Each zh sentence's units as ids of distinct unit objects (a word's unit tuple is shared
    by its occurrences): (offsets, ids, the distinct units)."""
    cdef Py_ssize_t n = len(all_units), total = 0, s, p = 0
    cdef list units
    for s in range(n):
        total += len(<list>all_units[s])
    off_a = np.empty(n + 1, dtype=np.int64)
    ids_a = np.empty(total, dtype=np.int32)
    cdef int64_t[::1] off = off_a
    cdef int32_t[::1] ids = ids_a
    cdef dict seen = {}
    cdef list uniq = []
    off[0] = 0
    for s in range(n):
        units = all_units[s]
        for u in units:
            q = seen.get(id(u))
            if q is None:
                q = seen[id(u)] = len(uniq)
                uniq.append(u)
            ids[p] = q
            p += 1
        off[s + 1] = p
    return off_a, ids_a, uniq



cdef inline Py_ssize_t _intern(dict ids, object key) except -1:
    # the id of ``key`` in ``ids``, a new one (the next number) for a key not seen before
    q = ids.get(key)
    if q is None:
        q = ids[key] = len(ids)
    return q


def unit_keys(list uniq, dict vocab, dict words):
    """The distinct zh units' keys as ids in ``vocab`` (offsets, ids) and their words as ids
    in ``words`` (-1 for a single character); both dicts grow in order of first sight."""
    cdef Py_ssize_t n = len(uniq), total = 0, u, p = 0
    cdef tuple ks
    cdef str w
    for u in range(n):
        total += len(<tuple>(<tuple>uniq[u])[1])
    ptr_a = np.empty(n + 1, dtype=np.int64)
    key_a = np.empty(total, dtype=np.int32)
    word_a = np.empty(n, dtype=np.int32)
    cdef int64_t[::1] ptr = ptr_a
    cdef int32_t[::1] key = key_a, word = word_a
    ptr[0] = 0
    for u in range(n):
        w, ks = (<tuple>uniq[u])[0], (<tuple>uniq[u])[1]
        for k in ks:
            key[p] = _intern(vocab, k)
            p += 1
        ptr[u + 1] = p
        word[u] = _intern(words, w) if len(w) > 1 else -1
    return ptr_a, key_a, word_a

def en_stems(list all_units, dict names, dict vocab):
    """Each en sentence's stems (a unit's first key, if not a prefixed one): offsets, stem ids
    (``names`` grows) and their key ids in ``vocab`` (-1: not a key of the other side)."""
    cdef Py_ssize_t n = len(all_units), total = 0, s, p = 0
    cdef list units
    cdef str y
    for s in range(n):
        total += len(<list>all_units[s])
    off_a = np.empty(n + 1, dtype=np.int64)
    stem_a = np.empty(total, dtype=np.int32)
    key_a = np.empty(total, dtype=np.int32)
    cdef int64_t[::1] off = off_a
    cdef int32_t[::1] stem = stem_a, key = key_a
    off[0] = 0
    for s in range(n):
        units = all_units[s]
        for ks in units:
            if not ks:
                continue
            y = ks[0]
            if y[1:2] == ":":
                continue
            stem[p] = _intern(names, y)
            key[p] = vocab.get(y, -1)
            p += 1
        off[s + 1] = p
    return off_a, stem_a[:p].copy(), key_a[:p].copy()


def compete(const int64_t[::1] rank, const int64_t[::1] head, const int64_t[::1] count,
            const int64_t[::1] members, const int64_t[::1] xpos, const int64_t[::1] ypos,
            Py_ssize_t n_x, Py_ssize_t n_y):
    """Competitive linking. Pair p's candidate links are ``members[head[p]:head[p] +
    count[p]]``, each an index into ``xpos`` / ``ypos`` (the word's and the stem's occurrence
    in one bead's lists); the pairs are taken best first in ``rank``, and a candidate is linked
    if neither occurrence is linked yet. Returns the links each pair got."""
    cdef Py_ssize_t n = rank.shape[0], q, r, p, k
    used_x_a = np.zeros(max(n_x, 1), dtype=np.uint8)
    used_y_a = np.zeros(max(n_y, 1), dtype=np.uint8)
    links_a = np.zeros(n, dtype=np.int64)
    cdef unsigned char[::1] used_x = used_x_a, used_y = used_y_a
    cdef int64_t[::1] links = links_a
    with nogil:
        for q in range(n):
            p = rank[q]
            for r in range(head[p], head[p] + count[p]):
                k = members[r]
                if not used_x[xpos[k]] and not used_y[ypos[k]]:
                    used_x[xpos[k]] = 1
                    used_y[ypos[k]] = 1
                    links[p] += 1
    return links_a
