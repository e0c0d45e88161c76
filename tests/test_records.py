"""Checks of the fictional-record generator in tests/records.py (not of the aligner)."""

from __future__ import annotations

import re

import pytest

import records
from records import JOB_NUMBER, SYMBOL

_ENDS = {"en": (".", "?", "!"), "zh": ("。", "？", "！", "”")}


def _strip_furniture(lines: list[str]) -> list[str]:
    """Drop running heads and page numbers: lines that are only the symbol or the job number."""
    furniture = re.compile(rf"^\s*(\d+\s+)?({re.escape(SYMBOL)}|{re.escape(JOB_NUMBER)})(\s+\d+)?\s*$")
    return [line for line in lines if not furniture.match(line)]


def _unwrap(lines: list[str], lang: str) -> list[str]:
    """Rejoin extracted text into paragraphs: a paragraph starts with one indenting space."""
    paras: list[str] = []
    for line in _strip_furniture(lines):
        if not line.strip():
            continue
        if line.startswith(" ") or not paras:
            paras.append(line.strip())
        elif lang == "zh" or re.search(r"[A-Za-z]-$", paras[-1]):
            paras[-1] += line.strip()
        else:
            paras[-1] += " " + line.strip()
    return paras


def test_sentences_and_alignment_are_consistent():
    for lang in records.LANGS:
        assert 40 <= len(records.sentences(lang)) <= 60
    zh_ids = [i for zh, _ in records.ALIGNMENT for i in zh]
    en_ids = [i for _, en in records.ALIGNMENT for i in en]
    assert zh_ids == list(range(len(records.SENTENCES_ZH)))
    assert en_ids == list(range(len(records.SENTENCES_EN)))
    kinds = [bead.kind for bead in records.gold_beads()]
    assert kinds.count("1-2") == 1 and kinds.count("2-1") == 1
    assert kinds.count("1-1") == len(kinds) - 2
    # one 1-2 and one 2-1 cancel out, so the sentence counts match
    assert len(records.SENTENCES_ZH) == len(records.SENTENCES_EN)
    for lang in records.LANGS:
        for sentence in records.sentences(lang):
            assert sentence == sentence.strip() and sentence.endswith(_ENDS[lang]), sentence


def test_paragraphs_are_the_sentences_joined_and_turns_carry_labels():
    for lang, sep, colon in (("en", " ", ": "), ("zh", "", "：")):
        assert sep.join(records.paragraphs(lang)) == sep.join(records.sentences(lang))
        labels = [label for label, _ in records.record(lang)]
        assert labels[0] is None  # "The meeting was called to order" comes before any speaker
        assert labels[1:] == records.TURNS[lang]
        starts = [s for s in records.sentences(lang) if any(
            s.startswith(label + colon) for label in records.TURNS[lang])]
        assert len(starts) == len(records.TURNS[lang])
    assert len(records.TURNS["en"]) == len(records.TURNS["zh"]) >= 5
    assert "Mr. Vasiliev (Russian Federation) (spoke in Russian)" in records.TURNS["en"]
    assert "吴海涛先生(中国)(以中文发言)" in records.TURNS["zh"]


def test_wrap_breaks_compounds_after_the_hyphen_and_never_before_chinese_closing_marks():
    lines = records.wrap("to assure non-nuclear-weapon States", "en",
                         lambda line, first: len(line) <= 16)
    assert lines == ["to assure non-", "nuclear-weapon", "States"]
    zh = "一二三四。五六七《八九》十"
    lines = records.wrap(zh, "zh", lambda line, first: len(line) <= 4)
    assert "".join(lines) == zh
    assert not any(line[0] in "。》" or line[-1] == "《" for line in lines)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
@pytest.mark.parametrize("lang", records.LANGS)
def test_txt_round_trips_in_each_encoding(tmp_path, lang, encoding):
    path = records.write_txt(tmp_path / f"r.{lang}.txt", lang, encoding)
    raw = path.read_bytes()
    if encoding == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")
    if encoding == "gb18030" and lang == "zh":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    lines = raw.decode(encoding).split("\n")
    assert _unwrap(lines, lang) == records.paragraphs(lang)


def test_txt_options_windows_newlines_and_clean_chinese(tmp_path):
    path = records.write_txt(tmp_path / "r.txt", "zh", noisy=False, newline="\r\n")
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert not any(line.endswith(" ") and not line.strip() == SYMBOL
                   and JOB_NUMBER not in line for line in lines)
    assert _unwrap(lines, "zh") == records.paragraphs("zh")


@pytest.mark.parametrize("lang", records.LANGS)
def test_txt_has_hard_wraps_and_a_running_head_inside_a_sentence(lang):
    lines = records.txt_lines(lang)
    assert lines == records.txt_lines(lang)  # deterministic
    text_lines = [line for line in _strip_furniture(lines) if line.strip()]
    assert len(text_lines) > len(records.paragraphs(lang))  # wrapped, not one line a paragraph
    heads = [i for i, line in enumerate(lines) if line.strip() == SYMBOL]
    assert heads
    cut_mid_sentence = False
    for i in heads:
        before = next(line for line in reversed(lines[:i]) if line.strip())
        cut_mid_sentence |= not before.rstrip().endswith(_ENDS[lang])
    assert cut_mid_sentence
    if lang == "en":
        assert any(re.search(r"[a-z]-$", line) for line in lines)  # a compound split at its hyphen


@pytest.mark.parametrize("lang", records.LANGS)
def test_pdf_pages_carry_running_heads_and_the_text_extracts(tmp_path, lang):
    pdfplumber = pytest.importorskip("pdfplumber")
    path = tmp_path / f"r.{lang}.pdf"
    pages = records.write_pdf(path, lang)
    assert pages >= 2
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == pages
        assert pdf.pages[0].width == pytest.approx(595.3, abs=1)  # A4
        texts = [page.extract_text() for page in pdf.pages]
    for n, text in enumerate(texts, 1):
        lines = text.splitlines()
        assert SYMBOL in lines[0]
        assert JOB_NUMBER in lines[-1]
        if n > 1:
            assert str(n) in lines[-1].replace(JOB_NUMBER, "")
    crossed = [
        not _strip_furniture(text.splitlines())[-1].endswith(_ENDS[lang]) for text in texts[:-1]
    ]
    assert any(crossed)  # a sentence runs on over a page break
    body = [line for text in texts for line in _strip_furniture(text.splitlines())]
    joined = ("" if lang == "zh" else " ").join(body)
    if lang == "en":
        joined = re.sub(r"([A-Za-z]-) ", r"\1", joined)
    assert joined == ("" if lang == "zh" else " ").join(records.paragraphs(lang))


def test_pdf_is_deterministic(tmp_path):
    records.write_pdf(tmp_path / "a.pdf", "zh")
    records.write_pdf(tmp_path / "b.pdf", "zh")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("lang", records.LANGS)
def test_docx_has_one_word_paragraph_per_record_paragraph(tmp_path, lang):
    docx = pytest.importorskip("docx")
    path = records.write_docx(tmp_path / f"r.{lang}.docx", lang)
    document = docx.Document(str(path))
    assert [p.text for p in document.paragraphs] == records.paragraphs(lang)
    section = document.sections[0]
    assert section.header.paragraphs[0].text == SYMBOL
    assert section.footer.paragraphs[0].text == JOB_NUMBER
    labelled = [p for p in document.paragraphs if p.runs[0].bold]
    assert len(labelled) == len(records.TURNS[lang])
    assert all(p.runs[0].text.rstrip(": ：") in records.TURNS[lang] for p in labelled)


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(ValueError):
        records.write_txt(tmp_path / "x.txt", "fr")
