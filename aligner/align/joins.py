"""Joining neighbouring beads that one outside unit spans: verses.

In verse-numbered text the lines follow the verses, and a verse that holds two sentences is
cut into two lines on each side (bible-dev: a Chinese line is a sentence or the end of a
verse, an English line a verse or a sentence of one). The alignment unit is the verse, but
the dynamic program sees two well-matched halves and prefers two 1-1 beads to one 2-2: each
half explains itself. Whether a boundary that both sides show is a verse boundary is not in
the words but in how the lines end and begin (a Chinese line ending in a comma or an
English one in a colon ends its verse; a line opening with a connective continues one) and
in how long the pieces are against the document's usual line.

So after the search, every pair of neighbouring beads with both sides filled gets the
probability that together they are one unit, from a logistic model on those cues
(``pair_features``), fitted on bible-dev by ``benchmarks/joins.py --fit`` and shipped as
``joins.json``. Those probabilities are re-weighed for how often verses hold two sentences
in the stretch around each pair, estimated from the probabilities themselves
(``adapt_prior``: books differ), and a pair above the model's threshold (0.5: more likely
one unit than two) becomes one bead.

This runs only on lines the user gave (``align_sentences``: a presegmented pair), never on
records the reader segmented itself (``align_segments``: sentences on both sides, by our own
rules), and only on documents that look like verse text in the one way measured to tell the
genres apart: the Chinese side has clearly more lines than the English (``verse_like``; 1.28
to 1.39 Chinese lines per English line on bible-dev, 0.61 to 0.94 on mac-dev). Literary
prose keeps the search's beads untouched. A presegmented document of a third kind with many
more Chinese than English lines would get the verse model, which is untested there.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .calibrate import predict

PARAMS_PATH = Path(__file__).with_name("joins.json")

# Chinese lines per English line above which a document is treated as verse text (log 1.1;
# bible-dev's lowest is log 1.28 = 0.25, mac-dev's highest log 0.94 = -0.06)
MIN_LOG_RATIO = math.log(1.1)
# a share of lines says something about a document, not about a stretch of a few lines (the
# review's re-alignment of the sentences between confirmed beads)
MIN_LINES = 100
# the most sentences on one side of a joined bead (the search's own longest is 6)
MAX_SIDE = 6
NUMERIC = ("en_first", "en_second", "en_shorter", "en_both", "zh_shorter", "zh_both",
           "mismatch")


def verse_like(n_src: int, n_tgt: int) -> bool:
    """Whether a pair of ``n_src`` Chinese and ``n_tgt`` English lines is treated as verse
    text (see the module's docstring): at least ``MIN_LINES`` a side."""
    return (min(n_src, n_tgt) >= MIN_LINES
            and math.log(n_src / n_tgt) > MIN_LOG_RATIO)


def _last(line: str) -> str:
    s = line.rstrip()
    return s[-1:] if s else ""


def pair_features(src: Sequence[str], tgt: Sequence[str], first: tuple[range, range],
                  second: tuple[range, range], src_median: float,
                  tgt_median: float) -> dict[str, float]:
    """What tells one unit cut in two from two units, for neighbouring beads ``first`` and
    ``second`` (their Chinese and English line ranges): how each ends (last character of
    its last line on each side), how the second begins (first character of its Chinese
    line), the lengths against the document's median line (log), and how differently the
    two pieces divide the two sides (``mismatch``: two verses are each translated whole, so
    their shares of the pair agree; the sentence breaks inside one verse fall where each
    translation puts them)."""
    (z1, e1), (z2, e2) = first, second
    f = {
        "zh_end1:" + _last(src[z1[-1]]): 1.0,
        "en_end1:" + _last(tgt[e1[-1]]): 1.0,
        "zh_end2:" + _last(src[z2[-1]]): 1.0,
        "en_end2:" + _last(tgt[e2[-1]]): 1.0,
        "zh_start2:" + src[z2[0]].lstrip()[:1]: 1.0,
    }
    le1 = max(sum(len(tgt[j]) for j in e1), 1) / tgt_median
    le2 = max(sum(len(tgt[j]) for j in e2), 1) / tgt_median
    lz1 = max(sum(len(src[i]) for i in z1), 1) / src_median
    lz2 = max(sum(len(src[i]) for i in z2), 1) / src_median
    f.update(en_first=math.log(le1), en_second=math.log(le2),
             en_shorter=math.log(min(le1, le2)), en_both=math.log(le1 + le2),
             zh_shorter=math.log(min(lz1, lz2)), zh_both=math.log(lz1 + lz2),
             mismatch=abs(math.log(le1 / le2) - math.log(lz1 / lz2)))
    return f


def candidates(path: Sequence[tuple[int, int]]) -> list[tuple[int, range, range, range, range]]:
    """Neighbouring beads of a path that could be joined: both filled on both sides, and
    the union no longer than ``MAX_SIDE`` on either. (q, zh and en ranges of bead q, of
    bead q + 1)."""
    out = []
    i = j = 0
    spans = []
    for a, b in path:
        spans.append((range(i, i + a), range(j, j + b)))
        i, j = i + a, j + b
    for q in range(len(spans) - 1):
        (z1, e1), (z2, e2) = spans[q], spans[q + 1]
        if (len(z1) and len(e1) and len(z2) and len(e2)
                and len(z1) + len(z2) <= MAX_SIDE and len(e1) + len(e2) <= MAX_SIDE):
            out.append((q, z1, e1, z2, e2))
    return out


def medians(src: Sequence[str], tgt: Sequence[str]) -> tuple[float, float]:
    """The document's median line length on each side (characters, at least 1)."""
    return (max(float(np.median([len(s) for s in src])), 1.0) if src else 1.0,
            max(float(np.median([len(t) for t in tgt])), 1.0) if tgt else 1.0)


# candidate pairs (about as many as verses) over which a joining rate is measured: a few
# chapters, so that a whole Bible, whose books differ, is adapted book by book (bible-dev
# held out: 0.855-0.860 strict F1 for 400 to 800, per document and with the five documents
# in one stream; one rate for the stream 0.845)
RATE_WINDOW = 600


def adapt_prior(probs: np.ndarray, base_rate: float, window: int = RATE_WINDOW,
                iterations: int = 100) -> np.ndarray:
    """``probs`` (candidate pairs in text order) from a model whose training pairs were one
    unit at ``base_rate``, re-weighed for the rate of the stretch they come from, estimated
    from the probabilities themselves by expectation-maximisation: a shift of the class
    prior, the cues keeping their meaning. Books differ in how often a verse holds two
    sentences (bible-dev: 3 to 22 in 100 beads), and one rate for all joins too much in some
    and too little in others. The rate at each pair is the mean over the ``window`` pairs
    around it."""
    p = np.clip(np.asarray(probs, dtype=np.float64), 1e-6, 1 - 1e-6)
    n = len(p)
    if not n or not 0.0 < base_rate < 1.0:
        return p
    logit = np.log(p / (1 - p))
    base = np.log(base_rate / (1 - base_rate))
    half = window // 2
    lo = np.clip(np.arange(n) - half, 0, None)
    hi = np.clip(np.arange(n) + half + 1, None, n)
    shift = np.zeros(n)
    for _ in range(iterations):
        post = 1 / (1 + np.exp(-(logit + shift)))
        sums = np.concatenate(([0.0], np.cumsum(post)))
        rate = np.clip((sums[hi] - sums[lo]) / (hi - lo), 1e-4, 1 - 1e-4)
        new = np.log(rate / (1 - rate)) - base
        done = float(np.max(np.abs(new - shift))) < 1e-6
        shift = new
        if done:
            break
    return 1 / (1 + np.exp(-(logit + shift)))


class JoinModel:
    """A logistic model over ``pair_features``: the vocabulary of its indicator features,
    the coefficients (bias first, then the vocabulary, then ``NUMERIC``), the threshold
    above which a pair is joined, and the share of its training pairs that were one unit
    (``base_rate``; None: probabilities are not adapted to the document)."""

    def __init__(self, vocab: Sequence[str], coefficients: Sequence[float],
                 threshold: float, base_rate: float | None = None) -> None:
        self.vocab = list(vocab)
        self.columns = {name: k + 1 for k, name in enumerate(self.vocab)}
        for k, name in enumerate(NUMERIC):
            self.columns[name] = len(self.vocab) + 1 + k
        self.w = np.asarray(coefficients, dtype=np.float64)
        if len(self.w) != len(self.columns) + 1:
            raise ValueError("join model: coefficients do not match its features")
        self.threshold = float(threshold)
        self.base_rate = None if base_rate is None else float(base_rate)

    def row(self, f: dict[str, float]) -> np.ndarray:
        x = np.zeros(len(self.w))
        x[0] = 1.0
        for name, v in f.items():
            k = self.columns.get(name)
            if k is not None:
                x[k] = v
        return x

    def matrix(self, feats: Sequence[dict[str, float]]) -> np.ndarray:
        return np.array([self.row(f) for f in feats]).reshape(len(feats), len(self.w))

    def probabilities(self, feats: Sequence[dict[str, float]], adapt: bool = True
                      ) -> np.ndarray:
        """The probabilities of one document's candidate pairs, in text order (adapted to
        the joining rate around each unless ``adapt`` is false)."""
        p = predict(self.matrix(feats), self.w)
        return p if self.base_rate is None or not adapt else adapt_prior(p, self.base_rate)

    def to_json(self, info: dict) -> str:
        return json.dumps({"model": "logistic", "vocab": self.vocab, "numeric": list(NUMERIC),
                           "coefficients": [round(float(v), 6) for v in self.w],
                           "threshold": self.threshold, "base_rate": self.base_rate,
                           **info}, indent=1,
                          ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> JoinModel | None:
    """The shipped model (None when missing or made for other features: no joins then)."""
    p = Path(path) if path else PARAMS_PATH
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if tuple(data.get("numeric", ())) != NUMERIC:
            return None
        return JoinModel(data["vocab"], data["coefficients"], data["threshold"],
                         data.get("base_rate"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def join_probabilities(src: Sequence[str], tgt: Sequence[str],
                       path: Sequence[tuple[int, int]],
                       model: JoinModel) -> dict[int, float]:
    """Bead index q -> probability that beads q and q + 1 of ``path`` are one unit, for the
    candidate pairs, from the cues alone (``adapted`` re-weighs them for the joining rate
    around each pair)."""
    cands = candidates(path)
    if not cands:
        return {}
    zmed, emed = medians(src, tgt)
    feats = [pair_features(src, tgt, (z1, e1), (z2, e2), zmed, emed)
             for _, z1, e1, z2, e2 in cands]
    probs = model.probabilities(feats, adapt=False)
    return {c[0]: float(p) for c, p in zip(cands, probs.tolist(), strict=True)}


def adapted(probs: dict[int, float], model: JoinModel) -> dict[int, float]:
    """``join_probabilities`` adapted to the joining rate around each pair, as
    ``JoinModel.probabilities`` gives them (the model evaluated once for both)."""
    if model.base_rate is None or not probs:
        return dict(probs)
    qs = sorted(probs)
    p = adapt_prior(np.array([probs[q] for q in qs]), model.base_rate)
    return dict(zip(qs, p.tolist(), strict=True))


def join_path(path: Sequence[tuple[int, int]], probs: dict[int, float],
              threshold: float) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """The path with pairs above ``threshold`` made one bead, and for each new bead the
    indices of the old beads it is made of. A bead joins at most once (no chains of three);
    where two overlapping pairs qualify, the set of pairs with the largest total margin
    over the threshold is taken (a small dynamic program over the path)."""
    n = len(path)
    best = [0.0] * (n + 1)  # best[q]: the largest total margin over beads q ..
    take = [False] * (n + 1)
    for q in range(n - 2, -1, -1):
        best[q] = best[q + 1]
        gain = probs.get(q, 0.0) - threshold
        if gain > 0 and gain + best[q + 2] > best[q]:
            best[q], take[q] = gain + best[q + 2], True
    out: list[tuple[int, int]] = []
    parts: list[list[int]] = []
    q = 0
    while q < n:
        if take[q]:
            (a1, b1), (a2, b2) = path[q], path[q + 1]
            out.append((a1 + a2, b1 + b2))
            parts.append([q, q + 1])
            q += 2
        else:
            out.append(tuple(path[q]))
            parts.append([q])
            q += 1
    return out, parts
