"""Joining beads into verses (``aligner/align/joins.py``): fit the model and measure it.

    python benchmarks/joins.py [--shared DIR] [--fit] [--inner-threshold] [--no-adapt]

For every document, the aligner's beads with joining off; every pair of neighbouring beads
that could be joined is a training row (``joins.pair_features``), labelled by whether the
gold has their union as one bead. Only documents ``joins.verse_like`` accepts are used (all of
bible-dev, none of mac-dev); the other genre is reported to show it is left alone.

Leave-one-document-out: each verse document's pairs are scored by a model whose vocabulary,
coefficients and joining rate come from the other documents only, its probabilities are
adapted to the held-out document's own rate (``joins.adapt_prior``, from the probabilities
alone) and the pairs more likely one unit than two are joined (``--inner-threshold``: a
threshold chosen by an inner leave-one-out instead). Prints strict
F1 without and with joins, the joins made and how many were right, and the held-out AUC of
the pair probabilities. ``--fit`` fits on every verse document and writes
``aligner/align/joins.json``. ``skipped: ...`` and exit 0 when the data is missing.

``fold_models`` gives the per-document held-out models to the other benchmarks (``cv.py``,
``calibration.py``), so their figures stay leave-one-document-out too.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIN_COUNT = 30   # an indicator feature is kept when this many training pairs show it
RIDGE = 3.0      # on the standardised columns
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
# With the probabilities adapted to each document's own joining rate (``joins.adapt_prior``)
# a pair is joined when it is more likely one unit than two: no threshold is fitted. (A join
# raises strict F1 when right by about as much as it lowers it when wrong and both parts were
# right, which puts the break-even near 0.5 too.) ``--inner-threshold`` chooses it among
# THRESHOLDS by an inner leave-one-document-out instead.
THRESHOLD = 0.5
ADAPT = True


def doc_rows(doc) -> dict:
    """The aligner's path with joining off, and its candidate pairs' features and labels."""
    from aligner.align import joins as J
    from aligner.align.passes import align_sentences

    beads = align_sentences(doc.zh, doc.en, calibrate=False, join=0)
    path = [(len(b.src_ids), len(b.tgt_ids)) for b in beads]
    gold = {(b.src_ids, b.tgt_ids) for b in doc.gold}
    zmed, emed = J.medians(doc.zh, doc.en)
    cands = J.candidates(path)
    feats = [J.pair_features(doc.zh, doc.en, (z1, e1), (z2, e2), zmed, emed)
             for _, z1, e1, z2, e2 in cands]
    labels = [(tuple(z1) + tuple(z2), tuple(e1) + tuple(e2)) in gold
              for _, z1, e1, z2, e2 in cands]
    return {"doc": doc, "path": path, "q": [c[0] for c in cands], "feats": feats,
            "y": np.array(labels, dtype=np.float64)}


def fit(rows: list[dict], threshold: float | None = THRESHOLD):
    """A JoinModel from the rows of some documents; with ``threshold`` None, the threshold
    is chosen by leave-one-out over those documents."""
    from aligner.align import joins as J
    from aligner.align.calibrate import fit_logistic

    counts = Counter(k for r in rows for f in r["feats"] for k in f if ":" in k)
    vocab = sorted(k for k, c in counts.items() if c >= MIN_COUNT)
    if threshold is None:
        threshold = choose_threshold(rows)
    probe = J.JoinModel(vocab, np.zeros(len(vocab) + len(J.NUMERIC) + 1), threshold)
    x = np.vstack([probe.matrix(r["feats"]) for r in rows])
    y = np.concatenate([r["y"] for r in rows])
    return J.JoinModel(vocab, fit_logistic(x, y, RIDGE, standardize=True), threshold,
                       float(y.mean()) if ADAPT else None)


def joined_counts(row: dict, model) -> tuple[tuple[int, int, int, int], int, int]:
    """Strict counts of a document's beads after joining with ``model``; joins made, right."""
    from cv import doc_counts

    from aligner.align import joins as J

    probs = dict(zip(row["q"], model.probabilities(row["feats"]).tolist(), strict=True)) \
        if row["q"] else {}
    path, parts = J.join_path(row["path"], probs, model.threshold)
    beads = _beads(path)
    gold = {(b.src_ids, b.tgt_ids) for b in row["doc"].gold}
    made = [bd for bd, p in zip(beads, parts, strict=True) if len(p) > 1]
    right = sum((bd.src_ids, bd.tgt_ids) in gold for bd in made)
    return doc_counts(beads, row["doc"].gold), len(made), right


def choose_threshold(rows: list[dict]) -> float:
    """The threshold with the best pooled strict F1 when each document is joined by a model
    fitted on the others (with that threshold)."""
    from cv import f1_of

    if len(rows) < 2:
        return 0.5
    best, best_f1 = 0.5, -1.0
    for th in THRESHOLDS:
        tot = [0, 0, 0, 0]
        for k, r in enumerate(rows):
            model = fit(rows[:k] + rows[k + 1:], th)
            c, _, _ = joined_counts(r, model)
            tot = [x + y for x, y in zip(tot, c, strict=True)]
        f1 = f1_of(tot)
        if f1 > best_f1 + 1e-9:
            best, best_f1 = th, f1
    return best


def fold_models(genres: dict, threshold: float | None = THRESHOLD
                ) -> dict[tuple[str, int], object]:
    """(genre, document index) -> the join model fitted without that document, for every
    verse-like document (the others are never joined)."""
    from aligner.align import joins as J

    rows = {(g, k): doc_rows(d) for g, docs in genres.items() for k, d in enumerate(docs)
            if J.verse_like(len(d.zh), len(d.en))}
    keys = list(rows)
    return {key: fit([rows[k] for k in keys if k != key], threshold) for key in keys}


def main(argv: list[str] | None = None) -> int:
    from cv import doc_counts, f1_of
    from genres import add_shared_option, load_genres

    from aligner.align import joins as J
    from aligner.align.calibrate import roc_auc
    from aligner.common.fileio import atomic_write_text

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap)
    ap.add_argument("--fit", action="store_true", help="refit and write aligner/align/joins.json")
    ap.add_argument("--inner-threshold", action="store_true",
                    help=f"choose the threshold among {THRESHOLDS} by an inner leave-one-out "
                    f"instead of {THRESHOLD}")
    ap.add_argument("--no-adapt", action="store_true",
                    help="one joining rate for every document (no adapt_prior)")
    args = ap.parse_args(argv)
    genres = load_genres(args.shared, args.genre)
    if not genres:
        return 0
    global ADAPT
    ADAPT = not args.no_adapt
    threshold = None if args.inner_threshold else THRESHOLD
    print("| genre | documents | verse-like | strict F1 without joins | with joins (held out) "
          "| joins | right | pair AUC |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    train: list[dict] = []
    for g, docs in genres.items():
        rows = [doc_rows(d) for d in docs]
        verse = [r for r, d in zip(rows, docs, strict=True)
                 if J.verse_like(len(d.zh), len(d.en))]
        train += verse
        before, after = [0, 0, 0, 0], [0, 0, 0, 0]
        made = right = 0
        probs, ys = [], []
        for r in rows:
            plain = doc_counts(_beads(r["path"]), r["doc"].gold)
            before = [x + y for x, y in zip(before, plain, strict=True)]
            if any(v is r for v in verse):
                model = fit([v for v in verse if v is not r], threshold)
                c, mk, rt = joined_counts(r, model)
                made, right = made + mk, right + rt
                if r["q"]:
                    probs.append(model.probabilities(r["feats"]))
                    ys.append(r["y"])
            else:
                c = plain
            after = [x + y for x, y in zip(after, c, strict=True)]
        auc = (f"{roc_auc(np.concatenate(probs), np.concatenate(ys)):.3f}" if probs else "–")
        print(f"| {g} | {len(docs)} | {len(verse)} | {f1_of(before):.4f} | {f1_of(after):.4f} "
              f"| {made} | {right} | {auc} |")
    if args.fit:
        if len(train) < 2:
            print("fewer than two verse-like documents: nothing fitted")
            return 0
        model = fit(train, threshold)
        info = {"fitted_on": f"{len(train)} verse-like documents",
                "pairs": int(sum(len(r["y"]) for r in train)), "min_count": MIN_COUNT,
                "l2_standardised": RIDGE}
        atomic_write_text(J.PARAMS_PATH, model.to_json(info))
        J.load_model.cache_clear()
        print(f"wrote {J.PARAMS_PATH.relative_to(ROOT)}: {len(model.vocab)} indicators, "
              f"threshold {model.threshold}")
    return 0


def _beads(path):
    from aligner.common.types import Bead

    out, i, j = [], 0, 0
    for a, b in path:
        out.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return out


if __name__ == "__main__":
    sys.exit(main())
