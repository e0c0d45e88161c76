"""Output that is never half-written: write to a temporary file beside the target, then rename."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import AlignerError


def _read_umask() -> int:
    # os.umask can only be read by setting it: do it once, at import, not in worker threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


_OS_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a folder in the path is a file",
    errno.EISDIR: "is a folder, not a file",
    errno.ELOOP: "symbolic link loop",
    errno.ENOENT: "no such folder",
    errno.EEXIST: "a folder in the path is a file",
    errno.EIO: "input/output error",
    errno.EBADF: "not open (a closed descriptor)",
}


def os_reason(e: OSError, verb: str = "cannot write") -> str:
    """The reason of an OSError as a user reads it: ``cannot write: no space left on device``."""
    what = _OS_REASONS.get(e.errno or 0) or (e.strerror or type(e).__name__).lower()
    return f"{verb}: {what}"


def refuse_input(path: str | Path, inputs: Iterable[str | Path | None]) -> None:
    """AlignerError if ``path`` is the same file as one of ``inputs`` (through symbolic and
    hard links): writing it would destroy what the command reads."""
    try:
        out = os.stat(path)
    except OSError:
        return  # nothing there yet (or unreachable, which the write itself reports)
    for inp in inputs:
        if inp is None:
            continue
        try:
            same = os.path.samefile(path, inp)
        except OSError:
            continue
        if same and stat.S_ISREG(out.st_mode):
            raise AlignerError(path, f"is an input of this command ({inp}); refusing to "
                                     "overwrite it")


def check_output(path: str | Path | None, inputs: Iterable[str | Path | None] = ()) -> None:
    """Refuse, before any work is done, an output path that cannot be written or that would
    overwrite an input. None (standard output) is always fine."""
    if path is None:
        return
    refuse_input(path, inputs)
    try:
        st = os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise AlignerError(path, os_reason(e)) from None
        return
    if stat.S_ISDIR(st.st_mode):
        raise AlignerError(path, "cannot write: is a folder, not a file")


class _OutputFile(io.FileIO):
    """A file whose write errors (a full disk, a vanished device) name the output path."""

    shown = ""

    def write(self, b) -> int | None:  # type: ignore[override]
        try:
            return super().write(b)
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the CLI stops quietly
        except OSError as e:
            raise AlignerError(self.shown, os_reason(e)) from None


def _open_output(fd: int, shown: Path, mode: str, encoding: str | None) -> IO:
    raw = _OutputFile(fd, "wb", closefd=True)
    raw.shown = str(shown)
    buffered = io.BufferedWriter(raw)
    if "b" in mode:
        return buffered
    return io.TextIOWrapper(buffered, encoding=encoding or "utf-8", newline="")


def _temp_prefix(name: str) -> str:
    # The target's own name may be close to the length limit: the temporary name must not be
    # the one that fails. The pid lets a later run tell a dead writer's leftovers from a live one.
    return f".{name[:80]}.{os.getpid()}."


_INHERITED = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/\d+)|proc/self/fd/\d+)$")


def _inherited_fd(path: str) -> int | None:
    """The descriptor that ``/dev/stdout``, ``/dev/fd/3`` or ``/proc/self/fd/3`` names."""
    if not _INHERITED.match(path):
        return None
    name = path.rsplit("/", 1)[1]
    return {"stdout": 1, "stderr": 2}.get(name) or int(name)


TEMP_SUFFIX = ".part"
# Temporary files being written now, for a process told to die at once (a worker stopped with
# SIGTERM): it removes them on the way out instead of leaving them to the next run.
_IN_FLIGHT: set[str] = set()


def remove_in_flight() -> None:
    for tmp in list(_IN_FLIGHT):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
_TEMP_NAME = re.compile(r"^\..*\.(\d+)\.[^.]+\.part$")


def remove_stale_temporaries(folder: str | Path, started: float | None = None) -> list[Path]:
    """Remove temporary files that a killed writer left in ``folder``: ours by name, older than
    this process (``started``, default now) and from a process that no longer runs."""
    started = time.time() if started is None else started
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if not m or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(m.group(1))
        try:
            if entry.stat(follow_symlinks=False).st_mtime >= started:
                continue
            if pid != os.getpid() and _alive(pid):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8", *,
                 inputs: Iterable[str | Path | None] = ()) -> Iterator[IO]:
    """Open ``path`` for writing so that it is never left half-written.

    A regular file (or a new one) is written to a temporary file beside it, renamed over it on
    success and removed on any exception; a symbolic link is written through to its target; a
    character device or FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written straight into,
    as there is nothing to rename. An output that is one of ``inputs`` is refused, and every
    OSError becomes an AlignerError naming ``path``.
    """
    shown = Path(path)
    refuse_input(shown, inputs)
    try:
        st: os.stat_result | None = os.stat(shown)  # through links
    except FileNotFoundError:
        st = None  # a new file, or a dangling link whose target is created
    except OSError as e:
        raise AlignerError(shown, os_reason(e)) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise AlignerError(shown, "cannot write: is a folder, not a file")
    target = Path(os.path.realpath(shown))
    inherited = _inherited_fd(str(shown))
    if inherited is not None or (st is not None and not stat.S_ISREG(st.st_mode)):
        # A device, FIFO or socket: renaming a file over it would replace the node, not write
        # to it. /dev/stdout and the like name a descriptor this process already has, perhaps
        # a file opened for appending (`>> log`): that descriptor is written, as it stands.
        try:
            if inherited is not None:
                fd = os.dup(inherited)
            else:
                fd = os.open(shown, os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC)
        except OSError as e:
            raise AlignerError(shown, os_reason(e)) from None
        with _open_output(fd, shown, mode, encoding) as fh:
            yield fh
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=TEMP_SUFFIX,
                                   dir=target.parent)
    except OSError as e:
        raise AlignerError(shown, os_reason(e)) from None
    _IN_FLIGHT.add(tmp)
    try:
        try:
            # mkstemp makes the file private (0600); an output keeps the permissions of the
            # file it replaces, else gets the usual umask ones.
            os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_UMASK)
        except OSError as e:
            raise AlignerError(shown, os_reason(e)) from None
        with _open_output(fd, shown, mode, encoding) as fh:
            yield fh
            fh.flush()
            try:
                # Renamed without its data on disk, a crash could leave an empty file.
                os.fsync(fh.fileno())
            except OSError as e:
                raise AlignerError(shown, os_reason(e)) from None
        try:
            os.replace(tmp, target)
        except OSError as e:
            raise AlignerError(shown, os_reason(e)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        _IN_FLIGHT.discard(tmp)


class GuardedStream:
    """A text stream (standard output) whose write errors become one AlignerError line; a
    closed pipe (``| head``) stays a BrokenPipeError, which the CLI ends quietly."""

    def __init__(self, stream: IO[str], shown: str = "standard output") -> None:
        self._stream = stream
        self._shown = shown

    def _guard(self, call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise AlignerError(self._shown, os_reason(e)) from None

    def write(self, s: str) -> int:
        if self._stream is None:  # started with that descriptor closed (`>&-`)
            raise AlignerError(self._shown, "cannot write: " + _OS_REASONS[errno.EBADF])
        return self._guard(self._stream.write, s)

    def flush(self) -> None:
        if self._stream is not None:
            self._guard(self._stream.flush)

    @property
    def buffer(self) -> GuardedStream:
        return GuardedStream(self._stream.buffer, self._shown)  # type: ignore[attr-defined]

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def atomic_write_text(path: str | Path, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


def existing_file(path: str | Path) -> Path:
    """``path`` if it names a file to read, else the AlignerError that says why not."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        broken = os.path.islink(path)
        raise AlignerError(path, "broken symbolic link (its target does not exist)" if broken
                           else "no such file") from None
    except OSError as e:
        raise AlignerError(path, os_reason(e, "cannot read")) from None
    if stat.S_ISDIR(st.st_mode):
        raise AlignerError(path, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO/pipe" if stat.S_ISFIFO(st.st_mode) else \
            "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a socket"
        raise AlignerError(path, f"not a regular file ({kind})")
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
