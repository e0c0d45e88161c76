"""PDF, DOCX and extracted-text records made with the real libraries, read back whole."""

import pytest

from aligner.common.errors import AlignerError
from aligner.read.document import read_document
from aligner.read.paragraphs import normalise_spaces
from aligner.read.sentences import segment_document

import records


def expected_sentences(lang: str) -> list[str]:
    sentences = records.sentences(lang)
    return [normalise_spaces(s) for s in sentences] if lang == "zh" else sentences


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", ["pdf", "docx", "txt"])
def test_record_reads_back_sentence_for_sentence(tmp_path, lang, kind):
    path = tmp_path / f"CD_PV.9999_{lang}.{kind}"
    getattr(records, f"write_{kind}")(path, lang)
    doc = read_document(path)  # language detected, not given
    assert doc.lang == lang
    assert [t.label for t in doc.turns] == records.TURNS[lang]
    assert [s.text for s in segment_document(doc)] == expected_sentences(lang)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert records.JOB_NUMBER not in text and records.SYMBOL + "\n" not in text


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030", "utf-8-sig"])
def test_extracted_text_in_other_encodings(tmp_path, encoding):
    path = tmp_path / "CD_PV.9999_zh.txt"
    records.write_txt(path, "zh", encoding=encoding)
    doc = read_document(path)
    assert [s.text for s in segment_document(doc)] == expected_sentences("zh")


def test_english_pdf_keeps_compounds_whole(tmp_path):
    path = tmp_path / "r.pdf"
    records.write_pdf(path, "en")
    text = " ".join(p.text for p in read_document(path).paragraphs)
    assert "Secretary-General" in text and "non-nuclear-weapon States" in text
    assert "- " not in text.replace(" - ", "")


def test_encrypted_pdf_is_refused(tmp_path, cli):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    locked = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(locked), encrypt=StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 720, "The President: I declare open the meeting.")
    pdf.save()
    with pytest.raises(AlignerError, match="encrypted PDF"):
        read_document(locked)
    result = cli("segment", locked, "-o", tmp_path / "out.txt")
    assert result.returncode == 2 and "encrypted PDF" in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_truncated_pdf_is_refused(tmp_path, cli):
    good = tmp_path / "good.pdf"
    records.write_pdf(good, "en")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(good.read_bytes()[:300])
    result = cli("segment", bad)
    assert result.returncode == 2
    assert result.stderr.startswith(f"aligner: error: {bad}: ")
    assert result.stderr.count("\n") == 1


def test_pdf_without_indents_keeps_paragraphs_by_spacing_and_joins_pages(tmp_path):
    """Block paragraphs (no indent, space between) are paragraphs; a page break is not."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "block.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    for line in ("The President: I declare open the meeting. The Conference will",
                 "now consider agenda item 4.", None,
                 "Mr. Woolcott (Australia): Thank you. Australia supports negative"):
        if line is None:
            y -= 14  # the blank space between two paragraphs
            continue
        pdf.drawString(72, y, line)
        y -= 14
    pdf.drawString(300, 40, "GE.13-60123")
    pdf.showPage()
    pdf.drawString(72, 800, "CD/PV.9999")
    pdf.drawString(72, 780, "security assurances for all non-nuclear-weapon States.")
    pdf.drawString(72, 766, "They must be legally binding.")
    pdf.save()
    doc = read_document(path)
    assert [p.text for p in doc.paragraphs] == [
        "The President: I declare open the meeting. The Conference will now consider agenda "
        "item 4.",
        "Mr. Woolcott (Australia): Thank you. Australia supports negative security assurances "
        "for all non-nuclear-weapon States. They must be legally binding.",
    ]
    assert [t.label for t in doc.turns] == ["The President", "Mr. Woolcott (Australia)"]
