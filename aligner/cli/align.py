"""``aligner align``: align a Chinese record with its English version."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer


class AlignFormat(str, Enum):
    beads = "beads"
    tsv = "tsv"
    jsonl = "jsonl"


def read_sentence_lines(path: Path) -> list[str]:
    """One sentence a line, UTF-8; trailing blank lines ignored."""
    from ..common.fileio import read_utf8

    lines = read_utf8(path, " (--presegmented expects UTF-8)").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def register(app: typer.Typer) -> None:
    @app.command("align")
    def align(
        zh: Path = typer.Argument(..., help="Chinese record (txt/pdf/docx/doc) or sentence file."),
        en: Path = typer.Argument(..., help="English record or sentence file."),
        presegmented: bool = typer.Option(
            False, "--presegmented", help="Both files hold one sentence a line."),
        out: Path | None = typer.Option(
            None, "-o", "--output",
            help="Output file; .align/.tsv/.jsonl pick the format, .tmx writes TMX."),
        fmt: AlignFormat | None = typer.Option(
            None, "--format", help="beads (default), tsv or jsonl."),
        document: str | None = typer.Option(
            None, "--document", help="Document symbol for TMX (default: from the file name)."),
        src_lang: str = typer.Option("zh-CN", "--src-lang", help="TMX source language."),
        tgt_lang: str = typer.Option("en-GB", "--tgt-lang", help="TMX target language."),
        glossary: Path | None = typer.Option(
            None, "--glossary", help="Glossary TSV (default: corpora/glossary.tsv)."),
    ) -> None:
        """Align sentences: every sentence of both sides ends up in exactly one bead."""
        import sys

        from ..align.passes import align_segments, align_sentences, check_inputs
        from ..common.fileio import check_output
        from ..common.formats import format_for, write_alignment_to
        from ..lexicon.glossary import default_glossary_path
        from .common import output

        inputs = (zh, en, glossary or default_glossary_path())
        check_output(out, inputs)
        if glossary is not None:  # a named glossary must be there and valid before the work
            from ..lexicon.glossary import load_glossary

            load_glossary(glossary)
        extras = None
        if presegmented:
            src, tgt = read_sentence_lines(zh), read_sentence_lines(en)
            check_inputs(src, tgt, str(zh), str(en))
            beads = align_sentences(src, tgt, glossary=glossary, progress=True)
        else:
            from ..read.document import read_document
            from ..read.sentences import segment_document

            doc_zh, doc_en = read_document(zh, "auto"), read_document(en, "auto")
            _check_languages(doc_zh.lang, doc_en.lang, zh, en)
            seg_zh, seg_en = segment_document(doc_zh), segment_document(doc_en)
            src, tgt = [s.text for s in seg_zh], [s.text for s in seg_en]
            check_inputs(src, tgt, str(zh), str(en))
            beads = align_segments(seg_zh, seg_en, glossary=glossary, progress=True)
            speakers = [s.speaker for s in seg_zh]
            extras = [{"speaker": speakers[b.src_ids[0]] if b.src_ids else None} for b in beads]
            document = document or doc_zh.symbol
        if out is not None and out.suffix.lower() == ".tmx":
            from tmx.write import write_tmx

            from ..common.formats import to_pairs
            from ..read.document import symbol_from_filename

            pairs = to_pairs(beads, src, tgt, extras)
            n = write_tmx(out, pairs, src_lang=src_lang, tgt_lang=tgt_lang,
                          document=document or symbol_from_filename(zh))
            print(f"aligner: {len(beads)} beads, {n} translation units -> {out}", file=sys.stderr)
            return
        kind = format_for(out if out is not None else Path("-"), fmt.value if fmt else None)
        with output(out, inputs) as fh:
            write_alignment_to(fh, beads, src, tgt, kind, extras)


def _check_languages(zh_lang: str, en_lang: str, zh: Path, en: Path) -> None:
    from ..common.errors import AlignerError

    if zh_lang != "zh":
        raise AlignerError(zh, "does not look Chinese (give the Chinese record first)")
    if en_lang != "en":
        raise AlignerError(en, "does not look English (give the English record second)")
