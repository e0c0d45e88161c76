"""``aligner score``: how good is an alignment, and which pairs need a reviewer's eye."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    app.command("score")(score)


def score(
    alignment: Path = typer.Argument(..., help="Alignment JSONL (from aligner align/run)."),
    gold: Path | None = typer.Option(None, "--gold", help="Gold bead file for the same texts "
                                     "(one bead a line, e.g. \\[0,1]:\\[0]): adds "
                                     "strict/lax P, R, F1."),
    hyp: Path | None = typer.Option(None, "--hyp", help="A translation of the Chinese side, one "
                                    "line per Chinese sentence: adds BLEU, chrF, TER."),
    report: Path | None = typer.Option(None, "--report", help="Also write an HTML report here."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    glossary: Path | None = typer.Option(None, "--glossary", help="Glossary TSV for the glossary "
                                         "and speaker checks (default: corpora/glossary.tsv)."),
    note: str | None = typer.Option(None, "--note", help="A note shown prominently in the report."),
) -> None:
    """Summarise an alignment: bead types, coverage, confidence, flagged beads and why."""
    # Imported here so that `aligner --help` does not pay for them.
    from ..common.fileio import check_output
    from ..common.formats import read_alignment_jsonl
    from ..quality.flags import (
        evaluate_against_gold,
        flag_pairs,
        read_hypothesis,
        sentence_counts,
        summarise,
        translation_scores,
    )

    check_output(report, (alignment, gold, hyp, glossary))
    pairs = read_alignment_jsonl(alignment)
    gloss = _glossary(glossary)
    flags = flag_pairs(pairs, gloss)
    summary = summarise(pairs, flags)
    if gold is not None:
        summary["evaluation"] = evaluate_against_gold(pairs, gold)
    if hyp is not None:
        lines = read_hypothesis(hyp, sentence_counts(pairs)[0])
        summary["mt"] = translation_scores(pairs, lines)
    if report is not None:
        from ..quality.report import write_report

        write_report(report, pairs, flags, summary, title=alignment.name, note=note)
    if as_json:
        typer.echo(json.dumps({"alignment": str(alignment), **summary}, ensure_ascii=False))
    else:
        typer.echo(format_summary(str(alignment), summary))
        if report is not None:
            typer.echo(f"{'report':<{_W}}{report}")


def _glossary(path: Path | None):
    """The glossary to check against: the given file, else the default one if present."""
    from ..common.errors import AlignerError

    try:
        from ..lexicon.glossary import default_glossary_path, load_glossary
    except ImportError:  # glossary module not there: those checks are skipped
        if path is not None:
            raise
        return None
    if path is not None:
        return load_glossary(path)
    if not default_glossary_path().is_file():
        return None
    try:
        return load_glossary()
    except AlignerError:  # a broken curated file should not stop scoring; --glossary would
        return None


_W = 14  # label column width of the text summary


def format_summary(name: str, s: dict) -> str:
    """The summary as aligned label/value lines."""
    def line(label: str, value: str) -> str:
        return f"{label:<{_W}}{value}"

    pct = "{:.1%}".format
    beads = s["beads"]
    out = [line("alignment", name),
           line("beads", str(beads)),
           line("sentences", f"zh {s['sentences']['zh']:<8}en {s['sentences']['en']}"),
           line("coverage", f"zh {pct(s['coverage']['zh']):<8}en {pct(s['coverage']['en'])}"),
           line("mean score", f"{s['mean_score']:.3f}  ({s['low_confidence']} beads below 0.5)"),
           line("bead types", "  ".join(f"{k} {v}" for k, v in s["bead_types"].items())),
           line("flagged", f"{s['flagged']} beads ({pct(s['flagged'] / beads if beads else 0)})")]
    width = max((len(c) for c in s["flags"]), default=0)
    out += [line("", f"{code:<{width}}  {n:>6}") for code, n in s["flags"].items()]
    if "evaluation" in s:
        e = s["evaluation"]
        out.append(line("gold", f"{'':<7}{'P':>8}{'R':>8}{'F1':>8}"))
        for mode in ("strict", "lax"):
            out.append(line("", f"{mode:<7}" + "".join(
                f"{e[f'{mode}_{m}']:>8.4f}" for m in ("p", "r", "f1"))))
    if "mt" in s:
        mt = s["mt"]
        out.append(line("hypothesis", f"{mt['segments']} beads with both sides"))
        for name_, m in mt["metrics"].items():
            out.append(line("", f"{name_:<5}{m['score']:>7.2f}  {m['signature']}"))
    return "\n".join(out)
