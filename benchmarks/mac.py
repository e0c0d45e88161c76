"""Align the MAC-Test dev half and score it, next to the five published aligners.

    python benchmarks/mac.py [--bench DIR]

Prints one table: strict and lax F1 (micro-averaged, the published convention) and seconds per
document. Exits 0 with "skipped" when the benchmark folder is missing.
"""

from __future__ import annotations

import argparse
import sys
import time

from macdev import add_bench_option, load_docs

PUBLISHED = ("galechurch", "hunalign", "bleualign", "vecalign", "bertalign")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bench_option(ap)
    ap.add_argument("--per-doc", action="store_true", help="also print each document's F1")
    args = ap.parse_args(argv)
    bench = args.bench
    docs = load_docs(bench)
    if docs is None:
        return 0
    from aligner.align.passes import _lexicon, align_sentences
    from aligner.common.formats import read_beads
    from aligner.quality.evaluate import evaluate

    ids = [d.name for d in docs]
    t0 = time.perf_counter()
    _lexicon()  # loading the lexicon is a one-off, not per document
    load_s = time.perf_counter() - t0
    align_sentences(["预热。"], ["Warm up."])  # jieba initialises on first use
    ours, golds, secs = [], [], []
    for doc in docs:
        t = time.perf_counter()
        beads = align_sentences(doc.zh, doc.en)
        secs.append(time.perf_counter() - t)
        gold = doc.gold
        ours.append(beads)
        golds.append(gold)
        if args.per_doc:
            s = evaluate([(beads, gold)])
            print(f"  {doc.name}: strict F1 {s.strict_f1:.3f}  lax F1 {s.lax_f1:.3f}  "
                  f"{secs[-1]:.2f} s", file=sys.stderr)
    rows = []
    for name in PUBLISHED:
        folder = bench / "anchors" / name
        if not folder.is_dir():
            continue
        pairs = zip(ids, golds, strict=True)
        s = evaluate([(read_beads(folder / f"{d}.align"), g) for d, g in pairs])
        rows.append((name, s, None))
    s = evaluate(list(zip(ours, golds, strict=True)))
    rows.append(("un-aligner", s, sum(secs) / len(secs)))
    print(f"mac-dev: {len(ids)} documents (lexicon load {load_s:.2f} s, once)")
    print(f"| {'aligner':<11} | strict P | strict R | strict F1 | lax F1 | s/doc |")
    print("|-------------|---------:|---------:|----------:|-------:|------:|")
    for name, sc, sec in rows:
        sec_s = f"{sec:.2f}" if sec is not None else "–"
        print(f"| {name:<11} | {sc.strict_p:8.3f} | {sc.strict_r:8.3f} | {sc.strict_f1:9.3f} "
              f"| {sc.lax_f1:6.3f} | {sec_s:>5} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
