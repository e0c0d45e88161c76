"""``aligner tmx ...``: build, validate, merge, inspect, export and search translation memories.

Thin: arguments in, library calls out. lxml, numpy and rapidfuzz load inside the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .common import output


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Translation memories (TMX 1.4b): build, validate, merge, stats, "
                           "export, lookup.", no_args_is_help=True)
    app.add_typer(sub, name="tmx")

    @sub.command("build")
    def build(
        alignment: Path = typer.Argument(..., help="Alignment JSONL (from aligner align)."),
        out: Path = typer.Option(..., "-o", "--output", help="TMX file to write."),
        min_score: float = typer.Option(None, "--min-score", help="Leave out beads below this "
                                        "confidence (0-1)."),
        skip_many_to_many: bool = typer.Option(False, "--skip-many-to-many",
                                               help="Leave out 2-2, 3-2 ... beads."),
        confirmed_only: bool = typer.Option(
            False, "--confirmed-only", help="Only beads a reviewer confirmed (aligner review)."),
        src_lang: str = typer.Option("zh-CN", "--src-lang", help="Source language tag."),
        tgt_lang: str = typer.Option("en-GB", "--tgt-lang", help="Target language tag."),
        document: str = typer.Option(None, "--document", help="Document symbol for x-document"
                                     " (default: guessed from the file name)."),
        note: str = typer.Option(None, "--note", help="A note for the TMX header."),
    ) -> None:
        """Build a TMX from an alignment JSONL file."""
        from aligner.common.fileio import check_output
        from aligner.common.formats import read_alignment_jsonl
        from aligner.read.document import symbol_from_filename
        from tmx.write import write_tmx

        check_output(out, [alignment])
        pairs = read_alignment_jsonl(alignment)
        doc = document if document is not None else symbol_from_filename(alignment)
        n = write_tmx(out, pairs, src_lang=src_lang, tgt_lang=tgt_lang, document=doc or None,
                      note=note, min_score=min_score, skip_many_to_many=skip_many_to_many,
                      confirmed_only=confirmed_only)
        typer.echo(f"{out}: {n} units written (of {len(pairs)} beads)", err=True)

    @sub.command("validate")
    def validate(file: Path = typer.Argument(..., help="TMX file to check.")) -> None:
        """Check a TMX file against TMX 1.4b. Exit 0 valid, 1 problems found, 2 unreadable."""
        from tmx.validate import check_tmx

        report = check_tmx(file)
        for problem in report.problems:
            typer.echo(f"{file}:{problem.line}: {problem.message}")
        if report.problems:
            typer.echo(f"{file}: {len(report.problems)} problem(s)", err=True)
            raise typer.Exit(1)
        typer.echo(f"{file}: valid TMX, {report.units} units")

    @sub.command("merge")
    def merge(
        files: list[Path] = typer.Argument(..., help="TMX files to merge."),
        out: Path = typer.Option(..., "-o", "--output", help="Merged TMX file to write."),
        note: str = typer.Option(None, "--note", help="A note for the TMX header."),
    ) -> None:
        """Merge memories: identical pairs kept once (highest score); conflicts reported."""
        from aligner.common.fileio import check_output
        from tmx.tools import merge_tmx

        check_output(out, files)
        result = merge_tmx(files, out, note=note)
        for src, tgts in result.conflicts.items():
            typer.echo(f"conflict: {src!r} has {len(tgts)} targets: "
                       + " | ".join(repr(t) for t in tgts), err=True)
        typer.echo(f"{out}: {result.units} units written, {result.duplicates} duplicates "
                   f"dropped, {len(result.conflicts)} sources with conflicting targets", err=True)

    @sub.command("stats")
    def stats(file: Path = typer.Argument(..., help="TMX file.")) -> None:
        """Units, languages, score distribution, bead types and documents of a TMX file."""
        from tmx.tools import format_stats, tmx_stats

        typer.echo(format_stats(file, tmx_stats(file)), nl=False)

    @sub.command("export")
    def export(
        file: Path = typer.Argument(..., help="TMX file."),
        fmt: str = typer.Option("tsv", "--format", "-f", help="tsv or csv."),
        out: Path = typer.Option(None, "-o", "--output", help="Output file (default stdout)."),
    ) -> None:
        """Export a TMX file as TSV or CSV (source, target, score, bead, document, speaker)."""
        from aligner.common.errors import AlignerError
        from aligner.common.fileio import check_output
        from tmx.tools import export_tmx

        if fmt not in ("tsv", "csv"):
            raise AlignerError(None, f"unknown export format {fmt!r} (choose tsv or csv)")
        check_output(out, [file])
        with output(out, (file,)) as fh:
            export_tmx(file, fh, fmt)

    @sub.command("lookup")
    def lookup(
        file: Path = typer.Argument(..., help="TMX file."),
        sentence: str = typer.Argument(..., help="Sentence to look up (Chinese or English)."),
        n: int = typer.Option(5, "-n", help="Number of matches."),
        threshold: float = typer.Option(0.75, "--threshold", help="Lowest similarity, 0-1."),
    ) -> None:
        """Fuzzy matches for a sentence, from either language."""
        from aligner.common.errors import AlignerError
        from tmx.lookup import TmIndex

        if not 0 <= threshold <= 1:
            raise AlignerError(None, f"--threshold must be between 0 and 1, not {threshold}")
        index = TmIndex.from_file(file)
        matches = index.lookup(sentence, n=n, threshold=threshold)
        if not matches:
            typer.echo(f"no match at or above {threshold:.0%}", err=True)
            raise typer.Exit(1)
        for m in matches:
            extra = f"  score {m.score:.2f}" if m.score is not None else ""
            typer.echo(f"{m.percent:3d}%  tu {m.tuid or m.index + 1}{extra}")
            typer.echo(f"      {m.source_lang}: {m.source}")
            typer.echo(f"      {m.target_lang}: {m.target}")
        sys.stdout.flush()
