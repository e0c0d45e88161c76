"""Strict/lax precision, recall and F1 on tiny hand-made alignments."""

from __future__ import annotations

import pytest

from aligner.common.errors import AlignerError
from aligner.common.types import Bead
from aligner.quality.evaluate import bead_correct, check_gold_fits, evaluate


def B(src, tgt):
    return Bead(tuple(src), tuple(tgt))


GOLD = [B([0], [0]), B([1], [1, 2]), B([2, 3], [3]), B([4], [])]


def test_perfect_alignment_scores_one():
    s = evaluate([(GOLD, GOLD)])
    assert (s.strict_p, s.strict_r, s.strict_f1) == (1.0, 1.0, 1.0)
    assert (s.lax_p, s.lax_r, s.lax_f1) == (1.0, 1.0, 1.0)


def test_hand_computed_scores():
    test = [B([0], [0]), B([1], [1]), B([], [2]), B([2, 3], [3]), B([4], [])]
    s = evaluate([(test, GOLD)])
    # precision over all 5 test beads: [0]:[0], [2,3]:[3], [4]:[] identical -> 3/5
    assert s.strict_p == pytest.approx(3 / 5)
    # lax: [1]:[1] shares 1-1 with gold [1]:[1,2]; []:[2] has no source -> 4/5
    assert s.lax_p == pytest.approx(4 / 5)
    # recall: 3 gold beads with both sides, vs test beads with both sides: 2 identical
    assert s.strict_r == pytest.approx(2 / 3)
    assert s.lax_r == pytest.approx(3 / 3)
    assert s.strict_f1 == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))


def test_counts_are_pooled_not_averaged():
    doc1 = ([B([0], [0])], [B([0], [0])])  # 1/1
    doc2 = ([B([0], [1]), B([1], [0]), B([2], [2])],
            [B([0], [0]), B([1], [1]), B([2], [2])])  # 1/3
    s = evaluate([doc1, doc2])
    assert s.strict_p == pytest.approx(2 / 4)  # macro-average would give 2/3


def test_empty_test_gives_zero_not_error():
    s = evaluate([([], GOLD)])
    assert s.strict_p == 0.0 and s.strict_f1 == 0.0


def test_bead_correct():
    assert bead_correct([B([0], [0]), B([1], [1])], GOLD) == [True, False]


def test_gold_fits_counts():
    check_gold_fits(GOLD, 5, 4)
    with pytest.raises(AlignerError, match="another document"):
        check_gold_fits(GOLD, 6, 4)
    with pytest.raises(AlignerError, match="out of order"):
        check_gold_fits([B([1], [0]), B([0], [1])], 2, 2)


# --- calibration metrics and fitting ---------------------------------------------------------
def test_roc_auc_by_hand():
    import numpy as np

    from aligner.align.calibrate import roc_auc

    probs = np.array([0.9, 0.8, 0.4, 0.3])
    right = np.array([1, 0, 1, 0])
    # pairs (right, wrong): (0.9,0.8) ok, (0.9,0.3) ok, (0.4,0.8) wrong, (0.4,0.3) ok -> 3/4
    assert roc_auc(probs, right) == pytest.approx(0.75)
    assert roc_auc(np.array([0.5, 0.5]), np.array([1, 0])) == pytest.approx(0.5)  # a tie


def test_ece_by_hand():
    import numpy as np

    from aligner.align.calibrate import expected_calibration_error

    probs = np.array([0.95, 0.95, 0.15, 0.15])
    right = np.array([1, 1, 0, 1])
    # bin 0.9-1.0: |0.95 - 1.0| * 2/4; bin 0.1-0.2: |0.15 - 0.5| * 2/4
    assert expected_calibration_error(probs, right) == pytest.approx(0.025 + 0.175)


def test_logistic_fit_recovers_a_known_model():
    import numpy as np

    from aligner.align.calibrate import fit_logistic, predict

    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(4000), rng.normal(size=4000)])
    true_w = np.array([0.5, 2.0])
    y = (rng.random(4000) < predict(x, true_w)).astype(float)
    w = fit_logistic(x, y, l2=0.0)
    assert w == pytest.approx(true_w, abs=0.2)


def test_calibrated_scores_are_probabilities():
    from aligner.align.calibrate import apply_calibration, load_params

    beads = [Bead((0,), (0,), 1.0, {"lex": 0.8, "cov_zh": 0.8, "cov_en": 0.7, "posterior": 0.99,
                                    "margin": 1.0}),
             Bead((1,), (), 1.0, {"lex": 0.0, "posterior": 0.3})]
    out = apply_calibration(beads)
    if load_params() is None:
        pytest.skip("no shipped calibration parameters")
    assert all(0.0 < b.score < 1.0 for b in out)
    assert out[0].score > out[1].score
