"""Compiled loops of features.py: a side's units made into per-sentence key masks, and an
English sentence's words made into units. What the keys and units mean is documented in
features.py; these loops only do it with C integers for the bits and the C dict API.

A key is "tagged" when it reads ``x:...`` (``n:`` number, ``s:`` symbol, ``y:`` pinyin,
``p:`` punctuation); stems never have a colon second."""

from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.object cimport PyObject
from libc.stdint cimport uint64_t


cdef extern from "Python.h":
    PyObject* PyDict_SetDefault(object d, object key, object default) except NULL
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)


cdef inline bint _tagged(str k, Py_UCS4 a, Py_UCS4 b):
    # k[1:2] == ":" and k[0] in (a, b)
    if len(k) < 2 or k[1] != u":":
        return False
    return k[0] == a or k[0] == b


cdef inline void _mark(dict d, str k, object bit_obj, uint64_t bit):
    # d[k] |= bit; a new key (the usual case) costs one lookup
    cdef PyObject* old = PyDict_SetDefault(d, k, bit_obj)
    if old != <PyObject*>bit_obj:
        PyDict_SetItem(d, k, (<uint64_t>(<object>old)) | bit)


cdef inline void _check_length(units) except *:
    if len(units) > 64:
        raise ValueError(f"{len(units)} units in a sentence: the masks hold 64 (MAX_UNITS)")


def zh_masks(list all_units, dict learned, drop):
    """zh_from_units' loop: per sentence the key -> mask dict, the informative count and the
    anchor mask. ``learned`` may be empty, ``drop`` may be empty."""
    cdef list keys = [], counts = [], anchors = []
    cdef object units
    cdef dict d
    cdef str k
    cdef object ks, extra, info, bit_obj
    cdef PyObject* got
    cdef uint64_t bit, anchor
    cdef Py_ssize_t informative
    cdef bint has_anchor, has_untagged, use_learned = bool(learned), use_drop = bool(drop)
    cdef bint has_extra
    # whether a keys tuple holds an anchor, found once: the tuples of a word are shared by all
    # its occurrences and stay alive (in all_units) while their ids are used
    cdef dict anchor_of = {}
    for units in all_units:
        _check_length(units)
        d = {}
        informative = 0
        anchor = 0
        bit = 1
        for unit in units:
            word, ks, info = unit
            extra = ()
            if use_learned:
                got = PyDict_GetItem(learned, word)
                if got != NULL:
                    extra = <object>got
            has_extra = len(extra) > 0
            bit_obj = bit
            if use_drop:
                has_anchor = has_untagged = False
                for k in ks:
                    if not k in drop:
                        _mark(d, k, bit_obj, bit)
                        has_anchor |= _tagged(k, u"n", u"s")
                        has_untagged |= not _tagged(k, u"y", u"y")
                for k in extra:
                    if not k in drop:
                        _mark(d, k, bit_obj, bit)
                        has_anchor |= _tagged(k, u"n", u"s")
                        has_untagged |= not _tagged(k, u"y", u"y")
                if info and not has_untagged:
                    info = False  # every translation it had was a too-common word
            else:
                for k in ks:
                    _mark(d, k, bit_obj, bit)
                if has_extra:
                    has_anchor = False
                    for k in ks:
                        has_anchor |= _tagged(k, u"n", u"s")
                    for k in extra:
                        _mark(d, k, bit_obj, bit)
                        has_anchor |= _tagged(k, u"n", u"s")
                else:
                    got = PyDict_GetItem(anchor_of, id(ks))
                    if got != NULL:
                        has_anchor = <object>got
                    else:
                        has_anchor = False
                        for k in ks:
                            has_anchor |= _tagged(k, u"n", u"s")
                        anchor_of[id(ks)] = has_anchor
            if has_anchor:
                anchor |= bit
            if info or has_extra:
                informative += 1
            bit <<= 1
        keys.append(d)
        counts.append(informative)
        anchors.append(anchor)
    return keys, counts, anchors


def en_masks(list all_units, drop):
    """en_from_units' loop (and en_features' last step): per sentence the key -> mask dict,
    how many units kept a key and the anchor mask. ``drop`` may be empty."""
    cdef list keys = [], counts = [], anchors = []
    cdef object units
    cdef dict d
    cdef str k
    cdef object ks, bit_obj
    cdef uint64_t bit, anchor
    cdef Py_ssize_t count
    cdef bint kept, use_drop = bool(drop)
    for units in all_units:
        _check_length(units)
        d = {}
        count = 0
        anchor = 0
        bit = 1
        for ks in units:
            bit_obj = bit
            kept = False
            for k in ks:
                if use_drop and k in drop:
                    continue
                kept = True
                _mark(d, k, bit_obj, bit)
                if _tagged(k, u"n", u"s"):
                    anchor |= bit
            count += kept
            bit <<= 1
        keys.append(d)
        counts.append(count)
        anchors.append(anchor)
    return keys, counts, anchors


cdef inline object _cached(dict cache, object item, make):
    # make(item), computed once per distinct item (a cached None is an answer too)
    cdef PyObject* got = PyDict_GetItem(cache, item)
    if got != NULL:
        return <object>got
    value = make(item)
    cache[item] = value
    return value


def en_units(list words, dict kinds, kind_of, int content):
    """en_features' word loop: the units (lists of keys) of one sentence's words, in order.
    ``kinds`` caches ``kind_of(word)`` -> (what, keys, lower case); a content word's first key
    is its stem, a second (y:) marks it capitalised; a capitalised word after another one
    (not first in the sentence) also gives both the joined name key."""
    cdef list units = [], cap
    cdef tuple kind, ks
    cdef str w, low, prev_cap = None
    cdef bint first = True
    for w in words:
        kind = _cached(kinds, w, kind_of)
        ks = kind[1]
        if <int>kind[0] == content:
            if len(ks) == 2:  # capitalised
                cap = list(ks)
                if prev_cap is not None:
                    low = kind[2]
                    joined = "y:" + prev_cap + low
                    cap.append(joined)
                    (<list>units[len(units) - 1]).append(joined)
                prev_cap = None if first else kind[2]
                units.append(cap)
            else:
                prev_cap = None
                units.append(list(ks))
        else:
            prev_cap = None
            if ks:  # digits, number words; apostrophe words and function words have none
                units.append(list(ks))
        first = False
    return units


cdef inline void _add_cached(list units, items, dict cache, make) except *:
    # the unit of each item (None: no unit), made once per distinct item
    for item in items:
        unit = _cached(cache, item, make)
        if unit is not None:
            units.append(unit)


def zh_units(list tokens, list runs, list puncts, dict words, token_unit, dict ascii_units,
             ascii_unit, dict punct_units, Py_ssize_t max_units):
    """zh_features' loop: per sentence the units of its tokens, then of its ASCII runs, then
    of its punctuation marks, the first ``max_units`` kept. ``words`` and ``ascii_units``
    cache ``token_unit`` / ``ascii_unit`` by token."""
    cdef list out = [], units
    cdef Py_ssize_t s
    for s in range(len(tokens)):
        units = []
        _add_cached(units, tokens[s], words, token_unit)
        _add_cached(units, runs[s], ascii_units, ascii_unit)
        for ch in puncts[s]:
            units.append(punct_units[ch])
        if len(units) > max_units:
            del units[max_units:]
        out.append(units)
    return out


def non_space_chars(list texts, double[::1] out):
    """out[i] = len("".join(texts[i].split())): the characters that are not white space."""
    cdef Py_ssize_t i, n
    cdef str text
    cdef Py_UCS4 ch
    for i in range(len(texts)):
        text = texts[i]
        n = 0
        for ch in text:
            if not Py_UNICODE_ISSPACE(ch):
                n += 1
        out[i] = n
