"""Turning the aligner's bead features into a probability that the bead is right.

A logistic regression on a handful of features, fitted on mac-dev by
``benchmarks/calibration.py --fit`` (never on a test file) and shipped as
``aligner/align/calibration.json``. Fitting is Newton-Raphson (IRLS) in numpy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..common.types import Bead

PARAMS_PATH = Path(__file__).with_name("calibration.json")

FEATURES = ("bias", "lex", "min_cov", "max_cov", "abs_len_delta", "log_units", "log_margin",
            "is_1_1", "is_skip", "is_many", "sentences", "part", "lost", "log_prior", "stable",
            "spill_en", "spill_zh", "logit_posterior", "logit_nb_posterior", "nb_margin",
            "max_side", "stray", "spill_over_cov", "log_unexplained", "merge_gain",
            "nb_skip", "nb_stray", "edge", "doc_side")


def feature_vector(bead: Bead) -> list[float]:
    f = bead.features
    a, b = len(bead.src_ids), len(bead.tgt_ids)
    cov_zh, cov_en = f.get("cov_zh", 0.0), f.get("cov_en", 0.0)
    # one form per quantity (the logit of a posterior, not also the posterior itself): with
    # both, the fit spreads weight over near-copies and does worse on unseen documents
    # (leave-one-document-out AUC 0.834 -> 0.837 from dropping the copies alone)
    return [
        1.0,
        f.get("lex", 0.0),
        min(cov_zh, cov_en),
        max(cov_zh, cov_en),
        min(abs(f.get("len_delta", 0.0)), 5.0),
        math.log1p(f.get("nz", 0.0) + f.get("ne", 0.0)),
        # margins are in score units; beyond ~1 the path choice is not in doubt
        math.log(max(f.get("margin", 0.0), 0.0) + 0.01),
        float(a == 1 and b == 1),
        float(a == 0 or b == 0),
        float(a > 1 and b > 1),
        float(a + b),
        min(f.get("part", 1.0), 1.0),
        min(f.get("lost", 0.0), 3.0),
        math.log(max(f.get("prior", 0.5), 1e-4)),
        f.get("stable", 0.0),
        f.get("spill_en", 0.0),
        f.get("spill_zh", 0.0),
        _logit(f.get("posterior", 0.5)),
        _logit(f.get("nb_posterior", 1.0)),
        min(max(f.get("nb_margin", 10.0), 0.0), 1.5),
        float(max(a, b)),  # long beads (1-4 .. 1-6) are right less often
        # sentences whose best match is just outside the bead; matches leaking into the
        # neighbours beyond the bead's own coverage; units left unexplained
        f.get("stray", 0.0),
        max(f.get("spill_en", 0.0), f.get("spill_zh", 0.0)) - min(cov_zh, cov_en),
        math.log1p(max(f.get("nz", 0.0) - f.get("cz", 0.0), 0.0)
                   + max(f.get("ne", 0.0) - f.get("ce", 0.0), 0.0)),
        # beyond the bead (align._context_features): would merging it with a neighbour cost
        # little; is a neighbour a skip or a bead with a stray sentence (a wrong boundary is
        # shared); how far from the pinned ends of the path; how much the document's
        # translation splits and joins sentences (a harder document has more wrong beads)
        min(max(f.get("merge_gain", -3.0), -3.0), 1.0),
        f.get("nb_skip", 0.0),
        f.get("nb_stray", 0.0),
        f.get("edge", 0.25),
        f.get("doc_side", 1.3),
    ]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> np.ndarray:
    """Logistic regression by Newton-Raphson with a small ridge (bias not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


@lru_cache(maxsize=1)
def load_params(path: str | None = None) -> np.ndarray | None:
    p = Path(path) if path else PARAMS_PATH
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None  # parameters for another feature set: better uncalibrated than wrong
    return np.array(data["coefficients"], dtype=np.float64)


def save_params(w: np.ndarray, info: dict, path: Path = PARAMS_PATH) -> None:
    from ..common.fileio import atomic_write_text

    data = {"model": "logistic", "features": list(FEATURES),
            "coefficients": [round(float(v), 6) for v in w], **info}
    atomic_write_text(path, json.dumps(data, indent=2) + "\n")


def apply_calibration(beads: Sequence[Bead], params: np.ndarray | None = None) -> list[Bead]:
    """Beads with ``score`` = calibrated probability of being right (unchanged if no params)."""
    w = params if params is not None else load_params()
    if w is None or not beads:
        return list(beads)
    x = np.array([feature_vector(b) for b in beads])
    probs = predict(x, w)
    return [replace(b, score=float(p)) for b, p in zip(beads, probs, strict=True)]


def reliability(probs: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict]:
    """Equal-width bins: count, mean predicted probability, observed accuracy."""
    rows = []
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(probs, edges[1:-1]), 0, bins - 1)
    for k in range(bins):
        sel = idx == k
        n = int(sel.sum())
        rows.append({"lo": float(edges[k]), "hi": float(edges[k + 1]), "n": n,
                     "mean_p": float(probs[sel].mean()) if n else 0.0,
                     "accuracy": float(correct[sel].mean()) if n else 0.0})
    return rows


def expected_calibration_error(probs: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    total = len(probs)
    return sum(r["n"] / total * abs(r["mean_p"] - r["accuracy"])
               for r in reliability(probs, correct, bins) if r["n"]) if total else 0.0


def roc_auc(probs: np.ndarray, correct: np.ndarray) -> float:
    """Probability that a right bead scores above a wrong one (ties count half)."""
    pos = probs[correct.astype(bool)]
    neg = probs[~correct.astype(bool)]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    # average ranks over ties
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    is_pos = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])[order]
    r_pos = ranks[is_pos == 1].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))
