"""Sentence segmentation: Chinese by rule, English with Punkt and UN abbreviations.

A speaker label is taken off before splitting and put back on the turn's first sentence, so
no sentence ever ends right after ``Mr.`` or starts with a bare ``(Australia):``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..common.script import detect_lang
from ..common.types import Document, Segment
from .turns import find_turn

__all__ = ["split_zh", "split_en", "split", "segment_document", "segment_record", "detect_lang"]

# --- Chinese -----------------------------------------------------------------------------------
_ZH_CLOSERS = "”’」』》）)】〕\"'"
# A sentence ends at 。！？ (or a run of them, or ?! typed in ASCII inside Chinese) and takes
# its closing quotes and brackets. An ellipsis ends a sentence only where a quote or bracket
# closes after it, a quotation opens, or the text ends: before plain text it is a pause.
_ZH_END = re.compile(rf"(?:[。！？!?]+[{_ZH_CLOSERS}]*|……+(?:[{_ZH_CLOSERS}]+|$|(?=[“‘「『])))")
_BULLET = re.compile(r"\s*(?=[•▪●◦])")


def split_zh(text: str) -> list[str]:
    """Split Chinese text into sentences. Never at ；or ：; a bullet starts a new one."""
    sentences: list[str] = []
    for chunk in _BULLET.split(text):
        start = 0
        for m in _ZH_END.finditer(chunk):
            sentences.append(chunk[start:m.end()])
            start = m.end()
        sentences.append(chunk[start:])
    return [s.strip() for s in sentences if s.strip()]


# --- English -----------------------------------------------------------------------------------
# Punkt keeps its abbreviations lower-case and without the final period.
UN_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "no", "nos", "para", "paras", "art", "arts", "vol",
    "vols", "pp", "p", "e.g", "i.e", "etc", "approx", "u.n", "u.s", "a.m", "p.m", "st", "rev",
    "add", "corr", "amend", "suppl", "ch", "chap", "sect", "fig", "ed", "eds", "cf", "viz",
    "vs", "jr", "sr", "messrs", "mmes", "h.e", "gen", "col", "lt", "gov", "amb", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "ltd", "co", "corp", "annex", "op", "cit", "ibid", "al",
})
# Abbreviations that also end sentences often: split after them when a sentence plainly starts.
_MAY_END = re.compile(r"(?:\betc|\ba\.m|\bp\.m|\bi\.e|\be\.g)\.$", re.IGNORECASE)
_STARTERS = frozenset(
    "The This That These Those It I We He She They In On At As For Our My His Her There "
    "However Moreover Furthermore Finally Thank Let Allow May Today Tomorrow Yesterday "
    "Mr. Mrs. Ms. So Such Now Therefore".split())


@lru_cache(maxsize=1)
def _punkt():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(UN_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def split_en(text: str) -> list[str]:
    """Split English text with Punkt, never inside symbols (CD/WP.571/Rev.1) or numbers."""
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    for chunk in _BULLET.split(text):
        if not chunk.strip():
            continue
        for sent in _punkt().tokenize(chunk):
            sentences.extend(_split_after_ambiguous(sent))
    return _rejoin_false_breaks([s.strip() for s in sentences if s.strip()])


def _split_after_ambiguous(sentence: str) -> list[str]:
    """Punkt never splits after a known abbreviation; ``etc.`` and ``p.m.`` do end sentences."""
    parts: list[str] = []
    words = sentence.split(" ")
    start = 0
    for i in range(len(words) - 1):
        if _MAY_END.search(words[i]) and words[i + 1] in _STARTERS:
            parts.append(" ".join(words[start:i + 1]))
            start = i + 1
    parts.append(" ".join(words[start:]))
    return parts


_NO_BREAK_BEFORE = re.compile(r"^(?:\d|[a-z(\[,;:])")


def _rejoin_false_breaks(sentences: list[str]) -> list[str]:
    """Undo breaks that leave a fragment starting in lower case, a digit or a bracket."""
    out: list[str] = []
    for s in sentences:
        if out and _NO_BREAK_BEFORE.match(s) and not out[-1].endswith(("?", "!")):
            out[-1] = out[-1] + " " + s
        else:
            out.append(s)
    return out


def split(text: str, lang: str) -> list[str]:
    return split_zh(text) if lang == "zh" else split_en(text)


# --- overlong sentences -------------------------------------------------------------------------
# A "sentence" longer than this is text without sentence punctuation (a flattened table, a
# broken export), not a sentence: several times the longest in the UN records and benchmarks.
# Kept whole, one such line of 50 MB took 6.8 GB to align.
MAX_SENTENCE_CHARS = {"zh": 1000, "en": 3000}
_CLAUSE_MARKS = {"zh": "；，：、;,:", "en": ";:,"}


def cut_overlong(sentence: str, lang: str, limit: int | None = None) -> list[str]:
    """``sentence`` in pieces of at most ``limit`` characters: each cut at the last clause mark
    (；，：、 or ; : ,) in the second half of the piece, else at a space (English), else at the
    limit itself."""
    limit = limit or MAX_SENTENCE_CHARS.get(lang, MAX_SENTENCE_CHARS["en"])
    if len(sentence) <= limit:
        return [sentence]
    marks = _CLAUSE_MARKS.get(lang, _CLAUSE_MARKS["en"])
    pieces: list[str] = []
    start = 0
    while len(sentence) - start > limit:
        lo, hi = start + limit // 2, start + limit
        cut = max(sentence.rfind(m, lo, hi) for m in marks)
        if cut < 0 and lang != "zh":
            cut = sentence.rfind(" ", lo, hi)
        end = cut + 1 if cut >= 0 else hi
        pieces.append(sentence[start:end].strip())
        start = end
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


# --- documents ---------------------------------------------------------------------------------
def segment_paragraph(text: str, lang: str) -> list[str]:
    """Sentences of one paragraph; a speaker label stays on the first sentence. A sentence
    longer than ``MAX_SENTENCE_CHARS`` is cut (see ``cut_overlong``)."""
    found = find_turn(text, lang)
    if not found:
        return [p for s in split(text, lang) for p in cut_overlong(s, lang)]
    _, end = found
    label, rest = text[:end], text[end:]
    sentences = [p for s in split(rest, lang) for p in cut_overlong(s, lang)]
    if not sentences:
        return [label.strip()]
    glue = " " if lang == "en" else ""
    return [label.rstrip() + glue + sentences[0]] + sentences[1:]


def segment_record(seg: Segment) -> dict:
    """A segment as one line of ``aligner segment --format jsonl``."""
    return {"id": seg.id, "paragraph": seg.paragraph, "turn": seg.turn, "speaker": seg.speaker,
            "text": seg.text}


def segment_document(doc: Document) -> list[Segment]:
    """All sentences of a document, with paragraph, turn and speaker label."""
    segments: list[Segment] = []
    limit = MAX_SENTENCE_CHARS.get(doc.lang, MAX_SENTENCE_CHARS["en"])
    overlong = 0
    for para in doc.paragraphs:
        speaker = doc.turns[para.turn].label if para.turn is not None else None
        overlong += sum(len(s) > limit for s in split(para.text, doc.lang)) \
            if len(para.text) > limit else 0
        for sentence in segment_paragraph(para.text, doc.lang):
            segments.append(Segment(len(segments), sentence, para.index, para.turn, speaker))
    if overlong:
        import sys

        print(f"aligner: warning: {doc.path}: {overlong} passage(s) longer than {limit} "
              "characters without sentence punctuation, cut at clause marks or at that length",
              file=sys.stderr)
    return segments
