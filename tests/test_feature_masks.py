"""The compiled mask loops of features.py (_features.pyx) against the rules written out plainly
here: per unit, its kept keys get the unit's bit; numbers and symbols make anchor bits; a unit
left with pinyin keys only stops being informative once ``drop`` took its translations."""

from __future__ import annotations

import random

import numpy as np
import pytest

from aligner.align import features as A
from aligner.align.passes import _lexicon

KEYS = ["go", "walk", "n:3", "n:1978", "s:a/56/l.1", "y:wang", "y:", "p:?", "p:q", "x",
        "ny", "s", "house", "n:", "yn:", "y:jiazheng"]


def _zh_reference(all_units, learned, drop):
    keys, counts, anchors = [], [], []
    for units in all_units:
        d: dict[str, int] = {}
        count = anchor = 0
        for pos, (word, ks, info) in enumerate(units):
            extra = learned.get(word, ())
            kept = [k for k in (*ks, *extra) if k not in drop]
            for k in kept:
                d[k] = d.get(k, 0) | (1 << pos)
            if any(len(k) > 1 and k[1] == ":" and k[0] in "ns" for k in kept):
                anchor |= 1 << pos
            if drop and info and all(len(k) > 1 and k[:2] == "y:" for k in kept):
                info = False
            count += bool(info or extra)
        keys.append(d)
        counts.append(count)
        anchors.append(anchor)
    return keys, counts, anchors


def _en_reference(all_units, drop):
    keys, counts, anchors = [], [], []
    for units in all_units:
        d: dict[str, int] = {}
        count = anchor = 0
        for pos, ks in enumerate(units):
            kept = [k for k in ks if k not in drop]
            for k in kept:
                d[k] = d.get(k, 0) | (1 << pos)
            if any(len(k) > 1 and k[1] == ":" and k[0] in "ns" for k in kept):
                anchor |= 1 << pos
            count += bool(kept)
        keys.append(d)
        counts.append(count)
        anchors.append(anchor)
    return keys, counts, anchors


def _random_zh_units(rng: random.Random, n: int):
    # a word's unit is one shared tuple, as zh_features makes them
    vocab = {}
    for w in range(30):
        ks = tuple(rng.choice(KEYS) for _ in range(rng.randint(0, 4)))
        vocab[f"w{w}"] = (f"w{w}", ks, rng.random() < 0.8)
    return [[vocab[f"w{rng.randrange(30)}"] for _ in range(rng.randint(0, A.MAX_UNITS))]
            for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_zh_masks_follow_the_rules(seed):
    rng = random.Random(seed)
    units = _random_zh_units(rng, 40)
    n_chars = np.arange(40, dtype=np.float64)
    learned = {f"w{w}": tuple(rng.choice(KEYS) for _ in range(rng.randint(1, 3)))
               for w in rng.sample(range(30), 8)}
    drop = frozenset(rng.sample(KEYS, 5))
    for lrn, drp in [(None, frozenset()), (learned, frozenset()), (None, drop), (learned, drop)]:
        got = A.zh_from_units(units, n_chars, lrn, drp)
        keys, counts, anchors = _zh_reference(units, lrn or {}, drp)
        assert got.keys == keys
        assert got.n_units.tolist() == counts and got.n_units.dtype == np.int32
        assert got.anchor_bits.tolist() == anchors and got.anchor_bits.dtype == np.uint64
        assert got.units is units


@pytest.mark.parametrize("seed", range(6))
def test_en_masks_follow_the_rules(seed):
    rng = random.Random(seed)
    units = [[[rng.choice(KEYS) for _ in range(rng.randint(0, 3))]
              for _ in range(rng.randint(0, A.MAX_UNITS))] for _ in range(40)]
    n_chars = np.ones(40)
    for drp in (frozenset(), frozenset(rng.sample(KEYS, 6))):
        got = A.en_from_units(units, n_chars, drp)
        keys, counts, anchors = _en_reference(units, drp)
        assert got.keys == keys
        assert got.n_units.tolist() == counts
        assert got.anchor_bits.tolist() == anchors


def test_the_sixty_fourth_unit_has_the_top_bit_and_more_are_refused():
    unit = ("年", ("n:7", "year"), True)
    got = A.zh_from_units([[unit] * A.MAX_UNITS], np.zeros(1))
    assert got.keys[0]["year"] == 2 ** 64 - 1
    assert int(got.anchor_bits[0]) == 2 ** 64 - 1
    with pytest.raises(ValueError):
        A.zh_from_units([[unit] * (A.MAX_UNITS + 1)], np.zeros(1))
    with pytest.raises(ValueError):
        A.en_from_units([[["go"]] * (A.MAX_UNITS + 1)], np.zeros(1))


def test_english_units_of_names_numbers_and_quotes():
    sentences = ["Then Jia Zheng said: 'twenty-one of them? See A/56/L.1'",
                 "Ｆｏｕｒ  boys went home.", "Jia Zheng went home."]
    ef = A.en_features(sentences)
    first, second, third = ef.units
    # a capitalised pair after the sentence's first word: both carry the joined name ("Then"
    # is a function word, so Jia is the first unit); opening the sentence, it does not join
    assert first[0] == ["jia", "y:jia", "y:jiazheng"]
    assert first[1] == ["zheng", "y:zheng", "y:jiazheng"]
    assert third[:2] == [["jia", "y:jia"], ["zheng", "y:zheng"]]
    assert ["n:21"] in first and ["s:a/56/l.1"] in first and ["p:?"] in first
    assert first.count(["p:q"]) == 2
    assert second[0] == ["n:4", "four"]  # full-width letters read as ASCII
    assert ef.n_chars.tolist() == [sum(not c.isspace() for c in x) for x in sentences]
    assert ef.n_units.tolist() == [len(u) for u in ef.units]
    for d, units in zip(ef.keys, ef.units, strict=True):
        assert set(d) == {k for ks in units for k in ks}
        for pos, ks in enumerate(units):
            assert all(d[k] >> pos & 1 for k in ks)
    num_bits = [pos for pos, ks in enumerate(first) if any(k[:2] in ("n:", "s:") for k in ks)]
    assert num_bits and int(ef.anchor_bits[0]) == sum(1 << p for p in num_bits)


def test_chinese_units_share_one_tuple_per_word():
    lex = _lexicon()
    zf = A.zh_features(["会议在1978年讨论了A/56/L.1号文件？", "会议结束。"], lex)
    first, second = zf.units
    words = [u[0] for u in first]
    assert "1978" in words and "A/56/L.1" in words and "？" in words
    assert first[words.index("会议")] is second[0]
    assert zf.keys == A.zh_from_units(zf.units, zf.n_chars).keys


def test_single_quotation_marks_are_where_the_pattern_finds_them():
    # the pattern is tried only at ' ‘ ’ ; it must count what scanning the whole text counts
    rng = random.Random(7)
    texts = ["".join(rng.choice("ab s'‘’()[]—-\t") for _ in range(rng.randint(0, 14)))
             for _ in range(3000)]
    ef = A.en_features(texts)
    got = [units.count(["p:q"]) for units in ef.units]
    want = [sum(1 for _ in A._EN_SINGLE_QUOTE.finditer(t)) for t in texts]
    assert got == want and sum(want) > 500


def test_chinese_token_units():
    lex = _lexicon()
    assert A._zh_token_unit("，", lex) is None
    assert A._zh_token_unit("", lex) is None
    # Han after another character is still a word
    assert A._zh_token_unit("“好", lex)[0] == "“好"
    assert "n:3500" in A._zh_token_unit("三千五百人", lex)[1]
    assert "n:21" in A._zh_token_unit("二十一", lex)[1]
    assert not any(k.startswith("n:") for k in A._zh_token_unit("会议", lex)[1])
    assert A._zh_token_unit("我们", lex) == ("我们", (), False)


def test_masks_accept_any_sequence_of_units():
    rng = random.Random(3)
    units = _random_zh_units(rng, 10)
    as_tuples = tuple(tuple(u) for u in units)
    learned = {"w1": ("go",)}
    assert (A.zh_from_units(as_tuples, np.zeros(10), learned).keys
            == A.zh_from_units(units, np.zeros(10), learned).keys)
    en = [[["go", "n:2"], ["walk"]], [["s:a/1"]]]
    assert (A.en_from_units(tuple(tuple(map(tuple, u)) for u in en), np.zeros(2)).keys
            == A.en_from_units(en, np.zeros(2)).keys)
