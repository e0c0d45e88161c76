"""Leave-one-document-out cross-validation of the aligner's global weights on both genres.

    python benchmarks/cv.py [--shared DIR] [--genre G] [--grid 'w_len=0.03,0.05' ...] [--by-book]

Both genres (mac-dev, literary; bible-dev, verses) are used unless ``--genre`` names one.
Every combination of the ``--grid`` values (keyword options of ``align_sentences``) is run on
every document, and the per-document strict counts are kept. Plain F1 is the pooled F1 of
each setting on all the documents of a genre. The cross-validated F1 chooses, for each
document in turn, the setting whose mean pooled F1 over the genres is best without that
document, scores the held-out document with it, pools the held-out counts per genre and
divides: a gain on one genre that costs the other is not a gain. A weight is worth changing
only when the cross-validated F1 rises, not just the plain one. ``--by-book`` adds the
stricter mac-dev leave-one-book-out figure (documents 001-004, 005-008 and 009-012 are three
books, each with its own translator): the setting is chosen on the other two books.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

from macdev import BOOK_SIZE


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


def loo_genres(table: dict[str, list[list[tuple[int, int, int, int]]]],
               n_settings: int) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Leave-one-document-out over several genres at once: each held-out document is scored
    with the setting whose mean pooled F1 over the genres, without that document, is best (a
    gain on one genre that costs another does not count as a gain)."""
    genres = list(table)
    out, chosen = {}, {}
    for g in genres:
        held = [0, 0, 0, 0]
        chosen[g] = []
        for d in range(len(table[g][0])):
            def crit(k, g=g, d=d):
                return (sum(f1_of(pooled(table[h][k], d if h == g else None)) for h in genres)
                        / len(genres), -k)
            best = max(range(n_settings), key=crit)
            chosen[g].append(best)
            held = [x + y for x, y in zip(held, table[g][best][d], strict=True)]
        out[g] = f1_of(held)
    return out, chosen


def main(argv: list[str] | None = None) -> int:
    from genres import add_shared_option, load_genres

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap)
    ap.add_argument("--by-book", action="store_true",
                    help=f"also leave one mac-dev book out (books = {BOOK_SIZE} documents)")
    ap.add_argument("--grid", action="append", default=[],
                    help="name=v1,v2,... (repeatable; the first value of each is listed first)")
    args = ap.parse_args(argv)
    genres = load_genres(args.shared, args.genre)
    if not genres:
        return 0
    from aligner.align.passes import align_sentences

    names, values = [], []
    for g in args.grid:
        name, _, vals = g.partition("=")
        names.append(name)
        values.append([parse_value(v) for v in vals.split(",")])
    settings = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]
    if not settings:
        settings = [{}]
    # verse documents are joined by a model fitted without them (joins.py), so their
    # figures stay leave-one-document-out
    from joins import fold_models

    folds = fold_models(genres)
    table: dict[str, list] = {g: [] for g in genres}
    t0 = time.perf_counter()
    for s in settings:
        line = []
        for g, docs in genres.items():
            table[g].append([doc_counts(align_sentences(d.zh, d.en, calibrate=False,
                                                        join_model=folds.get((g, k)), **s),
                                        d.gold) for k, d in enumerate(docs)])
            line.append(f"{g} {f1_of(pooled(table[g][-1])):.4f}")
        print(f"  {s}: plain strict F1 " + ", ".join(line), file=sys.stderr, flush=True)
    cv, chosen = loo_genres(table, len(settings))
    print(f"{', '.join(f'{g} {len(d)} documents' for g, d in genres.items())}; "
          f"{len(settings)} settings, {time.perf_counter() - t0:.0f} s")
    for g in genres:
        best = max(range(len(settings)), key=lambda k, g=g: (f1_of(pooled(table[g][k])), -k))
        print(f"{g}: plain strict F1 first setting {f1_of(pooled(table[g][0])):.4f}, best "
              f"{f1_of(pooled(table[g][best])):.4f} {settings[best]}; "
              f"leave-one-document-out {cv[g]:.4f}")
        picks = sorted(set(chosen[g]))
        print(f"  settings chosen by the {g} folds: "
              + "; ".join(f"{settings[k]} x{chosen[g].count(k)}" for k in picks))
    if args.by_book and "mac-dev" in table:
        cv_book, picked = loo(table["mac-dev"], BOOK_SIZE)
        print(f"mac-dev leave-one-book-out strict F1 (chosen on mac-dev alone): {cv_book:.4f} "
              "(settings chosen: " + "; ".join(str(settings[picked[b]]) for b in
                                              range(0, len(picked), BOOK_SIZE)) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
