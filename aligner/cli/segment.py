"""``aligner segment``: a record's sentences, one a line or as JSONL."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer


class Lang(str, Enum):
    zh = "zh"
    en = "en"
    auto = "auto"


class SegmentFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    @app.command("segment")
    def segment(
        file: Path = typer.Argument(..., help="A record: .txt (any encoding), .pdf, .docx, .doc; "
                                    "- reads text from standard input."),
        lang: Lang = typer.Option(Lang.auto, "--lang", help="Language; auto tells by script."),
        fmt: SegmentFormat = typer.Option(SegmentFormat.text, "--format",
                                          help="text: a sentence a line; jsonl: with metadata."),
        out: Path | None = typer.Option(None, "-o", "--output", help="Write here, not stdout."),
    ) -> None:
        """Read a record, strip page furniture, and split it into sentences."""
        from ..common.fileio import check_output
        from ..read.document import read_document
        from ..read.sentences import segment_document, segment_record
        from .common import output

        check_output(out, [file])
        doc = read_document(file, lang.value)
        segments = segment_document(doc)
        with output(out, (file,)) as fh:
            for seg in segments:
                if fmt is SegmentFormat.text:
                    fh.write(seg.text + "\n")
                else:
                    fh.write(json.dumps(segment_record(seg), ensure_ascii=False) + "\n")
