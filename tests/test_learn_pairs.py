"""The compiled word-pair learner (passes.learn_pairs) against a set-based reference written
here, on random units: which words and stems count as unexplained in a bead, Dice, and the
competitive linking that counts a bead's word and stem for one pair at most."""

import numpy as np
import pytest

from aligner.align import features as A
from aligner.align import passes as AL
from aligner.terms.extract import log_likelihood

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


def _bead_sets(path, zf, ef):
    """Per counted bead its unexplained words and stems; also the beads whose pairs count."""
    x_seen, y_seen, paired = [], [], []
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
                paired.append((xs, ys))
            else:
                paired.append(None)
        i, j = i + a, j + b
    return x_seen, y_seen, paired


def _g2(c, cx, cy, n):
    g = log_likelihood(c, cx, cy, n)
    return g if c * n > cx * cy else -g


def _reference(path, zf, ef, dice_min, link=False):
    x_seen, y_seen, paired = _bead_sets(path, zf, ef)
    pairs = [(x, y) for p in paired if p for x in p[0] for y in p[1]]
    count = {p: pairs.count(p) for p in set(pairs)}
    if link:
        # ids as the learner gives them: words and stems in order of first sight in the text
        wid = {w: k for k, w in enumerate(dict.fromkeys(
            u[0] for units in zf.units for u in units if len(u[0]) > 1))}
        sid = {y: k for k, y in enumerate(dict.fromkeys(
            ks[0] for units in ef.units for ks in units if ks and ks[0][1] != ":"))}
        n = len(paired)
        ranked = sorted(count, key=lambda p: (-_g2(count[p], x_seen.count(p[0]),
                                                    y_seen.count(p[1]), n), wid[p[0]], sid[p[1]]))
        used = [(set(), set()) for _ in paired]
        links = dict.fromkeys(count, 0)
        for x, y in ranked:
            for q, p in enumerate(paired):
                if p and x in p[0] and y in p[1] and x not in used[q][0] and y not in used[q][1]:
                    used[q][0].add(x)
                    used[q][1].add(y)
                    links[x, y] += 1
        count = links
    return {(x, y) for (x, y), c in count.items()
            if c >= 2 and 2 * c / (x_seen.count(x) + y_seen.count(y)) >= dice_min}


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


@pytest.mark.parametrize("seed", range(6))
def test_linked_pairs_equal_the_set_based_reference(seed):
    rng = np.random.default_rng(seed)
    zf, ef, path = _features(rng, 60)
    for dice_min in (0.0, 0.05, 0.3):
        got = AL.learn_pairs(path, zf, ef, dice_min, link=True)
        want = _reference(path, zf, ef, dice_min, link=True)
        assert {(x, y) for x, ys in got.items() for y in ys} == want
        # a pair's links are at most its beads, so linking only takes pairs away
        assert want <= _reference(path, zf, ef, dice_min)
    assert want


def test_linking_keeps_a_frequent_word_from_a_rare_words_translation():
    # 先生 is left unexplained in every bead, 问鼎 only in the two that also have "cauldron":
    # Dice counts 先生 with "cauldron" in both beads (2 x 2 / (8 + 2) = 0.4), while linking
    # gives each bead's "cauldron" to the word it is more strongly associated with
    zh, en, path = [], [], []
    for k in range(8):
        words = [("先生", (), True), (f"地名{k}", (), True)]
        stems = [[f"place{k}"], ["sir"]]
        if k < 2:
            words.append(("问鼎", (), True))
            stems.append(["cauldron"])
        zh.append(words)
        en.append(stems)
        path.append((1, 1))
    zf = A.zh_from_units(zh, np.ones(len(zh)))
    ef = A.en_from_units(en, np.ones(len(en)))
    dice = AL.learn_pairs(path, zf, ef, 0.3)
    linked = AL.learn_pairs(path, zf, ef, 0.3, link=True)
    assert "cauldron" in dice["先生"] and "cauldron" in dice["问鼎"]
    assert linked["先生"] == ("sir",)
    assert linked["问鼎"] == ("cauldron",)


def test_no_bead_with_both_sides_learns_nothing():
    rng = np.random.default_rng(0)
    zf, ef, _ = _features(rng, 10)
    path = [(len(zf.units), 0), (0, len(ef.units))]
    assert AL.learn_pairs(path, zf, ef, 0.0) == {}
    assert AL.learn_pairs(path, zf, ef, 0.0, link=True) == {}
