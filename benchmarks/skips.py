"""Sentences one version of a record leaves out: are they found as 1-0 / 0-1 beads?

    python benchmarks/skips.py [--set KEY=VALUE ...]

Reads the test record (tests/records.py, written as extracted text) and the demonstration pair
(corpora/demo) with the real reader, deletes each 1-1 sentence in turn from one side and then
the other, aligns every such pair as a record (``align_segments``) and prints, per document,
how many of the deleted sentences' partners were found as an unmatched bead and how many beads
of the gold were output as they are. ``--set skip=-0.35`` (and so on) overrides the records'
settings, to compare with the general ones. Needs nothing from ../shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

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
        new[side] = tuple(x - (x > k) for x in pair[side] if x != k)
        out.append((new[0], new[1]))
    return out


def _delete(segs: list, k: int) -> list:
    return [dataclasses.replace(s, id=i) for i, s in enumerate(segs[:k] + segs[k + 1:])]


def main(argv: list[str] | None = None) -> int:
    from aligner.align.passes import RECORD_DEFAULTS, align_segments

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a records setting (repeatable)")
    args = ap.parse_args(argv)
    opts = {}
    for item in args.set:
        key, _, value = item.partition("=")
        opts[key] = float(value)
    print(f"records' settings {RECORD_DEFAULTS}, overridden by {opts or 'nothing'}")
    print("| document | deletions | found as 1-0 / 0-1 | 1-0 / 0-1 output (right) | gold beads "
          "| output as the gold | s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, load in (("test record", _record), ("demonstration pair", _demo)):
        zh, en, gold = load()
        t0 = time.perf_counter()
        deletions = found = beads = right = out = out_right = 0
        for side in (0, 1):
            for pair in gold:
                if len(pair[0]) != 1 or len(pair[1]) != 1:
                    continue
                k = pair[side][0]
                docs = (_delete(zh, k), en) if side == 0 else (zh, _delete(en, k))
                want = _without(gold, side, k)
                got = {(b.src_ids, b.tgt_ids) for b in align_segments(*docs, **opts)}
                deletions += 1
                found += sum(g in got for g in want if not (g[0] and g[1]))
                alone = [g for g in got if not (g[0] and g[1])]
                out += len(alone)
                out_right += sum(g in want for g in alone)
                beads += len(want)
                right += sum(g in got for g in want)
        print(f"| {name} | {deletions} | {found} | {out} ({out_right}) | {beads} | {right} "
              f"| {time.perf_counter() - t0:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
