"""The compiled scorer (aligner/align/_score.pyx) against a plain-Python reference written
here, on small random features: pair masks, and every bead type's static score plane."""

import math
from collections.abc import Sequence

import numpy as np
import pytest

from aligner.align import features as A
from aligner.align import passes as AL

KEYS = [f"k{x}" for x in range(12)] + ["n:7", "s:a/1", "p:?"]


def _side(rng, count: int, only: set[str] = frozenset()) -> A.SideFeatures:
    keys = []
    for _ in range(count):
        d = {}
        for k in rng.choice(KEYS, size=rng.integers(0, 6), replace=False):
            if k not in only:
                d[str(k)] = int(rng.integers(1, 2**63, dtype=np.uint64))
        keys.append(d)
    units = np.array([len(d) + int(rng.integers(0, 3)) for d in keys], dtype=np.int32)
    units[rng.random(count) < 0.2] = 0
    return A.SideFeatures(keys, units, rng.integers(5, 60, count).astype(np.float64),
                          A._anchor_bits(keys))


def _band(rng, n: int, m: int, width: int) -> np.ndarray:
    lo = np.clip(np.arange(n + 1) * m // max(n, 1) - width // 2 + rng.integers(-2, 3, n + 1),
                 0, m + 1 - width)
    return np.maximum.accumulate(lo).astype(np.int64)


def _masks(zk: dict, ek: dict) -> tuple[int, int]:
    a = b = 0
    for k in zk:
        if k in ek:
            a |= zk[k]
            b |= ek[k]
    return a, b


def _reference(zf, ef, lo, width, zg, tg, o) -> dict:
    """Every bead type's static score at every band cell, straight from the definitions."""
    n, m = len(zf.keys), len(ef.keys)

    def match(s, t):  # no match is known outside the band of row s
        if 0 <= s < n and 0 <= t - lo[s] < width and t < m:
            return _masks(zf.keys[s], ef.keys[t])
        return 0, 0

    zq = [False, *o["_quote_ends"][0]]
    eq = [False, *o["_quote_ends"][1]]
    zsp, etag = o["_speech"]
    out = {}
    for a, b in AL.BEAD_TYPES:
        plane = np.full((n + 1, width), AL.NEG32, dtype=np.float64)
        for i in range(a, n + 1):
            for w in range(width):
                j = int(lo[i]) + w
                if j < b or j > m:
                    continue
                if not (a and b):
                    gap = o["_gaps"][0][i - 1] if a else o["_gaps"][1][j - 1]
                    plane[i, w] = o["skip"] + o["w_gap"] * gap
                    continue
                if max(a, b) > o["max_run"]:
                    continue
                zs, es = range(i - a, i), range(j - b, j)
                zor = {s: 0 for s in zs}
                eor = {t: 0 for t in es}
                for s in zs:
                    for t in es:
                        x, y = match(s, t)
                        zor[s] |= x
                        eor[t] |= y
                cz = sum(v.bit_count() for v in zor.values())
                ce = sum(v.bit_count() for v in eor.values())
                nz = sum(int(zf.n_units[s]) for s in zs)
                ne = sum(int(ef.n_units[t]) for t in es)
                lost = sum((int(zf.anchor_bits[s]) & ~v).bit_count() for s, v in zor.items())
                lost += sum((int(ef.anchor_bits[t]) & ~v).bit_count() for t, v in eor.items())
                shares = [zor[s].bit_count() / zf.n_units[s] for s in zs
                          if a > 1 and zf.n_units[s]]
                shares += [eor[t].bit_count() / ef.n_units[t] for t in es
                           if b > 1 and ef.n_units[t]]
                lam = o["en_weight"]
                st = (cz + lam * ce) / (nz + lam * ne + o["smooth"])
                if (a, b) == (2, 2):
                    # units matched only across the diagonal of the 2-2 bead
                    cross = sum((match(*p)[0] & ~match(*q)[0]).bit_count()
                                for p, q in (((i - 2, j - 1), (i - 2, j - 2)),
                                             ((i - 1, j - 2), (i - 1, j - 1))))
                    cross += sum((match(*p)[1] & ~match(*q)[1]).bit_count()
                                 for p, q in (((i - 1, j - 2), (i - 2, j - 2)),
                                              ((i - 2, j - 1), (i - 1, j - 1))))
                    st += o["w_cross"] * cross / (nz + ne + o["smooth"])
                if cz + ce == 0:
                    st -= o["w_none"] * min(max(min(nz, ne), 0), 4) / 4
                st -= o["w_lost"] * min(lost, 3)
                if a > 1 or b > 1:
                    st += o["w_part"] * (min(1.0, 0.2, *shares) - 0.2)
                if a > 1 and zg[i - 1] != zg[i - a]:
                    st -= 0.5
                if b > 1 and tg[j - 1] != tg[j - b]:
                    st -= 0.5
                st -= o["_w_quote"] * (zq[i] != eq[j])
                st -= o["_w_tag"] * (any(etag[t] for t in es) and not any(zsp[s] for s in zs))
                plane[i, w] = st
        out[(a, b)] = plane
    return out


@pytest.mark.parametrize("seed", range(4))
def test_compiled_pair_masks_and_static_planes_match_the_reference(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(8, 20)), int(rng.integers(8, 24))
    # some Chinese keys the English side never has: they must never match
    zf, ef = _side(rng, n), _side(rng, m, only={"k11"})
    width = int(rng.integers(4, 9))
    lo = _band(rng, n, m, width)
    zm, em = A.pair_masks(zf, ef, lo, width)
    for s in range(n):
        for w in range(width):
            t = int(lo[s]) + w
            want = _masks(zf.keys[s], ef.keys[t]) if t < m else (0, 0)
            assert (int(zm[s, w]), int(em[s, w])) == want
    o = dict(AL.DEFAULTS, w_cross=0.3, w_none=0.25, en_weight=0.7, max_run=5, w_gap=0.6)
    o["_quote_ends"] = (list(rng.random(n) < 0.3), list(rng.random(m) < 0.3))
    o["_w_quote"] = 0.2
    o["_speech"] = (list(rng.random(n) < 0.3), list(rng.random(m) < 0.3))
    o["_w_tag"] = 0.15
    o["_gaps"] = (rng.random(n) < 0.2, rng.random(m) < 0.2)
    zg, tg = np.sort(rng.integers(0, 4, n)), np.sort(rng.integers(0, 5, m))
    scorer = AL._Scorer(zf, ef, lo, width, zg, tg, o)
    ref = _reference(zf, ef, lo, width, zg, tg, o)
    scored = 0
    for t in AL.BEAD_TYPES:
        np.testing.assert_allclose(scorer.static[t], ref[t], rtol=1e-6, atol=1e-6)
        scored += int((ref[t] > AL.NEG32 / 2).sum())
    assert scored > 0


def test_a_slice_of_the_flat_keys_is_the_flat_keys_of_the_slice():
    rng = np.random.default_rng(7)
    zf, ef = _side(rng, 30), _side(rng, 40)
    flat = A.FlatKeys.build(zf, ef)
    lo = _band(rng, 10, 15, 6)
    sub_z = A.SideFeatures(zf.keys[10:20], zf.n_units[10:20], zf.n_chars[10:20])
    sub_e = A.SideFeatures(ef.keys[5:20], ef.n_units[5:20], ef.n_chars[5:20])
    got = A.pair_masks(sub_z, sub_e, lo, 6, flat.slice(10, 20, 5, 20))
    want = A.pair_masks(sub_z, sub_e, lo, 6)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert got[0].any()


def test_learned_pairs_reflatten_the_chinese_side_only():
    rng = np.random.default_rng(3)
    zf, ef = _side(rng, 12), _side(rng, 12)
    flat = A.FlatKeys.build(zf, ef)
    # a Chinese sentence that now carries an English key matches where it did not before
    zf2 = A.SideFeatures([{**d, "k3": 1 << 40} for d in zf.keys], zf.n_units, zf.n_chars)
    flat2 = flat.with_zh(zf2)
    assert flat2.en is flat.en
    lo = np.zeros(13, dtype=np.int64)
    assert np.array_equal(A.pair_masks(zf2, ef, lo, 12, flat2)[0],
                          A.pair_masks(zf2, ef, lo, 12)[0])


def _random_path(rng, n: int, m: int) -> list[tuple[int, int]]:
    path, i, j = [], 0, 0
    types = [t for t in AL.BEAD_TYPES]
    while i < n or j < m:
        a, b = types[int(rng.integers(len(types)))]
        a, b = min(a, n - i), min(b, m - j)
        if a or b:
            path.append((a, b))
            i, j = i + a, j + b
    return path


# the per-bead definitions of what passes._path_evidence computes for a whole path


def bead_evidence(zf: A.SideFeatures, ef: A.SideFeatures, src_ids: Sequence[int],
                  tgt_ids: Sequence[int], ratio: float, var: float) -> dict[str, float]:
    """What the aligner measured for one bead (the features calibration works from).

    The definition; ``_path_evidence`` computes the same for every bead of a path at once."""
    zor = [0] * len(src_ids)
    eor = [0] * len(tgt_ids)
    for a, s in enumerate(src_ids):
        zk = zf.keys[s]
        for b, t in enumerate(tgt_ids):
            ek = ef.keys[t]
            for k in zk.keys() & ek.keys():
                zor[a] |= zk[k]
                eor[b] |= ek[k]
    cz = sum(x.bit_count() for x in zor)
    ce = sum(x.bit_count() for x in eor)
    nz = float(sum(zf.n_units[s] for s in src_ids))
    ne = float(sum(ef.n_units[t] for t in tgt_ids))
    lost = sum((int(zf.anchor_bits[s]) & ~x).bit_count() for s, x in zip(src_ids, zor,
                                                                        strict=True))
    lost += sum((int(ef.anchor_bits[t]) & ~x).bit_count() for t, x in zip(tgt_ids, eor,
                                                                         strict=True))
    parts = [x.bit_count() / zf.n_units[s] for s, x in zip(src_ids, zor, strict=True)
             if zf.n_units[s]] + [x.bit_count() / ef.n_units[t]
                                  for t, x in zip(tgt_ids, eor, strict=True) if ef.n_units[t]]
    lz = float(sum(zf.n_chars[s] for s in src_ids))
    le = float(sum(ef.n_chars[t] for t in tgt_ids))
    delta = (le - ratio * lz) / math.sqrt(var * (lz + le / ratio) / 2 + 1.0) \
        if src_ids and tgt_ids else 0.0
    return {"cz": float(cz), "ce": float(ce), "nz": nz, "ne": ne,
            "cov_zh": cz / nz if nz else 0.0, "cov_en": ce / ne if ne else 0.0,
            "lex": (cz + ce) / (nz + ne + 1.0), "len_delta": delta,
            "part": float(min(parts)) if parts else 0.0, "lost": float(lost),
            "src_n": float(len(src_ids)), "tgt_n": float(len(tgt_ids))}


def _spill(zf: A.SideFeatures, ef: A.SideFeatures, src_ids: tuple[int, ...],
           tgt_ids: tuple[int, ...], i: int, j: int) -> dict[str, float]:
    """How much of the bead's evidence also points at the sentences just outside it: a bead
    that should have been bigger (or smaller) leaks matches into its neighbours."""
    n, m = len(zf.keys), len(ef.keys)
    zk: set[str] = set()
    for s in src_ids:
        zk.update(zf.keys[s])
    ek: set[str] = set()
    for t in tgt_ids:
        ek.update(ef.keys[t])
    out = {"spill_en": 0.0, "spill_zh": 0.0}
    for t in (j - 1, j + len(tgt_ids)):
        if 0 <= t < m and ef.n_units[t]:
            hit = sum(bin(v).count("1") for k, v in ef.keys[t].items() if k in zk)
            out["spill_en"] = max(out["spill_en"], min(hit / ef.n_units[t], 1.0))
    for s in (i - 1, i + len(src_ids)):
        if 0 <= s < n and zf.n_units[s]:
            mask = 0
            for k, v in zf.keys[s].items():
                if k in ek:
                    mask |= v
            out["spill_zh"] = max(out["spill_zh"], min(mask.bit_count() / zf.n_units[s], 1.0))
    return out


def _overlap(zk: dict[str, int], ek: dict[str, int]) -> int:
    """Units of both sentences that match each other."""
    a = b = 0
    for k in zk.keys() & ek.keys():
        a |= zk[k]
        b |= ek[k]
    return a.bit_count() + b.bit_count()


def _matched(keys: dict[str, int], units: int, other: set[str]) -> float:
    """Share of a sentence's units whose keys are among ``other``."""
    if not units:
        return 0.0
    mask = 0
    for k, v in keys.items():
        if k in other:
            mask |= v
    return mask.bit_count() / units


def _edge(zf: A.SideFeatures, ef: A.SideFeatures, src_ids: tuple[int, ...],
          tgt_ids: tuple[int, ...]) -> float:
    """The smallest, over the bead's first and last sentence of each side, of the share of
    its units matched in the bead's other side minus the share matched in the sentence just
    across that boundary on the other side."""
    if not src_ids or not tgt_ids:
        return 0.0
    n, m = len(zf.keys), len(ef.keys)
    zk = set().union(*(zf.keys[s] for s in src_ids))
    ek = set().union(*(ef.keys[t] for t in tgt_ids))

    def keys(f: A.SideFeatures, k: int, size: int) -> set[str]:
        return set(f.keys[k]) if 0 <= k < size else set()

    out = []
    for s, t in ((src_ids[0], tgt_ids[0] - 1), (src_ids[-1], tgt_ids[-1] + 1)):
        u = int(zf.n_units[s])
        out.append(_matched(zf.keys[s], u, ek) - _matched(zf.keys[s], u, keys(ef, t, m)))
    for t, s in ((tgt_ids[0], src_ids[0] - 1), (tgt_ids[-1], src_ids[-1] + 1)):
        u = int(ef.n_units[t])
        out.append(_matched(ef.keys[t], u, zk) - _matched(ef.keys[t], u, keys(zf, s, n)))
    return min(out)


def _stray(zf: A.SideFeatures, ef: A.SideFeatures, src_ids: tuple[int, ...],
           tgt_ids: tuple[int, ...]) -> float:
    """Share of the bead's sentences whose best-matching sentence on the other side, among
    the bead's and the two just outside it, lies outside the bead."""
    if not src_ids or not tgt_ids:
        return 0.0
    n, m = len(zf.keys), len(ef.keys)
    out = 0
    zs = [s for s in range(src_ids[0] - 1, src_ids[-1] + 2) if 0 <= s < n]
    es = [t for t in range(tgt_ids[0] - 1, tgt_ids[-1] + 2) if 0 <= t < m]
    for s in src_ids:
        inside = max(_overlap(zf.keys[s], ef.keys[t]) for t in tgt_ids)
        outside = max((_overlap(zf.keys[s], ef.keys[t]) for t in es if t not in tgt_ids),
                      default=0)
        out += outside > inside
    for t in tgt_ids:
        inside = max(_overlap(zf.keys[s], ef.keys[t]) for s in src_ids)
        outside = max((_overlap(zf.keys[s], ef.keys[t]) for s in zs if s not in src_ids),
                      default=0)
        out += outside > inside
    return out / (len(src_ids) + len(tgt_ids))


@pytest.mark.parametrize("seed", range(3))
def test_compiled_bead_evidence_matches_the_per_bead_functions(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(20, 40)), int(rng.integers(20, 40))
    zf, ef = _side(rng, n), _side(rng, m, only={"k11"})
    path = _random_path(rng, n, m)
    evidence, spill, stray, edge = AL._path_evidence(zf, ef, A.FlatKeys.build(zf, ef),
                                                     path, 1.3, 7.0)
    i = j = 0
    for q, (a, b) in enumerate(path):
        src, tgt = tuple(range(i, i + a)), tuple(range(j, j + b))
        assert evidence[q] == bead_evidence(zf, ef, src, tgt, 1.3, 7.0)
        assert spill[q] == _spill(zf, ef, src, tgt, i, j)
        assert stray[q] == _stray(zf, ef, src, tgt)
        assert edge[q] == pytest.approx(_edge(zf, ef, src, tgt), abs=1e-12)
        i, j = i + a, j + b
    assert any(s > 0 for s in stray) and any(d["spill_en"] > 0 for d in spill)
    assert any(e < 0 for e in edge)
