"""Worker processes that never outlive the command that started them, and interruption.

A batch's workers each hold hundreds of MB and the parent's stdout/stderr: a parent killed
with SIGKILL cannot clean up, so each worker arranges its own death (the kernel's
parent-death signal on Linux, and a thread watching the parent everywhere), and a parent
stopped by SIGTERM or Ctrl-C kills its workers before it exits.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

from .fileio import remove_in_flight

_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM: both stop a command the same way, unwinding so outputs clean up."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# The signal that stopped this process, if one did: typer turns KeyboardInterrupt into a plain
# exit code on its way out, so the CLI learns what happened here.
received: list[int] = []


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    received.append(signum)
    raise Interrupted(signum)


def interrupt_on_signals() -> None:
    """Make SIGINT and SIGTERM raise Interrupted in the main thread."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _raise_interrupted)


def _parent_death_signal(signum: int) -> bool:
    """Ask the Linux kernel to send ``signum`` to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    # The fallback where prctl is missing (and a guard for the race before it took effect):
    # an orphan is re-parented, so its parent id changes.
    stop = threading.Event()
    while not stop.wait(_WATCH_SECONDS):
        if os.getppid() != parent:
            remove_in_flight()
            os._exit(1)


def _exit_now(signum: int, frame: FrameType | None) -> None:
    remove_in_flight()
    os._exit(128 + signum)


def worker_start(parent: int) -> None:
    """Initializer of a worker process: die with ``parent``, leave Ctrl-C to the parent.

    The terminal sends Ctrl-C to the whole process group; the parent alone reacts (by stopping
    its workers with SIGTERM), so workers print no traceback of their own. A worker stopped so
    exits at once, removing the temporary file it may be writing.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_now)
    _parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent",
                     daemon=True).start()


def stop_children(timeout: float = 2.0) -> None:
    """Terminate this process's worker processes, then kill those that do not go."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join(timeout)
