"""How well the per-bead score works as a probability, on mac-dev.

    python benchmarks/calibration.py [--bench DIR] [--fit] [--by-book]

Prints a 10-bin reliability table, the expected calibration error (ECE) and the ROC AUC of the
score for right vs wrong beads (right = the identical bead is in the gold), for the shipped
parameters and with leave-one-document-out cross-validation (each document scored by a model
fitted on the other eleven: the honest figure). ``--by-book`` adds leave-one-book-out (mac-dev's
documents 001-004, 005-008 and 009-012 are three books; each is scored by a model fitted on the
other two: stricter still, since features are chosen by the leave-one-document-out figure).
``--fit`` refits on all of mac-dev and writes aligner/align/calibration.json.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from macdev import BOOK_SIZE, ROOT, add_bench_option, load_docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bench_option(ap, by_book=True)
    ap.add_argument("--fit", action="store_true", help="refit and write aligner/data/")
    args = ap.parse_args(argv)
    mac = load_docs(args.bench)
    if mac is None:
        return 0
    from aligner.align import calibrate as C
    from aligner.align.passes import align_sentences
    from aligner.quality.evaluate import bead_correct

    ids = [d.name for d in mac]
    xs, ys, docs = [], [], []
    for k, doc in enumerate(mac):
        beads = align_sentences(doc.zh, doc.en, calibrate=False)
        ok = bead_correct(beads, doc.gold)
        xs += [C.feature_vector(b) for b in beads]
        ys += [float(c) for c in ok]
        docs += [k] * len(beads)
    x, y, d = np.array(xs), np.array(ys), np.array(docs)
    print(f"mac-dev: {len(ids)} documents, {len(y)} beads, {y.mean():.3f} right")
    if args.fit:
        w = C.fit_logistic(x, y)
        C.save_params(w, {"fitted_on": "mac-dev (12 documents)", "beads": int(len(y))})
        C.load_params.cache_clear()
        print(f"wrote {C.PARAMS_PATH.relative_to(ROOT)}")
    w = C.load_params()
    results = [("leave-one-document-out", _held_out(C, x, y, d))]
    if args.by_book:
        results.append(("leave-one-book-out", _held_out(C, x, y, d // BOOK_SIZE)))
    if w is not None:
        results.insert(0, ("shipped parameters (fitted on all of mac-dev)", C.predict(x, w)))
    else:
        print("no shipped parameters (run with --fit)")
    for name, probs in results:
        print(f"\n{name}")
        print("| bin | beads | mean score | accuracy |")
        print("|-----|------:|-----------:|---------:|")
        for r in C.reliability(probs, y):
            print(f"| {r['lo']:.1f}–{r['hi']:.1f} | {r['n']:5d} | {r['mean_p']:10.3f} "
                  f"| {r['accuracy']:8.3f} |")
        print(f"ECE {C.expected_calibration_error(probs, y):.4f}   "
              f"ROC AUC {C.roc_auc(probs, y):.4f}")
    return 0


def _held_out(C, x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each group's beads scored by a model fitted on all the other groups."""
    out = np.zeros(len(y))
    for g in np.unique(groups):
        test = groups == g
        out[test] = C.predict(x[test], C.fit_logistic(x[~test], y[~test]))
    return out


if __name__ == "__main__":
    sys.exit(main())
