"""Reading + segmenting speed: the seed record, and start-up of the ``aligner segment`` command.

    python benchmarks/segment.py [--repeat 5]

Prints a table. The target (issue 3): segmenting the seed record takes under 1 s after start-up.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "CD_PV.1261_zh.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    t0 = time.perf_counter()
    from aligner.read.document import read_document
    from aligner.read.sentences import segment_document, split_en

    split_en("Warm up Punkt. It builds its parameters once.")
    imports = time.perf_counter() - t0

    read_times, seg_times = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        doc = read_document(SEED)
        t1 = time.perf_counter()
        segments = segment_document(doc)
        t2 = time.perf_counter()
        read_times.append(t1 - t0)
        seg_times.append(t2 - t1)

    cli_times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "aligner", "segment", str(SEED)], check=True,
                       capture_output=True)
        cli_times.append(time.perf_counter() - t0)

    rows = [
        ("imports + Punkt set-up", imports),
        ("read seed (median)", statistics.median(read_times)),
        ("segment seed (median)", statistics.median(seg_times)),
        ("read + segment (median)",
         statistics.median(r + s for r, s in zip(read_times, seg_times, strict=True))),
        ("`aligner segment` whole process (median)", statistics.median(cli_times)),
    ]
    print(f"seed: {SEED.name}, {len(doc.paragraphs)} paragraphs, {len(doc.turns)} turns, "
          f"{len(segments)} sentences; {args.repeat} runs")
    print(f"{'step':<44} {'seconds':>8}")
    for name, secs in rows:
        print(f"{name:<44} {secs:>8.3f}")


if __name__ == "__main__":
    main()
