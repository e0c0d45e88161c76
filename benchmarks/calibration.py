"""How well the per-bead score works as a probability, on mac-dev and bible-dev.

    python benchmarks/calibration.py [--shared DIR] [--genre G] [--fit] [--by-book]

Prints, per genre, a 10-bin reliability table, the expected calibration error (ECE) and the
ROC AUC of the score for right vs wrong beads (right = the identical bead is in the gold), for
the shipped parameters and with leave-one-document-out cross-validation (each document scored
by a model fitted on all the other documents of both genres: the honest figure). ``--by-book``
adds leave-one-book-out for mac-dev (documents 001-004, 005-008 and 009-012 are three books).
``--by-kind`` splits the held-out AUC by the kind of wrong bead it is measured against: one
inside a gold bead (``cut``: a piece of it), one made of whole gold beads (``union``) or one
crossing a gold boundary (``cross``); the AUC is the mean of these, weighed by their counts.
``--fit`` refits on both genres and writes aligner/align/calibration.json. Every fit weighs
the two genres equally (bible-dev has twice mac-dev's beads), with the ridge ``L2`` on the
standardised features.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from macdev import BOOK_SIZE, ROOT

L2 = 3.0


def main(argv: list[str] | None = None) -> int:
    from genres import add_shared_option, load_genres

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap)
    ap.add_argument("--by-book", action="store_true",
                    help=f"also leave one mac-dev book out (books = {BOOK_SIZE} documents)")
    ap.add_argument("--by-kind", action="store_true",
                    help="held-out AUC against each kind of wrong bead")
    ap.add_argument("--fit", action="store_true",
                    help="refit and write aligner/align/calibration.json")
    args = ap.parse_args(argv)
    genres = load_genres(args.shared, args.genre)
    if not genres:
        return 0
    # verse documents are joined by a model fitted without them (joins.py)
    from joins import fold_models

    from aligner.align import calibrate as C
    from aligner.align.passes import align_sentences
    from aligner.quality.evaluate import bead_correct

    folds = fold_models(genres)
    xs, ys, docs, kinds, wrong = [], [], [], [], []
    n_docs = 0
    for genre, gdocs in genres.items():
        for k, doc in enumerate(gdocs):
            beads = align_sentences(doc.zh, doc.en, calibrate=False,
                                    join_model=folds.get((genre, k)))
            ok = bead_correct(beads, doc.gold)
            wrong += _wrong_kinds(beads, ok, doc.gold)
            xs += list(C.feature_matrix(beads))
            ys += [float(c) for c in ok]
            docs += [n_docs] * len(beads)
            kinds += [genre] * len(beads)
            n_docs += 1
    x, y, d, g = np.array(xs), np.array(ys), np.array(docs), np.array(kinds)
    for genre, gdocs in genres.items():
        sel = g == genre
        print(f"{genre}: {len(gdocs)} documents, {int(sel.sum())} beads, "
              f"{y[sel].mean():.3f} right")
    sw = _genre_weights(g)
    if args.fit:
        w = C.fit_logistic(x, y, L2, weights=sw, standardize=True)
        names = " + ".join(f"{k} ({len(v)} documents)" for k, v in genres.items())
        C.save_params(w, {"fitted_on": names, "beads": int(len(y)),
                          "genres_weighed_equally": True, "l2_standardised": L2})
        C.load_params.cache_clear()
        print(f"wrote {C.PARAMS_PATH.relative_to(ROOT)}")
    w = C.load_params()
    results = [("leave-one-document-out (fitted on the other documents of both genres)",
                _held_out(C, x, y, d, sw))]
    if args.by_book and "mac-dev" in genres:
        # books are the mac-dev documents in fours; every bible-dev document is its own group
        mac = g == "mac-dev"
        groups = np.where(mac, d // BOOK_SIZE, 1000 + d)
        results.append(("leave-one-book-out (mac-dev books; bible-dev by document)",
                        _held_out(C, x, y, groups, sw)))
    if w is not None:
        results.insert(0, ("shipped parameters", C.predict(x, w)))
    else:
        print("no shipped parameters (run with --fit)")
    summary = []
    for name, probs in results:
        for genre in genres:
            sel = g == genre
            print(f"\n{name}, {genre}")
            print("| bin | beads | mean score | accuracy |")
            print("|-----|------:|-----------:|---------:|")
            for r in C.reliability(probs[sel], y[sel]):
                print(f"| {r['lo']:.1f}–{r['hi']:.1f} | {r['n']:5d} | {r['mean_p']:10.3f} "
                      f"| {r['accuracy']:8.3f} |")
            ece = C.expected_calibration_error(probs[sel], y[sel])
            auc = C.roc_auc(probs[sel], y[sel])
            print(f"ECE {ece:.4f}   ROC AUC {auc:.4f}")
            summary.append((name.split(" (")[0], genre, auc, ece))
    print("\n| parameters | genre | AUC | ECE |\n|---|---|---:|---:|")
    for name, genre, auc, ece in summary:
        print(f"| {name} | {genre} | {auc:.4f} | {ece:.4f} |")
    if args.by_kind:
        held, kind = results[1 if w is not None else 0][1], np.array(wrong)
        print("\nleave-one-document-out AUC of the right beads against each kind of wrong bead")
        print("| genre | kind | wrong beads | AUC |\n|---|---|---:|---:|")
        for genre in genres:
            sel = g == genre
            right = np.sort(held[sel & (y == 1)])
            for k in ("cut", "union", "cross"):
                v = held[sel & (kind == k)]
                if len(v):
                    # share of right beads above each wrong one (ties half), averaged
                    above = len(right) - np.searchsorted(right, v, "right")
                    ties = np.searchsorted(right, v, "right") - np.searchsorted(right, v, "left")
                    auc = float(np.mean((above + 0.5 * ties) / len(right)))
                    print(f"| {genre} | {k} | {len(v)} | {auc:.4f} |")
    return 0


def _wrong_kinds(beads, ok, gold) -> list[str]:
    """Per bead "" (right) or the kind of wrong bead it is (see ``--by-kind``)."""
    where = {}
    for n, g in enumerate(gold):
        where.update({("zh", i): n for i in g.src_ids})
        where.update({("en", j): n for j in g.tgt_ids})
    out = []
    for b, right in zip(beads, ok, strict=True):
        if right:
            out.append("")
            continue
        hit = {where[("zh", i)] for i in b.src_ids} | {where[("en", j)] for j in b.tgt_ids}
        whole = all(set(gold[n].src_ids) <= set(b.src_ids)
                    and set(gold[n].tgt_ids) <= set(b.tgt_ids) for n in hit)
        out.append("cut" if len(hit) == 1 else "union" if whole else "cross")
    return out


def _genre_weights(genres: np.ndarray) -> np.ndarray:
    """Row weights giving every genre the same total (the mean weight stays 1)."""
    kinds = np.unique(genres)
    sw = np.ones(len(genres))
    for k in kinds:
        sel = genres == k
        sw[sel] = len(genres) / (len(kinds) * sel.sum())
    return sw


def _held_out(C, x: np.ndarray, y: np.ndarray, groups: np.ndarray,
              sw: np.ndarray) -> np.ndarray:
    """Each group's beads scored by a model fitted on all the other groups."""
    out = np.zeros(len(y))
    for g in np.unique(groups):
        test = groups == g
        w = C.fit_logistic(x[~test], y[~test], L2, weights=sw[~test], standardize=True)
        out[test] = C.predict(x[test], w)
    return out


if __name__ == "__main__":
    sys.exit(main())
