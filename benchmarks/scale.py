"""Time and peak memory of the whole `aligner align` process on long pairs (issue 13).

    python benchmarks/scale.py [--shared DIR] [--genre bible-dev|mac-dev]
                               [--sizes 3750,7500,15000,30000] [--repeat 1] [--no-small]
                               [--hunalign "COMMAND"]

Builds each long pair by concatenating the genre's documents (bible-dev by default: the
longest held-out pair is the whole Bible, 42.7k x 30k lines) until the English side has N
lines, cutting the last document at a gold bead boundary, writes it to a temporary folder and
runs `aligner align ZH EN --presegmented -o OUT.align` as its own process, so the seconds are
the user's (start-up, reading, lexicon and all) and the peak RSS is that process's alone
(os.wait4). When a `hunalign` binary is on PATH (or --hunalign gives a command taking
hunalign's `DICTIONARY SOURCE TARGET` arguments and printing its ladder, such as
`node benchmarks/hunalign-wasm.mjs`) it aligns the same files in the same run,
dictionary-free (an empty dictionary, as in the published comparison); otherwise the table
says "hunalign not found". Strict and lax F1 against the concatenated
gold catch an aligner that is fast because it has lost its way.

Then, unless --no-small: one mac-dev document aligned in-process after the lexicon is loaded
(median over the twelve documents), and one mac-dev pair as a whole `aligner align` process
(median of five runs).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from genres import add_shared_option, load_genre
from macdev import MacDoc, concatenate

from aligner.common.formats import read_beads
from aligner.common.types import Bead


def run_measured(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB of that process alone, exit code, and its stderr."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return secs, usage.ru_maxrss / 1024, proc.returncode, err.read().decode(errors="replace")


def aligner_command() -> list[str]:
    script = Path(sys.executable).with_name("aligner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "aligner"]


def hunalign_beads(path: Path) -> list[Bead]:
    """hunalign's ladder output (zh line, en line, score) as beads between its rungs."""
    rungs = []
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            rungs.append((int(parts[0]), int(parts[1])))
    return [Bead(tuple(range(i, i2)), tuple(range(j, j2)))
            for (i, j), (i2, j2) in zip(rungs, rungs[1:], strict=False) if (i2, j2) != (i, j)]


def scores(beads: list[Bead], gold: list[Bead]) -> tuple[float, float]:
    from aligner.quality.evaluate import evaluate

    sc = evaluate([(beads, gold)])
    return sc.strict_f1, sc.lax_f1


def large_table(docs: list[MacDoc], sizes: list[int], repeat: int, work: Path,
                hunalign: list[str] | None) -> None:
    print("| zh lines | en lines | aligner s | peak RSS MB | time ratio to previous "
          "| strict F1 | lax F1 | hunalign s | hunalign MB | hunalign strict F1 "
          "| aligner / hunalign time |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    prev = None
    empty_dict = work / "null.dic"
    empty_dict.write_text("")
    for size in sizes:
        src, tgt, gold, _ = concatenate(docs, n_tgt=size)
        zh, en, out = work / f"{size}.zh", work / f"{size}.en", work / f"{size}.align"
        zh.write_text("\n".join(src) + "\n", encoding="utf-8")
        en.write_text("\n".join(tgt) + "\n", encoding="utf-8")
        runs = []
        for _ in range(repeat):
            secs, mb, rc, err = run_measured([*aligner_command(), "align", str(zh), str(en),
                                              "--presegmented", "-o", str(out)])
            if rc:
                raise SystemExit(f"aligner failed on {size}: {err.strip()}")
            runs.append((secs, mb))
        secs = statistics.median(s for s, _ in runs)
        mb = max(m for _, m in runs)
        strict, lax = scores(read_beads(out), gold)
        ratio = f"{secs / prev:.2f}" if prev else "–"
        prev = secs
        if hunalign:
            ladder = work / f"{size}.ladder"
            with ladder.open("wb") as fh:
                h_secs, h_mb, h_rc, h_err = run_measured(
                    [*hunalign, str(empty_dict), str(zh), str(en)], stdout=fh)
            if h_rc:
                h = f"failed ({h_err.strip()[:40]}) | – | – | –"
            else:
                h_strict, _ = scores(hunalign_beads(ladder), gold)
                h = f"{h_secs:.1f} | {h_mb:.0f} | {h_strict:.3f} | {secs / h_secs:.2f}"
        else:
            h = "hunalign not found | – | – | –"
        print(f"| {len(src)} | {len(tgt)} | {secs:.1f} | {mb:.0f} | {ratio} | {strict:.3f} "
              f"| {lax:.3f} | {h} |", flush=True)


def small_table(shared: Path, work: Path) -> None:
    docs = load_genre(shared / "mac-dev")
    if not docs:
        return
    from aligner.align.passes import _lexicon, align_sentences

    _lexicon()
    align_sentences(["预热。"], ["Warm up."])  # lexicon and tokenizer load once
    per_doc = []
    for doc in docs:
        t = time.perf_counter()
        align_sentences(doc.zh, doc.en)
        per_doc.append(time.perf_counter() - t)
    first = shared / "mac-dev" / f"{docs[0].name}.zh"
    whole = []
    for _ in range(5):
        secs, _mb, rc, err = run_measured([*aligner_command(), "align", str(first),
                                           str(first.with_suffix(".en")), "--presegmented",
                                           "-o", str(work / "one.align")])
        if rc:
            raise SystemExit(f"aligner failed on {first}: {err.strip()}")
        whole.append(secs)
    print()
    print("| mac-dev | median | slowest |")
    print("|---|---:|---:|")
    print(f"| one document in-process, lexicon loaded (12 documents) | "
          f"{statistics.median(per_doc):.3f} s | {max(per_doc):.3f} s |")
    print(f"| `aligner align` on {docs[0].name} as a whole process (5 runs) | "
          f"{statistics.median(whole):.2f} s | {max(whole):.2f} s |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap, genre=False)
    ap.add_argument("--genre", default="bible-dev", choices=("bible-dev", "mac-dev"))
    ap.add_argument("--sizes", default="3750,7500,15000,30000",
                    help="English lines of each long pair")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size (median time)")
    ap.add_argument("--no-small", action="store_true", help="skip the mac-dev timings")
    ap.add_argument("--hunalign", metavar="COMMAND", default=None,
                    help="hunalign command to compare with (default: hunalign on PATH)")
    args = ap.parse_args(argv)
    words = shlex.split(args.hunalign) if args.hunalign else ["hunalign"]
    program = shutil.which(words[0]) if words else None
    if args.hunalign and not program:
        raise SystemExit(f"scale.py: error: {words[0] if words else args.hunalign!r}: "
                         "not an executable program")
    hunalign = [program, *words[1:]] if program else None
    docs = load_genre(args.shared / args.genre)
    if docs is None:
        return 0
    with tempfile.TemporaryDirectory(prefix="aligner-scale-") as tmp:
        work = Path(tmp)
        large_table(docs, [int(s) for s in args.sizes.split(",")], max(1, args.repeat), work,
                    hunalign)
        if not args.no_small:
            small_table(args.shared, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
