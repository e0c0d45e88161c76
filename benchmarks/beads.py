"""Write every benchmark document's beads to a file, to check that a change leaves the output
identical (speed work must not move beads; issue 13).

    python benchmarks/beads.py OUT.txt [--shared DIR] [--long N]
    diff before.txt after.txt && diff before.scores after.scores

Aligns every mac-dev and bible-dev document (and with ``--long N`` the bible-dev documents
concatenated until the English side has N lines, 30000 for the issue's 40.5k x 30k pair) and
writes one line per bead, ``document [zh ids]:[en ids]``, to OUT.txt, and the same with the
confidence to four decimals to OUT.scores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from genres import add_shared_option, load_genres
from macdev import concatenate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    add_shared_option(ap, genre=False)
    ap.add_argument("--long", type=int, default=0, metavar="N",
                    help="also the bible-dev concatenation with N English lines")
    args = ap.parse_args(argv)
    genres = load_genres(args.shared)
    if not genres:
        return 0
    from aligner.align.passes import align_sentences

    pairs = [(f"{g}/{d.name}", d.zh, d.en) for g, docs in genres.items() for d in docs]
    if args.long and "bible-dev" in genres:
        src, tgt, _, _ = concatenate(genres["bible-dev"], n_tgt=args.long)
        pairs.append((f"bible-dev x{len(tgt)}", src, tgt))
    lines, scored = [], []
    t = time.perf_counter()
    for name, zh, en in pairs:
        for b in align_sentences(zh, en):
            bead = f"{name} {list(b.src_ids)}:{list(b.tgt_ids)}"
            lines.append(bead)
            scored.append(f"{bead} {b.score:.4f}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.out.with_suffix(".scores").write_text("\n".join(scored) + "\n", encoding="utf-8")
    print(f"{len(lines)} beads of {len(pairs)} documents in {time.perf_counter() - t:.1f} s "
          f"-> {args.out}, {args.out.with_suffix('.scores')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
