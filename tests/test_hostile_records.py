"""Alignment JSONL, TMX scores, glossaries and XML encodings that a careless or hostile user
gives: one line and exit 2, never a traceback (issue 16, items 8, 9, 13)."""

from __future__ import annotations

import json

import pytest

from aligner.common.errors import AlignerError
from aligner.common.formats import read_alignment_jsonl

from conftest import ROOT, run_cli

DEMO = ROOT / "corpora" / "demo"
GOOD = {"src_ids": [0], "tgt_ids": [0], "src": "你好。", "tgt": "Hello.", "score": 0.9}


def _line(**changes) -> str:
    return json.dumps({**GOOD, **changes})


# Each bad line is alone in its file, so ids [0] are in order: only the flaw is refused.
BAD_LINES = {
    "infinity id": ('{"src_ids":[Infinity],"tgt_ids":[0],"src":"a","tgt":"b","score":0.5}',
                    "Infinity is not a JSON number"),
    "nan score": ('{"src_ids":[0],"tgt_ids":[0],"src":"a","tgt":"b","score":NaN}',
                  "NaN is not a JSON number"),
    "1e999 score": ('{"src_ids":[0],"tgt_ids":[0],"src":"a","tgt":"b","score":1e999}',
                    "score must be a number from 0 to 1"),
    "5000 digits": ('{"src_ids":[' + "9" * 5000 + '],"tgt_ids":[0],"score":0.5}',
                    "not usable JSON"),
    "deep nesting": ('{"src_ids":' + "[" * 100_000 + "]" * 100_000 + ',"tgt_ids":[0]}',
                     "nested too deeply"),
    "string id": (_line(src_ids=["0"]), "src_ids must be a list of non-negative integers"),
    "float id": (_line(src_ids=[0.0]), "src_ids must be a list of non-negative integers"),
    "bool id": (_line(tgt_ids=[False]), "tgt_ids must be a list of non-negative integers"),
    "negative id": (_line(src_ids=[-1]), "src_ids must be a list of non-negative integers"),
    "ids not a list": (_line(src_ids="0"), "src_ids must be a list of non-negative integers"),
    "score above 1": (_line(score=1.5), "score must be a number from 0 to 1"),
    "score a string": (_line(score="0.9"), "score must be a number from 0 to 1"),
    "score a bool": (_line(score=True), "score must be a number from 0 to 1"),
    "text not a string": (_line(src=["你好"]), "src must be a string"),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_the_reader_refuses_a_bad_bead_saying_why(tmp_path, case):
    line, why = BAD_LINES[case]
    f = tmp_path / "a.jsonl"
    f.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(AlignerError) as e:
        read_alignment_jsonl(f)
    assert e.value.reason.startswith("line 1: ") and why in e.value.reason, e.value.reason


def test_the_reader_still_takes_a_good_file(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(_line() + "\n" + _line(src_ids=[1, 2], tgt_ids=[], score=0) + "\n",
                 encoding="utf-8")
    pairs = read_alignment_jsonl(f)
    assert [p.src_ids for p in pairs] == [(0,), (1, 2)] and pairs[1].score == 0.0


@pytest.mark.parametrize("command", [["tmx", "build", "{f}", "-o", "{out}"],
                                     ["glossary", "extract", "{f}"],
                                     ["score", "{f}"]])
@pytest.mark.parametrize("case", ["infinity id", "5000 digits", "deep nesting", "1e999 score"])
def test_commands_give_one_line_for_a_hostile_jsonl(tmp_path, command, case):
    f = tmp_path / "a.jsonl"
    f.write_text(BAD_LINES[case][0] + "\n", encoding="utf-8")
    out = tmp_path / "out.tmx"
    r = run_cli(*[a.format(f=f, out=out) for a in command])
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]
    assert r.stderr.startswith(f"aligner: error: {f}: line 1: ")
    assert not out.exists()


def _tmx(scores: list[str]) -> str:
    units = "".join(f'<tu><prop type="x-score">{s}</prop><tuv xml:lang="zh-CN"><seg>句{i}</seg>'
                    f'</tuv><tuv xml:lang="en-GB"><seg>S{i}</seg></tuv></tu>'
                    for i, s in enumerate(scores))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
            'creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
            'adminlang="en" srclang="zh-CN" datatype="plaintext"/>'
            f"<body>{units}</body></tmx>\n")


def test_tmx_stats_ignores_scores_that_are_not_probabilities(tmp_path):
    f = tmp_path / "m.tmx"
    f.write_text(_tmx(["nan", "inf", "1e999", "-0.5", "7", "0.250", "0.750"]), encoding="utf-8")
    r = run_cli("tmx", "stats", f)
    assert r.returncode == 0, r.stderr
    score_line = next(ln for ln in r.stdout.splitlines() if ln.startswith("score "))
    assert "nan" not in score_line and "inf" not in score_line
    assert "min 0.250" in score_line and "max 0.750" in score_line
    assert "no score: 5" in r.stdout


# --- 9. a named glossary must be there and valid ------------------------------------------------
@pytest.mark.parametrize("kind", ["missing", "invalid"])
def test_align_with_a_bad_glossary_is_one_line(tmp_path, kind):
    g = tmp_path / "g.tsv"
    if kind == "invalid":
        g.write_text("not\ta glossary\n", encoding="utf-8")
    zh, en = DEMO / "CD_PV.1261_zh.txt", DEMO / "CD_PV.1261_en.txt"
    r = run_cli("align", zh, en, "--glossary", g)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith(f"aligner: error: {g}: ")
    assert r.stdout == ""


def test_the_lexicon_does_not_swallow_a_named_glossary(tmp_path):
    from aligner.lexicon.dictionary import load_lexicon

    with pytest.raises(AlignerError):
        load_lexicon(tmp_path / "missing.tsv")


# --- 13. an entity declaration is refused whatever the encoding ---------------------------------
DOCTYPE_TMX = ('<?xml version="1.0" encoding="{enc}"?>\n<!DOCTYPE tmx [<!ENTITY x "boom">]>\n'
               + _tmx(["0.5"]).split("\n", 1)[1].replace("<seg>句0</seg>", "<seg>&x;</seg>"))


@pytest.mark.parametrize("encoding,codec", [("UTF-32BE", "utf-32-be"), ("UTF-32LE", "utf-32-le"),
                                            ("UTF-32", "utf-32"), ("UTF-16BE", "utf-16-be"),
                                            ("UTF-16", "utf-16"), ("UTF-8", "utf-8")])
def test_entity_declarations_are_refused_in_every_encoding(tmp_path, encoding, codec):
    f = tmp_path / "evil.tmx"
    f.write_bytes(DOCTYPE_TMX.format(enc=encoding).encode(codec))
    for command in (["tmx", "stats", f], ["tmx", "validate", f]):
        r = run_cli(*command)
        assert r.returncode == 2, (encoding, r.stdout, r.stderr)
        assert "refused: DOCTYPE declares entities" in r.stderr, r.stderr


def test_a_plain_utf16_tmx_still_reads(tmp_path):
    f = tmp_path / "ok.tmx"
    f.write_bytes(_tmx(["0.5"]).replace("UTF-8", "UTF-16").encode("utf-16"))
    r = run_cli("tmx", "stats", f)
    assert r.returncode == 0, r.stderr
    assert "units         1" in r.stdout



# --- 6. one enormous line without sentence punctuation ------------------------------------------
def test_an_overlong_sentence_is_cut_at_clause_marks_then_at_the_limit():
    from aligner.read.sentences import MAX_SENTENCE_CHARS, cut_overlong

    clause = "各国代表团就核裁军问题交换了意见，"
    text = clause * 400
    pieces = cut_overlong(text, "zh")
    assert "".join(pieces) == text
    assert all(len(p) <= MAX_SENTENCE_CHARS["zh"] for p in pieces) and len(pieces) > 1
    assert all(p.endswith("，") for p in pieces[:-1])  # at the clause marks
    bare = "裁军" * 5000  # nothing to cut at: the limit itself
    assert [len(p) for p in cut_overlong(bare, "zh")] == [1000] * 10
    words = " ".join(["disarmament"] * 2000)
    en = cut_overlong(words, "en")
    assert all(len(p) <= MAX_SENTENCE_CHARS["en"] for p in en)
    assert " ".join(en) == words and all(p.endswith("disarmament") for p in en)
    assert cut_overlong("短句。", "zh") == ["短句。"]


def test_segment_cuts_a_record_that_is_one_long_line_and_warns(tmp_path):
    f = tmp_path / "LONG_zh.txt"
    unit = "裁军谈判会议今天举行全体会议各国代表团发言"
    f.write_text(unit * 20_000 + "\n", encoding="utf-8")  # 400,000 characters, no punctuation
    r = run_cli("segment", f)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) >= 400 and max(len(ln) for ln in lines) <= 1000
    assert "".join(lines) == unit * 20_000
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("aligner: warning: ")]
    assert len(warnings) == 1 and str(f) in warnings[0] and "cut" in warnings[0]
