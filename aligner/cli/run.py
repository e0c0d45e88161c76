"""``aligner run``: every record pair in a folder to TMX, JSONL, report and term candidates."""

from __future__ import annotations

import sys
from pathlib import Path

import typer


def _say(message: str = "") -> None:
    typer.echo(message, err=True)


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        corpora: Path = typer.Option(Path("corpora"), "--corpora",
                                     help="Folder of records named SYMBOL_zh.* and SYMBOL_en.*"),
        out: Path = typer.Option(Path("build"), "--out", help="Folder for the outputs."),
        jobs: int = typer.Option(0, "--jobs", "-j",
                                 help="Worker processes (0: one per core)."),
        dask: str | None = typer.Option(None, "--dask", metavar="ADDRESS",
                                        help="Send the jobs to this Dask scheduler "
                                             "(e.g. tcp://scheduler:8786)."),
        glossary: Path | None = typer.Option(None, "--glossary",
                                             help="Glossary TSV (default: the curated one)."),
        force: bool = typer.Option(False, "--force", help="Redo records that are up to date."),
        fetch: bool = typer.Option(False, "--fetch",
                                   help="First download from ODS the missing partner of every "
                                        "record (see aligner fetch)."),
    ) -> None:
        """Align every record pair in CORPORA; write TMX, JSONL, HTML report, terms, glossary."""
        from ..lexicon.glossary import default_glossary_path
        from ..pipeline import (
            DEMO_NOTE,
            ODS_HELP,
            default_jobs,
            export_glossary,
            find_records,
            prepare_out_dir,
            process_chinese_only,
            record_stem,
            run_pairs,
            symbol_from_stem,
        )
        from .common import fail

        glossary_path = glossary or default_glossary_path()
        if glossary and not glossary.exists():
            fail(f"{glossary}: no such file")
        inventory = find_records(corpora)
        failures: list[str] = []
        if fetch and (inventory.zh_only or inventory.en_only):
            failures += _fetch_partners(inventory, corpora)
            inventory = find_records(corpora)
        for line in inventory.duplicates:
            _say(f"aligner: warning: {line}")
        if not (inventory.pairs or inventory.zh_only or inventory.en_only):
            fail(f"{corpora}: no records found (expected files like CD_PV.1261_zh.pdf "
                 "and CD_PV.1261_en.pdf)", code=1)
        for en in inventory.en_only:
            failures.append(f"{en}: no Chinese partner (expected {record_stem(en)}_zh.txt, "
                            ".pdf or .docx; to download it: "
                            f"{_fetch_hint(symbol_from_stem(record_stem(en)), 'zh', corpora)})")
        demo_dirs = [corpora / "demo", Path(__file__).resolve().parents[2] / "corpora" / "demo"]
        prepare_out_dir(out, [corpora, *demo_dirs])

        # A folder holding only Chinese records is a fresh clone, or a user who has not fetched
        # the English yet: explain, process what is there and show the demonstration pair.
        # With pairs present, a record missing its partner is a failure like any other.
        fresh_clone = not inventory.pairs and not inventory.en_only
        for zh in inventory.zh_only:
            stem = record_stem(zh)
            symbol = symbol_from_stem(stem)
            if not fresh_clone:
                failures.append(f"{zh}: no English partner (expected {stem}_en.txt, .pdf or "
                                f".docx; to download it: {_fetch_hint(symbol, 'en', corpora)})")
            try:
                written = process_chinese_only(zh, out, glossary_path)
            except Exception as e:  # report and go on with the others
                failures.append(str(e))
                continue
            if fresh_clone:
                _say(f"The English record for {symbol} is not in {corpora}/.")
                _say("  To align the real record, " + ODS_HELP.format(
                    symbol=symbol, folder=corpora, stem=stem) + ",")
                _say("  then run this command again. To have aligner download it: "
                     + _fetch_hint(symbol, "en", corpora))
                _say(f"  Meanwhile the Chinese record was read and segmented: "
                     f"{', '.join(written)}")

        jobs = jobs if jobs > 0 else default_jobs()
        pairs = inventory.pairs
        note = None
        target = out
        if fresh_clone:
            demo = corpora / "demo"
            if not demo.is_dir():
                demo = Path(__file__).resolve().parents[2] / "corpora" / "demo"
            pairs = find_records(demo).pairs if demo.is_dir() else []
            note, target = DEMO_NOTE, out / "demo"
            if pairs:
                _say(f"  Meanwhile the whole pipeline runs on the demonstration pair in {demo}/ "
                     f"-> {target}/")
                _say(f"  Its English is a {DEMO_NOTE[0].lower() + DEMO_NOTE[1:]}")
            _say()

        results = _run_with_progress(pairs, target, glossary_path, jobs, dask, note, force,
                                     run_pairs)
        failures += [r.error for r in results if not r.ok]
        if glossary_path.exists():
            try:
                glossary_outputs = export_glossary(glossary_path, out)
            except Exception as e:
                failures.append(str(e))
                glossary_outputs = []
        else:
            glossary_outputs = []

        _print_table(results, glossary_outputs)
        for failure in failures:
            typer.echo(f"aligner: error: {failure}", err=True)
        if failures:
            raise typer.Exit(1)


def _fetch_hint(symbol: str, lang: str, corpora: Path) -> str:
    from ..fetch.ods import fetch_command

    return fetch_command(symbol, lang, corpora)


def _fetch_partners(inventory, corpora: Path) -> list[str]:
    """Download the other language of every record that lacks it; the errors, one a line."""
    from ..fetch.ods import fetch_all
    from ..pipeline import record_stem, symbol_from_stem
    from .fetch import report

    wanted = [(symbol_from_stem(record_stem(p)), lang)
              for paths, lang in ((inventory.zh_only, "en"), (inventory.en_only, "zh"))
              for p in paths]
    return report(fetch_all(wanted, corpora), say=_say)


def _run_with_progress(pairs, out, glossary_path, jobs, dask, note, force, run_pairs):
    from tqdm import tqdm

    with tqdm(total=len(pairs), desc="records", unit="record", file=sys.stderr,
              disable=None if len(pairs) > 1 else True) as bar:
        def progress(result) -> None:
            bar.set_postfix_str(result.stem)
            bar.update(1)

        return run_pairs(pairs, out, glossary_path, jobs=jobs, dask_address=dask, note=note,
                         force=force, progress=progress)


def _print_table(results, glossary_outputs: list[str]) -> None:
    if results:
        header = f"{'document':<16} {'zh':>5} {'en':>5}  {'beads by type':<30} {'conf':>5} " \
                 f"{'flagged':>7}  status"
        typer.echo(header)
        typer.echo("-" * len(header))
        for r in results:
            if not r.ok:
                typer.echo(f"{r.symbol:<16} {'':>5} {'':>5}  {'':<30} {'':>5} {'':>7}  FAILED")
                continue
            types = " ".join(f"{k}:{v}" for k, v in list(r.bead_types.items())[:5])
            status = "up to date" if r.skipped else "done"
            if r.note:
                status += " (demo)"
            typer.echo(f"{r.symbol:<16} {r.zh_sentences:>5} {r.en_sentences:>5}  {types:<30} "
                       f"{r.mean_score:>5.2f} {r.flagged:>7}  {status}")
        typer.echo("")
        for r in results:
            if r.ok:
                typer.echo(f"{r.symbol}: {', '.join(r.outputs)}")
    if glossary_outputs:
        typer.echo(f"glossary: {', '.join(glossary_outputs)}")
