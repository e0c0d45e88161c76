"""Small helpers shared by the command modules."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import typer

from ..common.fileio import GuardedStream, atomic_write


def fail(message: str, code: int = 2) -> None:
    """Print ``aligner: error: message`` on stderr and exit with ``code``."""
    typer.echo(f"aligner: error: {message}", err=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def output(path: Path | None, inputs: tuple = ()) -> Iterator[IO[str]]:
    """Standard output when ``path`` is None, else an atomically written file that must not
    be one of ``inputs``. A write error on either is an AlignerError naming it."""
    if path is None:
        stream = GuardedStream(sys.stdout)
        yield stream  # type: ignore[misc]
        stream.flush()
    else:
        with atomic_write(path, inputs=inputs) as fh:
            yield fh
