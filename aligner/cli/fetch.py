"""``aligner fetch``: records by symbol from the UN Official Document System."""

from __future__ import annotations

from pathlib import Path

import typer


def parse_langs(value: str) -> list[str]:
    """``zh,en`` -> ["zh", "en"]; an unknown language is a usage error."""
    from ..fetch.ods import LANG_CODES
    from .common import fail

    langs = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [v for v in langs if v not in LANG_CODES]
    if unknown or not langs:
        fail(f"--lang: unknown language {', '.join(unknown) or repr(value)} "
             f"(use {', '.join(LANG_CODES)}, comma-separated)")
    return list(dict.fromkeys(langs))


def report(results, say=typer.echo) -> list[str]:
    """Print a line for each file fetched or kept; return the errors, for the caller to print."""
    from ..common.errors import AlignerError

    errors = []
    for r in results:
        if isinstance(r, AlignerError):
            errors.append(str(r))
        elif r.size is None:
            say(f"{r.path}: already there, kept (--force to download it again)")
        else:
            say(f"{r.path}: {r.size:,} bytes from {r.url}")
    return errors


def register(app: typer.Typer) -> None:
    @app.command("fetch")
    def fetch(
        symbols: list[str] = typer.Argument(..., metavar="SYMBOL...",
                                            help="Document symbols, e.g. CD/PV.1261."),
        lang: str = typer.Option("zh,en", "--lang", metavar="LANGS",
                                 help="Languages, comma-separated: zh, en (ar, fr, ru, es)."),
        fmt: str = typer.Option("pdf", "--format", metavar="<pdf|doc>",
                                help="pdf, or doc for the Word version."),
        to: Path = typer.Option(Path("corpora"), "--to",
                                help="Folder to save the records in."),
        force: bool = typer.Option(False, "--force",
                                   help="Download again a record already in the folder."),
        ods_url: str | None = typer.Option(None, "--ods-url", metavar="URL",
                                           help="Symbol-access endpoint (default: "
                                                "$ALIGNER_ODS_URL, else "
                                                "https://documents.un.org/api/symbol/access)."),
        timeout: float = typer.Option(30.0, "--timeout", min=0.01,
                                      help="Seconds to wait for the connection and for data."),
        retries: int = typer.Option(3, "--retries", min=0,
                                    help="Tries again after a 429/5xx answer or a dropped "
                                         "connection."),
    ) -> None:
        """Download records by symbol from the UN Official Document System (ODS).

        Saves SYMBOL_LANG.pdf (or .doc/.docx), the names aligner run pairs.
        """
        from ..fetch.ods import FORMATS, fetch_all, normalise_symbol
        from .common import fail

        langs = parse_langs(lang)
        if fmt not in FORMATS:
            fail(f"--format: unknown format {fmt!r} (use pdf or doc)")
        from ..common.errors import AlignerError

        try:
            wanted = [(normalise_symbol(s), lg) for s in symbols for lg in langs]
        except AlignerError as e:
            fail(str(e))
        errors = report(fetch_all(wanted, to, fmt=fmt, force=force, base_url=ods_url,
                                  timeout=timeout, retries=retries))
        for error in errors:
            typer.echo(f"aligner: error: {error}", err=True)
        if errors:
            raise typer.Exit(2)
