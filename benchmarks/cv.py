"""Leave-one-document-out cross-validation of the aligner's global weights on mac-dev.

    python benchmarks/cv.py [--bench DIR] [--grid 'w_len=0.03,0.05,0.08' ...] [--by-book]

Every combination of the ``--grid`` values (keyword options of ``align_sentences``) is run on
every document, and the per-document strict counts are kept. Plain F1 is the pooled F1 of
each setting on all twelve documents. The cross-validated F1 chooses, for each document in
turn, the setting with the best pooled F1 on the other eleven and scores the held-out
document with it; the held-out counts are pooled and divided. A weight is worth changing only
when the cross-validated F1 rises, not just the plain one. ``--by-book`` adds the stricter
leave-one-book-out figure (mac-dev's documents 001-004, 005-008 and 009-012 are three books,
each with its own translator): the setting is chosen on the other two books.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

from macdev import BOOK_SIZE, add_bench_option, load_docs


def parse_value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return None if text == "None" else text


def f1_of(counts) -> float:
    """Strict F1 from pooled (precision hits, precision misses, recall hits, recall misses)."""
    ph, pm, rh, rm = counts
    p = ph / (ph + pm) if ph + pm else 0.0
    r = rh / (rh + rm) if rh + rm else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def doc_counts(test, gold) -> tuple[int, int, int, int]:
    from aligner.quality.evaluate import _counts, _links

    test_l, gold_l = _links(test), _links(gold)
    ph, pm, _, _ = _counts(gold_l, test_l)
    rh, rm, _, _ = _counts([t for t in test_l if t[0] and t[1]],
                           [g for g in gold_l if g[0] and g[1]])
    return ph, pm, rh, rm


def pooled(rows, skip=None):
    """Counts pooled over the documents whose fold is not ``skip`` (an int or a set)."""
    skip = skip if isinstance(skip, set) else {skip}
    tot = [0, 0, 0, 0]
    for d, c in enumerate(rows):
        if d not in skip:
            tot = [x + y for x, y in zip(tot, c, strict=True)]
    return tot


def loo(table: list[list[tuple[int, int, int, int]]],
        group: int = 1) -> tuple[float, list[int]]:
    """Cross-validated F1 of choosing a setting by pooled F1 on the other documents (folds of
    ``group`` consecutive documents)."""
    n_docs = len(table[0])
    held = [0, 0, 0, 0]
    chosen = []
    for start in range(0, n_docs, group):
        fold = set(range(start, min(start + group, n_docs)))
        best = max(range(len(table)), key=lambda k: (f1_of(pooled(table[k], fold)), -k))
        for d in sorted(fold):
            chosen.append(best)
            held = [x + y for x, y in zip(held, table[best][d], strict=True)]
    return f1_of(held), chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_bench_option(ap, by_book=True)
    ap.add_argument("--grid", action="append", default=[],
                    help="name=v1,v2,... (repeatable; the first value of each is listed first)")
    args = ap.parse_args(argv)
    mac = load_docs(args.bench)
    if mac is None:
        return 0
    from aligner.align.passes import align_sentences

    docs = [(d.zh, d.en, d.gold) for d in mac]
    names, values = [], []
    for g in args.grid:
        name, _, vals = g.partition("=")
        names.append(name)
        values.append([parse_value(v) for v in vals.split(",")])
    settings = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]
    if not settings:
        settings = [{}]
    table = []
    t0 = time.perf_counter()
    for s in settings:
        table.append([doc_counts(align_sentences(zh, en, calibrate=False, **s), gold)
                      for zh, en, gold in docs])
        print(f"  {s}: plain strict F1 {f1_of(pooled(table[-1])):.4f}", file=sys.stderr)
    cv, chosen = loo(table)
    best = max(range(len(table)), key=lambda k: (f1_of(pooled(table[k])), -k))
    print(f"{len(docs)} documents, {len(settings)} settings, "
          f"{time.perf_counter() - t0:.0f} s")
    print(f"plain strict F1: first setting {f1_of(pooled(table[0])):.4f}, "
          f"best setting {f1_of(pooled(table[best])):.4f} {settings[best]}")
    print(f"leave-one-document-out strict F1: {cv:.4f}")
    picks = sorted({k for k in chosen})
    print("settings chosen by the folds: "
          + "; ".join(f"{settings[k]} x{chosen.count(k)}" for k in picks))
    if args.by_book:
        cv_book, chosen = loo(table, BOOK_SIZE)
        print(f"leave-one-book-out strict F1: {cv_book:.4f} (settings chosen: "
              + "; ".join(str(settings[chosen[b]]) for b in range(0, len(chosen), BOOK_SIZE))
              + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
