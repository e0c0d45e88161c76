"""Errors a user can act on. The CLI turns them into one line and exit code 2."""

from __future__ import annotations

from pathlib import Path


class AlignerError(Exception):
    """Bad input or an impossible request, reported as ``aligner: error: FILE: reason``."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)
