"""The ``aligner`` command: parses arguments and calls the library, nothing more.

Each command group lives in its own module with a ``register(app)`` function. Heavy
libraries (jieba, nltk, lxml, pdfplumber) are imported inside the commands, so that
``aligner --help`` and a glossary lookup start fast.
"""

from __future__ import annotations

import os
import signal
import sys

import typer

from .. import __version__
from ..common import processes
from ..common.errors import AlignerError
from ..common.fileio import GuardedStream, os_reason
from . import align, fetch, glossary, review, run, score, segment, tmx

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


for _module in (fetch, segment, align, tmx, glossary, score, run, review):
    _module.register(app)


def main() -> None:
    """Console entry point: every error a user can act on is one line and exit code 2.

    Bad input raises AlignerError (``aligner: error: FILE: reason``); a mistyped command or
    option is a usage error, reported the same way with a pointer to ``--help``.
    """
    # Typer raises click's exceptions (its own vendored copy in recent releases): find them
    # through a class it exports rather than importing click.
    click = sys.modules[typer.BadParameter.__module__]
    no_args = getattr(click, "NoArgsIsHelpError", ())
    processes.interrupt_on_signals()
    try:
        code = app(standalone_mode=False)
        GuardedStream(sys.stdout).flush()  # a full disk behind `> file` shows here, not at exit
    except no_args as e:
        typer.echo(e.ctx.get_help() if e.ctx else str(e), err=True)
        code = 2
    except click.UsageError as e:
        where = f" (see '{e.ctx.command_path} --help')" if e.ctx else ""
        message = " ".join(e.format_message().split())
        print(f"aligner: error: {message}{where}", file=sys.stderr)
        code = 2
    except click.ClickException as e:  # e.g. a file option click itself could not open
        print(f"aligner: error: {' '.join(e.format_message().split())}", file=sys.stderr)
        code = e.exit_code
    except AlignerError as e:
        print(f"aligner: error: {e}", file=sys.stderr)
        code = 2
    except (typer.Abort, KeyboardInterrupt):
        processes.received.append(signal.SIGINT)
        code = 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep the interpreter from
        # complaining when it flushes standard output on the way out.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 128 + signal.SIGPIPE
    except OSError as e:  # a last net: an OS error is still one line, never a traceback
        where = f"{e.filename}: " if e.filename else ""
        print(f"aligner: error: {where}{os_reason(e, 'failed')}", file=sys.stderr)
        code = 2
    # Ctrl-C or SIGTERM, which typer reports as exit code 130; a command that handles the
    # interrupt itself (a server stopping) ends as it chooses.
    if processes.received and code == 130:
        print("aligner: interrupted", file=sys.stderr)
        code = 128 + processes.received[0]
    sys.exit(code if isinstance(code, int) else 0)
