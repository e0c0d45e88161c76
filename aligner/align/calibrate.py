"""Turning the aligner's bead features into a probability that the bead is right.

A logistic regression on a handful of features, fitted on mac-dev and bible-dev (each genre
weighing the same) by ``benchmarks/calibration.py --fit`` (never on a test file) and shipped
as ``aligner/align/calibration.json``. Fitting is Newton-Raphson (IRLS) in numpy.

The features are the bead's own (``feature_vector``), a few measured against the other beads
of the same document (``feature_matrix``), and all of them again multiplied by ``gate``, a
smooth sign (-1 .. 1) of the log ratio of Chinese to English sentences in the document.
The evidence that tells a right bead from a wrong one is not the same in every kind of
document: in literary prose (fewer Chinese than English sentences) the DP posterior is the
best single sign; in verse-numbered text (more Chinese than English sentences, one verse
often split into sentences on both sides) nearly every posterior is high, and what counts is
how the bead ranks among the document's own beads, its type and its size (a short 1-1 bead is
often half a verse).
The gate lets one model weigh the features differently in the two. It is, in effect, a genre
switch learned from two genres: a document of a third kind gets the weighting of the genre
its sentence ratio resembles (or a blend, near a ratio of 1), which is untested.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..common.types import Bead

PARAMS_PATH = Path(__file__).with_name("calibration.json")
SKIP_PARAMS_PATH = Path(__file__).with_name("record_skips.json")

FEATURES = ("bias", "lex", "min_cov", "max_cov", "abs_len_delta", "log_units", "log_margin",
            "is_1_1", "is_skip", "is_many", "sentences", "part", "lost", "log_prior", "stable",
            "spill_en", "spill_zh", "logit_posterior", "logit_nb_posterior", "nb_margin",
            "max_side", "stray", "spill_over_cov", "log_unexplained", "merge_gain",
            "nb_skip", "nb_stray", "edge", "doc_side", "join_p", "joined", "is_joined",
            "edge_ev", "end_comma", "end_clause", "end_q", "prev_comma", "prev_clause",
            "prev_q")


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
        # verse text (joins.py): how likely the bead is half of a verse it was not joined
        # into (as a logit, floored at 0.05, the value of every bead elsewhere: raw, the
        # leave-one-document-out AUC on bible-dev was 0.817 instead of 0.823); for a joined
        # bead, how sure the join was. From the cues alone, before the probabilities were
        # adapted to the joining rate around the pair: adapted, they rank beads across
        # stretches of different rates worse (bible-dev 0.791 instead of 0.806 held out)
        _logit(max(f.get("join_p_raw", 0.0), 0.05)),
        f.get("joined_raw", 0.0),
        float(f.get("joined", 0.0) > 0),
        # how well the bead's edge sentences match it against the sentence across the
        # boundary (passes._path_evidence); on verse text, how the lines at its two
        # boundaries end (passes._boundary_cues)
        f.get("edge_ev", 0.0),
        f.get("end_comma", 0.0),
        f.get("end_clause", 0.0),
        f.get("end_q", 0.0),
        f.get("prev_comma", 0.0),
        f.get("prev_clause", 0.0),
        f.get("prev_q", 0.0),
    ]


# features measured against the document's other beads (see _doc_relative)
DOC_FEATURES = ("r_logit_posterior", "z_log_prior")
BEAD_FEATURES = FEATURES[1:] + DOC_FEATURES
# log(Chinese / English sentences) is -0.49..-0.06 on mac-dev, 0.25..0.33 on bible-dev; over
# this scale the gate saturates (0.05 / 0.1 / 0.2 gave leave-one-document-out AUC mac-dev
# 0.858 / 0.856 / 0.851, bible-dev 0.812 / 0.813 / 0.815), so a document far off either range
# gets one of the two fitted weightings, not an extrapolation
GATE_SCALE = 0.1
# not gated: at most 0.2 % of bible-dev's beads are skips or have a skip beside them, and
# before joins.py none was many-to-many in the aligner's output, so a verse-text weight of
# their own is unidentified (the fit cancelled the skip penalty there, scoring a lone 1-0
# bead above a good 1-1); the join features and the line-end cues are 0 on every document
# that is not verse text, so a gated copy would only repeat them
UNGATED = ("is_skip", "is_many", "nb_skip", "join_p", "joined", "is_joined", "end_comma",
           "end_clause", "end_q", "prev_comma", "prev_clause", "prev_q")
GATED = tuple(n for n in BEAD_FEATURES if n not in UNGATED)
MODEL_FEATURES = ("bias", *BEAD_FEATURES, "gate", *(f"gate*{n}" for n in GATED))


def feature_matrix(beads: Sequence[Bead]) -> np.ndarray:
    """One row per bead of one document, columns ``MODEL_FEATURES``."""
    if not beads:
        return np.zeros((0, len(MODEL_FEATURES)))
    base = np.array([feature_vector(b) for b in beads], dtype=np.float64)
    rel = _doc_relative(beads, base)
    own = np.column_stack([base[:, 1:], rel])
    n = sum(len(b.src_ids) for b in beads)
    m = sum(len(b.tgt_ids) for b in beads)
    gate = math.tanh(math.log(max(n, 1) / max(m, 1)) / GATE_SCALE)
    gated = own[:, [BEAD_FEATURES.index(k) for k in GATED]]
    return np.column_stack([base[:, :1], own, np.full(len(beads), gate), gated * gate])


def _doc_relative(beads: Sequence[Bead], base: np.ndarray) -> np.ndarray:
    """The ``DOC_FEATURES``: the posterior's rank among the document's beads and the bead
    type's log prior as a z-score among them. What counts as doubtful differs between
    documents: on verse text nearly every posterior is above 0.9, and a 1-1 bead (the
    commonest type, highest prior) is often half of a verse the gold keeps whole."""
    col = {name: base[:, k] for k, name in enumerate(FEATURES)}
    return np.column_stack([_rank(col["logit_posterior"]), _zscore(col["log_prior"])])


def _zscore(v: np.ndarray) -> np.ndarray:
    return (v - np.median(v)) / (np.std(v) + 1e-9) if len(v) > 1 else np.zeros(len(v))


def _rank(v: np.ndarray) -> np.ndarray:
    """Mid-rank as a share of the document's beads (tied beads, e.g. the many posteriors at
    the clip, share one value)."""
    s = np.sort(v)
    return (np.searchsorted(s, v, "left") + np.searchsorted(s, v, "right")) / (2.0 * len(v))


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50,
                 weights: np.ndarray | None = None, standardize: bool = False) -> np.ndarray:
    """Logistic regression by Newton-Raphson with a small ridge (bias, column 0, not
    penalised). ``weights`` weigh the rows (one genre as much as another); ``standardize``
    applies the ridge to the columns scaled to unit variance (so it treats a feature and its
    gated copy alike) and returns coefficients for the unscaled columns."""
    sw = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    mu = np.zeros(x.shape[1])
    sd = np.ones(x.shape[1])
    if standardize:
        mu[1:] = x[:, 1:].mean(axis=0)
        sd[1:] = x[:, 1:].std(axis=0) + 1e-9
        x = (x - mu) / sd
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ ((p - y) * sw) + penalty * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    w = w / sd
    w[0] -= float(w[1:] @ mu[1:])
    return w


def predict(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


@lru_cache(maxsize=1)
def load_params(path: str | None = None) -> np.ndarray | None:
    return _read_params(Path(path) if path else PARAMS_PATH, MODEL_FEATURES)


def _read_params(path: Path, features: Sequence[str]) -> np.ndarray | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != tuple(features):
        return None  # parameters for another feature set: better uncalibrated than wrong
    return np.array(data["coefficients"], dtype=np.float64)


def save_params(w: np.ndarray, info: dict, path: Path = PARAMS_PATH,
                features: Sequence[str] = MODEL_FEATURES) -> None:
    from ..common.fileio import atomic_write_text

    data = {"model": "logistic", "features": list(features),
            "coefficients": [round(float(v), 6) for v in w], **info}
    atomic_write_text(path, json.dumps(data, indent=2) + "\n")


# Unmatched beads in records. The model above learnt from alignments with the general
# settings, where a 1-0 / 0-1 bead is nearly always a sentence the search failed to place
# (it scores them 0.003-0.5); a record is aligned with settings that make a sentence with no
# partner cheap to leave unmatched (passes.RECORD_DEFAULTS), and there such a bead is usually
# a sentence one version left out. These few features score it instead, fitted by
# ``benchmarks/skips.py --fit`` on mac-dev and bible-dev aligned with the records' settings
# after deleting sentences from one side (never on a record): the skipped sentence's length
# is the strongest sign (a long sentence with nothing matching it is not a stray fragment).
SKIP_FEATURES = ("bias", "logit_posterior", "log_margin", "logit_nb_posterior", "log_units",
                 "nb_margin")


def skip_matrix(beads: Sequence[Bead]) -> np.ndarray:
    """One row per (unmatched) bead, columns ``SKIP_FEATURES``."""
    idx = [FEATURES.index(n) for n in SKIP_FEATURES]
    rows = np.array([feature_vector(b) for b in beads], dtype=np.float64)
    return rows.reshape(len(beads), len(FEATURES))[:, idx]


@lru_cache(maxsize=1)
def load_skip_params(path: str | None = None) -> np.ndarray | None:
    return _read_params(Path(path) if path else SKIP_PARAMS_PATH, SKIP_FEATURES)


def apply_calibration(beads: Sequence[Bead], params: np.ndarray | None = None,
                      records: bool = False) -> list[Bead]:
    """Beads with ``score`` = calibrated probability of being right (unchanged if no params).
    ``beads`` are one document's, in order: some features compare a bead with the others.
    With ``records`` (aligned with ``passes.RECORD_DEFAULTS``) an unmatched bead is scored by
    the records' own model (``skip_matrix``)."""
    w = params if params is not None else load_params()
    if w is None or not beads:
        return list(beads)
    probs = predict(feature_matrix(beads), w)
    ws = load_skip_params() if records else None
    if ws is not None:
        alone = [k for k, b in enumerate(beads) if not (b.src_ids and b.tgt_ids)]
        if alone:
            probs[alone] = predict(skip_matrix([beads[k] for k in alone]), ws)
    # built directly: dataclasses.replace re-inspects the fields for every bead (0.5 s on 30k)
    return [Bead(b.src_ids, b.tgt_ids, float(p), b.features)
            for b, p in zip(beads, probs.tolist(), strict=True)]


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
