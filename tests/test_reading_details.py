"""What real ODS layouts do to the reader: numbers cut by a Chinese line wrap, indented lines
after a blank mid-sentence, and legacy Word 97-2003 (.doc) files read through a converter."""

import os
import shutil
import subprocess
import sys

import pytest

from aligner.common.errors import AlignerError
from aligner.pipeline import find_records
from aligner.read.document import read_document
from aligner.read.paragraphs import normalise_spaces
from aligner.read.sentences import segment_document
from aligner.read.sources import _garbled

import records
import worddoc


def _pdf(path, lines, lang="en"):
    """Draw ``(x, extra space above, text)`` lines, 12 pt, one after another, on one A4 page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    if lang == "zh":
        records._register_cjk_font()
        pdf.setFont("STSong-Light", 12)
    leading = 21 if lang == "zh" else 14
    y = 780
    for x, gap, text in lines:
        y -= gap
        pdf.drawString(x, y, text)
        y -= leading
    pdf.save()
    return path


def test_numbers_cut_by_a_chinese_line_wrap_are_rejoined(tmp_path):
    path = _pdf(tmp_path / "zh.pdf", [
        (114, 0, "主席：我宣布裁军谈判会议第 12"),
        (90, 0, "61 次全体会议开始。根据载于 CD/WP."),
        (90, 0, "571/Rev.1 号文件的时间表，裁谈会将于 20"),
        (90, 0, "13 年 6 月 1"),
        (90, 0, "1 日举行下一次全体会议。"),
        (114, 0, "伍尔科特先生(澳大利亚)：主席先生，谢谢。"),
        (90, 0, "澳大利亚支持设立附属机构。"),
    ], "zh")
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs] == [
        "主席：我宣布裁军谈判会议第1261次全体会议开始。根据载于CD/WP.571/Rev.1号文件的时间表，"
        "裁谈会将于2013年6月11日举行下一次全体会议。",
        "伍尔科特先生(澳大利亚)：主席先生，谢谢。澳大利亚支持设立附属机构。",
    ]


def test_english_lines_wrap_at_spaces_so_two_numbers_stay_two(tmp_path):
    path = _pdf(tmp_path / "en.pdf", [
        (96, 0, "The President: The votes were as follows: in favour, 12"),
        (72, 0, "61 States abstained. The meeting rose at 1 p.m."),
        (96, 0, "Mr. Woolcott (Australia): Thank you."),
    ])
    text = read_document(path).paragraphs[0].text
    assert "in favour, 12 61 States abstained." in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_indented_line_after_a_blank_mid_sentence_does_not_start_a_paragraph(tmp_path, lang):
    # Block paragraphs (no first-line indent, space between); one line mid-sentence sits lower
    # and further right, which extraction gives as a blank line and a leading space.
    lines = {
        "en": [(72, 0, "The President: I declare open the meeting. The Conference will"),
               (72, 0, "now consider agenda item 4."),
               (72, 14, "Mr. Woolcott (Australia): Thank you. Australia has always regarded"),
               (80, 14, "negative security assurances as part of the basic bargain of the"),
               (72, 0, "Treaty. Thank you."),
               (72, 14, "The President: I thank the representative of Australia.")],
        "zh": [(90, 0, "主席：我宣布裁军谈判会议第 1261 次全体会议开始。裁谈会今天"),
               (90, 0, "将重点讨论议程项目 4，即保证不对无核武器国家使用或威胁使用"),
               (90, 0, "核武器的有效国际安排。"),
               (90, 21, "伍尔科特先生(澳大利亚)：谢谢。澳大利亚一贯认为，消极安全保证"),
               (98, 21, "是《不扩散核武器条约》所确立的基本平衡的重要组成部分，放弃了"),
               (90, 0, "核武器选择的无核武器国家理应得到这种保证。谢谢。"),
               (90, 21, "主席：我感谢澳大利亚代表的发言。")],
    }[lang]
    doc = read_document(_pdf(tmp_path / f"{lang}.pdf", lines, lang), lang)
    texts = [p.text for p in doc.paragraphs]
    assert len(texts) == 3, texts
    joined = "regarded negative security" if lang == "en" else "消极安全保证是《不扩散"
    assert joined in texts[1]
    assert [t.label for t in doc.turns] == {
        "en": ["The President", "Mr. Woolcott (Australia)", "The President"],
        "zh": ["主席", "伍尔科特先生(澳大利亚)", "主席"]}[lang]


def test_after_a_heading_an_indented_speaker_still_starts_a_paragraph(tmp_path):
    path = _pdf(tmp_path / "en.pdf", [
        (72, 0, "Agenda item 4"),
        (80, 14, "The President: I declare open the meeting. The Conference will"),
        (72, 0, "now consider agenda item 4."),
    ])
    assert [p.text for p in read_document(path).paragraphs] == [
        "Agenda item 4",
        "The President: I declare open the meeting. The Conference will now consider agenda "
        "item 4."]


# --- legacy Word 97-2003 ------------------------------------------------------------------------
def _expected(lang):
    sentences = records.sentences(lang)
    return [normalise_spaces(s) for s in sentences] if lang == "zh" else sentences


@pytest.fixture(scope="module", params=["minimal", "libreoffice"])
def doc_files(request, tmp_path_factory):
    """The test record as .doc: written by ``worddoc`` (text and paragraphs only), and converted
    from a DOCX by LibreOffice (with all of Word's tables) where LibreOffice is installed."""
    folder = tmp_path_factory.mktemp("doc")
    paths = {lang: folder / f"CD_PV.9999_{lang}.doc" for lang in ("en", "zh")}
    if request.param == "minimal":
        for lang, path in paths.items():
            worddoc.write_record(path, lang)
        return paths
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed to make a .doc the way Word does")
    for lang in paths:
        records.write_docx(folder / f"CD_PV.9999_{lang}.docx", lang)
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(folder),
                    str(folder / "CD_PV.9999_en.docx"), str(folder / "CD_PV.9999_zh.docx")],
                   check=True, capture_output=True, timeout=300)
    return paths


@pytest.mark.parametrize("converter", ["soffice", "antiword", "catdoc"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_word_97_file_reads_like_the_docx_it_came_from(doc_files, monkeypatch, converter,
                                                         lang):
    if not shutil.which(converter):
        pytest.skip(f"{converter} is not installed")
    monkeypatch.setenv("ALIGNER_DOC_CONVERTER", converter)
    path = doc_files[lang]
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # really Word 97
    doc = read_document(path)
    assert doc.lang == lang
    assert [t.label for t in doc.turns] == records.TURNS[lang]
    assert [s.text for s in segment_document(doc)] == _expected(lang)


def _cli_without_converters(tmp_path, *args):
    empty = tmp_path / "no-converters"
    empty.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": str(empty)}
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=120)


def test_without_a_converter_a_word_97_file_is_refused_in_one_line(tmp_path, doc_files):
    out = tmp_path / "out.txt"
    result = _cli_without_converters(tmp_path, "segment", doc_files["en"], "-o", out)
    assert result.returncode == 2
    assert result.stderr == (
        f"aligner: error: {doc_files['en']}: a Word 97-2003 file needs a converter: save it as "
        f".docx (Word: File > Save As; or soffice --headless --convert-to docx "
        f"{doc_files['en']}), or install LibreOffice, antiword or catdoc\n")
    assert not out.exists()


def test_a_doc_that_is_not_word_97_is_refused_and_a_renamed_docx_is_read(tmp_path):
    rtf = tmp_path / "CD_PV.9999_en.doc"
    rtf.write_bytes(b"{\\rtf1\\ansi The President: I declare open the meeting.}")
    with pytest.raises(AlignerError, match=r"an RTF file; save it as \.docx"):
        read_document(rtf)
    renamed = tmp_path / "renamed.doc"
    records.write_docx(renamed, "en")
    assert [s.text for s in segment_document(read_document(renamed))] == _expected("en")


def test_converter_output_made_of_substitutes_is_not_taken_for_text():
    assert _garbled(["主席：我宣布会议开始。", "Thank you?"]) is None
    assert _garbled(["???? ?????????", "??? ????"]) == "20 of 20 characters unreadable"
    assert _garbled(["", " "]) == "no text"


def test_run_pairs_word_97_records(tmp_path):
    (tmp_path / "CD_PV.9999_zh.doc").write_bytes(b"x")
    (tmp_path / "CD_PV.9999_en.pdf").write_bytes(b"x")
    inventory = find_records(tmp_path)
    assert [(p.zh.name, p.en.name) for p in inventory.pairs] == \
        [("CD_PV.9999_zh.doc", "CD_PV.9999_en.pdf")]
