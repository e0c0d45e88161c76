"""The two-genre benchmark scripts on a machine without the benchmark data: they must say
``skipped: ...`` for each missing genre and exit 0, having aligned nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["genres.py", "cv.py", "long.py", "calibration.py",
                                    "joins.py", "tokenizer.py"])
def test_missing_benchmark_is_skipped(script, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script),
                           "--shared", str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stdout.splitlines() if x.strip()]
    assert lines and all(x.startswith("skipped: ") for x in lines)
    assert any("bible-dev" in x for x in lines) and any("mac-dev" in x for x in lines)


def test_scale_without_benchmark_is_skipped(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"),
                           "--shared", str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith("skipped: ") and "bible-dev" in proc.stdout


def test_scale_times_whole_processes_on_concatenated_documents(tmp_path):
    """A tiny genre folder made here: each size is a real `aligner align` process, the pair
    is cut at a gold bead boundary, and without a hunalign binary the table says so."""
    genre = tmp_path / "bible-dev"
    genre.mkdir()
    zh = ["我们今天开会。", "会议讨论裁军问题。", "主席宣布休会。"]
    en = ["We meet today.", "The meeting discusses disarmament.", "The President adjourns."]
    for name in ("001", "002"):
        (genre / f"{name}.zh").write_text("\n".join(zh) + "\n", encoding="utf-8")
        (genre / f"{name}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
        (genre / f"{name}.gold.align").write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n")
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no hunalign on it
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"),
                           "--shared", str(tmp_path), "--sizes", "2,5", "--no-small"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    rows = [x.split("|")[1:-1] for x in proc.stdout.splitlines()
            if x.startswith("| ") and x[2].isdigit()]
    assert [(int(r[0]), int(r[1])) for r in rows] == [(2, 2), (5, 5)]
    assert all("hunalign not found" in r[7] for r in rows)
    assert all(0.0 <= float(r[5]) <= 1.0 and float(r[2]) > 0 for r in rows)


def test_beads_without_benchmark_is_skipped(tmp_path):
    out = tmp_path / "beads.txt"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "beads.py"), str(out),
                           "--shared", str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stdout.splitlines() if x.strip()]
    assert lines and all(x.startswith("skipped: ") for x in lines) and not out.exists()
