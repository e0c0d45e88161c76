"""Long-document checks: does the aligner keep its place over a whole book?

    python benchmarks/long.py [--shared DIR] [--delete NAME] [--check bible|deleted]

Two pairs, each aligned in a fresh subprocess (so its peak RSS is its own):

* ``bible``: the five bible-dev documents concatenated (~6.8k Chinese x 5k English lines);
* ``deleted``: the twelve mac-dev documents concatenated, with one whole chapter (document
  ``--delete``, default 007) left out of the English side. The gold then has every Chinese
  sentence of that chapter as a 1-0 bead; the aligner must find them as 1-0 beads and keep
  everything else right.

Prints strict / lax F1, the sentences left unmatched where the gold matches them, seconds and
peak RSS; for ``deleted`` also how many of the chapter's sentences came out as 1-0 beads and
the strict F1 of the beads outside the chapter. ``skipped: ...`` and exit 0 when the data is
missing.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from genres import add_shared_option, load_genre
from macdev import concatenate


def child(args) -> None:
    from aligner.align.passes import _lexicon, align_sentences
    from aligner.quality.evaluate import evaluate

    genre = "bible-dev" if args.child == "bible" else "mac-dev"
    docs = load_genre(args.shared / genre)
    src, tgt, gold, chapter = concatenate(docs, drop_en=args.delete if args.child == "deleted"
                                          else None)
    _lexicon()
    align_sentences(["预热。"], ["Warm up."])
    t = time.perf_counter()
    beads = align_sentences(src, tgt)
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    s = evaluate([(beads, gold)])
    matched_gold_src = {i for b in gold if b.tgt_ids for i in b.src_ids}
    matched_gold_tgt = {j for b in gold if b.src_ids for j in b.tgt_ids}
    lost = sum(len(set(b.src_ids) & matched_gold_src) + len(set(b.tgt_ids) & matched_gold_tgt)
               for b in beads if not (b.src_ids and b.tgt_ids))
    out = {"check": args.child, "src": len(src), "tgt": len(tgt), "seconds": secs,
           "peak_mb": peak, "strict_f1": s.strict_f1, "lax_f1": s.lax_f1, "lost": lost}
    if chapter:
        as_deleted = sum(len(b.src_ids) for b in beads
                         if not b.tgt_ids and set(b.src_ids) <= chapter)
        out["chapter"] = len(chapter)
        out["chapter_1_0"] = as_deleted
        rest_t = [b for b in beads if not set(b.src_ids) & chapter]
        rest_g = [b for b in gold if not set(b.src_ids) & chapter]
        out["rest_strict_f1"] = evaluate([(rest_t, rest_g)]).strict_f1
        out["rest_lax_f1"] = evaluate([(rest_t, rest_g)]).lax_f1
    print(json.dumps(out))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap, genre=False)
    ap.add_argument("--delete", default="007", help="mac-dev document left out of the English")
    ap.add_argument("--check", action="append", choices=("bible", "deleted"))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args)
        return 0
    checks = args.check or ["bible", "deleted"]
    need = {"bible": "bible-dev", "deleted": "mac-dev"}
    rows = []
    for check in checks:
        if not (args.shared / need[check]).is_dir():
            print(f"skipped: {check}: no {need[check]} benchmark at {args.shared / need[check]}")
            continue
        proc = subprocess.run([sys.executable, __file__, "--shared", str(args.shared),
                               "--delete", args.delete, "--child", check],
                              capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return 1
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    if not rows:
        return 0
    print("| check | zh | en | strict F1 | lax F1 | wrongly unmatched | seconds | peak RSS (MB) |")
    print("|-------|---:|---:|----------:|-------:|------------------:|--------:|--------------:|")
    for r in rows:
        print(f"| {r['check']} | {r['src']} | {r['tgt']} | {r['strict_f1']:.4f} "
              f"| {r['lax_f1']:.4f} | {r['lost']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |")
    if any(r["check"] == "bible" for r in rows):
        print("bible: its beads are joined into verses by the shipped model (joins.py), fitted on "
              "these same documents; held out, per document: benchmarks/joins.py")
    for r in rows:
        if "chapter" in r:
            print(f"deleted chapter {args.delete}: {r['chapter_1_0']} of {r['chapter']} Chinese "
                  f"sentences in 1-0 beads; outside it strict F1 {r['rest_strict_f1']:.4f}, "
                  f"lax F1 {r['rest_lax_f1']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
