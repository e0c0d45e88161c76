"""Joining neighbouring beads into verses (aligner/align/joins.py) and its place in the
aligner: only on verse-like pairs, exactly the pairs the model picks, nothing else moved."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_align import EN, ZH, check_cover

from aligner.align import calibrate as C
from aligner.align import joins as J
from aligner.align.passes import align_segments, align_sentences
from aligner.common.types import Segment


def model(bias: float, threshold: float = 0.5) -> J.JoinModel:
    return J.JoinModel([], [bias] + [0.0] * len(J.NUMERIC), threshold)


def verse_pair() -> tuple[list[str], list[str]]:
    """The test pairs eight times over (a document, not a stretch), with three Chinese
    sentences of each round cut in two lines, as verse text is: more Chinese lines than
    English ones."""
    zh: list[str] = []
    for _ in range(8):
        for k, s in enumerate(ZH):
            if k in (2, 6, 9):
                cut = len(s) // 2
                zh += [s[:cut], s[cut:]]
            else:
                zh.append(s)
    return zh, list(EN) * 8


def path_of(beads) -> list[tuple[int, int]]:
    return [(len(b.src_ids), len(b.tgt_ids)) for b in beads]


def test_verse_like_needs_clearly_more_chinese_lines_in_a_document():
    assert J.verse_like(135, 100)
    assert not J.verse_like(105, 100)
    assert not J.verse_like(100, 100)
    assert not J.verse_like(60, 100)
    # a few lines (a stretch the review re-aligns) are no evidence of verse text
    assert not J.verse_like(3, 2) and not J.verse_like(130, 99)
    assert not J.verse_like(0, 10) and not J.verse_like(10, 0)


def test_candidates_skip_unmatched_and_overlong_beads():
    path = [(1, 1), (1, 0), (1, 1), (2, 1), (5, 1), (1, 1)]
    got = [c[0] for c in J.candidates(path)]
    # (1,1)+(1,0) and (1,0)+(1,1) have an empty side; (2,1)+(5,1) would have 7 Chinese lines
    assert got == [2, 4]
    q, z1, e1, z2, e2 = J.candidates(path)[0]
    assert [list(z1), list(e1), list(z2), list(e2)] == [[2], [1], [3, 4], [2]]


def test_join_path_takes_the_best_set_of_pairs_above_threshold():
    path = [(1, 1), (1, 1), (1, 1), (2, 1), (1, 1)]
    new, parts = J.join_path(path, {0: 0.9, 1: 0.95, 2: 0.2, 3: 0.6}, 0.5)
    # 0+1 and 1+2 overlap: 1+2 (margin 0.45) beats 0+1 (0.40); 3+4 (0.10) joins as well
    assert new == [(1, 1), (2, 2), (3, 2)]
    assert parts == [[0], [1, 2], [3, 4]]
    # two weaker pairs beat one stronger pair they overlap
    new, _ = J.join_path(path[:3] + [(1, 1)], {0: 0.8, 1: 0.9, 2: 0.8}, 0.5)
    assert new == [(2, 2), (2, 2)]
    assert J.join_path(path, {0: 0.5}, 0.5)[0] == path  # strictly above the threshold
    assert J.join_path([], {}, 0.5) == ([], [])


def test_pair_features_read_line_ends_starts_and_lengths():
    src = ["他说，", "这是谁作的呢？", "他们就说。"]
    tgt = ["And he said:", "Who hath done this thing?", "And they said."]
    f = J.pair_features(src, tgt, (range(0, 1), range(0, 1)), (range(1, 2), range(1, 2)),
                        5.0, 20.0)
    assert f["zh_end1:，"] == 1 and f["en_end1::"] == 1
    assert f["zh_end2:？"] == 1 and f["en_end2:?"] == 1 and f["zh_start2:这"] == 1
    assert f["en_first"] == pytest.approx(np.log(12 / 20))
    assert f["en_both"] == pytest.approx(np.log((12 + 25) / 20))
    assert f["en_shorter"] == pytest.approx(f["en_first"])
    # the two pieces' share of the whole differs between the sides
    assert f["mismatch"] == pytest.approx(abs(np.log(12 / 25) - np.log(3 / 7)))


def test_shipped_model_loads_and_bad_files_give_none(tmp_path):
    m = J.load_model()
    assert m is not None and 0 < m.threshold < 1 and m.vocab
    assert len(m.w) == len(m.vocab) + len(J.NUMERIC) + 1
    bad = tmp_path / "joins.json"
    data = json.loads(J.PARAMS_PATH.read_text(encoding="utf-8"))
    data["numeric"] = ["something", "else"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert J.load_model(str(bad)) is None
    bad.write_text("{not json", encoding="utf-8")
    assert J.load_model(str(bad)) is None
    data = json.loads(J.PARAMS_PATH.read_text(encoding="utf-8"))
    data["coefficients"] = data["coefficients"][:-1]
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert J.load_model(str(bad)) is None


def test_adapt_prior_follows_the_joining_rate_of_each_stretch():
    rng = np.random.default_rng(7)

    def stretch(rate: float, n: int = 1500) -> tuple[np.ndarray, np.ndarray]:
        # a cue worth a likelihood ratio of e^(2s), s ~ N(+-1, 1), read by a model trained
        # where one pair in ten was a join: its probabilities are right at that rate only
        y = rng.random(n) < rate
        score = rng.normal(np.where(y, 1.0, -1.0), 1.0)
        return 1 / (1 + np.exp(-(2 * score + np.log(0.1 / 0.9)))), y

    (p1, y1), (p2, y2) = stretch(0.33), stretch(0.02)
    p = np.concatenate([p1, p2])
    got = J.adapt_prior(p, 0.1)
    assert got.shape == p.shape and np.all((got > 0) & (got < 1))
    # the same cue weighs more where joins are common, less where they are rare
    assert np.all(got[:1000] > p[:1000]) and np.all(got[-1000:] < p[-1000:])
    # the rate found is the true one of each stretch, away from the border
    assert abs(got[300:1200].mean() - y1[300:1200].mean()) < 0.05
    assert abs(got[-1200:-300].mean() - y2[-1200:-300].mean()) < 0.03
    # and each pair's prior is the mean adapted probability of the window around it (the
    # expectation-maximisation fixed point)
    q, half = 700, J.RATE_WINDOW // 2
    rate = got[q - half:q + half + 1].mean()
    shift = np.log(got[q] / (1 - got[q])) - np.log(p[q] / (1 - p[q]))
    assert shift == pytest.approx(np.log(rate / (1 - rate)) - np.log(0.1 / 0.9), abs=1e-4)
    # within a stretch a stronger cue stays stronger
    assert np.all(np.diff(got[690:710][np.argsort(p[690:710])]) > -1e-3)
    # no rate, nothing adapted; nothing to adapt, nothing returned
    assert np.allclose(J.adapt_prior(p, 0.0), p) and len(J.adapt_prior(p[:0], 0.1)) == 0


def test_the_model_adapts_only_with_a_rate_and_keeps_it_in_its_file(tmp_path):
    feats = [{"en_first": 0.0}] * 300
    plain = J.JoinModel([], [-1.0] + [0.0] * len(J.NUMERIC), 0.5)
    rated = J.JoinModel([], [-1.0] + [0.0] * len(J.NUMERIC), 0.5, base_rate=0.05)
    base = plain.probabilities(feats)
    assert np.allclose(base, 1 / (1 + np.e))
    # every pair alike says nothing about this document's rate but what the model says
    assert np.allclose(rated.probabilities(feats, adapt=False), base)
    f = tmp_path / "joins.json"
    f.write_text(rated.to_json({}), encoding="utf-8")
    again = J.load_model(str(f))
    assert again.base_rate == 0.05 and again.threshold == 0.5
    assert np.allclose(again.probabilities(feats), rated.probabilities(feats))
    raw = dict(enumerate(rated.probabilities(feats, adapt=False).tolist()))
    assert np.allclose(list(J.adapted(raw, rated).values()), rated.probabilities(feats))
    assert J.adapted(raw, plain) == raw


def test_aligner_joins_exactly_the_chosen_pairs_on_verse_text():
    zh, en = verse_pair()
    assert J.verse_like(len(zh), len(en))
    plain = align_sentences(zh, en, calibrate=False, join=0)
    want, _ = J.join_path(path_of(plain), {c[0]: 1.0 for c in J.candidates(path_of(plain))},
                          0.5)
    joined = align_sentences(zh, en, join_model=model(10.0))
    check_cover(joined, len(zh), len(en))
    assert path_of(joined) == want and len(want) < len(plain)
    made = [b for b in joined if b.features["joined"] > 0]
    assert made and all(b.features["joined"] == pytest.approx(1.0, abs=1e-3) for b in made)
    # the document's mean bead side is the search's: the joins do not set it
    searched = sum(max(a, b) for a, b in path_of(plain)) / len(plain)
    assert all(b.features["doc_side"] == pytest.approx(searched) for b in joined)
    assert searched < sum(max(a, b) for a, b in want) / len(want)
    assert all(0.0 <= b.score <= 1.0 for b in joined)
    # a model that never joins leaves the search's beads as they were
    never = align_sentences(zh, en, calibrate=False, join_model=model(-10.0))
    assert path_of(never) == path_of(plain)
    assert all(b.features["joined"] == 0 for b in never)
    assert all(b.features["join_p"] < 1e-3 for b in never)


def test_sentence_text_is_never_joined():
    # the same number of lines on both sides: not verse text, the model is not consulted
    zh, en = list(ZH) * 8, list(EN) * 8
    plain = align_sentences(zh, en, calibrate=False, join=0)
    got = align_sentences(zh, en, calibrate=False, join_model=model(10.0))
    assert path_of(got) == path_of(plain)
    assert all(b.features["join_p"] == 0 and b.features["joined"] == 0 for b in got)


def test_records_segmented_by_the_reader_are_never_joined():
    # verse-like counts, but the sentences come from the reader (align_segments): both
    # sides are sentences by our own rules, so the lines follow no outside unit
    zh, en = verse_pair()
    src = [Segment(k, t) for k, t in enumerate(zh)]
    tgt = [Segment(k, t) for k, t in enumerate(en)]
    plain = align_segments(src, tgt, calibrate=False, join=0)
    got = align_segments(src, tgt, calibrate=False, join_model=model(10.0))
    assert path_of(got) == path_of(plain)
    assert all(b.features["joined"] == 0 for b in got)


def test_joined_beads_are_calibrated_with_their_own_features():
    zh, en = verse_pair()
    # joins where the first bead's English is shorter than the document's median line:
    # some beads joined, some not
    shorter = J.JoinModel([], [0.0, -20.0] + [0.0] * (len(J.NUMERIC) - 1), 0.5)
    beads = align_sentences(zh, en, calibrate=False, join_model=shorter)
    plain = align_sentences(zh, en, calibrate=False, join=0)
    assert 0 < len(plain) - len(beads) < len(plain) // 2 - 1
    x = C.feature_matrix(beads)
    col = C.MODEL_FEATURES.index("is_joined")
    assert x[:, col].tolist() == [float(b.features["joined"] > 0) for b in beads]
    assert x[:, C.MODEL_FEATURES.index("joined")] == pytest.approx(
        [b.features["joined"] for b in beads])
    scored = align_sentences(zh, en, join_model=shorter)
    assert [b.src_ids for b in scored] == [b.src_ids for b in beads]
    assert all(0.0 <= b.score <= 1.0 for b in scored)
