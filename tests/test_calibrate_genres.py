"""The calibration model's document-level parts: weighted, standardised fitting and the
features measured against the document's own beads."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import calibrate as C
from aligner.common.types import Bead


def _doc(shape: tuple[int, int], posteriors: list[float]) -> list[Bead]:
    beads, i, j = [], 0, 0
    a, b = shape
    for p in posteriors:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 1.0,
                          {"posterior": p, "prior": 0.8, "lex": 0.5}))
        i, j = i + a, j + b
    return beads


def test_fit_with_standardised_columns_returns_raw_coefficients():
    rng = np.random.default_rng(1)
    x = np.column_stack([np.ones(6000), rng.normal(5.0, 20.0, 6000), rng.normal(size=6000)])
    true_w = np.array([-0.5, 0.05, 1.5])
    y = (rng.random(6000) < C.predict(x, true_w)).astype(float)
    w = C.fit_logistic(x, y, l2=0.0, standardize=True)
    assert w == pytest.approx(true_w, abs=0.15)


def test_row_weights_act_like_repeated_rows():
    rng = np.random.default_rng(2)
    x = np.column_stack([np.ones(300), rng.normal(size=300)])
    y = (rng.random(300) < 0.3 + 0.4 * (x[:, 1] > 0)).astype(float)
    twice = np.r_[np.ones(100) * 2, np.ones(200)]
    repeated = np.r_[np.arange(100), np.arange(300)]
    w_weighted = C.fit_logistic(x, y, weights=twice)
    w_repeated = C.fit_logistic(x[repeated], y[repeated])
    assert w_weighted == pytest.approx(w_repeated, abs=1e-6)


def test_gate_follows_the_sentence_ratio_and_ranks_are_within_the_document():
    posts = [0.5, 0.9, 0.99, 0.7]
    more_zh = C.feature_matrix(_doc((2, 1), posts))
    more_en = C.feature_matrix(_doc((1, 2), posts))
    gate = C.MODEL_FEATURES.index("gate")
    assert more_zh[0, gate] > 0.9 and more_en[0, gate] < -0.9
    # the rank of a posterior depends on the other beads of its document, not its value
    rank = C.MODEL_FEATURES.index("r_logit_posterior")
    shifted = C.feature_matrix(_doc((2, 1), [p * 0.5 for p in posts]))
    assert list(more_zh[:, rank]) == list(shifted[:, rank])
    assert more_zh[2, rank] == max(more_zh[:, rank])
    # each gated column is its plain column times the gate
    col = C.MODEL_FEATURES.index("lex")
    assert more_en[:, C.MODEL_FEATURES.index("gate*lex")] == pytest.approx(
        more_en[:, col] * more_en[0, gate])
