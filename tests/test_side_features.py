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


def test_forked_english_features_equal_the_sequential_ones(monkeypatch):
    import threading

    if threading.active_count() > 1:
        pytest.skip("a thread left running by an earlier test: side_features will not fork")
    src, tgt = _pair(200)
    lex = _lexicon()
    monkeypatch.setattr(A, "PARALLEL_MIN", 10)
    parent = os.getpid()
    seen: list[int] = []
    real = A.en_features

    def en_features(sentences):
        out = real(sentences)
        # mark the features with the process that made them (the child's pid travels back)
        out.units.append([f"pid:{os.getpid()}"])
        seen.append(os.getpid())
        return out

    monkeypatch.setattr(A, "en_features", en_features)
    zf, ef = A.side_features(src, tgt, lex)
    made_by = int(ef.units.pop()[0].split(":")[1])
    assert made_by != parent and not seen  # computed in another process only
    want = real(tgt)
    assert ef.keys == want.keys and ef.units == want.units
    assert (ef.n_units == want.n_units).all() and (ef.anchor_bits == want.anchor_bits).all()
    assert zf.keys == A.zh_features(src, lex).keys


def test_a_child_that_dies_is_replaced_by_work_here(monkeypatch):
    src, tgt = _pair(50)
    lex = _lexicon()
    monkeypatch.setattr(A, "PARALLEL_MIN", 10)
    parent = os.getpid()
    real = A.en_features

    def en_features(sentences):
        if os.getpid() != parent:
            os._exit(3)  # as if killed by the out-of-memory killer
        return real(sentences)

    monkeypatch.setattr(A, "en_features", en_features)
    _, ef = A.side_features(src, tgt, lex)
    assert ef.keys == real(tgt).keys


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
