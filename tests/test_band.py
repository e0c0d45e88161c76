"""The coarse first pass that places the sentence DP's band, and the repair of lost stretches.

Long pairs are synthetic: sentences as bags of keys (what ``anchors.zh_features`` and
``en_features`` produce), generated from a known bead path, with rare keys planted so that a
run of rare-word anchors points far away from the true path.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import aligner.align.passes as AL
from aligner.align import features as A
from aligner.align.band import (
    block_scores,
    coarse_band,
    dtw_path,
    gaps,
    path_in_band,
    repair_spans,
)

TYPES = [((1, 1), 0.68), ((2, 1), 0.12), ((1, 2), 0.12), ((2, 2), 0.03), ((1, 0), 0.025),
         ((0, 1), 0.025)]


def synthetic_pair(n_beads: int, seed: int, deleted: tuple[int, int] | None = None):
    """zh and en key dicts and the true bead path. Each bead has its own content words
    (Zipf-distributed over a 1,000-word vocabulary, so few words are rare anywhere), split
    over its sentences; the English side keeps 60 % of them and adds noise. ``deleted``
    (first bead, count) drops the English side of a run of beads (a chapter left out)."""
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(1000)]
    weights = [1.0 / (k + 1) for k in range(len(vocab))]
    zh: list[dict[str, int]] = []
    en: list[dict[str, int]] = []
    path = []
    for q in range(n_beads):
        (a, b) = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        if deleted and deleted[0] <= q < deleted[0] + deleted[1]:
            a, b = max(a, 1), 0
        words = rng.choices(vocab, weights, k=8 * max(a, b))
        for s in range(a):
            zh.append({w: 1 for w in words[s::a]})
        kept = [w for w in words if rng.random() < 0.6]
        for t in range(b):
            d = {w: 1 for w in kept[t::b]}
            d.update({w: 1 for w in rng.choices(vocab, weights, k=3)})
            en.append(d)
        path.append((a, b))
    return zh, en, path


def true_cells(path):
    i = j = 0
    out = {0: j}
    for a, b in path:
        i, j = i + a, j + b
        out[i] = j
    return out


def plant_misleading_anchors(zh, en, path, at: int, offset: int, count: int = 40):
    """Rare keys shared by zh sentences at..at+count and English sentences ``offset`` beyond
    their true partners: a consistent chain of wrong anchors that vouch for each other."""
    cells = true_cells(path)
    for k in range(count):
        s = at + k
        t = min(cells.get(s, cells[max(c for c in cells if c <= s)]) + offset, len(en) - 1)
        for r in range(3):
            key = f"rare{k}_{r}"
            zh[s][key] = 1
            en[t][key] = 1


def side(keys):
    n = len(keys)
    return A.SideFeatures(keys, np.full(n, 8, dtype=np.int32), np.full(n, 30.0))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_band_holds_the_true_path_despite_misleading_anchors(seed):
    zh, en, path = synthetic_pair(4000, seed)
    plant_misleading_anchors(zh, en, path, at=len(zh) // 2, offset=200)
    n, m = len(zh), len(en)
    # the old source of the band follows the wrong anchors away from the true path
    anchors = A.anchor_path(side(zh), side(en))
    lo_a, width_a = A.band_from_anchors(anchors, n, m, 12)
    assert not path_in_band(path, lo_a, min(width_a, m + 1))
    lo, width = coarse_band(zh, en, 12)
    assert path_in_band(path, lo, width)
    assert width < 120  # still a band, not the whole matrix


def test_band_holds_a_deleted_chapter():
    zh, en, path = synthetic_pair(3000, 3, deleted=(1200, 150))
    lo, width = coarse_band(zh, en, 12)
    assert path_in_band(path, lo, width)
    assert width < 120


def test_short_pair_gets_one_sentence_blocks_and_a_band_around_the_diagonal():
    zh, en, path = synthetic_pair(60, 4)
    lo, width = coarse_band(zh, en, 3)
    assert path_in_band(path, lo, width)
    assert width < len(en) // 2


def dense_block_scores(zh: list[dict], en: list[dict], k: int) -> np.ndarray:
    """The block similarity written out with dense block x key matrices."""
    keys = sorted({w for d in zh for w in d} & {w for d in en for w in d})
    col = {w: c for c, w in enumerate(keys)}
    mats = []
    for side in (zh, en):
        edges = np.round(np.linspace(0, len(side), k + 1)).astype(int)
        mat = np.zeros((k, len(keys)))
        for b in range(k):
            for d in side[edges[b]:edges[b + 1]]:
                for w in d:
                    if w in col:
                        mat[b, col[w]] += 1
        df = (mat > 0).sum(axis=0)
        mat *= np.log((k + 1.0) / (df + 1.0))
        mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
        mats.append(mat)
    sim = mats[0] @ mats[1].T
    sim -= np.median(sim, axis=1, keepdims=True)
    return sim - np.median(sim, axis=0, keepdims=True)


@pytest.mark.parametrize("seed", [3, 4])
def test_block_scores_equal_the_dense_product(seed):
    zh, en, _ = synthetic_pair(300, seed)
    # keys on one side only, and a block with no shared key, must not disturb the rest
    zh[5] = {"zh-only": 1}
    en[7] = {**en[7], "en-only": 1}
    for k in (1, 17, 60):
        got = block_scores(zh, en, k)
        want = dense_block_scores(zh, en, k)
        assert got.dtype == np.float32 and got.shape == (k, k)
        assert np.abs(got - want).max() < 1e-6
    assert np.abs(want).max() > 0.05  # the pair is not trivially all-zero


def test_block_scores_from_the_passes_flat_keys_are_the_same():
    zh, en, _ = synthetic_pair(300, 5)
    zh[5] = {"zh-only": 1}
    flat = A.FlatKeys.build(side(zh), side(en))
    for k in (1, 17, 60):
        assert np.array_equal(block_scores(zh, en, k, flat), block_scores(zh, en, k))


def test_dtw_path_follows_the_strongest_cells():
    sim = np.full((6, 6), -1.0, dtype=np.float32)
    route = [(0, 0), (1, 0), (2, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    for r, c in route:
        sim[r, c] = 1.0
    assert dtw_path(sim) == route



def _dtw_reference(sim: np.ndarray) -> list[tuple[int, int]]:
    """The best monotone path by the textbook recursion, cell by cell (ties: left, then up,
    then diagonal, as dtw_path breaks them)."""
    rows, cols = sim.shape
    best = np.full((rows, cols), -np.inf)
    step = {}
    for i in range(rows):
        for j in range(cols):
            if i == j == 0:
                best[0, 0] = float(sim[0, 0])
                continue
            left = best[i, j - 1] if j else -np.inf
            up = best[i - 1, j] if i else -np.inf
            diag = best[i - 1, j - 1] if i and j else -np.inf
            into = max(up, diag)
            if j and left > into:
                best[i, j], step[i, j] = left + sim[i, j], (0, -1)
            else:
                best[i, j] = into + sim[i, j]
                step[i, j] = (-1, 0) if up >= diag else (-1, -1)
    path, cell = [], (rows - 1, cols - 1)
    while cell != (0, 0):
        path.append(cell)
        cell = (cell[0] + step[cell][0], cell[1] + step[cell][1])
    return [(0, 0), *path[::-1]]


def test_dtw_path_is_the_best_monotone_path():
    rng = np.random.default_rng(7)
    for shape in ((1, 5), (5, 1), (7, 7), (12, 9), (9, 30)):
        # coarse values make ties frequent: they must be broken the same way
        sim = rng.integers(-3, 4, size=shape).astype(np.float32) / 2
        path = dtw_path(sim)
        assert path == _dtw_reference(sim)
        total = sum(float(sim[c]) for c in path)
        assert np.isclose(total, sum(float(sim[c]) for c in _dtw_reference(sim)))

def test_repair_spans_only_where_both_sides_go_unmatched():
    one_side = [(1, 1)] * 5 + [(1, 0)] * 6 + [(1, 1)] * 5  # a real deletion
    assert repair_spans(one_side) == []
    lost = [(1, 1)] * 5 + [(0, 1)] * 2 + [(1, 1)] * 6 + [(1, 0)] * 2 + [(1, 1)] * 5
    spans = repair_spans(lost, margin=2)
    assert spans == [(3, 3, 15, 15)]
    # skips on both sides but far apart: two separate edits, nothing lost in between
    assert repair_spans([(1, 1)] * 5 + [(0, 1)] * 2 + [(1, 1)] * 60 + [(1, 0)] * 2) == []


def _sentence_pairs(k: int, seed: int):
    rng = random.Random(seed)
    nums = rng.sample(range(100, 9999), k)
    places = ["日内瓦", "纽约", "维也纳", "北京", "伦敦", "巴黎"]
    en_places = ["Geneva", "New York", "Vienna", "Beijing", "London", "Paris"]
    zh, en = [], []
    for x, v in enumerate(nums):
        p = x % len(places)
        zh.append(f"第{v}号文件已在{places[p]}分发。")
        en.append(f"Document {v} was distributed in {en_places[p]}.")
    return zh, en


def test_a_band_that_lost_the_path_is_repaired(monkeypatch):
    zh, en = _sentence_pairs(40, 5)
    n, m = len(zh), len(en)

    def misled_band(zh_keys, en_keys, half_width, blocks=None, out=None, flat=None):
        return _misled(n, m), 7

    monkeypatch.setattr(AL, "coarse_band", misled_band)
    # 1-1 beads and skips only (max_run 1): lost, the DP can only get through by skipping
    # sentences on both sides
    beads = AL.align_sentences(zh, en, passes=1, max_run=1)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((i,), (i,)) for i in range(n)]
    beads = AL.align_sentences(zh, en, max_run=1)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((i,), (i,)) for i in range(n)]


def test_repair_keeps_paragraphs_and_turns(monkeypatch):
    from aligner.common.types import Segment

    zh, en = _sentence_pairs(40, 8)
    n, m = len(zh), len(en)
    monkeypatch.setattr(AL, "coarse_band", lambda *a, **k: (_misled(n, m), 7))
    src = [Segment(i, z, paragraph=i // 5, turn=i // 10) for i, z in enumerate(zh)]
    tgt = [Segment(i, e, paragraph=i // 5, turn=i // 10) for i, e in enumerate(en)]
    beads = AL.align_segments(src, tgt, max_run=1)
    assert [(b.src_ids, b.tgt_ids) for b in beads] == [((i,), (i,)) for i in range(n)]


def test_without_repair_the_misled_band_leaves_sentences_unmatched(monkeypatch):
    """The counterpart of the test above: the injected band really does force skips, so the
    repair is what makes the difference."""
    zh, en = _sentence_pairs(40, 5)
    n, m = len(zh), len(en)
    path, _ = _first_pass(zh, en, _misled(n, m), 7)
    assert sum(1 for a, b in path if not (a and b)) >= 4
    assert repair_spans(path)


def _misled(n: int, m: int) -> np.ndarray:
    """A band of width 7 that went wrong in rows 15-25: the diagonal is outside it there."""
    lo = np.maximum(np.arange(n + 1) - 3, 0)
    lo[15:26] = np.minimum(np.arange(15, 26) + 2, m)
    return np.maximum.accumulate(np.clip(lo, 0, m + 1 - 7))


def _first_pass(zh, en, lo, width):
    lex = AL._lexicon()
    zf, ef = A.zh_features(zh, lex), A.en_features(en)
    o = dict(AL.DEFAULTS, max_run=1)
    o["_quote_ends"] = ([False] * len(zh), [False] * len(en))
    o["_w_quote"] = 0.0
    scorer = AL._Scorer(zf, ef, lo, width, None, None, o)
    ratio = float(ef.n_chars.sum() / zf.n_chars.sum())
    return AL.search(scorer.scores(dict(AL.INITIAL_PRIOR), ratio, AL.LEN_VAR0 * ratio, o),
                     AL.BEAD_TYPES, lo, width, len(zh), len(en))


def test_coarse_pass_marks_a_deleted_chapter_and_nothing_else():
    zh, en, path = synthetic_pair(3000, 6, deleted=(1200, 150))
    deleted = set()
    i = 0
    for q, (a, _) in enumerate(path):
        if 1200 <= q < 1350:
            deleted.update(range(i, i + a))
        i += a
    coarse: dict = {}
    coarse_band(zh, en, 12, out=coarse)
    zh_gap, en_gap = gaps(coarse, len(zh), len(en))
    marked = set(np.flatnonzero(zh_gap).tolist())
    assert len(marked & deleted) >= 0.8 * len(deleted)
    assert len(marked - deleted) <= 0.1 * len(deleted)
    assert not en_gap.any()
    # an ordinary pair has no gap at all
    zh, en, _ = synthetic_pair(3000, 7)
    coarse = {}
    coarse_band(zh, en, 12, out=coarse)
    assert not any(g.any() for g in gaps(coarse, len(zh), len(en)))
