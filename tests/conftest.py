import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_ZH = ROOT / "corpora" / "CD_PV.1261_zh.txt"


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run ``aligner`` as a user would, through the console entry point's error handling."""
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli
