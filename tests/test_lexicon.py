"""The CEDICT lexicon: parsing, the cache, glosses, pinyin names."""

from __future__ import annotations

import gzip

from aligner.lexicon import dictionary as L


def test_parse_small_cedict(tmp_path):
    path = tmp_path / "mini.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("# comment\n")
        fh.write("裁軍 裁军 [cai2 jun1] /disarmament/\n")
        fh.write("條約 条约 [tiao2 yue1] /treaty/pact/CL:個|个[ge4]/\n")
        fh.write("的 的 [de5] /of/\n")
    table = L.parse_cedict(path)
    assert table["裁军"] == (L.stem("disarmament"),)
    assert set(table["条约"]) == {"treati", "pact"}  # classifier gloss dropped, stems kept
    assert "的" not in table  # only a function word: no evidence, no entry


def test_cache_is_written_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    first = L.load_cedict()
    files = list(tmp_path.glob("lexicon-*.sqlite"))
    assert len(files) == 1
    assert f"-v{L._CACHE_VERSION}-" in files[0].name  # a new version never reads an old file
    assert not list(tmp_path.glob(".*.part"))  # written atomically, nothing left behind
    L._open_store.cache_clear()
    second = L.load_cedict()
    assert second == first
    assert "裁军" in second
    assert L.StoreTable().get("裁军") == first["裁军"]


def test_broken_cache_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE_DIR", str(tmp_path))
    path = L._store_path()
    path.write_bytes(b"not a database")
    assert L.StoreTable().get("条约") == L.parse_cedict(L.cedict_path())["条约"]
    L._open_store.cache_clear()
    assert L.StoreTable().get("条约")  # the rewritten file reads back
    assert path.read_bytes()[:15] == b"SQLite format 3"


def test_store_table_puts_the_overlay_first():
    table = L.StoreTable({"条约": ("glossari",)})
    assert table["条约"] == ("glossari",)
    assert table.get("裁军") == (L.stem("disarmament"),)
    assert table.get("甲乙丙丁戊己") is None and "甲乙丙丁戊己" not in table
    assert "条约" in table and len(table) > 100_000


def test_prefetched_words_translate_as_words_looked_up_one_by_one():
    # known words, a word known only through its characters, an overlay entry, non-Han tokens
    words = ["条约", "裁军", "甲乙丙丁戊己", "澳大利亚", "的", "裁军谈判会议", "，", "CD", "条约"]
    overlay = {"条约": ("glossari",)}
    fetched = L.Lexicon(L.StoreTable(overlay))
    fetched.prefetch(words)
    one_by_one = L.Lexicon(L.StoreTable(overlay))
    for w in words:
        assert fetched.translations(w) == one_by_one.translations(w), w
    assert fetched.translations("甲乙丙丁戊己")  # read through its characters
    assert fetched.translations("条约") == ("glossari",)


def test_lexicon_translates_and_tokenizes():
    lex = L.load_lexicon()
    assert "australia" in lex.translations("澳大利亚")
    assert L.stem("treaty") in lex.translations("条约")
    toks = lex.tokenize_zh("裁军谈判会议")
    assert "".join(toks) == "裁军谈判会议"


def test_pinyin_and_romanisation():
    assert L.Lexicon.pinyin("吴海涛") == "wuhaitao"
    assert L.Lexicon.pinyin("天野") == "amano"
    assert L.Lexicon.pinyin("CD") is None


def test_pinyin_reads_words_as_pypinyin_does():
    import random

    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    rng = random.Random(11)
    phrases = rng.sample(sorted(PHRASES_DICT), 400)
    chars = [chr(rng.randrange(0x4E00, 0xA000)) for _ in range(400)]
    # phrases alone, run together, cut short, and among characters pypinyin reads one by one
    words = phrases + chars + ["".join(rng.sample(phrases, 3)) for _ in range(300)]
    words += [p[:-1] for p in phrases if len(p) > 2] + [p[1:] for p in phrases if len(p) > 2]
    words += ["".join(rng.sample(chars, 4)) + p for p in phrases[:200]]
    for word in words:
        if word and word not in L.ROMANISATION:
            assert L.Lexicon.pinyin(word) == "".join(lazy_pinyin(word)), word


def test_english_stems_drop_function_words():
    assert L.en_content_stems("The States of the Conference") == ["state", "confer"]


def test_segmenter_cuts_as_jieba_does_with_the_same_words():
    import random

    jieba_words = ["甲乙丙", "条约", "会议"]  # new, and already in jieba's dictionary
    lex = L.Lexicon({}, jieba_words)
    ref = L.jieba_tokenizer(jieba_words)
    rng = random.Random(7)
    # common characters, rare ones outside jieba's blocks, ASCII and symbols jieba keeps in
    # its blocks: its unknown-word HMM and block rules are where other tokenizers differ
    pool = list("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会")
    pool += list("条约会议甲乙丙裁军谈判") + ["\u3400", "\u9fd6", "\uf900", "\U00020000"]
    pool += list("，。 -.%&#+abcXY09") + ["\r\n", "\t", "\u3000", "\n"]
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 16)))
        assert lex.tokenize_zh(text) == [t for t in ref.lcut(text, HMM=True) if t.strip()], text


def test_unknown_runs_are_cut_by_jiebas_hmm():
    import random

    import jieba.finalseg

    from aligner.lexicon.segmenter import _Hmm

    hmm = _Hmm()
    rng = random.Random(5)
    pool = [chr(rng.randrange(0x4E00, 0x9FD6)) for _ in range(2000)] + list("常在我米利巴水")
    for _ in range(3000):
        run = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        assert hmm.cut(run) == list(jieba.finalseg.cut(run)), run


def test_private_tokenizers_share_jieba_dictionary_but_not_words():
    import jieba
    import jieba.posseg

    word = "甲乙丙丁戊己"  # not a word anywhere: split into pieces unless added
    mine = L.jieba_tokenizer([word], tag="nz")
    other = L.jieba_tokenizer()
    assert word in mine.lcut(f"这是{word}的事")
    assert word not in other.lcut(f"这是{word}的事")
    assert word not in jieba.lcut(f"这是{word}的事")  # jieba's global tokenizer untouched
    assert len(other.FREQ) > 100_000  # the whole dictionary, copied, not reloaded
    tagger = L.pos_tagger(mine)
    assert (word, "nz") in [(w, f) for w, f in tagger.lcut(f"这是{word}的事")]
    assert ("条约", "n") in [(w, f) for w, f in tagger.lcut("这是条约")]
    assert word not in jieba.posseg.dt.word_tag_tab  # the global tag table untouched


def test_one_shared_lexicon_per_glossary_file(tmp_path):
    assert L.shared_lexicon() is L.shared_lexicon()
    import shutil

    from aligner.lexicon.glossary import default_glossary_path

    glossary = shutil.copy(default_glossary_path(), tmp_path / "g.tsv")
    assert L.shared_lexicon(glossary) is not L.shared_lexicon()
    assert L.shared_lexicon(str(glossary)) is L.shared_lexicon(glossary)


def test_older_english_verb_forms_meet_their_base_forms():
    # the King James Bible writes "seeketh", "spake", "thou": they must match the glosses of
    # the Chinese words as "seek", "speak", "you" do
    for old, new in [("seeketh", "seek"), ("cometh", "come"), ("knoweth", "know"),
                     ("spake", "speak"), ("saith", "say"), ("goeth", "go")]:
        assert L.text_stem(old) == L.text_stem(new)
    # words that merely end in -eth keep their own stems
    for word in ("beneath", "twentieth", "teeth"):
        assert L.text_stem(word) != L.text_stem(word[:-3] + "ing")
    assert L.en_content_stems("thou hast seen unto thy house") == ["see", "hous"]


def test_align_reads_the_store_and_imports_neither_jieba_nor_pypinyin(tmp_path):
    import subprocess
    import sys

    L.lexicon_store()  # made (or found) here first: making it does need pypinyin
    zh, en = tmp_path / "a.zh", tmp_path / "a.en"
    zh.write_text("裁军谈判会议今天开会。\n吴海涛先生发了言。\n", encoding="utf-8")
    en.write_text("The Conference on Disarmament met today.\nMr. Wu Haitao spoke.\n",
                  encoding="utf-8")
    code = ("import sys; sys.argv = ['aligner', 'align', sys.argv[1], sys.argv[2], "
            "'--presegmented', '-o', sys.argv[3]]\n"
            "from aligner.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('jieba', 'pypinyin', 'rjieba', 'pdfplumber', 'docx', 'dask', "
            "'httpx', 'starlette') if m in sys.modules], file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(zh), str(en), str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.stderr.strip().splitlines()[-1] == "[]", r.stderr
    assert (tmp_path / "o").read_text().count("\n") >= 2  # and it aligned both sentences


def test_the_store_is_saved_without_serialize_too(tmp_path):
    """Python 3.10's sqlite3 has no Connection.serialize: the store is copied by backup."""
    import sqlite3

    from aligner.lexicon.dictionary import _save_store

    src = sqlite3.connect(":memory:")
    src.execute("CREATE TABLE cedict (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    src.execute("INSERT INTO cedict VALUES ('消极', 'negative passive')")
    src.commit()

    class WithoutSerialize:  # what a 3.10 connection offers for this purpose
        def backup(self, target):
            src.backup(target)

    path = tmp_path / "store.sqlite"
    _save_store(WithoutSerialize(), path)
    got = sqlite3.connect(path).execute("SELECT v FROM cedict WHERE k = '消极'").fetchall()
    assert got == [("negative passive",)]
    assert [p.name for p in tmp_path.iterdir()] == ["store.sqlite"]  # no temporary left
