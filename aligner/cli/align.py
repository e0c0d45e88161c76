"""``aligner align``: align a Chinese record with its English version."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import typer


class AlignFormat(str, Enum):
    beads = "beads"
    tsv = "tsv"
    jsonl = "jsonl"


def guess_symbol(path: Path) -> str | None:
    """CD_PV.1261_zh.txt -> CD/PV.1261: underscores stand for slashes, language tag dropped."""
    stem = re.sub(r"[_.-](zh|en|ch|chi|eng|c|e)$", "", path.stem, flags=re.IGNORECASE)
    if not re.match(r"^[A-Z]{1,6}_", stem):
        return None
    return stem.replace("_", "/")


def read_sentence_lines(path: Path) -> list[str]:
    """One sentence a line, UTF-8; trailing blank lines ignored."""
    from ..errors import AlignerError

    if not path.exists():
        raise AlignerError(path, "no such file")
    if path.is_dir():
        raise AlignerError(path, "is a directory, not a file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AlignerError(path, "not UTF-8 text (--presegmented expects UTF-8)") from None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def register(app: typer.Typer) -> None:
    @app.command("align")
    def align(
        zh: Path = typer.Argument(..., help="Chinese record (.txt/.pdf/.docx) or sentence file."),
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

        from ..align import align_segments, align_sentences, check_inputs
        from ..formats import format_for, write_alignment_to
        from .common import output

        extras = None
        if presegmented:
            src, tgt = read_sentence_lines(zh), read_sentence_lines(en)
            check_inputs(src, tgt, str(zh), str(en))
            beads = align_sentences(src, tgt, glossary=glossary, progress=True)
        else:
            from ..ingest import read_document
            from ..segment import segment_document

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

            from ..formats import AlignedPair, bead_record

            pairs = []
            for i, b in enumerate(beads):
                rec = bead_record(b, src, tgt, **(extras[i] if extras else {}))
                pairs.append(AlignedPair(b.src_ids, b.tgt_ids, rec["src"], rec["tgt"], b.score,
                                         {k: v for k, v in rec.items()
                                          if k not in ("src_ids", "tgt_ids", "src", "tgt",
                                                       "score")}))
            n = write_tmx(out, pairs, src_lang=src_lang, tgt_lang=tgt_lang,
                          document=document or guess_symbol(zh))
            print(f"aligner: {len(beads)} beads, {n} translation units -> {out}", file=sys.stderr)
            return
        kind = format_for(out if out is not None else Path("-"), fmt.value if fmt else None)
        with output(out) as fh:
            write_alignment_to(fh, beads, src, tgt, kind, extras)


def _check_languages(zh_lang: str, en_lang: str, zh: Path, en: Path) -> None:
    from ..errors import AlignerError

    if zh_lang != "zh":
        raise AlignerError(zh, "does not look Chinese (give the Chinese record first)")
    if en_lang != "en":
        raise AlignerError(en, "does not look English (give the English record second)")
