"""Reading records: encodings, furniture, rejoined wraps, paragraphs and turns."""

import pytest

from aligner.common.errors import AlignerError
from aligner.read.decode import decode
from aligner.read.document import build_document, read_document
from aligner.read.paragraphs import normalise_spaces
from aligner.read.sentences import segment_document
from aligner.read.turns import find_turn

from conftest import SEED_ZH


@pytest.fixture(scope="module")
def seed():
    return read_document(SEED_ZH)


def test_seed_has_23_turns_four_of_them_the_presidents(seed):
    assert seed.lang == "zh"
    assert len(seed.turns) == 23
    assert sum(t.is_president for t in seed.turns) == 4
    assert seed.turns[0].label == "主席"
    labels = [t.label for t in seed.turns]
    assert "伍尔科特先生(澳大利亚)" in labels
    russian = next(t for t in seed.turns if t.country == "俄罗斯联邦")
    assert russian.person == "瓦西里耶夫先生" and russian.language_note == "以俄语发言"


def test_seed_turn_whose_colon_was_lost(seed):
    kazakh = next(t for t in seed.turns if t.country == "哈萨克斯坦")
    assert kazakh.label == "纽尔季列乌奥夫先生(哈萨克斯坦)"
    para = next(p for p in seed.paragraphs if p.turn == kazakh.index)
    assert para.text.startswith("纽尔季列乌奥夫先生(哈萨克斯坦)哈萨克斯坦作为自愿放弃")


def test_seed_sentence_across_page_break_and_blank_lines(seed):
    sentences = [s.text for s in segment_document(seed)]
    expected = ("除已签署和批准《特拉特洛尔科条约》以外，继我们在2010年《不扩散条约》审议大会上做出承诺后，"
                "美国已向参议院提交关于建立非洲和南太平洋无核武器区的议定书，"
                "以便请参议院提出意见并同意批准相关议定书。")
    assert expected in sentences
    assert "我希望各位记得，克林顿国务卿还表示，我们愿与东南亚和中亚的无核武器区各当事方进行接触。" \
        in sentences


def test_seed_has_no_furniture_and_no_pdf_spaces(seed):
    text = "\n".join(p.text for p in seed.paragraphs)
    assert "GE.12-63627" not in text
    assert "CD/PV.1261" not in text
    assert seed.symbol == "CD/PV.1261"
    assert "第1261次" in text and "5月31日" in text
    assert "CD/WP.571/Rev.1号文件" in text


def test_seed_speaker_on_every_segment_after_first_turn(seed):
    segments = segment_document(seed)
    assert segments[0].text.startswith("主席：我宣布裁军谈判会议第1261次全体会议开始。")
    assert all(s.speaker for s in segments)
    woolcott = [s for s in segments if s.speaker == "伍尔科特先生(澳大利亚)"]
    assert woolcott[0].text.startswith("伍尔科特先生(澳大利亚)：主席先生，")


@pytest.mark.parametrize("text,label,person,country,note", [
    ("主席：我宣布会议开始。", "主席", "主席", None, None),
    ("伍尔科特先生(澳大利亚)：主席先生，", "伍尔科特先生(澳大利亚)", "伍尔科特先生", "澳大利亚", None),
    ("瓦西里耶夫先生(俄罗斯联邦)(以俄语发言)：俄罗斯", "瓦西里耶夫先生(俄罗斯联邦)(以俄语发言)",
     "瓦西里耶夫先生", "俄罗斯联邦", "以俄语发言"),
    ("The President: I declare open", "The President", "The President", None, None),
    ("Mr. Woolcott (Australia): Thank you", "Mr. Woolcott (Australia)", "Mr. Woolcott",
     "Australia", None),
    ("Ms. Kennedy (United States of America): As", "Ms. Kennedy (United States of America)",
     "Ms. Kennedy", "United States of America", None),
    ("Mr. Vasiliev (Russian Federation) (spoke in Russian): The",
     "Mr. Vasiliev (Russian Federation) (spoke in Russian)", "Mr. Vasiliev", "Russian Federation",
     "spoke in Russian"),
])
def test_turn_labels(text, label, person, country, note):
    lang = "zh" if text[0] > "\u2e80" else "en"
    turn, end = find_turn(text, lang)
    assert (turn.label, turn.person, turn.country, turn.language_note) == \
        (label, person, country, note)
    assert text[:end].rstrip(":：").strip() == label


@pytest.mark.parametrize("text", ["主席先生，我国代表团感谢您。", "主席团成员国", "The President said so.",
                                  "Mr. President, thank you."])
def test_not_turn_labels(text):
    lang = "zh" if text[0] > "\u2e80" else "en"
    assert find_turn(text, lang) is None


def test_normalise_spaces_between_chinese_and_latin_or_digits():
    assert normalise_spaces("第 1261次 全体会议") == "第1261次全体会议"
    assert normalise_spaces("我于 5 月 31 日宣布") == "我于5月31日宣布"
    assert normalise_spaces("载于 CD/WP.571/Rev.1 号文件") == "载于CD/WP.571/Rev.1号文件"
    assert normalise_spaces("《Final Document》 the text") == "《Final Document》the text"


def test_english_rejoining_keeps_compound_hyphens_and_drops_furniture():
    lines = ["CD/PV.9999", "", " The President: I thank the Secretary-", "General for his",
             "statement on non-nuclear-weapon States.", "", "2 GE.13-60123", "",
             " Mr. Woolcott (Australia): Australia", "agrees."]
    doc = build_document(lines, "x.txt")
    assert doc.lang == "en" and doc.symbol == "CD/PV.9999"
    assert [p.text for p in doc.paragraphs] == [
        "The President: I thank the Secretary-General for his statement on "
        "non-nuclear-weapon States.",
        "Mr. Woolcott (Australia): Australia agrees.",
    ]
    assert [t.label for t in doc.turns] == ["The President", "Mr. Woolcott (Australia)"]


def test_blank_line_paragraphs_when_nothing_is_indented():
    lines = ["First paragraph wraps", "onto a second line.", "", "Second paragraph.", ""]
    doc = build_document(lines, "x.txt", "en")
    assert [p.text for p in doc.paragraphs] == ["First paragraph wraps onto a second line.",
                                                "Second paragraph."]


def test_cover_block_before_first_turn_is_dropped():
    lines = ["Conference on Disarmament", "CD/PV.9999", "English",
             "Final record of the nine thousand nine hundred and ninety-ninth plenary meeting",
             "Held at the Palais des Nations, Geneva, on Tuesday, 12 June 2012, at 10 a.m.",
             "President: Mr. Kari Kahiluoto ......................................(Finland)",
             "", " The President: I declare open the meeting."]
    doc = build_document(lines, "x.txt")
    assert [p.text for p in doc.paragraphs] == ["The President: I declare open the meeting."]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_encodings(tmp_path, encoding):
    text = " 主席：我宣布裁军谈判会议第 1261次全体会议开始。\n\n 消极安全保证问题。“无核武器国家”\n"
    path = tmp_path / f"rec_{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.lang == "zh"
    assert doc.paragraphs[0].text == "主席：我宣布裁军谈判会议第1261次全体会议开始。"
    assert doc.paragraphs[1].text == "消极安全保证问题。“无核武器国家”"


def test_undecodable_bytes_are_an_error_not_a_guess():
    with pytest.raises(AlignerError, match="binary|undecodable"):
        decode(bytes(range(256)) * 4, "x.txt")


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", b"\x00\x01\x02\xff\xfe\x03" * 50, "binary"),
    ("bad.pdf", b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
    ("bad.docx", b"PK\x03\x04 not a zip", "not a readable DOCX"),
    ("record.rtf", b"{\\rtf1 hello}", "unsupported file type"),
])
def test_bad_inputs_one_line_exit_2(tmp_path, cli, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.txt"
    result = cli("segment", path, "-o", out)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"aligner: error: {path}: ")
    assert reason in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


def test_missing_file_and_directory(tmp_path, cli):
    for target, reason in ((tmp_path / "nope.txt", "no such file"), (tmp_path, "directory")):
        result = cli("segment", target)
        assert result.returncode == 2 and reason in result.stderr
        assert result.stderr.startswith("aligner: error: ") and "Traceback" not in result.stderr


def test_first_page_footnote_inside_a_speech_is_furniture():
    lines = [
        " The President: I declare open the 1261st plenary meeting of the Conference on",
        "Disarmament. Before we begin, I should like to welcome the new representative of",
        "This record contains the original text of speeches delivered in English and the",
        "interpretation of speeches delivered in the other languages. Corrections should be",
        "submitted to the original speeches only. They should be sent to the Editing Unit.",
        "GE.12-63627 (E) 180712 190712",
        "*1263627*",
        "",
        "CD/PV.1261",
        "2",
        "Ireland, who has joined us today.",
        "",
        " Mr. Woolcott (Australia): Thank you, Mr. President.",
        "",
        " The President: I thank the representative of Australia.",
    ]
    doc = build_document(lines, "x.txt")
    assert [p.text for p in doc.paragraphs] == [
        "The President: I declare open the 1261st plenary meeting of the Conference on "
        "Disarmament. Before we begin, I should like to welcome the new representative of "
        "Ireland, who has joined us today.",
        "Mr. Woolcott (Australia): Thank you, Mr. President.",
        "The President: I thank the representative of Australia."]


def test_footnote_paragraph_in_docx_style_input_drops_only_itself():
    lines = ["The President: I declare open the meeting.",
             "This record contains the original text of speeches delivered in English.",
             "Mr. Woolcott (Australia): Thank you.", "We agree."]
    doc = build_document(lines, "x.docx", paragraphs_known=True)
    assert [p.text for p in doc.paragraphs] == [lines[0], lines[2], lines[3]]
