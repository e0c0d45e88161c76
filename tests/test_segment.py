"""Sentence segmentation in both languages."""

import json

import pytest

from aligner.read.sentences import segment_paragraph, split_en, split_zh

from conftest import SEED_ZH


def test_chinese_splits_after_terminal_punctuation_and_keeps_closers():
    text = "他说：“我们同意。”会议继续。真的吗？是的！好……那么，开始吧……“完了……”下一句。"
    assert split_zh(text) == ["他说：“我们同意。”", "会议继续。", "真的吗？", "是的！",
                              "好……那么，开始吧……", "“完了……”", "下一句。"]


def test_chinese_never_splits_at_semicolon_or_colon():
    text = "主席：第一，保证是必要的；第二，保证应有法律约束力：这是我们的立场。"
    assert split_zh(text) == [text]


def test_chinese_bullets_start_new_segments():
    text = "主要内容如下：• 第一点理由；• 第二点理由。"
    assert split_zh(text) == ["主要内容如下：", "• 第一点理由；", "• 第二点理由。"]


def test_chinese_brackets_stay_with_sentence():
    assert split_zh("见第984号决议(1995年)。）其他。") == ["见第984号决议(1995年)。）", "其他。"]


@pytest.mark.parametrize("abbrev", ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "No.", "para.", "paras.",
                                    "art.", "Art.", "vol.", "pp.", "p.", "St.", "Rev.", "Add.",
                                    "Corr.", "approx.", "Jan.", "Sept.", "Dec."])
def test_english_abbreviations_do_not_split(abbrev):
    text = f"We refer to {abbrev} Smith in this case. The next sentence follows."
    assert split_en(text) == [f"We refer to {abbrev} Smith in this case.",
                              "The next sentence follows."]


@pytest.mark.parametrize("abbrev", ["e.g.", "i.e.", "U.N.", "a.m.", "p.m.", "etc."])
def test_english_dotted_abbreviations_inside_sentence(abbrev):
    text = f"The item, {abbrev} Brazil and others, was discussed. It ended."
    assert split_en(text) == [f"The item, {abbrev} Brazil and others, was discussed.", "It ended."]


def test_english_symbols_numbers_and_sentence_final_pm():
    text = ("The schedule is in document CD/WP.571/Rev.1 and CD/1864. The meeting rose at "
            "12.55 p.m. The next plenary meeting will be held on Thursday.")
    assert split_en(text) == ["The schedule is in document CD/WP.571/Rev.1 and CD/1864.",
                              "The meeting rose at 12.55 p.m.",
                              "The next plenary meeting will be held on Thursday."]


def test_english_question_and_exclamation():
    assert split_en("Why not? We must act! Indeed.") == ["Why not?", "We must act!", "Indeed."]


def test_speaker_label_stays_on_first_sentence_and_never_splits():
    assert segment_paragraph("Mr. Woolcott (Australia): Thank you, Mr. President. We agree.",
                             "en") == ["Mr. Woolcott (Australia): Thank you, Mr. President.",
                                       "We agree."]
    assert segment_paragraph("Mr. J. S. Smith (Canada): Yes. No.", "en") == [
        "Mr. J. S. Smith (Canada): Yes.", "No."]
    assert segment_paragraph("主席：感谢。现在请日本发言。", "zh") == ["主席：感谢。", "现在请日本发言。"]


def test_segment_cli_jsonl_on_seed(cli):
    result = cli("segment", SEED_ZH, "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == list(range(len(rows)))
    assert {"id", "paragraph", "turn", "speaker", "text"} == set(rows[0])
    turns = {r["turn"]: r["speaker"] for r in rows if r["turn"] is not None}
    assert len(turns) == 23
    assert sum(1 for s in turns.values() if s == "主席") == 4
    assert all(r["text"][-1] in "。！？”；：）" for r in rows[:-1])


def test_segment_cli_text_to_file(tmp_path, cli):
    out = tmp_path / "seed.txt"
    result = cli("segment", SEED_ZH, "--lang", "zh", "-o", out)
    assert result.returncode == 0 and result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "主席：我宣布裁军谈判会议第1261次全体会议开始。"
    assert len(lines) > 400
