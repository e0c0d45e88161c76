"""Peak memory and time of ``aligner segment`` and ``aligner align`` on one enormous line.

A record can be a single line with no sentence punctuation at all (a broken export, a table
flattened to text): its one "sentence" is the whole file. The Chinese line is made here from
the shipped seed record with its sentence ends (。！？) taken out, repeated to the size asked;
``--no-clauses`` takes the commas and semicolons out too, leaving nothing to cut at but the
length limit; ``--han-only`` leaves Chinese characters alone (no digits, brackets, quotes),
one unbroken run for the word tokenizer. The English side is the demonstration translation.
Each command runs in a fresh process, whose peak RSS is its own.

    .venv/bin/python benchmarks/long_line.py --mb 20 50 --no-clauses --han-only
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "CD_PV.1261_zh.txt"
DEMO_EN = ROOT / "corpora" / "demo" / "CD_PV.1261_en.txt"

_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
warn = [ln for ln in r.stderr.splitlines() if "warning" in ln]
print(r.returncode, f"{time.perf_counter() - t:.1f}", f"{peak:.0f}", len(warn), sep="\\t")
if r.returncode:
    print(r.stderr[-500:], file=sys.stderr)
"""


def make_line(mb: float, clauses: bool, han_only: bool = False) -> str:
    text = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8"))
    text = re.sub("[。！？!?…]", "，" if clauses else "", text)
    if not clauses:
        text = re.sub("[，；：、,;:]", "", text)
    if han_only:  # not a digit, bracket or quote either: one unbroken run for the tokenizer
        text = re.sub(r"[^\u4e00-\u9fff]", "", text)
    size = int(mb * 1024 * 1024 / 3)  # Chinese is 3 bytes a character in UTF-8
    return (text * (size // len(text) + 1))[:size]


def measure(*command: str) -> tuple[str, str, str, str]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                         text=True)
    if out.stderr.strip():
        print(out.stderr.strip(), file=sys.stderr)
    return tuple(out.stdout.strip().split("\t"))  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[5.0, 20.0])
    parser.add_argument("--no-clauses", action="store_true",
                        help="no commas or semicolons either: cut at the length limit only")
    parser.add_argument("--han-only", action="store_true",
                        help="Chinese characters only, no digits, brackets or quotes either")
    parser.add_argument("--commands", nargs="+", default=["segment", "align"])
    args = parser.parse_args()
    aligner = [sys.executable, "-m", "aligner"]
    print("| line (MB) | command | exit | seconds | peak RSS (MB) | warnings |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.mb:
            zh = Path(tmp) / "LONG_1_zh.txt"
            zh.write_text(make_line(mb, not args.no_clauses, args.han_only), encoding="utf-8")
            for command in args.commands:
                if command == "segment":
                    cmd = [*aligner, "segment", str(zh)]
                else:
                    cmd = [*aligner, "align", str(zh), str(DEMO_EN), "-o",
                           str(Path(tmp) / "out.jsonl")]
                code, seconds, peak, warnings = measure(*cmd)
                print(f"| {mb:g} | {command} | {code} | {seconds} | {peak} | {warnings} |",
                      flush=True)


if __name__ == "__main__":
    main()
