"""Quality flags and the HTML report at benchmark size: all mac-dev gold beads as one document.

    python benchmarks/report.py [--bench ../shared/bench/mac-dev]

Prints a table: seconds for flag_pairs (with the lexicon), summarise + write_report, the report's
size, and the share of beads each flag marks on gold pairs (should be low: gold is right).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from macdev import add_bench_option, gold_pairs, load_docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bench_option(parser)
    args = parser.parse_args()
    docs = load_docs(args.bench)
    if docs is None:
        return

    from aligner.lexicon.glossary import load_glossary
    from aligner.quality.flags import flag_pairs, summarise
    from aligner.quality.report import write_report

    pairs = gold_pairs(docs, one_document=True)
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
