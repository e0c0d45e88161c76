"""Glossary speed: cold-start lookup, term finding in a record, term extraction.

    python benchmarks/glossary.py [--runs N] [--bench DIR]

Prints one table. Lookup is timed as a user meets it: a fresh ``python -m aligner glossary
lookup`` process each run (median of ``--runs``). Finding terms uses the Chinese record in
corpora/. Extraction runs on the fictional CD record of the tests (gold alignment; recall of
the glossary terms it holds) and on the gold-aligned pairs of mac-dev (literary text, so the
point is speed); the mac-dev row says "skipped" when /work/shared is missing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from macdev import ROOT, add_bench_option, gold_pairs, load_docs

RECORD = ROOT / "corpora" / "CD_PV.1261_zh.txt"


def cold_lookup(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "aligner", "glossary", "lookup", *args],
                       capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def record_recall(g) -> tuple[str, str, str]:
    """Extraction on the fictional CD record of the tests, through its gold alignment: how many
    glossary terms that occur aligned (zh and en) in two or more pairs come out marked known."""
    from collections import Counter

    from aligner.common.formats import AlignedPair, join_sentences
    from aligner.terms.extract import extract_candidates

    sys.path.insert(0, str(ROOT / "tests"))
    import records

    zh, en = records.SENTENCES_ZH, records.SENTENCES_EN
    pairs = [AlignedPair(tuple(a), tuple(b), join_sentences([zh[i] for i in a], "zh"),
                         join_sentences([en[i] for i in b], "en"), 1.0, {})
             for a, b in records.ALIGNMENT]
    aligned: Counter = Counter()
    for p in pairs:
        aligned.update(e for e in g.find_in_zh(p.src) if g.en_present(e, p.tgt))
    eligible = [e for e, n in aligned.items() if n >= 2]
    t = time.perf_counter()
    cands = extract_candidates(pairs, glossary=g, progress=False)
    dt = time.perf_counter() - t
    known = {c.zh for c in cands if c.glossary == "known"}
    hit = sum(1 for e in eligible if set(e.zh_forms) & known)
    return ("extract terms, tests/records.py record", f"{dt:.1f} s",
            f"{len(pairs)} pairs, {len(cands)} candidates, glossary-term recall "
            f"{hit}/{len(eligible)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    add_bench_option(ap)
    args = ap.parse_args(argv)
    from aligner.lexicon.glossary import load_glossary

    rows: list[tuple[str, str, str]] = []
    for label, query in (("lookup 消极安全保证 (cold process)", ["消极安全保证"]),
                         ("lookup 'nuclear-weapon States' (cold)", ["nuclear-weapon States"]),
                         ("lookup --fuzzy typo (cold)", ["negative securty", "--fuzzy"])):
        rows.append((label, f"{cold_lookup(query, args.runs) * 1000:.0f} ms",
                     f"median of {args.runs}"))

    t = time.perf_counter()
    g = load_glossary()
    rows.append(("load glossary", f"{(time.perf_counter() - t) * 1000:.1f} ms",
                 f"{len(g)} entries"))
    text = RECORD.read_text(encoding="utf-8")
    t = time.perf_counter()
    found = g.found_in_text(text)
    rows.append(("find terms in CD/PV.1261 (zh)", f"{(time.perf_counter() - t) * 1000:.1f} ms",
                 f"{len(found)} entries, {sum(n for _, n in found)} occurrences, "
                 f"{len(text)} chars"))

    rows.append(record_recall(g))

    docs = load_docs(args.bench)
    if docs is not None:
        from aligner.lexicon.dictionary import load_lexicon
        from aligner.terms.extract import extract_terms

        pairs = [p for p in gold_pairs(docs) if p.src_ids and p.tgt_ids]
        t = time.perf_counter()
        lexicon = load_lexicon()
        t_lex = time.perf_counter() - t
        t = time.perf_counter()
        cands = extract_terms(pairs, glossary=g, lexicon=lexicon, progress=False)
        dt = time.perf_counter() - t
        rows.append(("extract terms, mac-dev gold pairs", f"{dt:.1f} s",
                     f"{len(pairs)} pairs, {len(pairs) / dt:.0f} pairs/s, {len(cands)} "
                     f"candidates (lexicon load {t_lex:.1f} s)"))
    else:
        rows.append(("extract terms, mac-dev gold pairs", "skipped",
                     f"benchmark folder {args.bench} not found"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'time':>9}  detail")
    for name, value, detail in rows:
        print(f"{name:<{width}}  {value:>9}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
