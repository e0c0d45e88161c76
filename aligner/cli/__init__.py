"""The ``aligner`` command: parses arguments and calls the library, nothing more.

Each command group lives in its own module with a ``register(app)`` function. Heavy
libraries (jieba, nltk, lxml, pdfplumber) are imported inside the commands, so that
``aligner --help`` and a glossary lookup start fast.
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from ..errors import AlignerError
from . import align, glossary, run, score, segment, tmx

app = typer.Typer(
    name="aligner",
    help="Align Chinese-English UN records, build translation memories (TMX) and glossaries.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Align Chinese-English UN records, build translation memories (TMX) and glossaries."""


for _module in (segment, align, tmx, glossary, score, run):
    _module.register(app)


def main() -> None:
    """Console entry point: every AlignerError becomes one line on stderr and exit code 2."""
    try:
        app()
    except AlignerError as e:
        print(f"aligner: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("aligner: interrupted", file=sys.stderr)
        sys.exit(130)
