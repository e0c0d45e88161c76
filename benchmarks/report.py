"""Quality flags and the HTML report at benchmark size: all mac-dev gold beads as one document.

    python benchmarks/report.py [--bench ../shared/bench/mac-dev]

Prints a table: seconds for flag_pairs (with the lexicon), summarise + write_report, the report's
size, and the share of beads each flag marks on gold pairs (should be low: gold is right).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench" / "mac-dev")
    args = parser.parse_args()
    if not args.bench.is_dir():
        print(f"skipped: benchmark data not found at {args.bench} (pass --bench DIR)")
        return

    from aligner.formats import AlignedPair, join_sentences, read_beads
    from aligner.glossary import load_glossary
    from aligner.quality import flag_pairs, summarise
    from aligner.report import write_report

    pairs: list[AlignedPair] = []
    src_offset = tgt_offset = 0
    for gold in sorted(args.bench.glob("*.gold.align")):
        stem = gold.name[: -len(".gold.align")]
        zh = (args.bench / f"{stem}.zh").read_text(encoding="utf-8").splitlines()
        en = (args.bench / f"{stem}.en").read_text(encoding="utf-8").splitlines()
        for bead in read_beads(gold):
            pairs.append(AlignedPair(
                tuple(i + src_offset for i in bead.src_ids),
                tuple(i + tgt_offset for i in bead.tgt_ids),
                join_sentences([zh[i] for i in bead.src_ids], "zh"),
                join_sentences([en[i] for i in bead.tgt_ids], "en"), 1.0, {}))
        src_offset += len(zh)
        tgt_offset += len(en)

    glossary = load_glossary()
    t0 = time.perf_counter()
    flags = flag_pairs(pairs, glossary)
    t_flags = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        t0 = time.perf_counter()
        summary = summarise(pairs, flags)
        write_report(out, pairs, flags, summary, title="mac-dev gold")
        t_report = time.perf_counter() - t0
        size = out.stat().st_size

    counts = Counter(f.code for bead_flags in flags for f in bead_flags)
    print(f"{len(pairs)} gold beads from {args.bench}")
    print(f"{'step':<36} {'value':>10}")
    print(f"{'flag_pairs (lexicon, glossary)':<36} {t_flags:>9.2f}s")
    print(f"{'summarise + write_report':<36} {t_report:>9.2f}s")
    print(f"{'report size':<36} {size / 1e6:>8.2f}MB")
    for code, n in counts.most_common():
        print(f"{'gold beads flagged ' + code:<36} {100 * n / len(pairs):>9.1f}%")


if __name__ == "__main__":
    main()
