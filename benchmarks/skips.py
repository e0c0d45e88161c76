"""Sentences one version of a record leaves out: are they found as 1-0 / 0-1 beads?

    python benchmarks/skips.py [--set KEY=VALUE ...]

Reads the test record (tests/records.py, written as extracted text) and the demonstration pair
(corpora/demo) with the real reader, deletes each 1-1 sentence in turn from one side and then
the other, aligns every such pair as a record (``align_segments``) and prints, per document,
how many of the deleted sentences' partners were found as an unmatched bead and how many beads
of the gold were output as they are, and the mean confidence of the unmatched beads output.
``--set skip=-0.35`` (and so on) overrides the records' settings, to compare with the general
ones. Needs nothing from ../shared.

    python benchmarks/skips.py --fit [--shared DIR]

first fits the records' model for unmatched beads (``calibrate.SKIP_FEATURES``) on mac-dev and
bible-dev aligned with the records' settings, after deleting every twelfth 1-1 bead's sentence
(from the fourth) from one side, then from the other, and once with nothing deleted; prints
its leave-one-document-out AUC and ECE per genre, writes aligner/align/record_skips.json, and
goes on to the records, which never enter the fit.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from macdev import ROOT

Link = tuple[tuple[int, ...], tuple[int, ...]]


def _record() -> tuple[list, list, list[Link]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from aligner.read.document import read_document
    from aligner.read.sentences import segment_document

    import records

    with tempfile.TemporaryDirectory() as d:
        records.write_txt(Path(d) / "zh.txt", "zh")
        records.write_txt(Path(d) / "en.txt", "en")
        zh = segment_document(read_document(Path(d) / "zh.txt", "auto"))
        en = segment_document(read_document(Path(d) / "en.txt", "auto"))
    return zh, en, list(records.ALIGNMENT)


def _demo() -> tuple[list, list, list[Link]]:
    from aligner.read.document import read_document
    from aligner.read.sentences import segment_document

    demo = ROOT / "corpora" / "demo"
    zh = segment_document(read_document(demo / "CD_PV.1261_zh.txt", "auto"))
    en = segment_document(read_document(demo / "CD_PV.1261_en.txt", "auto"))
    # the correspondence corpora/demo/README.md describes
    gold = ([((i,), (i,)) for i in range(5)] + [((5,), (5, 6))]
            + [((i,), (i + 1,)) for i in range(6, 18)] + [((18, 19), (19,))]
            + [((i,), (i,)) for i in range(20, 31)])
    return zh, en, gold


def _without(gold: list[Link], side: int, k: int) -> list[Link]:
    out = []
    for pair in gold:
        new = list(pair)
        new[side] = _shift(pair[side], {k})
        out.append((new[0], new[1]))
    return out


def _delete(segs: list, k: int) -> list:
    return [dataclasses.replace(s, id=i) for i, s in enumerate(segs[:k] + segs[k + 1:])]


# every STEP-th 1-1 gold bead, from the FIRST-th, loses its sentence on one side (deletions a
# dozen sentences apart: each is found or not on its own)
STEP, FIRST = 12, 3


def _bench_skips(genres: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The unmatched beads of the bench documents aligned as records: ``skip_matrix`` rows,
    right or not, document and genre of each."""
    from aligner.align import calibrate as C
    from aligner.align.passes import RECORD_DEFAULTS, align_sentences
    from aligner.common.types import Bead
    from aligner.quality.evaluate import bead_correct

    rows, ok, docs, kinds = [], [], [], []
    n_doc = 0
    for genre, gdocs in genres.items():
        for doc in gdocs:
            ones = [g for g in doc.gold if len(g.src_ids) == 1 and len(g.tgt_ids) == 1]
            for side in (0, 1, None):
                gone = (set() if side is None else
                        {(g.src_ids if side == 0 else g.tgt_ids)[0] for g in ones[FIRST::STEP]})
                zh = [x for i, x in enumerate(doc.zh) if not (side == 0 and i in gone)]
                en = [x for i, x in enumerate(doc.en) if not (side == 1 and i in gone)]
                gold = [Bead(_shift(g.src_ids, gone if side == 0 else set()),
                             _shift(g.tgt_ids, gone if side == 1 else set()), 1.0)
                        for g in doc.gold]
                gold = [g for g in gold if g.src_ids or g.tgt_ids]
                # records never join verses (align_segments): nor here
                beads = align_sentences(zh, en, calibrate=False, join=0, **RECORD_DEFAULTS)
                alone = [(b, c) for b, c in zip(beads, bead_correct(beads, gold), strict=True)
                         if not (b.src_ids and b.tgt_ids)]
                if alone:
                    rows.append(C.skip_matrix([b for b, _ in alone]))
                    ok += [float(c) for _, c in alone]
                    docs += [n_doc] * len(alone)
                    kinds += [genre] * len(alone)
            n_doc += 1
    return (np.vstack(rows) if rows else np.zeros((0, len(C.SKIP_FEATURES))), np.array(ok),
            np.array(docs), np.array(kinds))


def _shift(ids: tuple[int, ...], gone: set[int]) -> tuple[int, ...]:
    return tuple(x - sum(d < x for d in gone) for x in ids if x not in gone)


def fit(shared: Path) -> bool:
    """Fit and write the records' model for unmatched beads; False when there is no bench."""
    from calibration import L2, _genre_weights, _held_out
    from genres import load_genres

    from aligner.align import calibrate as C

    genres = load_genres(shared)
    if not genres:
        return False
    x, y, d, g = _bench_skips(genres)
    sw = _genre_weights(g)
    held = _held_out(C, x, y, d, sw)
    print("unmatched beads of the bench aligned as records, leave-one-document-out:")
    print("| genre | unmatched beads | right | AUC | ECE |\n|---|---:|---:|---:|---:|")
    for genre in genres:
        sel = g == genre
        print(f"| {genre} | {int(sel.sum())} | {y[sel].mean():.3f} "
              f"| {C.roc_auc(held[sel], y[sel]):.3f} "
              f"| {C.expected_calibration_error(held[sel], y[sel]):.3f} |")
    w = C.fit_logistic(x, y, L2, weights=sw, standardize=True)
    names = " + ".join(f"{k} ({len(v)} documents)" for k, v in genres.items())
    C.save_params(w, {"fitted_on": f"{names}, aligned with the records' settings after "
                                   f"deleting every {STEP}th 1-1 bead's sentence from one side",
                      "beads": int(len(y)), "genres_weighed_equally": True,
                      "l2_standardised": L2}, C.SKIP_PARAMS_PATH, C.SKIP_FEATURES)
    C.load_skip_params.cache_clear()
    print(f"wrote {C.SKIP_PARAMS_PATH.relative_to(ROOT)}\n")
    return True


def main(argv: list[str] | None = None) -> int:
    from genres import add_shared_option

    from aligner.align.passes import RECORD_DEFAULTS, align_segments

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a records setting (repeatable)")
    ap.add_argument("--fit", action="store_true",
                    help="fit the records' model for unmatched beads on the bench first")
    add_shared_option(ap, genre=False)
    args = ap.parse_args(argv)
    if args.fit and not fit(args.shared):
        return 0
    opts = {}
    for item in args.set:
        key, _, value = item.partition("=")
        opts[key] = float(value)
    print(f"records' settings {RECORD_DEFAULTS}, overridden by {opts or 'nothing'}")
    print("| document | deletions | found as 1-0 / 0-1 | 1-0 / 0-1 output (right) "
          "| their mean confidence | gold beads | output as the gold | s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, load in (("test record", _record), ("demonstration pair", _demo)):
        zh, en, gold = load()
        t0 = time.perf_counter()
        deletions = found = beads = right = out = out_right = 0
        confidence = 0.0
        for side in (0, 1):
            for pair in gold:
                if len(pair[0]) != 1 or len(pair[1]) != 1:
                    continue
                k = pair[side][0]
                docs = (_delete(zh, k), en) if side == 0 else (zh, _delete(en, k))
                want = _without(gold, side, k)
                output = align_segments(*docs, **opts)
                got = {(b.src_ids, b.tgt_ids) for b in output}
                deletions += 1
                found += sum(g in got for g in want if not (g[0] and g[1]))
                alone = [g for g in got if not (g[0] and g[1])]
                confidence += sum(b.score for b in output if not (b.src_ids and b.tgt_ids))
                out += len(alone)
                out_right += sum(g in want for g in alone)
                beads += len(want)
                right += sum(g in got for g in want)
        print(f"| {name} | {deletions} | {found} | {out} ({out_right}) "
              f"| {confidence / max(out, 1):.3f} | {beads} | {right} "
              f"| {time.perf_counter() - t0:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
