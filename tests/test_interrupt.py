"""A batch stopped by SIGKILL, SIGTERM or Ctrl-C leaves no worker behind and nothing broken
(issue 16, item 5). Real processes, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="needs /proc to find a process's children")

DEMO = ROOT / "corpora" / "demo"


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie (a container's init may never reap orphans)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Two record pairs long enough that a worker is still busy when the signal comes."""
    folder = tmp_path_factory.mktemp("corpora")
    for lang in ("zh", "en"):
        text = (DEMO / f"CD_PV.1261_{lang}.txt").read_text(encoding="utf-8")
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
        for stem in ("CD_PV.1", "CD_PV.2"):
            (folder / f"{stem}_{lang}.txt").write_text("\n\n".join([body] * 40),
                                                       encoding="utf-8")
    return folder


def _start_batch(corpus: Path, out: Path) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "run", "--corpora", str(corpus),
                             "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        assert proc.poll() is None, proc.communicate()
        workers = _children(proc.pid)
        time.sleep(0.2)
    assert len(workers) >= 2, "the batch never started its two workers"
    time.sleep(1.5)  # the workers are now inside a record
    assert proc.poll() is None, "the batch finished before it could be interrupted"
    return proc, workers


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if _alive(p)]
        if not alive:
            return []
        time.sleep(0.2)
    return alive


def _cleanup(proc: subprocess.Popen, workers: list[int]) -> None:
    for pid in [proc.pid, *workers]:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_workers_die_when_the_parent_is_killed(corpus, tmp_path):
    proc, workers = _start_batch(corpus, tmp_path / "out")
    try:
        os.kill(proc.pid, signal.SIGKILL)
        assert _gone_within(workers, 10) == [], "workers outlived their killed parent"
        # Nobody holds the parent's stdout/stderr any more: a wrapper reading them is not hung.
        proc.communicate(timeout=10)
    finally:
        _cleanup(proc, workers)


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl-C"])
def test_sigterm_and_ctrl_c_stop_everything_with_one_line(corpus, tmp_path, how):
    out = tmp_path / "out"
    proc, workers = _start_batch(corpus, out)
    try:
        if how == "SIGTERM":
            os.kill(proc.pid, signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)  # a terminal sends Ctrl-C to the whole group
        _, stderr = proc.communicate(timeout=30)
        assert proc.returncode == (143 if how == "SIGTERM" else 130), stderr
        assert "Traceback" not in stderr, stderr
        assert stderr.strip().splitlines()[-1] == "aligner: interrupted", stderr
        assert _gone_within(workers, 10) == []
        assert not list(out.rglob("*.part"))
    finally:
        _cleanup(proc, workers)
