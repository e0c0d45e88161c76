"""Does the aligner's Chinese tokenizer cut as jieba does (issue 13)?

    python benchmarks/tokenizer.py [--shared DIR]

The aligner's ``Lexicon.tokenize_zh`` takes the dictionary route from rjieba and settles the
runs of single characters by jieba's own rules and HMM (aligner/lexicon/segmenter.py). It is
compared, line by line, with jieba itself (``lcut(HMM=True)``, the lexicon's extra words at
frequency 2000) on the seed record, mac-dev and bible-dev; so is rjieba's own ``cut(hmm=True)``
with the same words, which is what a plain switch of tokenizer would give. Tokens agree when
the same span of the line is one token on both sides. The pinyin keys are compared with
``pypinyin.lazy_pinyin`` on every distinct token. Prints ``skipped: ...`` for a missing set.
"""

from __future__ import annotations

import argparse
import sys
import time

from genres import add_shared_option

from aligner.align.features import _ASCII_RUN, _FULLWIDTH
from aligner.lexicon.dictionary import ROMANISATION, jieba_tokenizer, shared_lexicon


def spans(line: str, tokens: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for t in tokens:
        start = line.index(t, pos)
        pos = start + len(t)
        out.add((start, pos))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap, genre=False)
    args = ap.parse_args(argv)
    sets = {"seed record": sorted((args.shared.parent / "corpora").glob("CD_PV.1261_zh.txt")),
            "mac-dev": sorted((args.shared / "mac-dev").glob("*.zh")),
            "bible-dev": sorted((args.shared / "bible-dev").glob("*.zh"))}
    found = {k: v for k, v in sets.items() if v}
    for k in [k for k in sets if k not in found]:
        print(f"skipped: {k}: not found under {args.shared.parent}")
    if not found:
        return 0
    lex = shared_lexicon()
    lex.tokenize_zh("预热")
    ref = jieba_tokenizer(lex._extra_words)
    import rjieba

    plain = rjieba.Jieba()
    for w in lex._extra_words:
        plain.add_word(w, 2000, None)
    from pypinyin import lazy_pinyin

    print("| set | lines | identical lines | tokens (jieba) | identical tokens | "
          "rjieba alone: lines / tokens | distinct tokens: same pinyin |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    secs = {"jieba": 0.0, "aligner": 0.0}
    for name, files in found.items():
        lines = same = toks = same_toks = plain_lines = plain_toks = 0
        distinct: set[str] = set()
        for f in files:
            for raw in f.read_text(encoding="utf-8").splitlines():
                line = _ASCII_RUN.sub(" ", raw.translate(_FULLWIDTH))
                if not line.strip():
                    continue
                t = time.perf_counter()
                a = [x for x in ref.lcut(line, HMM=True) if x.strip()]
                t1 = time.perf_counter()
                b = lex.tokenize_zh(line)
                secs["aligner"] += time.perf_counter() - t1
                secs["jieba"] += t1 - t
                c = [x for x in plain.cut(line, True) if x.strip()]
                lines += 1
                toks += len(a)
                same += a == b
                plain_lines += a == c
                sa = spans(line, a)
                same_toks += len(sa & spans(line, b))
                plain_toks += len(sa & spans(line, c))
                distinct.update(x for x in b if all("\u4e00" <= ch <= "\u9fff" for ch in x))
        named = [w for w in distinct if w not in ROMANISATION]
        py_same = sum(lex.pinyin(w) == "".join(lazy_pinyin(w)) for w in named)
        print(f"| {name} | {lines} | {same} | {toks} | {same_toks} | "
              f"{plain_lines} / {plain_toks} | {py_same} of {len(named)} |")
    print(f"\ntokenizing all these lines: jieba {secs['jieba']:.2f} s, "
          f"the aligner's {secs['aligner']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
