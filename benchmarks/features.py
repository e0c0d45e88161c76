"""Milliseconds per document of the sentence features (``aligner/align/features.py``).

    python benchmarks/features.py [--shared DIR] [--genre mac-dev|bible-dev] [--repeat N]

Each document's ``zh_features`` / ``en_features`` are timed the first time its words meet the
process (the lexicon's answers for them not yet kept: as in one ``align``), then again; the
key masks ``zh_from_units`` / ``en_from_units`` the best of N, the Chinese side also with the
word pairs the document's own first pass learns (``learn_pairs``, as pass 2 does). Prints
``skipped: ...`` when the genre is missing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genres import add_shared_option, load_genre  # noqa: E402

import aligner.align.features as A  # noqa: E402
import aligner.align.passes as P  # noqa: E402


def _best(f, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap, genre=False)
    ap.add_argument("--genre", default="mac-dev", choices=("mac-dev", "bible-dev"))
    ap.add_argument("--repeat", type=int, default=5, help="runs of the mask builders (best)")
    args = ap.parse_args(argv)
    docs = load_genre(args.shared / args.genre)
    if not docs:
        return 0
    lex = P._lexicon()
    P.align_sentences(["预热。"], ["Warm up."])
    rows: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        rows.setdefault(name, []).append(seconds * 1000)

    learned_of: list[dict] = []
    real = A.zh_from_units

    def keep_learned(units, n_chars, learned=None, drop=frozenset()):
        if learned:
            learned_of.append(learned)
        return real(units, n_chars, learned, drop)

    for d in docs:
        t = time.perf_counter()
        zf = A.zh_features(d.zh, lex)
        note("zh_features, first time", time.perf_counter() - t)
        t = time.perf_counter()
        ef = A.en_features(d.en)
        note("en_features, first time", time.perf_counter() - t)
        note("zh_features, again", _best(lambda d=d: A.zh_features(d.zh, lex), 1))
        note("en_features, again", _best(lambda d=d: A.en_features(d.en), 1))
        note("zh_from_units", _best(lambda zf=zf: A.zh_from_units(zf.units, zf.n_chars),
                                    args.repeat))
        note("en_from_units", _best(lambda ef=ef: A.en_from_units(ef.units, ef.n_chars),
                                    args.repeat))
        learned_of.clear()
        A.zh_from_units = keep_learned
        try:
            P.align_sentences(d.zh, d.en)
        finally:
            A.zh_from_units = real
        learned = learned_of[-1] if learned_of else {}
        note("zh_from_units, learned pairs",
             _best(lambda zf=zf, lr=learned: A.zh_from_units(zf.units, zf.n_chars, lr),
                   args.repeat))
    print(f"| {args.genre} ({len(docs)} documents) | median ms | sum ms |")
    print("|---|---:|---:|")
    for name, ms in rows.items():
        print(f"| {name} | {statistics.median(ms):.1f} | {sum(ms):.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
