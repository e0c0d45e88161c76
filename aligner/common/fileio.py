"""Output that is never half-written: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import AlignerError


def _read_umask() -> int:
    # os.umask can only be read by setting it: do it once, at import, not in worker threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file in ``path``'s folder; on success rename it over ``path``.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    # mkstemp makes the file private (0600); an output file gets the usual umask permissions.
    os.chmod(tmp, 0o666 & ~_UMASK)
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding,
                       newline=None if binary else "") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


def existing_file(path: str | Path) -> Path:
    """``path`` if it names a file to read, else the AlignerError that says why not."""
    path = Path(path)
    if not path.exists():
        raise AlignerError(path, "no such file")
    if not path.is_file():
        raise AlignerError(path, "is a directory, not a file")
    return path


def read_utf8(path: str | Path, hint: str = "") -> str:
    """A UTF-8 text file (a BOM is dropped); anything else is an AlignerError."""
    path = existing_file(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise AlignerError(path, f"not UTF-8 text{hint}") from None


def file_version(path: str | Path) -> tuple[str, int, int]:
    """(resolved path, modification time in ns, size): the key of a per-process cache of
    something read from the file, which goes stale when the file changes. OSError if the file
    is not there."""
    p = Path(path)
    st = p.stat()
    return (str(p.resolve()), st.st_mtime_ns, st.st_size)
