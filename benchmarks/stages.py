"""Where one document's alignment time goes: real milliseconds per document in each step of
``align_sentences``.

    python benchmarks/stages.py [--shared DIR] [--genre mac-dev|bible-dev]

Each document of the genre is aligned once, the first time its words meet the process (after
the lexicon is loaded and one two-sentence warm-up), as ``scale.py``'s in-process figure
measures it. The steps are timed by wrapping the functions ``align_sentences`` calls (wall
clock, so a step inside another is counted in both); the wrappers themselves cost a few
microseconds a call. Prints ``skipped: ...`` when the genre is missing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genres import add_shared_option, load_genre  # noqa: E402

import aligner.align.calibrate as C  # noqa: E402
import aligner.align.features as A  # noqa: E402
import aligner.align.passes as P  # noqa: E402

STEPS = {
    A: ("side_features", "zh_features", "en_features", "zh_from_units", "en_from_units"),
    P: ("coarse_band", "search", "_repair", "_reestimate", "learn_pairs", "posteriors",
        "_path_evidence", "_context_features"),
    C: ("apply_calibration",),
}


def _timed(spent: Counter, name: str, f):
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return f(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - t
    return wrapper


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap, genre=False)
    ap.add_argument("--genre", default="mac-dev", choices=("mac-dev", "bible-dev"))
    args = ap.parse_args(argv)
    docs = load_genre(args.shared / args.genre)
    if docs is None:
        return 0
    spent: Counter = Counter()
    for module, names in STEPS.items():
        for name in names:
            setattr(module, name, _timed(spent, name, getattr(module, name)))
    P._Scorer.__init__ = _timed(spent, "scorer: build", P._Scorer.__init__)
    P._Scorer.scores = _timed(spent, "scorer: score planes", P._Scorer.scores)
    P._lexicon()
    P.align_sentences(["预热。"], ["Warm up."])
    spent.clear()
    whole = []
    for doc in docs:
        t = time.perf_counter()
        P.align_sentences(doc.zh, doc.en)
        whole.append(time.perf_counter() - t)
    k = len(docs)
    print(f"{args.genre}: {k} documents, each aligned once; median {statistics.median(whole):.3f}"
          f" s, mean {sum(whole) / k:.3f} s a document")
    print("| step | ms per document (mean) |")
    print("|---|---:|")
    for name, secs in spent.most_common():
        print(f"| `{name}` | {secs / k * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
