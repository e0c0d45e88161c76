"""Term extraction from aligned sentence pairs (library and ``aligner glossary extract``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.common.formats import AlignedPair
from aligner.lexicon.glossary import load_glossary
from aligner.terms.extract import (
    CANDIDATE_COLUMNS,
    dice,
    en_candidates,
    extract_candidates,
    extract_terms,
    log_likelihood,
    plausible_lengths,
    write_candidates,
    zh_candidates,
)

# A small parallel corpus written for these tests: each term recurs in a few pairs.
CORPUS = [
    ("消极安全保证是裁谈会的核心问题之一。",
     "Negative security assurances are one of the core issues of the Conference."),
    ("许多国家要求提供消极安全保证。", "Many States call for negative security assurances."),
    ("我们支持关于消极安全保证的谈判。", "We support negotiations on negative security assurances."),
    ("外层空间的和平利用符合所有国家的利益。",
     "The peaceful use of outer space is in the interest of all countries."),
    ("外层空间不应成为冲突的场所。", "Outer space should not become an arena of conflict."),
    ("各国在外层空间的活动应当透明。", "Activities of States in outer space should be transparent."),
    ("澳大利亚代表团发言支持这一提议。", "The delegation of Australia spoke in support of the proposal."),
    ("澳大利亚欢迎这份工作文件。", "Australia welcomes this working paper."),
    ("这份工作文件载有具体建议。", "This working paper contains concrete proposals."),
    ("我们研究了埃及提交的工作文件。", "We studied the working paper submitted by Egypt."),
    ("核查机制必须有效。", "The verification mechanism must be effective."),
    ("没有核查就没有信任。", "Without verification there is no trust."),
    ("主席感谢各代表团。", "The President thanked all delegations."),
]


def pairs() -> list[AlignedPair]:
    return [AlignedPair((i,), (i,), zh, en, 0.9, {}) for i, (zh, en) in enumerate(CORPUS)]


@pytest.fixture(scope="module")
def gl():
    return load_glossary()


@pytest.fixture(scope="module")
def with_dictionary(gl):
    from aligner.lexicon.dictionary import load_lexicon

    return extract_terms(pairs(), glossary=gl, lexicon=load_lexicon(), progress=False)


def as_dict(cands):
    return {c.zh: c for c in cands}


# --- Pieces --------------------------------------------------------------------------------

def test_dice_and_log_likelihood():
    assert dice(3, 3, 3) == 1.0 and dice(1, 3, 5) == 0.25
    # independent: both in 25 of 100 beads, together in 6.25 -> about zero
    assert log_likelihood(25, 50, 50, 100) == pytest.approx(0.0, abs=1e-9)
    assert log_likelihood(10, 10, 10, 100) > log_likelihood(5, 10, 10, 100) > 0


def test_plausible_lengths():
    assert plausible_lengths("外层空间", "outer space")
    assert plausible_lengths("联合国裁军研究所", "UNIDIR")  # an acronym counts its letters
    assert not plausible_lengths("核查", "prevention of an arms race in outer space")
    assert not plausible_lengths("大不列颠及北爱尔兰联合王国", "Kingdom")


def test_english_candidates_skip_function_words_at_the_edges():
    text = "The prevention of an arms race in outer space remains urgent."
    cands = en_candidates(text, max_words=8)
    keys = set(cands)
    assert {"outer space", "arm race", "prevention of an arm race in outer space"} <= keys
    assert not any(k.split()[0] in ("the", "of", "in") or k.split()[-1] in ("the", "of", "an")
                   for k in keys)
    assert cands["outer space"] == "outer space"
    assert max(len(k.split()) for k in en_candidates(text, max_words=3)) == 3


def test_chinese_candidates_are_noun_phrases():
    tagged = [("我们", "r"), ("支持", "v"), ("消极", "a"), ("安全", "an"), ("保证", "v"),
              ("和", "c"), ("工作", "vn"), ("文件", "n")]
    cands = zh_candidates(tagged)
    assert "工作文件" in cands and "消极安全" in cands
    assert "我们" not in cands and "支持" not in cands and "保证" not in cands


# --- Extraction ----------------------------------------------------------------------------

def test_extraction_finds_the_recurring_terms(with_dictionary):
    found = as_dict(with_dictionary)
    assert found["外层空间"].en.lower() == "outer space"
    assert found["工作文件"].en == "working paper"
    assert found["核查"].en.lower() == "verification"
    assert found["澳大利亚"].en == "Australia"


def test_glossary_terms_stay_whole_and_are_marked(with_dictionary):
    found = as_dict(with_dictionary)
    nsa = found["消极安全保证"]
    assert nsa.en.lower() == "negative security assurances"
    assert nsa.glossary == "known"
    assert found["外层空间"].glossary == "known"


def test_candidates_carry_evidence(with_dictionary):
    found = as_dict(with_dictionary)
    paper = found["工作文件"]
    assert paper.freq == 3 and paper.zh_freq == 3 and paper.en_freq == 3
    assert paper.examples == ("[7]:[7]", "[8]:[8]", "[9]:[9]")
    assert paper.support is not None and paper.support > 0.5
    for c in with_dictionary:
        assert c.freq >= 2 and plausible_lengths(c.zh, c.en)
        for bead in c.examples:
            i = int(bead.split(":")[0].strip("[]"))
            assert c.zh in CORPUS[i][0].replace(" ", "")
    scores = [c.score for c in with_dictionary]
    assert scores == sorted(scores, reverse=True)


def test_min_freq_and_no_dictionary(gl):
    cands = extract_terms(pairs(), glossary=gl, lexicon=None, min_freq=3, progress=False)
    found = as_dict(cands)
    assert "工作文件" in found and "外层空间" in found
    assert "澳大利亚" not in found and "核查" not in found  # only two beads each
    assert all(c.support is None and c.score == c.dice for c in cands)


def test_write_candidates_tsv(with_dictionary, tmp_path):
    path = tmp_path / "c.tsv"
    with open(path, "w", encoding="utf-8") as fh:
        n = write_candidates(fh, with_dictionary)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(CANDIDATE_COLUMNS)
    assert n == len(with_dictionary) == len(lines) - 1
    assert all(len(line.split("\t")) == len(CANDIDATE_COLUMNS) for line in lines)


def test_pipeline_entry_points_write_atomically(gl, tmp_path):
    cands = extract_candidates(pairs(), glossary=gl, progress=False)
    assert any(c.zh == "工作文件" and c.support is not None for c in cands)
    path = tmp_path / "out" / "terms.tsv"
    assert write_candidates(path, cands) == len(cands)
    assert path.read_text(encoding="utf-8").splitlines()[0].split("\t") == list(CANDIDATE_COLUMNS)
    assert [p.name for p in path.parent.iterdir()] == ["terms.tsv"]


# --- CLI -----------------------------------------------------------------------------------

def write_jsonl(path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for p in pairs():
            fh.write(json.dumps({"src_ids": list(p.src_ids), "tgt_ids": list(p.tgt_ids),
                                 "src": p.src, "tgt": p.tgt, "score": p.score},
                                ensure_ascii=False) + "\n")
    return path


def test_extract_command_writes_candidates(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl")
    out = tmp_path / "candidates.tsv"
    r = subprocess.run([sys.executable, "-m", "aligner", "glossary", "extract", str(src),
                        "-o", str(out), "--no-dictionary"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == list(CANDIDATE_COLUMNS)
    by_zh = {row[0]: row for row in rows[1:]}
    assert by_zh["工作文件"][1] == "working paper" and by_zh["工作文件"][9] == "known"


def test_extract_rejects_a_bad_alignment_and_writes_nothing(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"src_ids": [0], "tgt_ids": [0], "src": "a", "tgt": "b"}\nnot json\n',
                   encoding="utf-8")
    out = tmp_path / "candidates.tsv"
    r = subprocess.run([sys.executable, "-m", "aligner", "glossary", "extract", str(src),
                        "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip() == f"aligner: error: {src}: line 2: not JSON (Expecting value)"
    assert not out.exists()
