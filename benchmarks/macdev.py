"""The MAC-Test dev half as every benchmark reads it, from ../shared (never copied here).

    from macdev import add_bench_option, load_docs

A script adds ``--bench DIR`` with ``add_bench_option`` and loads the documents with
``load_docs``, which returns None (after saying "skipped: …") when the data is not there, so
each benchmark exits 0 on a machine without the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "mac-dev"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from aligner.common.formats import read_beads  # noqa: E402  (after the path set-up above)
from aligner.common.types import Bead  # noqa: E402


@dataclass(frozen=True)
class MacDoc:
    name: str  # "001"
    zh: list[str]
    en: list[str]
    gold: list[Bead]


# mac-dev's documents 001-004, 005-008 and 009-012 come from three books, each with its own
# translator: leaving a whole book out is the stricter test of a setting or a model
BOOK_SIZE = 4


def add_bench_option(parser: argparse.ArgumentParser, by_book: bool = False) -> None:
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH,
                        help=f"mac-dev folder (default: {DEFAULT_BENCH})")
    if by_book:
        parser.add_argument("--by-book", action="store_true",
                            help=f"also leave one book out (books = {BOOK_SIZE} documents "
                                 "in name order)")


def load_docs(bench: Path, label: str = "mac-dev",
              hint: str = " (pass --bench DIR)") -> list[MacDoc] | None:
    """Every document with its gold alignment, in name order; None (after saying
    ``skipped: ...``) when there are none."""
    golds = sorted(bench.glob("*.gold.align")) if bench.is_dir() else []
    if not golds:
        print(f"skipped: no {label} benchmark at {bench}{hint}")
        return None
    docs = []
    for gold in golds:
        name = gold.name[: -len(".gold.align")]
        docs.append(MacDoc(name, _lines(bench / f"{name}.zh"), _lines(bench / f"{name}.en"),
                           read_beads(gold)))
    return docs


def concatenate(docs: list[MacDoc], n_tgt: int | None = None, n_beads: int | None = None,
                drop_en: str | None = None) -> tuple[list[str], list[str], list[Bead], set[int]]:
    """The documents as one long pair with its gold (each document's gold shifted by its
    offsets): once through, or over and over until the English side has ``n_tgt`` lines or
    the gold ``n_beads`` beads, the last document cut after the last gold bead that fits.

    The English of the document named ``drop_en`` is left out (a chapter missing from one
    side): its Chinese sentences are 1-0 beads of the gold, and their ids are returned too.
    """
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Bead] = []
    dropped: set[int] = set()

    def full() -> bool:
        return (n_tgt is not None and len(tgt) >= n_tgt) or (
            n_beads is not None and len(gold) >= n_beads)

    while True:
        for doc in docs:
            i0, j0 = len(src), len(tgt)
            if doc.name == drop_en:
                src += doc.zh
                dropped.update(range(i0, len(src)))
                gold += [Bead((i,), ()) for i in range(i0, len(src))]
                continue
            zi = ej = 0  # how much of this document has been taken
            for b in doc.gold:
                end_j = max(b.tgt_ids, default=ej - 1) + 1
                if full() or (n_tgt is not None and j0 + end_j > n_tgt):
                    break
                gold.append(Bead(tuple(i + i0 for i in b.src_ids),
                                 tuple(j + j0 for j in b.tgt_ids)))
                zi = max(b.src_ids, default=zi - 1) + 1
                ej = end_j
            src += doc.zh[:zi]
            tgt += doc.en[:ej]
            if full():
                return src, tgt, gold, dropped
        if n_tgt is None and n_beads is None:
            return src, tgt, gold, dropped


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def gold_pairs(docs: list[MacDoc], one_document: bool = False) -> list:
    """The gold beads with their text as ``AlignedPair``s (score 1).

    With ``one_document`` the ids run on across documents, as if the twelve were one record.
    """
    from aligner.common.formats import AlignedPair, join_sentences

    pairs = []
    src_offset = tgt_offset = 0
    for doc in docs:
        for b in doc.gold:
            pairs.append(AlignedPair(
                tuple(i + src_offset for i in b.src_ids), tuple(j + tgt_offset for j in b.tgt_ids),
                join_sentences([doc.zh[i] for i in b.src_ids], "zh"),
                join_sentences([doc.en[j] for j in b.tgt_ids], "en"), 1.0, {}))
        if one_document:
            src_offset += len(doc.zh)
            tgt_offset += len(doc.en)
    return pairs
