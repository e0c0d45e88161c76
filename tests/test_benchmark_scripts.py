"""The two-genre benchmark scripts on a machine without the benchmark data: they must say
``skipped: ...`` for each missing genre and exit 0, having aligned nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["genres.py", "cv.py", "long.py", "calibration.py"])
def test_missing_benchmark_is_skipped(script, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script),
                           "--shared", str(tmp_path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stdout.splitlines() if x.strip()]
    assert lines and all(x.startswith("skipped: ") for x in lines)
    assert any("bible-dev" in x for x in lines) and any("mac-dev" in x for x in lines)
