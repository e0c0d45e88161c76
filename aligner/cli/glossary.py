"""``aligner glossary``: look up, extract and export terminology.

Only ``aligner.lexicon.glossary`` (standard library only) is imported at module level; jieba, lxml
and the lexicon are imported inside the commands that need them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from .common import fail, output

sub = typer.Typer(help="Terminology: look up the CD glossary, extract candidate terms, export "
                       "TBX/CSV/OmegaT.", no_args_is_help=True)

_GLOSSARY_OPT = typer.Option(None, "--glossary", "-g", help="Glossary TSV (default: the curated "
                             "corpora/glossary.tsv).", dir_okay=False)


@sub.command("lookup")
def lookup(
    term: str = typer.Argument(..., help="Chinese or English term (told apart by script)."),
    glossary: Path | None = _GLOSSARY_OPT,
    fuzzy: bool = typer.Option(False, "--fuzzy", help="Also list near matches."),
    as_json: bool = typer.Option(False, "--json", help="Print the matches as JSON."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="At most this many matches."),
) -> None:
    """Find TERM in the glossary: exact > variant/abbreviation > partial (> fuzzy).

    Exit status 1 when nothing matches, with the nearest entries as suggestions.
    """
    from ..lexicon.glossary import load_glossary

    g = load_glossary(glossary)
    matches = g.lookup(term, fuzzy=fuzzy, limit=limit)
    if as_json:
        typer.echo(json.dumps([{"match": m.how, "matched": m.form, "score": m.score,
                                **m.entry.to_dict()} for m in matches],
                              ensure_ascii=False, indent=2))
    for m in matches if not as_json else ():
        e = m.entry
        typer.echo(f"{e.zh} = {e.en}    [{m.how}{'' if m.form in (e.zh, e.en) else ': ' + m.form}]")
        variants = "; ".join((*e.variants_zh, *e.variants_en))
        if variants:
            typer.echo(f"    variants: {variants}")
        details = " | ".join(f"{k}: {v}" for k, v in
                             (("pos", e.pos), ("subject", e.subject), ("source", e.source)) if v)
        if details:
            typer.echo(f"    {details}")
        if e.note:
            typer.echo(f"    note: {e.note}")
    if not matches:
        near = g.suggest(term)
        hint = "; ".join(f"{m.entry.zh} = {m.entry.en}" for m in near)
        typer.echo(f"aligner: no glossary entry for {term!r}"
                   + (f"; nearest: {hint}" if hint else ""), err=True)
        raise typer.Exit(1)


@sub.command("extract")
def extract(
    alignment: Path = typer.Argument(..., help="Alignment JSONL (aligner align --format jsonl)."),
    out: Path | None = typer.Option(None, "--output", "-o", help="Candidates TSV (default: "
                                    "stdout).", dir_okay=False),
    min_freq: int = typer.Option(2, "--min-freq", min=1, help="Beads a pair must share."),
    min_score: float = typer.Option(0.25, "--min-score", min=0.0, max=1.0,
                                    help="Lowest score kept."),
    max_words: int = typer.Option(6, "--max-words", min=1, help="Longest English term."),
    glossary: Path | None = _GLOSSARY_OPT,
    no_dictionary: bool = typer.Option(False, "--no-dictionary",
                                       help="Rank by association alone (skip CC-CEDICT)."),
) -> None:
    """Candidate term pairs from an aligned record, ranked, with frequency, score and beads."""
    from ..common.fileio import check_output
    from ..common.formats import read_alignment_jsonl
    from ..lexicon.glossary import default_glossary_path, load_glossary
    from ..terms.extract import extract_candidates, write_candidates

    inputs = (alignment, glossary or default_glossary_path())
    check_output(out, inputs)
    pairs = read_alignment_jsonl(alignment)
    g = load_glossary(glossary)
    candidates = extract_candidates(pairs, glossary=g, lexicon=None if no_dictionary else "auto",
                                    min_freq=min_freq, max_en_words=max_words,
                                    min_score=min_score)
    with output(out, inputs) as fh:
        n = write_candidates(fh, candidates)
    if out is not None:
        typer.echo(f"{n} candidate pairs written to {out}", err=True)


@sub.command("export")
def export(
    fmt: str = typer.Option(..., "--format", "-f", help="tbx, csv, tsv or omegat."),
    out: Path | None = typer.Option(None, "--output", "-o", help="Output file (default: stdout).",
                                    dir_okay=False),
    glossary: Path | None = _GLOSSARY_OPT,
    found_in: Path | None = typer.Option(None, "--found-in", help="Only the terms found in this "
                                         "record (txt/pdf/docx), most frequent first.",
                                         dir_okay=False),
    src_lang: str = typer.Option("zh-CN", "--src-lang", help="TBX language of the Chinese side."),
    tgt_lang: str = typer.Option("en-GB", "--tgt-lang", help="TBX language of the English side."),
) -> None:
    """Export the glossary (or the part of it found in a record)."""
    from ..common.fileio import GuardedStream, check_output
    from ..lexicon.glossary import default_glossary_path, load_glossary
    from ..terms.export import EXPORT_FORMATS
    from ..terms.export import export as write_export

    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        fail(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})", 2)
    inputs = (glossary or default_glossary_path(), found_in)
    check_output(out, inputs)
    g = load_glossary(glossary)
    entries = list(g.entries)
    counts = None
    note = None
    if found_in is not None:
        found = g.found_in_text(*_record_text(found_in))
        entries = [e for e, _ in found]
        counts = [c for _, c in found]
        note = f"Glossary terms found in {found_in.name}."
    stdout = GuardedStream(sys.stdout)
    n = write_export(out, entries, fmt, counts=counts, out=stdout, inputs=inputs,
                     **({"src_lang": src_lang, "tgt_lang": tgt_lang, "source_note": note}
                        if fmt == "tbx" else {}))
    stdout.flush()
    if out is not None:
        typer.echo(f"{n} entries written to {out}", err=True)


@sub.command("check")
def check(glossary: Path | None = _GLOSSARY_OPT) -> None:
    """Validate the glossary file and print how many entries it has."""
    from ..lexicon.glossary import load_glossary

    g = load_glossary(glossary)
    n_var = sum(len(e.variants_zh) + len(e.variants_en) for e in g.entries)
    typer.echo(f"{g.path}: {len(g)} entries, {n_var} variants")


def _record_text(path: Path) -> tuple[str, str]:
    """The running text of a record and its language, furniture removed."""
    from ..read.document import read_document

    doc = read_document(path)
    return "\n".join(p.text for p in doc.paragraphs), doc.lang


def register(app: typer.Typer) -> None:
    app.add_typer(sub, name="glossary")
