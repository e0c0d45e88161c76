"""Quality flags on aligned pairs, and the summary a reviewer reads before a TMX goes out.

Every flag is a short code plus a one-line reason. The checks are cheap, independent and
deliberately conservative: a flag says "look at this pair", not "this pair is wrong".

Codes: ``length-ratio``, ``number``, ``untranslated``, ``omission``, ``many-to-many``,
``low-coverage``, ``speaker``, ``glossary``.

The flags are pure functions of the pairs (plus a glossary and a lexicon when given;
``lexicon="auto"`` asks ``aligner.lexicon.dictionary`` for its lexicon and skips the coverage check
quietly when it cannot). The gold and hypothesis helpers at the end read their files.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..common.errors import AlignerError
from ..common.fileio import read_utf8
from ..common.formats import AlignedPair, join_sentences
from ..common.script import has_han

FLAG_CODES = ("omission", "many-to-many", "untranslated", "length-ratio", "number",
              "speaker", "glossary", "low-coverage")

# Outlier threshold in robust standard deviations (1.4826 * MAD estimates one SD).
OUTLIER_SDS = 3.0
_MAD_TO_SD = 1.4826
# Fewer 1-1 beads than this and a document's own length ratio is not worth estimating.
MIN_RATIO_SAMPLE = 8
# A pair is flagged for low lexical coverage when so few of its words would be translated
# with this probability in a typical pair of the document. On the MAC-dev literary set,
# 0.01 flags 0.1% of gold beads and 10% of deliberately mismatched 1-1 pairs.
COVERAGE_ALPHA = 0.01


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


# --------------------------------------------------------------------------- scripts

_LETTER = re.compile(r"[^\W\d_]")


def _norm(text: str) -> str:
    # NFKC folds full-width digits, letters and brackets, which Chinese records use freely.
    return unicodedata.normalize("NFKC", text)


def _visible_len(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


# --------------------------------------------------------------------------- numbers

# A document symbol: CD/PV.1261, CD/WP.571/Rev.1, A/RES/65/48, NPT/CONF.2010/50.
_SYMBOL = re.compile(r"(?<![A-Za-z0-9/])[A-Z]{1,12}(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+")
_ARABIC = re.compile(
    r"(?<!\d)(?<!\d[.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?:\s*(万|亿|million|billion|thousand|月))?", re.IGNORECASE)
_TIME = re.compile(r"(?<!\d)(\d{1,2})[.:](\d{2})\s*(?=a\.?m\.?|p\.?m\.?|hours|h\b)", re.I)
_SCALE = {"万": 10**4, "亿": 10**8, "thousand": 10**3, "million": 10**6, "billion": 10**9}

_ZH_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_NUMERAL = re.compile("[" + "".join(_ZH_DIGIT) + "".join(_ZH_UNIT) + "".join(_ZH_BIG) + "]+")

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_EN_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
           "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
           "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
           "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
           "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
           "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
           "thousandth": 1000}
_EN_WORD = re.compile(r"[a-z]+")

Token = Decimal | tuple[str, int]


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def document_symbols(text: str) -> set[str]:
    """Document symbols in ``text``, upper-cased and without trailing punctuation."""
    return {m.group(0).rstrip(".-").upper() for m in _SYMBOL.finditer(_norm(text))}


def _arabic_numbers(text: str) -> list[tuple[str, frozenset[Token]]]:
    """Each written number as the set of values it may stand for on the other side.

    "3 000 万" may appear as 30000000 or 3000 ("30 million" becomes 30 and 30000000);
    "5 月" as 5 or as the month May; "10.15 a.m." as the hour and the minute.
    """
    found: list[frozenset[Token]] = []
    text = _TIME.sub(lambda m: f"{m.group(1)} {m.group(2)} ", text)
    for m in _ARABIC.finditer(text):
        raw = re.sub(r"[,\u00a0\u202f ]", "", m.group(1))
        value = _dec(raw)
        if value is None:
            continue
        alts: set[Token] = {value}
        unit = (m.group(2) or "").lower()
        if unit in _SCALE:
            alts.add(value * _SCALE[unit])
        elif unit == "月" and value == value.to_integral_value():
            alts.add(("month", int(value)))
        found.append((raw, frozenset(alts)))
    return found


def _zh_numeral_value(run: str) -> int | None:
    if not any(ch in _ZH_UNIT or ch in _ZH_BIG for ch in run):
        # 一九七八 / 二〇一二: a year read digit by digit.
        return int("".join(str(_ZH_DIGIT[ch]) for ch in run)) if run else None
    total = section = num = 0
    for ch in run:
        if ch in _ZH_DIGIT:
            num = _ZH_DIGIT[ch]
        elif ch in _ZH_UNIT:
            section += (num or 1) * _ZH_UNIT[ch]
            num = 0
        else:
            section += num
            total = (total + section) * _ZH_BIG[ch]
            section = num = 0
    return total + section + num


def _zh_available(text: str) -> set[Token]:
    """Every value the Chinese side could be saying, in digits or in Chinese numerals."""
    out: set[Token] = set()
    for _, alts in _arabic_numbers(text):
        out |= alts
    for m in _ZH_NUMERAL.finditer(text):
        v = _zh_numeral_value(m.group(0))
        if v is not None:
            out.add(Decimal(v))
            if text[m.end():m.end() + 1] == "月" and 1 <= v <= 12:
                out.add(("month", v))
    return out


def _en_word_numbers(text: str) -> set[Token]:
    out: set[Token] = set()
    words = _EN_WORD.findall(text.lower().replace("-", " "))
    total = current = 0
    in_run = False

    def close() -> None:
        nonlocal total, current, in_run
        if in_run:
            out.add(Decimal(total + current))
        total = current = 0
        in_run = False

    for w in words:
        if w in _EN_UNITS or w in _EN_TENS or w in _EN_ORD:
            v = _EN_UNITS.get(w, _EN_TENS.get(w, _EN_ORD.get(w)))
            if v in (100, 1000):
                current = max(current, 1) * v
            else:
                current += v
            out.add(Decimal(v))
            in_run = True
        elif w in ("hundred", "thousand", "million", "billion") and in_run:
            scale = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}[w]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
        elif w == "and" and in_run:
            continue
        else:
            close()
        if w in _MONTHS:
            out.add(("month", _MONTHS.index(w) + 1))
    close()
    return out


def _en_available(text: str) -> set[Token]:
    out = _en_word_numbers(text)
    for _, alts in _arabic_numbers(text):
        out |= alts
    return out


def _strip_symbols(text: str) -> str:
    return _SYMBOL.sub(" ", text)


def number_mismatch(src: str, tgt: str) -> str | None:
    """Why the numbers or document symbols of the two sides disagree, or None.

    Only numbers written in digits must be matched (on the other side they may be digits,
    Chinese numerals or English number words): "一些" or "one of" are not numbers anyone
    needs to check, but "1978" with no 1978 opposite is.
    """
    src, tgt = _norm(src), _norm(tgt)
    problems = []
    s_sym, t_sym = document_symbols(src), document_symbols(tgt)
    for sym in sorted(s_sym - t_sym):
        problems.append(f"symbol {sym} only in Chinese")
    for sym in sorted(t_sym - s_sym):
        problems.append(f"symbol {sym} only in English")
    src_n, tgt_n = _strip_symbols(src), _strip_symbols(tgt)
    src_avail, tgt_avail = _zh_available(src_n), _en_available(tgt_n)
    only_zh = {raw for raw, alts in _arabic_numbers(src_n) if not alts & tgt_avail}
    only_en = {raw for raw, alts in _arabic_numbers(tgt_n) if not alts & src_avail}
    if only_zh:
        problems.append(f"{', '.join(sorted(only_zh, key=_numkey))} only in Chinese")
    if only_en:
        problems.append(f"{', '.join(sorted(only_en, key=_numkey))} only in English")
    return "; ".join(problems) or None


def _numkey(s: str) -> Decimal:
    return Decimal(s)


# --------------------------------------------------------------------------- untranslated

def untranslated(src: str, tgt: str) -> str | None:
    """Why a pair looks untranslated or in the wrong script, or None."""
    if src.strip() and tgt.strip():
        a, b = (re.sub(r"\s+", " ", _strip_symbols(_norm(t))).strip().casefold()
                for t in (src, tgt))
        # Same text both sides is fine for a bare symbol or number ("CD/PV.1261", "1.").
        if a == b and _LETTER.search(a):
            return "the same text on both sides"
    if src.strip() and not has_han(src) and _LETTER.search(_strip_symbols(_norm(src))):
        return "Chinese side has no Chinese characters"
    if tgt.strip() and has_han(tgt):
        return "English side contains Chinese characters"
    return None


# --------------------------------------------------------------------------- length ratio

@dataclass(frozen=True)
class LengthModel:
    """The document's own English-per-Chinese character ratio, estimated robustly.

    The deviation of a bead is measured in log space, where a ratio twice too high and one
    half too low are equally far off; its spread shrinks with length, as longer sentences
    average out the choice of words.
    """

    log_ratio: float  # median of log(en chars / zh chars) over 1-1 beads
    sd: float  # robust SD of sqrt(length) * deviation

    def z(self, zh_chars: int, en_chars: int) -> float:
        dev = math.log((en_chars + 1) / (zh_chars + 1)) - self.log_ratio
        return dev * math.sqrt(zh_chars + 1) / self.sd

    @property
    def ratio(self) -> float:
        return math.exp(self.log_ratio)


def fit_length_model(pairs: Sequence[AlignedPair]) -> LengthModel | None:
    """Estimate the length model from the 1-1 beads; None when there are too few."""
    sample = [(_visible_len(p.src), _visible_len(_en_body(p.tgt))) for p in pairs
              if p.kind == "1-1" and p.src.strip() and p.tgt.strip()]
    if len(sample) < MIN_RATIO_SAMPLE:
        return None
    logs = [math.log((e + 1) / (z + 1)) for z, e in sample]
    centre = statistics.median(logs)
    scaled = [(lr - centre) * math.sqrt(z + 1) for lr, (z, _) in zip(logs, sample, strict=True)]
    mid = statistics.median(scaled)
    mad = statistics.median(abs(s - mid) for s in scaled)
    # A floor keeps a document of near-identical sentences from flagging every small wobble.
    sd = max(_MAD_TO_SD * mad, 0.05 * math.sqrt(statistics.median(z for z, _ in sample) + 1))
    return LengthModel(centre, sd)


# --------------------------------------------------------------------------- speakers

_EN_LABEL = re.compile(
    r"^\s*(?P<person>The\s+(?:Acting\s+)?(?:President|Chair(?:person|man)?|"
    r"(?:Deputy\s+|Acting\s+)?Secretary-General)|"
    r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam|Mme|Ambassador)\.?\s+[^:()\n]{1,60}?)"
    r"\s*(?:\((?!spoke|speaking|interpretation)(?P<country>[^()\n]{2,80})\))?\s*(?:\([^()\n]*\))?\s*:")
_ZH_LABEL = re.compile(r"^\s*(?P<person>[^()]+?)\s*(?:\((?P<country>[^()]+)\))?\s*(?:\(.*\))?\s*$")
# Roles named in Chinese labels without a country, and how the English label names them.
_ZH_ROLES = {"主席": ("President", "Chair"), "秘书长": ("Secretary-General",)}


def en_speaker_label(text: str) -> tuple[str, str | None] | None:
    """``(person, country)`` of a speaker label opening the English text, or None."""
    m = _EN_LABEL.match(_norm(text))
    if not m:
        return None
    return m.group("person").strip(), (m.group("country") or "").strip() or None


def _en_body(text: str) -> str:
    """The English text without its speaker label, which the Chinese side keeps apart."""
    m = _EN_LABEL.match(text)
    return text[m.end():] if m else text


def speaker_mismatch(zh_label: str, tgt: str, glossary: Any = None) -> str | None:
    """Why the Chinese turn label and the English speaker label disagree, or None."""
    en = en_speaker_label(tgt)
    if en is None or not zh_label:
        return None
    en_person, en_country = en
    m = _ZH_LABEL.match(_norm(zh_label))
    if not m:
        return None
    zh_person, zh_country = m.group("person").strip(), m.group("country")
    zh_role = next((r for r in _ZH_ROLES if zh_person.startswith(r) or zh_person.endswith(r)),
                   None)
    en_role = next((r for roles in _ZH_ROLES.values() for r in roles if r in en_person), None)
    label = f"Chinese turn {zh_label!r} but English label {en_person}"
    if en_country:
        label += f" ({en_country})"
    if zh_role and not zh_country:
        if en_role not in _ZH_ROLES[zh_role]:
            return label
        return None
    if en_role and not en_country:
        return label if zh_country else None
    if zh_country and en_country and glossary is not None:
        entries = glossary.find_in_zh(zh_country)
        if entries and not any(glossary.en_present(e, en_country) for e in entries):
            return label
    return None


# --------------------------------------------------------------------------- glossary

_CAP_WORD = re.compile(r"\b[A-Z][a-z]{2,}")


def _adjective_form(term: str, text: str) -> bool:
    """Finland / Finnish, Pakistan / Pakistani: a one-word name used as an adjective."""
    if " " in term or not term[:1].isupper() or len(term) < 4:
        return False
    return any(w[:3] == term[:3] for w in _CAP_WORD.findall(text))


def glossary_mismatch(src: str, tgt: str, glossary: Any) -> str | None:
    """Glossary terms of the Chinese side whose English is missing from the English side.

    Only terms written out in full count: a Chinese short form (裁谈会) is usually rendered by
    an English short form ("the Conference") that no glossary lists.
    """
    missing = []
    flat = re.sub(r"\s+", "", _norm(src))
    for entry in glossary.find_in_zh(src):
        if entry.zh not in flat:
            continue
        if not glossary.en_present(entry, tgt) and not _adjective_form(entry.en, tgt):
            missing.append(f"{entry.zh} without {entry.en!r}")
    return "; ".join(missing) or None


# --------------------------------------------------------------------------- lexical coverage

_ZH_STOP = frozenset(
    "的 了 在 是 和 与 及 或 对 将 把 被 也 都 就 而 并 从 向 以 于 为 其 之 这 那 此 该 各 "
    "我 我们 你 你们 他 他们 她 它 它们 有 没有 不 没 很 又 还 但 但是 如果 因为 所以 等 "
    "个 些 一些 这些 那些 一个 所 已 已经 会 能 可以 应 应该 要 让 使 给 着 过 吗 呢 吧 啊".split())


def lexical_coverage(src: str, tgt: str, lexicon: Any) -> tuple[int, int]:
    """(Chinese content words the lexicon knows, of those with a translation in the English).

    ``lexicon`` is an ``aligner.lexicon.dictionary.Lexicon``: ``tokenize_zh`` and ``translations``
    (English stems, as ``aligner.lexicon.en_content_stems`` makes them).
    """
    from ..lexicon.dictionary import en_content_stems

    en = set(en_content_stems(tgt))
    known = covered = 0
    for word in lexicon.tokenize_zh(src):
        if word in _ZH_STOP or not has_han(word):
            continue
        translations = lexicon.translations(word)
        if not translations:
            continue
        known += 1
        if en.intersection(translations):
            covered += 1
    return known, covered


def _auto_lexicon() -> Any:
    try:
        from ..lexicon.dictionary import shared_lexicon

        return shared_lexicon()
    except Exception:  # noqa: BLE001 - no lexicon only means no coverage flag
        return None


# --------------------------------------------------------------------------- flagging

def flag_pairs(pairs: Sequence[AlignedPair], glossary: Any = None, *,
               lexicon: Any = "auto", min_known_words: int = 4) -> list[list[Flag]]:
    """The flags of each pair, in order.

    ``glossary`` (an ``aligner.lexicon.glossary.Glossary``) enables the glossary check and the
    country comparison of speaker labels; without it those checks are skipped.
    ``lexicon``: ``"auto"`` uses ``aligner.lexicon.shared_lexicon()`` when available, None
    skips the coverage check, anything else is used as the lexicon (an
    ``aligner.lexicon.dictionary.Lexicon``).
    """
    pairs = list(pairs)
    flags: list[list[Flag]] = [[] for _ in pairs]
    model = fit_length_model(pairs)
    n_one_to_one = sum(1 for p in pairs if p.kind == "1-1")
    if n_one_to_one < MIN_RATIO_SAMPLE:
        lexicon = None  # too few beads to know the document's coverage rate: don't load it
    elif isinstance(lexicon, str) and lexicon == "auto":
        lexicon = _auto_lexicon()
    coverages: list[tuple[int, int] | None] = [None] * len(pairs)
    if lexicon is not None:
        for i, p in enumerate(pairs):
            if p.src.strip() and p.tgt.strip():
                coverages[i] = lexical_coverage(p.src, p.tgt, lexicon)

    rate = _coverage_rate(pairs, coverages)
    for i, p in enumerate(pairs):
        out = flags[i]
        has_src, has_tgt = bool(p.src_ids), bool(p.tgt_ids)
        if not has_tgt:
            out.append(Flag("omission", "Chinese sentence with no English partner"))
        elif not has_src:
            out.append(Flag("omission", "English sentence with no Chinese partner"))
        if len(p.src_ids) > 1 and len(p.tgt_ids) > 1:
            out.append(Flag("many-to-many",
                            f"{p.kind} bead: several sentences on both sides, check the split"))
        why = untranslated(p.src, p.tgt)
        if why:
            out.append(Flag("untranslated", why))
        if not (has_src and has_tgt and p.src.strip() and p.tgt.strip()):
            continue
        if model is not None:
            zc, ec = _visible_len(p.src), _visible_len(_en_body(p.tgt))
            z = model.z(zc, ec)
            if abs(z) > OUTLIER_SDS:
                out.append(Flag("length-ratio",
                                f"{ec / max(zc, 1):.2f} English chars per Chinese char, "
                                f"document median {model.ratio:.2f} ({z:+.1f} robust SD)"))
        why = number_mismatch(p.src, p.tgt)
        if why:
            out.append(Flag("number", why))
        speaker = p.extra.get("speaker")
        if isinstance(speaker, str):
            why = speaker_mismatch(speaker, p.tgt, glossary)
            if why:
                out.append(Flag("speaker", why))
        if glossary is not None:
            why = glossary_mismatch(p.src, p.tgt, glossary)
            if why:
                out.append(Flag("glossary", why))
        cov = coverages[i]
        if rate is not None and cov is not None and cov[0] >= min_known_words:
            # How unlikely so few hits would be if this pair were as well translated as the
            # document's typical 1-1 bead: a per-pair test, fair to short and long sentences.
            if _binomial_cdf(cov[1], cov[0], rate) < COVERAGE_ALPHA:
                out.append(Flag("low-coverage",
                                f"{cov[1]} of {cov[0]} Chinese words have a translation in "
                                f"the English ({cov[1] / cov[0]:.0%}; document {rate:.0%})"))
    return flags


def _coverage_rate(pairs: Sequence[AlignedPair],
                   coverages: list[tuple[int, int] | None]) -> float | None:
    """Share of known Chinese words translated in the English, over the 1-1 beads."""
    sample = [c for p, c in zip(pairs, coverages, strict=True)
              if c is not None and c[0] and p.kind == "1-1"]
    if len(sample) < MIN_RATIO_SAMPLE:
        return None
    return sum(c[1] for c in sample) / sum(c[0] for c in sample)


def _binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1))


# --------------------------------------------------------------------------- summary

def sentence_counts(pairs: Iterable[AlignedPair]) -> tuple[int, int]:
    """(Chinese, English) sentences the alignment covers: ids run 0..n-1 on each side."""
    n_src = n_tgt = 0
    for p in pairs:
        n_src += len(p.src_ids)
        n_tgt += len(p.tgt_ids)
    return n_src, n_tgt


def summarise(pairs: Sequence[AlignedPair], flags: Sequence[Sequence[Flag]],
              bins: int = 10) -> dict:
    """Counts a reviewer reads first: bead types, coverage, confidence, flags by code."""
    pairs = list(pairs)
    n_src, n_tgt = sentence_counts(pairs)
    paired_src = sum(len(p.src_ids) for p in pairs if p.src_ids and p.tgt_ids)
    paired_tgt = sum(len(p.tgt_ids) for p in pairs if p.src_ids and p.tgt_ids)
    scores = [min(1.0, max(0.0, float(p.score))) for p in pairs]
    hist = [0] * bins
    for s in scores:
        hist[min(int(s * bins), bins - 1)] += 1
    by_code = Counter(f.code for fl in flags for f in fl)
    kinds = Counter(p.kind for p in pairs)
    return {
        "beads": len(pairs),
        "sentences": {"zh": n_src, "en": n_tgt},
        "bead_types": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "coverage": {"zh": paired_src / n_src if n_src else 0.0,
                     "en": paired_tgt / n_tgt if n_tgt else 0.0},
        "mean_score": statistics.fmean(scores) if scores else 0.0,
        "low_confidence": sum(1 for s in scores if s < 0.5),
        "score_histogram": hist,
        "flagged": sum(1 for fl in flags if fl),
        "flags": {c: by_code[c] for c in FLAG_CODES if by_code[c]},
    }


# --------------------------------------------------------------------------- gold and MT

def evaluate_against_gold(pairs: Sequence[AlignedPair], gold_path: str | Path) -> dict:
    """Strict and lax P/R/F1 of the alignment against a gold bead file for the same texts.

    A gold file whose sentence counts differ from the alignment's is for another document
    (or another segmentation) and is refused rather than scored.
    """
    from ..common.formats import read_beads
    from .evaluate import check_gold_fits, evaluate

    gold = read_beads(gold_path)
    n_src, n_tgt = sentence_counts(pairs)
    check_gold_fits(gold, n_src, n_tgt, gold_path)
    return evaluate([([p.bead() for p in pairs], gold)]).as_dict()


def read_hypothesis(path: str | Path, n_src: int) -> list[str]:
    """One translation a line, one line per Chinese sentence of the alignment."""
    text = read_utf8(path)
    # Only "\n" ends a line: str.splitlines would also split at U+2028 inside a sentence.
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != n_src:
        raise AlignerError(path, f"{len(lines)} lines, but the alignment has {n_src} Chinese "
                                 "sentences (one hypothesis line per Chinese sentence)")
    return lines


def translation_scores(pairs: Sequence[AlignedPair], hyp_lines: Sequence[str]) -> dict:
    """sacreBLEU BLEU, chrF and TER of the hypothesis against the aligned English.

    Each bead with both sides is one segment: its hypothesis is the hypothesis lines of its
    Chinese sentences joined by a space, its reference the bead's English.
    """
    from sacrebleu.metrics import BLEU, CHRF, TER

    hyps, refs = [], []
    for p in pairs:
        if p.src_ids and p.tgt_ids:
            hyps.append(join_sentences([hyp_lines[i] for i in p.src_ids], "en"))
            refs.append(p.tgt)
    metrics: dict[str, dict] = {}
    for name, metric in (("BLEU", BLEU()), ("chrF", CHRF()), ("TER", TER())):
        if hyps:
            result = metric.corpus_score(hyps, [refs])
            metrics[name] = {"score": round(float(result.score), 4),
                             "signature": str(metric.get_signature())}
    return {"segments": len(hyps), "metrics": metrics}
