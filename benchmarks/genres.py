"""Align mac-dev (literary) and bible-dev (verses) and score them side by side.

    python benchmarks/genres.py [--shared DIR] [--per-doc] [--genre NAME ...]

Prints one table per genre: strict and lax P/R/F1 (micro-averaged, the published MAC-Test
convention) of ``align_sentences`` and seconds per document, with the five published aligners
in each genre's ``anchors/`` scored by the same code, then one line per genre for a quick
side-by-side view. A genre whose folder is missing is reported as ``skipped: ...``; with
neither present the script exits 0 having aligned nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from macdev import ROOT, MacDoc, load_docs

from aligner.common.formats import read_beads

DEFAULT_SHARED = ROOT.parent / "shared" / "bench"
GENRES = ("mac-dev", "bible-dev")
PUBLISHED = ("galechurch", "hunalign", "bleualign", "vecalign", "bertalign")


def add_shared_option(parser: argparse.ArgumentParser, genre: bool = True) -> None:
    """``--shared DIR``, and with ``genre`` a repeatable ``--genre`` to pick genres."""
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help=f"folder holding mac-dev/ and bible-dev/ (default: {DEFAULT_SHARED})")
    if genre:
        parser.add_argument("--genre", action="append", choices=GENRES,
                            help="only this genre (repeatable; default: both)")


def load_genre(folder: Path) -> list[MacDoc] | None:
    """Every document of one genre folder with its gold, in name order; None (after saying
    ``skipped: ...``) when the folder has none."""
    return load_docs(folder, folder.name, "")


def load_genres(shared: Path, only: list[str] | None = None) -> dict[str, list[MacDoc]]:
    """The genres present under ``shared`` (those asked for), each with its documents."""
    out = {}
    for g in only or GENRES:
        docs = load_genre(shared / g)
        if docs is not None:
            out[g] = docs
    return out


def fmt_row(name: str, sc, sec: float | None) -> str:
    sec_s = f"{sec:.2f}" if sec is not None else "–"
    return (f"| {name:<11} | {sc.strict_p:8.3f} | {sc.strict_r:8.3f} | {sc.strict_f1:9.3f} "
            f"| {sc.lax_p:5.3f} | {sc.lax_r:5.3f} | {sc.lax_f1:6.3f} | {sec_s:>5} |")


HEADER = ("| aligner     | strict P | strict R | strict F1 | lax P | lax R | lax F1 | s/doc |\n"
          "|-------------|---------:|---------:|----------:|------:|------:|-------:|------:|")


def gold_in_band(doc: MacDoc) -> bool:
    """Whether the whole gold path lies inside the band the coarse pass gives the DP."""
    from aligner.align import features as A
    from aligner.align.band import coarse_band, path_in_band
    from aligner.align.passes import DEFAULTS, _lexicon

    zf, ef = A.zh_features(doc.zh, _lexicon()), A.en_features(doc.en)
    lo, width = coarse_band(zf.keys, ef.keys, int(DEFAULTS["half_width"]))
    return path_in_band([(len(b.src_ids), len(b.tgt_ids)) for b in doc.gold], lo, width)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap)
    ap.add_argument("--per-doc", action="store_true", help="also print each document's F1")
    args = ap.parse_args(argv)
    genres = load_genres(args.shared, args.genre)
    if not genres:
        return 0
    from aligner.align.passes import _lexicon, align_sentences
    from aligner.quality.evaluate import evaluate

    t0 = time.perf_counter()
    _lexicon()
    load_s = time.perf_counter() - t0
    align_sentences(["预热。"], ["Warm up."])  # jieba initialises on first use
    # verse documents are joined by a model fitted without them (joins.py): held-out figures
    from joins import fold_models

    folds = fold_models(genres)
    summary = []
    for genre, docs in genres.items():
        ours, secs = [], []
        for k, doc in enumerate(docs):
            t = time.perf_counter()
            beads = align_sentences(doc.zh, doc.en, join_model=folds.get((genre, k)))
            secs.append(time.perf_counter() - t)
            ours.append(beads)
            if args.per_doc:
                s = evaluate([(beads, doc.gold)])
                print(f"  {genre} {doc.name}: strict F1 {s.strict_f1:.4f}  lax F1 "
                      f"{s.lax_f1:.4f}  {secs[-1]:.2f} s", file=sys.stderr)
        print(f"\n{genre}: {len(docs)} documents (lexicon load {load_s:.2f} s, once)")
        print(HEADER)
        for name in PUBLISHED:
            folder = args.shared / genre / "anchors" / name
            if folder.is_dir():
                s = evaluate([(read_beads(folder / f"{d.name}.align"), d.gold) for d in docs])
                print(fmt_row(name, s, None))
        s = evaluate([(b, d.gold) for b, d in zip(ours, docs, strict=True)])
        print(fmt_row("un-aligner", s, sum(secs) / len(secs)))
        inside = sum(gold_in_band(d) for d in docs)
        print(f"gold path inside the first pass's band: {inside} of {len(docs)} documents")
        summary.append((genre, s))
    print("\n| genre     | strict F1 | lax F1 |")
    print("|-----------|----------:|-------:|")
    for genre, s in summary:
        print(f"| {genre:<9} | {s.strict_f1:9.4f} | {s.lax_f1:6.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
