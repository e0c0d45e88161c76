"""The compiled word-pair learner (passes.learn_pairs) against a set-based reference written
here, on random units: which words and stems count as unexplained in a bead, and Dice."""

import numpy as np
import pytest

from aligner.align import features as A
from aligner.align import passes as AL

ZH_WORDS = ["甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑", "寅", "卯", "辰巳午"]
STEMS = ["alpha", "beta", "gamma", "delta", "kappa", "omega", "sigma", "y:jiayi", "n:3"]


def _features(rng, n_beads: int):
    """zh and en features with shared unit objects, as zh_features builds them, and a path."""
    zh_unit = {w: (w, tuple(str(s) for s in rng.choice(STEMS, rng.integers(0, 3), False)),
                   True) for w in ZH_WORDS}
    zh_units, en_units, path = [], [], []
    for _ in range(n_beads):
        a, b = [(1, 1), (2, 1), (1, 2), (2, 2), (1, 3), (1, 0), (0, 1)][rng.integers(7)]
        for _ in range(a):
            zh_units.append([zh_unit[str(w)] for w in rng.choice(ZH_WORDS, rng.integers(0, 5))])
        for _ in range(b):
            en_units.append([[str(s)] + (["y:x"] if rng.random() < 0.2 else [])
                             for s in rng.choice(STEMS, rng.integers(0, 5))])
        path.append((a, b))
    zf = A.zh_from_units(zh_units, np.ones(len(zh_units)))
    ef = A.en_from_units(en_units, np.ones(len(en_units)))
    return zf, ef, path


def _reference(path, zf, ef, dice_min):
    x_seen, y_seen, pairs = [], [], []
    i = j = 0
    for a, b in path:
        if a and b and a + b <= 4:
            en_keys = {k for t in range(j, j + b) for k in ef.keys[t]}
            units = [u for s in range(i, i + a) for u in zf.units[s]]
            zh_keys = {k for _, ks, _ in units for k in ks}
            xs = {w for w, ks, _ in units if len(w) > 1 and not en_keys & set(ks)}
            ys = {ks[0] for t in range(j, j + b) for ks in ef.units[t]
                  if ks and ks[0][1] != ":" and ks[0] not in zh_keys}
            x_seen += xs
            y_seen += ys
            if xs and ys and len(xs) * len(ys) <= 400:
                pairs += [(x, y) for x in xs for y in ys]
        i, j = i + a, j + b
    out = set()
    for x, y in set(pairs):
        c = pairs.count((x, y))
        if c >= 2 and 2 * c / (x_seen.count(x) + y_seen.count(y)) >= dice_min:
            out.add((x, y))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_learned_pairs_equal_the_set_based_reference(seed):
    rng = np.random.default_rng(seed)
    zf, ef, path = _features(rng, 60)
    for dice_min in (0.0, 0.3):
        got = AL.learn_pairs(path, zf, ef, dice_min)
        want = _reference(path, zf, ef, dice_min)
        assert {(x, y) for x, ys in got.items() for y in ys} == want
        assert all(len(set(ys)) == len(ys) for ys in got.values())
    assert want  # the random pairs teach something


def test_no_bead_with_both_sides_learns_nothing():
    rng = np.random.default_rng(0)
    zf, ef, _ = _features(rng, 10)
    path = [(len(zf.units), 0), (0, len(ef.units))]
    assert AL.learn_pairs(path, zf, ef, 0.0) == {}
