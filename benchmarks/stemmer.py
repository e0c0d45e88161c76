"""Does the aligner's Snowball stemmer give NLTK's stems (issue 13)?

    python benchmarks/stemmer.py [--shared DIR]

``aligner.lexicon.stemmer.stem`` against ``nltk.stem.snowball.SnowballStemmer("english")`` on
every distinct lower-case word the aligner can stem: CEDICT's glosses (read as the lexicon
reads them), the glossary and the records in corpora/, the English of mac-dev and bible-dev,
and each of those words with ~60 endings (-s ... -ational, also after dropping a final e or y
and doubling a final consonant). Prints one row per set and the time both take; a set whose
files are missing is reported as ``skipped: ...``.
"""

from __future__ import annotations

import argparse
import gzip
import time
from pathlib import Path

from genres import add_shared_option

from aligner.align.features import _EN_WORD
from aligner.lexicon import dictionary as L
from aligner.lexicon.stemmer import stem

ENDINGS = ("s", "es", "'s", "s'", "'", "ed", "ing", "edly", "ingly", "eed", "eedly", "ly",
           "ness", "ment", "ement", "ational", "ation", "ations", "ator", "ization", "izer",
           "ize", "ized", "izing", "ful", "fulness", "fully", "ously", "ousness", "iveness",
           "ivity", "ability", "ibility", "ably", "ically", "icate", "alism", "ality", "ally",
           "ence", "ency", "ance", "ancy", "ently", "less", "lessly", "logy", "ist", "ism",
           "er", "ers", "est", "y", "ies", "ied", "ier", "al", "ic", "ive", "ative", "ion")


def text_words(paths) -> set[str]:
    words = set()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        words.update(w.lower() for w in _EN_WORD.findall(text))
        words.update(L._WORD.findall(text.lower()))
    return words


def cedict_words() -> set[str]:
    words = set()
    with gzip.open(L.cedict_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                words.update(L._WORD.findall(L._PAREN.sub(" ", line.partition(" [")[2].lower())))
    return words


def forms(words) -> set[str]:
    out = set()
    for w in words:
        if w.isalpha():
            bases = {w, w[:-1] if w[-1] in "ey" else w, w[:-1] + "i" if w[-1] == "y" else w}
            if len(w) > 2 and w[-1] not in "aeiouy":
                bases.add(w + w[-1])
            out.update(b + e for b in bases for e in ENDINGS)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(ap, genre=False)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    from nltk.stem.snowball import SnowballStemmer

    nltk_stem = SnowballStemmer("english").stem
    print(f"import nltk.stem.snowball: {time.perf_counter() - t:.2f} s")
    root = Path(__file__).resolve().parents[1] / "corpora"
    sets = {"CEDICT glosses": cedict_words(),
            "glossary + corpora/": text_words(p for p in root.rglob("*")
                                              if p.suffix in (".txt", ".tsv"))}
    for genre in ("mac-dev", "bible-dev"):
        files = sorted((args.shared / genre).glob("*.en"))
        if files:
            sets[f"{genre} English"] = text_words(files)
        else:
            print(f"skipped: {genre}: not found under {args.shared}")
    base = set().union(*sets.values())
    sets["all of the above"] = base
    sets["their generated forms"] = forms(base) - base
    print("| words | distinct | differ from NLTK | NLTK s | ours s |")
    print("|---|---:|---:|---:|---:|")
    for name, words in sets.items():
        ws = sorted(words)
        t0 = time.perf_counter()
        ref = [nltk_stem(w) for w in ws]
        t1 = time.perf_counter()
        ours = [stem(w) for w in ws]
        t2 = time.perf_counter()
        bad = [w for w, a, b in zip(ws, ref, ours, strict=True) if a != b]
        print(f"| {name} | {len(ws)} | {len(bad)} | {t1 - t0:.2f} | {t2 - t1:.2f} |")
        for w in bad[:10]:
            print(f"  {w}: nltk {nltk_stem(w)}, ours {stem(w)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
