"""Time and peak memory of the aligner on long inputs (linear growth is the goal).

    python benchmarks/scale.py [--bench DIR] [--sizes 3750,7500,15000,30000]

Builds a long pair by concatenating the mac-dev documents over and over until the Chinese side
has N sentences (the English side, a translation of the same text, is then ~1.3 N), and aligns
it in a fresh subprocess per size, so each size's peak RSS is its own. Prints one table, with
the strict F1 against the concatenated gold as a check that long input is aligned as well.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from macdev import add_bench_option, load_docs


def build_pair(bench: Path, n_src: int) -> tuple[list[str], list[str], list]:
    """The long pair and its gold (each document's gold shifted by its offsets)."""
    from aligner.common.types import Bead

    docs = load_docs(bench)
    if not docs:
        raise SystemExit(1)
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    while len(src) < n_src:
        for doc in docs:
            i0, j0 = len(src), len(tgt)
            src += doc.zh
            tgt += doc.en
            gold += [Bead(tuple(i + i0 for i in b.src_ids), tuple(j + j0 for j in b.tgt_ids))
                     for b in doc.gold]
            if len(src) >= n_src:
                break
    return src, tgt, gold


def child(bench: Path, n_src: int) -> None:
    from aligner.align.passes import _lexicon, align_sentences
    from aligner.quality.evaluate import evaluate

    src, tgt, gold = build_pair(bench, n_src)
    _lexicon()
    align_sentences(["预热。"], ["Warm up."])  # lexicon and jieba load once, not per size
    t = time.perf_counter()
    beads = align_sentences(src, tgt)
    secs = time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    f1 = evaluate([(beads, gold)]).strict_f1
    print(json.dumps({"src": len(src), "tgt": len(tgt), "beads": len(beads), "seconds": secs,
                      "peak_mb": peak_kb / 1024, "strict_f1": f1}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bench_option(ap)
    ap.add_argument("--sizes", default="3750,7500,15000,30000")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if load_docs(args.bench) is None:
        return 0
    if args.child:
        child(args.bench, args.child)
        return 0
    print("| zh sentences | en sentences | seconds | peak RSS (MB) | time ratio to previous "
          "| strict F1 |")
    print("|-------------:|-------------:|--------:|--------------:|-----------------------:"
          "|----------:|")
    prev = None
    for size in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run([sys.executable, __file__, "--bench", str(args.bench),
                               "--child", str(size)], capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        ratio = f"{r['seconds'] / prev:.2f}" if prev else "–"
        prev = r["seconds"]
        print(f"| {r['src']:12d} | {r['tgt']:12d} | {r['seconds']:7.1f} | {r['peak_mb']:13.0f} "
              f"| {ratio:>22} | {r['strict_f1']:9.3f} |", flush=True)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest child peak RSS (getrusage of children): {children:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
