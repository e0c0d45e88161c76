"""Sentence features for alignment, and the anchor path that bands the dynamic program.

Each sentence becomes a list of *units* with the keys they can match on the other side:
Chinese words carry their English stems (lexicon), a pinyin key (names) and number / symbol
keys; English words carry their stem and, when capitalised, a pinyin-style key. Numbers,
years, document symbols and ? ! quotes are units too, so they count as evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from ..lexicon.dictionary import EN_STOPWORDS, Lexicon, stem, text_stem

MAX_UNITS = 64  # bit masks are uint64; longer sentences keep their first 64 units
# Particles, pronouns and other function words: their glosses match English everywhere
# and nowhere in particular, so they count neither as evidence nor against a bead.
ZH_FUNCTION_WORDS = frozenset("""
了 的 是 也 在 不 又 就 都 着 有 那 这 只 便 呢 个 儿 得 和 到 还 给 很 要 地 吗 吧 啊 呀
么 嘛 哦 哪 他 她 它 我 你 您 们 他们 她们 我们 你们 咱们 自己 这个 那个 这样 那样 什么 怎么 之
其 与 及 而 并 或 把 被 让 对 从 向 以 为 于 将 已 已经 就是 可是 但是 但 所 所以 因为 如果
虽然 一 一个 这些 那些 些 再 也是 还是 不是 没 没有 才 却 过 来 去 上 下 里 中
""".split())

_ASCII_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./()\-]*[A-Za-z0-9)]|[A-Za-z0-9]")
_EN_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*")
_HYPHEN_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[a-z]+)+\b")  # Bao-yu, Xi-feng
_SYMBOL = re.compile(r"[A-Z]{1,6}(?:/[A-Za-z0-9.()\-]+)+")
_ZH_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_ZH_NUM = re.compile(f"[{_ZH_NUM_CHARS}]{{2,}}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)}
                           | {chr(0xFF21 + i): chr(65 + i) for i in range(26)}
                           | {chr(0xFF41 + i): chr(97 + i) for i in range(26)}
                           | {"／": "/", "．": ".", "（": "(", "）": ")"})
# translating is a dict lookup per character: done only where there is one to change
_FULLWIDTH_RE = re.compile("[" + re.escape("".join(map(chr, _FULLWIDTH))) + "]")


def _halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and / . ( ) as ASCII."""
    if text.isascii() or not _FULLWIDTH_RE.search(text):
        return text
    return text.translate(_FULLWIDTH)


# Punctuation that survives translation: a question stays a question.
_ZH_PUNCT = {"？": "p:?", "?": "p:?", "！": "p:!", "!": "p:!", "“": "p:q", "”": "p:q",
             "「": "p:q", "」": "p:q", "\"": "p:q"}
_EN_SINGLE_QUOTE = re.compile(r"(?:^|(?<=[\s(\[—-]))['‘](?=\S)|(?<=[,.!?;:…—-]\s)['’](?=\s|$)"
                              r"|(?<=[^\s])['’](?=\s|$|[)\]—-])(?<![a-zA-Z]s')")
_EN_PUNCT = {"?": "p:?", "!": "p:!", "\"": "p:q", "“": "p:q", "”": "p:q"}


_EN_END_QUOTE = re.compile(r"""(\S|[,.!?;:…—-]\s+)['"’”][)\]]*$""")
_QUOTE_MARKS = "'\"’”"


# A speech the Chinese introduces (X道：“…) and a speech tag the English adds after a closing
# quotation mark ("…,' said X." / "…?' he asked"): the tag goes with the sentence that
# opens the speech, wherever the English cuts the speech itself
_ZH_OPENS_SPEECH = re.compile(r"[：:]\s*[“「‘]")
_SPEECH_VERBS = (
    "said|says|asked|asks|replied|answered|cried|exclaimed|shouted|muttered|murmured|whispered|"
    "called|added|continued|went on|thought|declared|protested|observed|remarked|demanded|"
    "inquired|enquired|laughed|sighed|yelled|screamed|roared|snapped|retorted|explained|"
    "insisted|interrupted|agreed")
_EN_SPEECH_TAG = re.compile(r"[,.!?…—-]\s?['’\"”]\s*(?:[\w.-]+\s+){0,3}?(?:"
                            + _SPEECH_VERBS + r")\b", re.IGNORECASE)


def zh_opens_speech(text: str) -> bool:
    """Whether a Chinese sentence introduces quoted speech (a colon before an opening mark)."""
    return bool(_ZH_OPENS_SPEECH.search(text))


def en_speech_tag(text: str) -> bool:
    """Whether an English sentence names its speaker after closing a quotation ("…,' said X",
    "…?' she asked"); the mark must follow punctuation, so an opening one ("'I said no.")
    does not count."""
    return any(q in text for q in _QUOTE_MARKS) and bool(_EN_SPEECH_TAG.search(text))


def zh_ends_quote(text: str) -> bool:
    """Whether a Chinese sentence ends by closing a quotation (…。” or …」)."""
    return text.rstrip().rstrip("）)")[-1:] in "”」"


def en_ends_quote(text: str) -> bool:
    """Whether an English sentence ends by closing a quotation: …' or …" after a non-space,
    or after punctuation and a space (some translations typeset "terrible, '" where the
    sentence is cut before the speech tag); a plural possessive, "the girls'", is not one."""
    text = text.rstrip()
    # most sentences end in no quotation mark at all: the pattern is only run on those that do
    if text.rstrip(")]")[-1:] not in _QUOTE_MARKS:
        return False
    return bool(_EN_END_QUOTE.search(text)) and not text.endswith("s'")


def zh_numeral(text: str) -> int | None:
    """二十一 -> 21, 一九七八 -> 1978, 三千五百 -> 3500; None if it is not a plain numeral."""
    if all(c in _ZH_DIGITS for c in text):
        return int("".join(str(_ZH_DIGITS[c]) for c in text))
    total = section = 0
    digit = None
    units = {"十": 10, "百": 100, "千": 1000}
    for c in text:
        if c in _ZH_DIGITS:
            digit = _ZH_DIGITS[c]
        elif c in units:
            section += (1 if digit is None else digit) * units[c]
            digit = None
        elif c in "万亿":
            total += (section + (digit or 0)) * (10_000 if c == "万" else 100_000_000)
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _num_key(s: str) -> str:
    return "n:" + s.replace(",", "").lstrip("0") if s.strip("0") else "n:0"


@dataclass
class SideFeatures:
    """Per-sentence features of one side."""

    # zh: one dict per sentence, key -> bit mask of the units carrying it
    # en: one dict per sentence, key -> bit mask of the words carrying it
    keys: list[dict[str, int]]
    n_units: np.ndarray  # informative units per sentence
    n_chars: np.ndarray  # length in characters (zh) / characters without spaces (en)
    anchor_bits: np.ndarray | None = None  # uint64 mask of the units that are numbers/symbols
    # the units themselves: zh (word, keys, informative); en (keys, first key = the stem)
    units: list | None = None


def _zh_token_unit(tok: str, lex: Lexicon) -> tuple[str, tuple[str, ...], bool] | None:
    """The unit of a Chinese token (word, keys, informative); None for a token without Han."""
    # (the cheap tests on the first character spare most tokens a regex)
    if not ("\u4e00" <= tok[:1] <= "\u9fff" or _CJK.search(tok)):
        return None
    if tok in ZH_FUNCTION_WORDS:
        return (tok, (), False)
    tr = lex.translations(tok)
    extra: tuple[str, ...] = ()
    m = _ZH_NUM.match(tok) if tok[:1] in _ZH_NUM_CHARS else None
    if m and (len(tok) > 1 or m.end() == len(tok)):
        val = zh_numeral(m.group())
        if val is not None:
            extra = (f"n:{val}",)
    py = lex.pinyin(tok)
    ks = tuple(tr) + extra + ((f"y:{py}",) if py and len(py) > 1 else ())
    return (tok, ks, bool(tr or extra))


def _zh_ascii_unit(tok: str) -> tuple[str, tuple[str, ...], bool] | None:
    """The unit of a run of Latin letters and digits inside Chinese text (a symbol, a number)."""
    ks: list[str] = []
    if _SYMBOL.fullmatch(tok):
        ks.append("s:" + tok.lower())
    for w in _EN_WORD.findall(tok):
        if w[0].isdigit():
            ks.append(_num_key(w))
        elif w.lower() not in EN_STOPWORDS:
            ks.append(stem(w.lower()))
    return (tok, tuple(ks), True) if ks else None


_ZH_PUNCT_RE = re.compile("[" + re.escape("".join(_ZH_PUNCT)) + "]")
_EN_PUNCT_RE = re.compile("[" + re.escape("".join(_EN_PUNCT)) + "]")
_EN_HYPHEN_NUMBER = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-"
                               r"(one|two|three|four|five|six|seven|eight|nine)\b")


def zh_features(sentences: Sequence[str], lex: Lexicon) -> SideFeatures:
    from . import _features

    n_chars = np.zeros(len(sentences), dtype=np.float64)
    texts = [_halfwidth(raw) for raw in sentences]
    _features.non_space_chars(texts, n_chars)
    # a sentence's units: its Han tokens (the ASCII runs blanked out for the tokenizer), then
    # its runs of Latin letters and digits, then its ? ! and quotation marks
    runs = [_ASCII_RUN.findall(text) for text in texts]
    tokenize = lex.tokenize_zh
    tokens = [tokenize(_ASCII_RUN.sub(" ", text) if r else text)
              for text, r in zip(texts, runs, strict=True)]
    prefetch = getattr(lex, "prefetch", None)  # a Lexicon-like object may not have it
    if prefetch is not None:
        prefetch(set(chain.from_iterable(tokens)))
    # every distinct token is looked up once, and its unit (word, keys, informative) shared
    # by all its occurrences (zh_from_units relies on that); the loop is compiled
    all_units = _features.zh_units(
        tokens, runs, [_ZH_PUNCT_RE.findall(text) for text in texts],
        {}, lambda tok: _zh_token_unit(tok, lex), {}, _zh_ascii_unit,
        {ch: (ch, (key,), True) for ch, key in _ZH_PUNCT.items()}, MAX_UNITS)
    return zh_from_units(all_units, n_chars)


# Below this many sentences in all, a second process costs more than it saves (forking and
# sending the English features back take ~0.1 s plus ~25 us a sentence).
PARALLEL_MIN = 20_000


def side_features(src: Sequence[str], tgt: Sequence[str],
                  lex: Lexicon) -> tuple[SideFeatures, SideFeatures]:
    """Both sides' features. On a long pair the English side is computed in a forked process
    while this one does the Chinese: they are independent and each takes seconds. Where
    forking is not safe (another thread is running) or fails, both are computed here."""
    if len(src) + len(tgt) < PARALLEL_MIN:
        return zh_features(src, lex), en_features(tgt)
    # imported only here: multiprocessing alone costs a short pair's process 16 ms
    import multiprocessing
    import os
    import threading

    if ((os.cpu_count() or 1) < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return zh_features(src, lex), en_features(tgt)
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_en_features_child, args=(tgt, send, os.getpid()), daemon=True)
    try:
        proc.start()
    except OSError:
        recv.close()
        send.close()
        return zh_features(src, lex), en_features(tgt)
    send.close()
    ef = None
    try:
        zf = zh_features(src, lex)
        try:
            ef = recv.recv()
        except (EOFError, OSError):
            ef = None  # the child died (out of memory, killed): do its work here
    finally:
        recv.close()
        if ef is None:
            proc.kill()
        proc.join()
    return zf, (ef if ef is not None else en_features(tgt))


def _en_features_child(tgt: Sequence[str], send, parent: int) -> None:
    from ..common.processes import worker_start

    worker_start(parent)
    try:
        send.send(en_features(tgt))
    finally:
        send.close()


def zh_from_units(all_units: list, n_chars: np.ndarray,
                  learned: dict[str, tuple[str, ...]] | None = None,
                  drop: frozenset[str] = frozenset()) -> SideFeatures:
    """Key masks of the zh side; ``learned`` adds translations (word -> en stems) found in
    the document itself, which also make a word without a dictionary entry informative;
    ``drop`` removes keys too common in the document to tell sentences apart."""
    # Per unit (word, keys, informative) with bit 1 << position: its keys plus the learned
    # ones, less ``drop``, each get the bit in the sentence's dict; the bit is in the anchor
    # mask if one of those keys is a number (n:) or a symbol (s:); the unit counts as
    # informative if it was, or has learned translations. A unit whose every kept key is a
    # pinyin key (y:), or that kept none, is no longer informative when ``drop`` took the rest
    # (every translation it had was a too-common word). The loop is compiled (_features.pyx).
    from . import _features

    keys, counts, anchors = _features.zh_masks(
        all_units if isinstance(all_units, list) else list(all_units),
        learned if isinstance(learned, dict) else dict(learned or {}), drop)
    return SideFeatures(keys, np.array(counts, dtype=np.int32), n_chars,
                        np.array(anchors, dtype=np.uint64), all_units)


def _anchor_bits(keys: list[dict[str, int]]) -> np.ndarray:
    out = []
    for d in keys:
        bits = 0
        for k, v in d.items():
            if k[1:2] == ":" and k[0] in "ns":  # n:, s:
                bits |= v
        out.append(bits)
    return np.array(out, dtype=np.uint64)


def common_keys(ef: SideFeatures, frac: float) -> frozenset[str]:
    """English stems found in more than ``frac`` of the English sentences (and at least 5)."""
    from collections import Counter

    df: Counter = Counter()
    for d in ef.keys:
        df.update(d.keys())
    limit = max(5.0, frac * len(ef.keys))
    return frozenset(k for k, c in df.items() if c > limit and k[1:2] != ":")


def en_from_units(all_units: list, n_chars: np.ndarray,
                  drop: frozenset[str] = frozenset()) -> SideFeatures:
    """Key masks of the en side (units are lists of keys); ``drop`` as in zh_from_units.
    A unit counts if it kept a key; its bit is an anchor bit if one of them is n: or s:."""
    from . import _features

    keys, counts, anchors = _features.en_masks(
        all_units if isinstance(all_units, list) else list(all_units), drop)
    return SideFeatures(keys, np.array(counts, dtype=np.int32), n_chars,
                        np.array(anchors, dtype=np.uint64), all_units)


# what an English word is, found once per distinct word (see en_features)
_EN_APOSTROPHE, _EN_DIGITS, _EN_NUMBER_WORD, _EN_SKIP, _EN_CONTENT = range(5)


def _en_word_kind(w: str) -> tuple[int, tuple[str, ...], str]:
    low = w.lower()
    if "'" in low:
        return _EN_APOSTROPHE, (), low
    if w[0].isdigit():
        return _EN_DIGITS, (_num_key(w),), low
    if low in _EN_NUMBERS or low in _EN_TENS:
        return _EN_NUMBER_WORD, (f"n:{_EN_NUMBERS.get(low, _EN_TENS.get(low))}",
                                 text_stem(low)), low
    if low in EN_STOPWORDS or len(low) < 2:
        return _EN_SKIP, (), low
    if w[0].isupper():
        return _EN_CONTENT, (text_stem(low), f"y:{low}"), low
    return _EN_CONTENT, (text_stem(low),), low


def en_features(sentences: Sequence[str]) -> SideFeatures:
    from . import _features

    all_units: list[list[list[str]]] = []
    n_chars = np.zeros(len(sentences), dtype=np.float64)
    kinds: dict[str, tuple[int, tuple[str, ...], str]] = {}
    texts = [_halfwidth(raw) for raw in sentences]
    _features.non_space_chars(texts, n_chars)
    for text in texts:
        # romanised given names are often hyphenated (Bao-yu): one word, as pinyin writes it
        if "-" in text:
            text = _HYPHEN_NAME.sub(lambda hm: hm.group().replace("-", ""), text)
        # A unit per word with keys (see _en_word_kind): its stem, and for a capitalised word
        # a y: key; two capitalised words in a row (the first not opening the sentence) also
        # both get the joined y: key (Jia Zheng -> y:jiazheng, as pinyin writes the name).
        # Compiled: the loop over words, a word's kind found once per distinct word.
        units: list[list[str]] = _features.en_units(_EN_WORD.findall(text), kinds,
                                                    _en_word_kind, _EN_CONTENT)
        # "twenty-one": tens and units written with a hyphen make one number
        if "-" in text:
            for m in _EN_HYPHEN_NUMBER.finditer(text.lower()):
                units.append([f"n:{_EN_TENS[m.group(1)] + _EN_NUMBERS[m.group(2)]}"])
        if "/" in text:  # every symbol has one
            for sm in _SYMBOL.finditer(text):
                units.append(["s:" + sm.group().lower()])
        units.extend([_EN_PUNCT[ch]] for ch in _EN_PUNCT_RE.findall(text))
        # single quotes as quotation marks (British style), not apostrophes in words; a closing
        # one may follow a space after punctuation ("Right, ' said Trinket.")
        # (the pattern is tried only where such a mark is: each match is one mark)
        for ch in "'‘’":
            at = text.find(ch)
            while at >= 0:
                if _EN_SINGLE_QUOTE.match(text, at):
                    units.append(["p:q"])
                at = text.find(ch, at + 1)
        del units[MAX_UNITS:]
        all_units.append(units)
    # every unit has a key, so each counts
    return en_from_units(all_units, n_chars)


def pair_masks(zh: SideFeatures, en: SideFeatures, lo: np.ndarray, width: int,
               flat: FlatKeys | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For each zh sentence s and band column w (en sentence lo[s]+w): which zh units of s
    and which en words of the en sentence have a translation on the other side.
    ``flat``: the pair's keys already flattened (``FlatKeys.build``)."""
    from . import _score

    flat = flat if flat is not None else FlatKeys.build(zh, en)
    return _score.pair_masks(*flat.zh, *flat.en, np.ascontiguousarray(lo, dtype=np.int64),
                             width, len(flat.vocab))


def anchor_path(zh: SideFeatures, en: SideFeatures, max_df: int = 3,
                window_frac: float = 0.1, max_radius: int = 1500) -> list[tuple[int, int]]:
    """Confident 1-1 pairs found by rare shared keys, as an increasing chain (i, j).

    Keys rare on the English side within a wide window around the diagonal vote for
    sentence pairs; the heaviest chain increasing in both i and j is kept (weighted LIS).
    """
    n, m = len(zh.keys), len(en.keys)
    postings: dict[str, list[int]] = {}
    for t, d in enumerate(en.keys):
        for k in d:
            postings.setdefault(k, []).append(t)
    # The window grows with length, but not without bound: in a long text the same rare word
    # comes back, and a chain through its later occurrences would be just as heavy.
    radius = max(60, min(int(window_frac * max(n, m)), max_radius))
    import bisect

    cands: list[tuple[int, int, float]] = []
    for s, d in enumerate(zh.keys):
        center = s * m / max(n, 1)
        lo_t, hi_t = center - radius, center + radius
        votes: dict[int, float] = {}
        for k in d:
            post = postings.get(k)
            if not post:
                continue
            a = bisect.bisect_left(post, lo_t)
            b = bisect.bisect_right(post, hi_t)
            cnt = b - a
            if cnt == 0 or cnt > max_df:
                continue
            wgt = 1.0 / cnt
            for t in post[a:b]:
                votes[t] = votes.get(t, 0.0) + wgt
        if not votes:
            continue
        best_t = max(votes, key=votes.__getitem__)
        v = votes[best_t]
        if v >= 2.0:
            # between equally good chains, prefer the one nearer the proportional diagonal
            cands.append((s, best_t, v * (1.0 - 0.5 * abs(best_t - center) / radius)))
    return _drop_outliers(_heaviest_chain(cands), n, m)


def _drop_outliers(chain: list[tuple[int, int]], n: int, m: int) -> list[tuple[int, int]]:
    """Drop anchors far off the line their neighbours draw (a rare word matched by chance)."""
    if len(chain) < 5:
        return chain
    ratio = m / max(n, 1)
    arr = np.array(chain, dtype=np.float64)
    offset = arr[:, 1] - ratio * arr[:, 0]
    k = 4
    keep = []
    for idx in range(len(chain)):
        lo_k, hi_k = max(0, idx - k), min(len(chain), idx + k + 1)
        neigh = np.concatenate([offset[lo_k:idx], offset[idx + 1:hi_k]])
        spread = abs(arr[min(hi_k - 1, len(chain) - 1), 0] - arr[lo_k, 0])
        if abs(offset[idx] - np.median(neigh)) <= 10 + 0.25 * spread:
            keep.append(chain[idx])
    return keep


def _heaviest_chain(cands: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Weighted longest chain strictly increasing in both coordinates (Fenwick tree on j)."""
    if not cands:
        return []
    js = sorted({c[1] for c in cands})
    rank = {j: r + 1 for r, j in enumerate(js)}
    size = len(js)
    tree_val = [0.0] * (size + 1)
    tree_idx = [-1] * (size + 1)
    best = [0.0] * len(cands)
    back = [-1] * len(cands)
    order = sorted(range(len(cands)), key=lambda c: (cands[c][0], -cands[c][1]))
    # process by i; equal i must not chain, handled by processing same-i group queries first
    k = 0
    while k < len(order):
        group = [order[k]]
        while k + len(group) < len(order) and cands[order[k + len(group)]][0] == cands[group[0]][0]:
            group.append(order[k + len(group)])
        for c in group:
            r = rank[cands[c][1]] - 1
            v, bi = 0.0, -1
            while r > 0:
                if tree_val[r] > v:
                    v, bi = tree_val[r], tree_idx[r]
                r -= r & -r
            best[c] = v + cands[c][2]
            back[c] = bi
        for c in group:
            r = rank[cands[c][1]]
            while r <= size:
                if best[c] > tree_val[r]:
                    tree_val[r], tree_idx[r] = best[c], c
                r += r & -r
        k += len(group)
    c = max(range(len(cands)), key=best.__getitem__)
    chain = []
    while c != -1:
        chain.append((cands[c][0], cands[c][1]))
        c = back[c]
    return chain[::-1]


def band_from_anchors(anchors: list[tuple[int, int]], n: int, m: int,
                      half_width: int) -> tuple[np.ndarray, int]:
    """Per DP row i (0..n) the first en column of the band; all rows have the same width.

    The centre line runs through the anchors, linearly between them; the band is widened
    where consecutive anchors are far apart so the gap between them stays inside.
    """
    pts = [(0, 0)] + [(i + 0.5, j + 0.5) for i, j in anchors] + [(n, m)]
    xs = np.array([p[0] for p in pts], dtype=np.float64)
    ys = np.array([p[1] for p in pts], dtype=np.float64)
    rows = np.arange(n + 1, dtype=np.float64)
    centre = np.interp(rows, xs, ys)
    # how far the straight line may be from any monotone path inside each anchor gap
    gap = np.zeros(n + 1)
    seg = np.searchsorted(xs, rows, side="right") - 1
    seg = np.clip(seg, 0, len(xs) - 2)
    dx = xs[seg + 1] - xs[seg]
    dy = ys[seg + 1] - ys[seg]
    gap = np.minimum(np.abs(dy - dx), np.maximum(dx, dy)) * 0.5
    width = int(2 * half_width + 1 + min(2 * gap.max(), 4 * half_width))
    lo = np.floor(centre - width / 2).astype(np.int64)
    lo = np.clip(lo, 0, max(m - width + 1, 0))
    lo = np.maximum.accumulate(lo)
    return lo, width


@dataclass
class FlatKeys:
    """Both sides' key dicts as flat arrays, the form the compiled scorer reads: per side CSR
    offsets, key ids and unit masks (uint64), ids from one vocabulary of the English side's
    keys (a Chinese key no English sentence has can never match, so it is left out).
    Built once per pair; a Chinese side with learned pairs re-flattens that side only."""

    vocab: dict[str, int]
    zh: tuple[np.ndarray, np.ndarray, np.ndarray]
    en: tuple[np.ndarray, np.ndarray, np.ndarray]

    @classmethod
    def build(cls, zh: SideFeatures, en: SideFeatures) -> FlatKeys:
        from . import _score

        vocab: dict[str, int] = {}
        e = _score.flatten(en.keys, vocab, True)
        return cls(vocab, _score.flatten(zh.keys, vocab, False), e)

    def with_zh(self, zh: SideFeatures) -> FlatKeys:
        from . import _score

        return FlatKeys(self.vocab, _score.flatten(zh.keys, self.vocab, False), self.en)

    def slice(self, i0: int, i1: int, j0: int, j1: int) -> FlatKeys:
        """Chinese sentences i0 .. i1-1 and English j0 .. j1-1 (same vocabulary)."""
        return FlatKeys(self.vocab, _csr_slice(self.zh, i0, i1), _csr_slice(self.en, j0, j1))


def _csr_slice(side: tuple[np.ndarray, np.ndarray, np.ndarray], lo: int,
               hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    off, ids, masks = side
    a, b = int(off[lo]), int(off[hi])
    return off[lo:hi + 1] - a, ids[a:b], masks[a:b]
