"""Our Snowball English stemmer against NLTK's, and the align path without nltk."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from nltk.stem.snowball import SnowballStemmer
from test_align import PAIRS

from aligner.lexicon.stemmer import _EXCEPTIONS, _STEP2, _STEP3, _STEP4, stem

ROOT = Path(__file__).resolve().parents[1]
NLTK = SnowballStemmer("english").stem

# the word lists and generated forms are the benchmark's (benchmarks/stemmer.py), so that the
# test and the published comparison check the same words
sys.path.insert(0, str(ROOT / "benchmarks"))
import stemmer as stem_bench  # noqa: E402

ENDINGS, forms = stem_bench.ENDINGS, stem_bench.forms


def mismatches(words) -> list[tuple[str, str, str]]:
    return [(w, stem(w), NLTK(w)) for w in sorted(set(words)) if stem(w) != NLTK(w)]


@pytest.fixture(scope="module")
def cedict_words() -> set[str]:
    """Every word _gloss_stems can hand to stem(): CEDICT's glosses, as the lexicon reads them."""
    return stem_bench.cedict_words()


@pytest.fixture(scope="module")
def corpus_words() -> set[str]:
    """The words of the glossary and the records in corpora/, as the features read them."""
    return stem_bench.text_words(p for p in ROOT.joinpath("corpora").rglob("*")
                                 if p.suffix in (".txt", ".tsv"))


def test_same_stems_as_nltk_on_cedict_glosses(cedict_words):
    assert len(cedict_words) > 30_000
    assert mismatches(cedict_words) == []


def test_same_stems_as_nltk_on_the_corpora_and_their_forms(corpus_words):
    assert len(corpus_words) > 500
    assert mismatches(corpus_words | forms(corpus_words)) == []


def test_same_stems_as_nltk_on_forms_of_gloss_words(cedict_words):
    # every 25th gloss word with all its endings (~0.3 M words; benchmarks/README.md records
    # the run over all of them)
    sample = sorted(cedict_words)[::25]
    assert mismatches(forms(sample)) == []


def test_same_stems_as_nltk_on_made_up_words():
    # letter strings built from the suffixes of every step reach the corners of R1/R2
    # bookkeeping (regions beginning inside a replaced suffix) that real words rarely do
    rng = random.Random(13)
    suffixes = [*_STEP2, *_STEP3, *_STEP4, *ENDINGS, "sses", "us", "ss", "at", "bl", "iz", "e",
                "ll", "yy"]
    letters = "aeiouybcdlnrstgmpxwzfhk"
    words = set()
    for _ in range(60_000):
        w = "".join(rng.choice(letters) for _ in range(rng.randint(0, 6)))
        w += "".join(rng.choice(suffixes) for _ in range(rng.randint(1, 3)))
        words.update((w, rng.choice(("gener", "commun", "arsen", "y", "'")) + w))
    assert mismatches(words) == []


def test_exceptional_forms_and_short_words():
    words = set(_EXCEPTIONS) | {"'" + w for w in _EXCEPTIONS} | {w + "s" for w in _EXCEPTIONS}
    words |= {"a", "is", "ye", "y", "", "'", "''s", "yay", "sky's", "Running", "TIES"}
    assert mismatches(words) == []


# --- start-up ------------------------------------------------------------------------------

DRIVER = """
import sys
sys.argv = ['aligner', *sys.argv[1:]]
from aligner.cli import main
try:
    main()
except SystemExit as e:
    assert not e.code, e.code
print('nltk' in sys.modules, file=sys.stderr)
"""


def drive(*args: str) -> bool:
    """Whether running ``aligner ARGS`` in one process imported nltk."""
    r = subprocess.run([sys.executable, "-c", DRIVER, *args], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stderr.strip().splitlines()[-1] == "True"


def test_presegmented_align_does_not_import_nltk(tmp_path):
    zh, en, out = tmp_path / "s.zh", tmp_path / "s.en", tmp_path / "s.align"
    zh.write_text("\n".join(z for z, _ in PAIRS) + "\n", encoding="utf-8")
    en.write_text("\n".join(e for _, e in PAIRS) + "\n", encoding="utf-8")
    assert not drive("align", "--presegmented", str(zh), str(en), "-o", str(out))
    assert out.read_text(encoding="utf-8").splitlines()[0] == "[0]:[0]"
    # raw English text is still split by Punkt: the driver does see nltk when it is used
    raw = tmp_path / "raw.txt"
    raw.write_text(" ".join(e for _, e in PAIRS), encoding="utf-8")
    assert drive("segment", "--lang", "en", str(raw), "-o", str(tmp_path / "sentences.txt"))
