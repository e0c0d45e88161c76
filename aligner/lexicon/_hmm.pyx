"""Compiled loop of segmenter._Hmm: jieba's BMES Viterbi (finalseg) over a run of Han
characters, and the words its tags make. The sums are jieba's, added in its order in C
doubles (Python's floats), and ties go as jieba's max over (probability, state) breaks them:
to the later letter of "BEMS"."""

from libc.stdlib cimport free, malloc


def cut_han(str text, dict eb, dict em, dict ee, dict es, tuple start, tuple trans):
    """The words of ``text`` as jieba's HMM cuts it. ``eb`` ... ``es``: character -> emission
    log-probability in state B, M, E, S; ``start``: the four start log-probabilities (B, M, E,
    S); ``trans``: the eight possible transitions E->B, S->B, M->M, B->M, S->S, E->S, B->E,
    M->E."""
    cdef Py_ssize_t n = len(text), i, begin, nexti
    cdef double low = -3.14e100  # jieba's MIN_FLOAT, for a character a state never emits
    cdef double t_eb = trans[0], t_sb = trans[1], t_mm = trans[2], t_bm = trans[3]
    cdef double t_ss = trans[4], t_es = trans[5], t_be = trans[6], t_me = trans[7]
    cdef double vb, vm, ve, vs, b1, b2, m1, m2, e1, e2, s1, s2, xb, xm, xe, xs
    cdef char state, prev
    # per character: the state before it on the best path into B, M, E, S (from the second)
    cdef char *back
    cdef list out = []
    if n == 0:  # (text[0] below is not bounds-checked)
        return out
    back = <char *> malloc(4 * n)
    if back == NULL:
        raise MemoryError()
    try:
        c = text[0]
        vb = <double> start[0] + <double> eb.get(c, low)
        vm = <double> start[1] + <double> em.get(c, low)
        ve = <double> start[2] + <double> ee.get(c, low)
        vs = <double> start[3] + <double> es.get(c, low)
        for i in range(1, n):
            c = text[i]
            xb, xm = eb.get(c, low), em.get(c, low)
            xe, xs = ee.get(c, low), es.get(c, low)
            b1, b2 = ve + t_eb + xb, vs + t_sb + xb
            m1, m2 = vm + t_mm + xm, vb + t_bm + xm
            e1, e2 = vb + t_be + xe, vm + t_me + xe
            s1, s2 = vs + t_ss + xs, ve + t_es + xs
            back[4 * i] = b'E' if b1 > b2 else b'S'
            back[4 * i + 1] = b'M' if m1 >= m2 else b'B'
            back[4 * i + 2] = b'B' if e1 > e2 else b'M'
            back[4 * i + 3] = b'S' if s1 >= s2 else b'E'
            vb = b1 if b1 > b2 else b2
            vm = m1 if m1 >= m2 else m2
            ve = e1 if e1 > e2 else e2
            vs = s1 if s1 >= s2 else s2
        # the tags, last to first, each written over its character's B slot once read
        state = b'E' if ve > vs else b'S'
        for i in range(n - 1, -1, -1):
            prev = back[4 * i + (0 if state == b'B' else 1 if state == b'M' else
                                 2 if state == b'E' else 3)] if i else 0
            back[4 * i] = state
            state = prev
        begin = nexti = 0
        for i in range(n):
            state = back[4 * i]
            if state == b'B':
                begin = i
            elif state == b'E':
                out.append(text[begin:i + 1])
                nexti = i + 1
            elif state == b'S':
                out.append(text[i])
                nexti = i + 1
        if nexti < n:
            out.append(text[nexti:])
        return out
    finally:
        free(back)
