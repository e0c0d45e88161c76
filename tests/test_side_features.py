"""Both sides' features on a long pair: the English side computed in a forked process must be
exactly what this process would compute, and a child that dies must cost nothing but time."""

from __future__ import annotations

import os

import pytest

from aligner.align import features as A
from aligner.align.passes import _lexicon

pytestmark = pytest.mark.skipif("fork" not in __import__("multiprocessing")
                                .get_all_start_methods(), reason="no fork on this platform")

ZH = ["会议讨论了消极安全保证问题。", "主席宣布第1261次全体会议开幕。", "我们欢迎澳大利亚代表团。"]
EN = ["The meeting discussed negative security assurances.",
      "The President declared open the 1261st plenary meeting.",
      "We welcome the delegation of Australia."]


def _pair(k: int) -> tuple[list[str], list[str]]:
    # numbered so that the sentences differ (no two share all their keys)
    return ([f"{s}第{i}段。" for i in range(k) for s in ZH],
            [f"{s} Paragraph {i}." for i in range(k) for s in EN])


# run in a fresh interpreter: a thread left behind by another test (a server, a progress bar)
# would rightly keep side_features from forking
_DRIVER = """
import os, sys
from aligner.align import features as A
from aligner.align.passes import _lexicon
sys.path.insert(0, sys.argv[1])
from test_side_features import _pair

src, tgt = _pair(200)
lex = _lexicon()
A.PARALLEL_MIN = 10
real = A.en_features
seen = []

def en_features(sentences):
    out = real(sentences)
    out.units.append([f"pid:{os.getpid()}"])  # which process made them travels back
    seen.append(os.getpid())
    return out

A.en_features = en_features
zf, ef = A.side_features(src, tgt, lex)
made_by = int(ef.units.pop()[0].split(":")[1])
want = real(tgt)
same = (ef.keys == want.keys and ef.units == want.units
        and (ef.n_units == want.n_units).all() and (ef.anchor_bits == want.anchor_bits).all()
        and zf.keys == A.zh_features(src, lex).keys)
print(made_by != os.getpid(), not seen, same)
"""


def test_forked_english_features_equal_the_sequential_ones():
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.run([sys.executable, "-c", _DRIVER, str(Path(__file__).parent)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # made in another process, not here, and exactly what this process would make
    assert proc.stdout.split() == ["True", "True", "True"]


_DYING = """
import os, sys
from aligner.align import features as A
from aligner.align.passes import _lexicon
sys.path.insert(0, sys.argv[1])
from test_side_features import _pair

src, tgt = _pair(50)
A.PARALLEL_MIN = 10
parent = os.getpid()
real = A.en_features
calls = []

def en_features(sentences):
    calls.append(os.getpid())
    if os.getpid() != parent:
        open(sys.argv[2], "w").close()  # the child did start
        os._exit(3)  # as if killed by the out-of-memory killer
    return real(sentences)

A.en_features = en_features
_, ef = A.side_features(src, tgt, _lexicon())
# the child started and never reported back; its work was done here instead
print(os.path.exists(sys.argv[2]), calls == [parent], ef.keys == real(tgt).keys)
"""


def test_a_child_that_dies_is_replaced_by_work_here(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.run([sys.executable, "-c", _DYING, str(Path(__file__).parent),
                           str(tmp_path / "started")], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True", "True"]


def test_short_pairs_and_threaded_callers_stay_in_process(monkeypatch):
    import threading

    src, tgt = _pair(5)
    lex = _lexicon()
    calls: list[int] = []
    real = A.en_features
    monkeypatch.setattr(A, "en_features", lambda s: (calls.append(os.getpid()), real(s))[1])
    A.side_features(src, tgt, lex)  # below PARALLEL_MIN
    monkeypatch.setattr(A, "PARALLEL_MIN", 10)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        A.side_features(src, tgt, lex)  # another thread is running: no fork
    finally:
        stop.set()
        worker.join()
    assert calls == [os.getpid(), os.getpid()]
