"""The terminology glossary: load the curated TSV, find its terms in Chinese and English text.

File format (UTF-8, tab-separated, header row first, ``#`` lines and blank lines ignored)::

    zh  en  variants  pos  subject  note  source

``variants`` holds abbreviations and other forms, ``;``-separated, in either language: a
variant with a Chinese character belongs to the Chinese side, any other to the English side.

This module imports nothing heavy: ``aligner glossary lookup`` must answer from a cold start
in a fraction of a second. rapidfuzz is imported only when a fuzzy search is asked for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..common.errors import AlignerError
from ..common.fileio import existing_file, file_version
from ..common.script import has_han as has_cjk

COLUMNS = ("zh", "en", "variants", "pos", "subject", "note", "source")

# Hyphens and apostrophes join words into one compound: a match may not start or end inside
# one, so that "nuclear-weapon States" is not found inside "non-nuclear-weapon States".
_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # with accents: Türkiye, Lü
_EN_TOKEN = re.compile(rf"[{_LATIN}]+|[-'\u2019\u2010\u2011]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_JOINERS = frozenset("-'\u2019\u2010\u2011")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z0-9]$")


def default_glossary_path() -> Path:
    """``corpora/glossary.tsv`` at the root of the source tree."""
    return Path(__file__).resolve().parents[2] / "corpora" / "glossary.tsv"


def is_acronym(term: str) -> bool:
    """NPT, CTBT, UNIDIR: one all-capital token."""
    return _ACRONYM.match(term) is not None


def singular(word: str) -> str:
    """A crude English singular, applied alike to terms and text so they meet halfway.

    It needs to be consistent more than correct: "treaties" and "treaty" both become
    "treaty", "States" and "State" both "state".
    """
    w = word.lower()
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def normalise_en(text: str) -> str:
    """Lower case, singular, punctuation dropped: the key English lookups compare."""
    return " ".join(singular(t) for t in re.findall(rf"[{_LATIN}]+", text))


@functools.lru_cache(maxsize=512)
def _en_tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]:
    """Words of ``text``: raw, normalised, and whether each is joined to the one before."""
    raw: list[str] = []
    joined: list[bool] = []
    glue = False
    prev_end = -1
    for m in _EN_TOKEN.finditer(text):
        tok = m.group()
        if tok in _JOINERS:
            glue = m.start() == prev_end
            prev_end = m.end()
            continue
        raw.append(tok)
        joined.append(glue and m.start() == prev_end)
        glue = False
        prev_end = m.end()
    return tuple(raw), tuple(singular(t) for t in raw), tuple(joined)


@dataclass(frozen=True)
class Entry:
    zh: str
    en: str
    variants_zh: tuple[str, ...] = ()
    variants_en: tuple[str, ...] = ()
    pos: str = ""
    subject: str = ""
    note: str = ""
    source: str = ""
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # Callers may pass lists; entries must stay hashable (they key dictionaries).
        for name in ("variants_zh", "variants_en"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    @property
    def zh_forms(self) -> tuple[str, ...]:
        return (self.zh, *self.variants_zh)

    @property
    def en_forms(self) -> tuple[str, ...]:
        return (self.en, *self.variants_en)

    def to_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en, "variants_zh": list(self.variants_zh),
                "variants_en": list(self.variants_en), "pos": self.pos,
                "subject": self.subject, "note": self.note, "source": self.source}


@dataclass(frozen=True)
class Match:
    """A lookup result: ``how`` is exact, variant, partial or fuzzy; ``form`` what matched."""

    entry: Entry
    how: str
    form: str
    score: float


_HOW_RANK = {"exact": 3, "variant": 2, "partial": 1, "fuzzy": 0}


class Glossary:
    def __init__(self, entries: Iterable[Entry], path: str | Path | None = None) -> None:
        self.entries: list[Entry] = list(entries)
        self.path = str(path) if path is not None else None
        self._zh_regex: re.Pattern | None = None
        self._zh_owner: dict[str, Entry] = {}
        self._en_index: dict[str, list[tuple[tuple[str, ...], bool, Entry]]] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    # --- Chinese -------------------------------------------------------------------------

    def _zh_pattern(self) -> re.Pattern:
        if self._zh_regex is None:
            owner: dict[str, Entry] = {}
            for e in self.entries:
                for form in e.zh_forms:
                    owner.setdefault(form, e)  # the first entry to claim a form keeps it
            # Longest first, so that at any position the longest term wins
            # (无核武器国家 rather than the 核武器国家 inside it).
            forms = sorted(owner, key=len, reverse=True)
            self._zh_owner = owner
            self._zh_regex = re.compile("|".join(map(re.escape, forms)) if forms else r"(?!)")
        return self._zh_regex

    def _zh_hits(self, text: str) -> list[tuple[Entry, str, int]]:
        pattern = self._zh_pattern()
        # A line break inside a Chinese word (as in text taken from PDF) does not split it.
        text = _CJK_GAP.sub("", text)
        return [(self._zh_owner[m.group()], m.group(), m.start()) for m in pattern.finditer(text)]

    def find_in_zh(self, text: str) -> list[Entry]:
        """Entries whose Chinese term or variant occurs in ``text``, in order of first occurrence.

        Occurrences do not overlap and the longest term wins, so a term inside a longer known
        term is not reported.
        """
        seen: dict[Entry, None] = {}
        for entry, _, _ in self._zh_hits(text):
            seen.setdefault(entry, None)
        return list(seen)

    # --- English -------------------------------------------------------------------------

    def _en_lookup(self) -> dict[str, list[tuple[tuple[str, ...], bool, Entry]]]:
        if self._en_index is None:
            index: dict[str, list[tuple[tuple[str, ...], bool, Entry]]] = {}
            for e in self.entries:
                for form in e.en_forms:
                    raw, norm, _ = _en_tokens(form)
                    if not raw:
                        continue
                    # An acronym keeps its case: "US" must not be found in "us".
                    acro = is_acronym(form)
                    key = raw if acro else norm
                    index.setdefault(key[0], []).append((key, acro, e))
            for items in index.values():
                items.sort(key=lambda item: len(item[0]), reverse=True)
            self._en_index = index
        return self._en_index

    def _en_hits(self, text: str) -> list[tuple[Entry, int]]:
        """Non-overlapping English term occurrences, longest first at each position."""
        raw, norm, joined = _en_tokens(text)
        index = self._en_lookup()
        hits: list[tuple[Entry, int]] = []
        i, n = 0, len(raw)
        while i < n:
            found = None
            if not joined[i]:
                candidates = index.get(norm[i], []) + index.get(raw[i], [])
                candidates.sort(key=lambda item: len(item[0]), reverse=True)
                for key, acro, entry in candidates:
                    k = len(key)
                    words = raw[i:i + k] if acro else norm[i:i + k]
                    if words == key and not (i + k < n and joined[i + k]):
                        found = (entry, k)
                        break
            if found:
                hits.append((found[0], i))
                i += found[1]
            else:
                i += 1
        return hits

    def find_in_en(self, text: str) -> list[Entry]:
        """Entries whose English term or variant occurs in ``text``, in order of occurrence."""
        seen: dict[Entry, None] = {}
        for entry, _ in self._en_hits(text):
            seen.setdefault(entry, None)
        return list(seen)

    def en_present(self, entry: Entry, text: str) -> bool:
        """Whether the English term of ``entry`` or one of its variants occurs in ``text``.

        Case- and number-insensitive ("assurance" finds "Assurances"), hyphen-tolerant
        ("nuclear weapon States" finds "nuclear-weapon States"), but a term is not found
        inside a longer compound ("nuclear-weapon State" is not in "non-nuclear-weapon State").
        """
        raw, norm, joined = _en_tokens(text)
        n = len(raw)
        for form in entry.en_forms:
            f_raw, f_norm, _ = _en_tokens(form)
            if not f_raw:
                continue
            key, words = (f_raw, raw) if is_acronym(form) else (f_norm, norm)
            k = len(key)
            for i in range(n - k + 1):
                if words[i:i + k] == key and not joined[i] and not (i + k < n and joined[i + k]):
                    return True
        return False

    # --- Whole records ---------------------------------------------------------------------

    def found_in_text(self, text: str, lang: str | None = None) -> list[tuple[Entry, int]]:
        """Glossary entries found in ``text`` with their number of occurrences, most frequent first.

        ``lang`` is "zh" or "en"; by default Chinese when the text has any Chinese character.
        """
        if lang is None:
            lang = "zh" if has_cjk(text) else "en"
        counts: dict[Entry, int] = {}
        hits = self._zh_hits(text) if lang == "zh" else self._en_hits(text)
        for hit in hits:
            counts[hit[0]] = counts.get(hit[0], 0) + 1
        order = {e: i for i, e in enumerate(self.entries)}
        return sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0], 0)))

    # --- For the aligner -------------------------------------------------------------------

    def jieba_words(self) -> list[str]:
        """Chinese terms and variants, to keep them whole in jieba's segmentation."""
        words: dict[str, None] = {}
        for e in self.entries:
            for form in e.zh_forms:
                words.setdefault(form, None)
        return list(words)

    def translation_pairs(self) -> list[tuple[str, str]]:
        """(zh, en) for every Chinese form against every English form of each entry."""
        pairs: dict[tuple[str, str], None] = {}
        for e in self.entries:
            for zh in e.zh_forms:
                for en in e.en_forms:
                    pairs.setdefault((zh, en), None)
        return list(pairs)

    # --- Lookup ----------------------------------------------------------------------------

    def lookup(self, query: str, fuzzy: bool = False, limit: int = 10,
               cutoff: float = 70.0) -> list[Match]:
        """Entries matching ``query`` (Chinese or English, told apart by script), best first.

        Exact term > variant > partial (the query inside a term or a term inside the query);
        with ``fuzzy``, near matches by rapidfuzz similarity at or above ``cutoff`` follow.
        """
        query = query.strip()
        if not query:
            return []
        zh = has_cjk(query)
        key = _lookup_key(query, zh)
        best: dict[Entry, Match] = {}

        def offer(m: Match) -> None:
            old = best.get(m.entry)
            if old is None or (_HOW_RANK[m.how], m.score) > (_HOW_RANK[old.how], old.score):
                best[m.entry] = m

        for e in self.entries:
            forms = e.zh_forms if zh else e.en_forms
            for i, form in enumerate(forms):
                fkey = _lookup_key(form, zh)
                if not fkey:
                    continue
                if fkey == key:
                    offer(Match(e, "exact" if i == 0 else "variant", form, 1.0 if i == 0 else 0.9))
                elif _contains(fkey, key, zh) or _contains(key, fkey, zh):
                    cover = min(len(key), len(fkey)) / max(len(key), len(fkey))
                    offer(Match(e, "partial", form, round(0.4 + 0.4 * cover, 3)))
        if fuzzy:
            for m in self._fuzzy(key, zh, cutoff):
                if m.entry not in best:
                    best[m.entry] = m
        order = {e: i for i, e in enumerate(self.entries)}
        ranked = sorted(best.values(),
                        key=lambda m: (-_HOW_RANK[m.how], -m.score, order[m.entry]))
        return ranked[:limit]

    def suggest(self, query: str, limit: int = 3) -> list[Match]:
        """The nearest entries to ``query`` however far, for a lookup that found nothing."""
        zh = has_cjk(query)
        return self._fuzzy(_lookup_key(query.strip(), zh), zh, 40.0)[:limit]

    def _fuzzy(self, key: str, zh: bool, cutoff: float) -> list[Match]:
        from rapidfuzz import fuzz

        scored: dict[Entry, Match] = {}
        for e in self.entries:
            for form in e.zh_forms if zh else e.en_forms:
                fkey = _lookup_key(form, zh)
                if not fkey:
                    continue
                sim = fuzz.ratio(key, fkey)
                if sim >= cutoff and (e not in scored or sim / 250 > scored[e].score):
                    # Scaled below 0.4 so a fuzzy match never outranks a partial one.
                    scored[e] = Match(e, "fuzzy", form, round(sim / 250, 3))
        return sorted(scored.values(), key=lambda m: -m.score)


def _lookup_key(text: str, zh: bool) -> str:
    # Book-title marks and quotes are how a record cites a term, not part of it: 《不扩散条约》
    return re.sub(r"[\s《》〈〉“”\"'「」()（）]+", "", text) if zh else normalise_en(text)


def _contains(outer: str, inner: str, zh: bool) -> bool:
    if zh:
        return inner in outer
    return f" {inner} " in f" {outer} "


# --- Loading -------------------------------------------------------------------------------

_CACHE: dict[tuple[str, int, int], Glossary] = {}


def load_glossary(path: str | Path | None = None) -> Glossary:
    """Read a glossary TSV (default: ``default_glossary_path()``); a bad line is an AlignerError.

    The parsed glossary is cached per file and modification time: several stages of one run
    ask for it.
    """
    p = existing_file(path if path is not None else default_glossary_path())
    key = file_version(p)
    if key not in _CACHE:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise AlignerError(p, "not UTF-8 text") from None
        _CACHE.clear()
        _CACHE[key] = Glossary(parse_glossary(text, p), p)
    return _CACHE[key]


def parse_glossary(text: str, path: str | Path | None = None) -> list[Entry]:
    """Parse glossary TSV text into entries, checking every line."""
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    header_seen = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != len(COLUMNS):
            raise AlignerError(
                path, f"line {n}: expected {len(COLUMNS)} columns, found {len(cells)}")
        if not header_seen:
            if [c.lower() for c in cells] != list(COLUMNS):
                raise AlignerError(
                    path, f"line {n}: expected the header row {' '.join(COLUMNS)!r}")
            header_seen = True
            continue
        entries.append(_entry(cells, n, path))
        pair = (entries[-1].zh, entries[-1].en)
        if pair in seen:
            raise AlignerError(path, f"line {n}: duplicate of the entry on line {seen[pair]}")
        seen[pair] = n
    if not header_seen:
        raise AlignerError(path, "empty glossary (no header row)")
    return entries


def _entry(cells: list[str], n: int, path: str | Path | None) -> Entry:
    zh, en, variants, pos, subject, note, source = cells
    if not zh:
        raise AlignerError(path, f"line {n}: empty Chinese term")
    if not en:
        raise AlignerError(path, f"line {n}: empty English term")
    if not has_cjk(zh):
        raise AlignerError(path, f"line {n}: Chinese term {zh!r} has no Chinese character")
    if has_cjk(en):
        raise AlignerError(path, f"line {n}: English term {en!r} has Chinese characters")
    v_zh: list[str] = []
    v_en: list[str] = []
    for v in (v.strip() for v in variants.split(";")):
        if not v:
            continue
        side, main = (v_zh, zh) if has_cjk(v) else (v_en, en)
        if v != main and v not in side:
            side.append(v)
    return Entry(zh, en, tuple(v_zh), tuple(v_en), pos, subject, note, source, n)
