"""``aligner align`` end to end: formats, stdout, errors as one line with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_align import PAIRS

from aligner.read.document import symbol_from_filename

ALIGNER = [sys.executable, "-m", "aligner"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ALIGNER, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("pair")
    zh, en = d / "s.zh", d / "s.en"
    zh.write_text("\n".join(z for z, _ in PAIRS) + "\n", encoding="utf-8")
    en.write_text("\n".join(e for _, e in PAIRS) + "\n", encoding="utf-8")
    return zh, en


def test_beads_to_stdout(pair):
    proc = run("align", "--presegmented", str(pair[0]), str(pair[1]))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines == [f"[{i}]:[{i}]" for i in range(len(PAIRS))]


def test_jsonl_by_suffix(pair, tmp_path):
    out = tmp_path / "a.jsonl"
    proc = run("align", "--presegmented", str(pair[0]), str(pair[1]), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len(PAIRS)
    assert recs[3]["src"] == PAIRS[3][0] and recs[3]["tgt"] == PAIRS[3][1]
    assert all(0.0 <= r["score"] <= 1.0 for r in recs)


def test_tsv_by_option(pair, tmp_path):
    out = tmp_path / "a.txt"
    proc = run("align", "--presegmented", str(pair[0]), str(pair[1]), "-o", str(out),
               "--format", "tsv")
    assert proc.returncode == 0, proc.stderr
    first = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert first[:2] == ["0", "0"] and first[3] == PAIRS[0][0]


def test_same_language_is_one_line_error(pair):
    proc = run("align", "--presegmented", str(pair[1]), str(pair[1]))
    assert proc.returncode == 2
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("aligner: error: ")
    assert "Traceback" not in proc.stderr


def test_whitespace_only_file_is_an_error(pair, tmp_path):
    blank = tmp_path / "blank.en"
    blank.write_text("  \n\n \n", encoding="utf-8")
    proc = run("align", "--presegmented", str(pair[0]), str(blank))
    assert proc.returncode == 2
    assert "empty" in proc.stderr and str(blank) in proc.stderr


def test_missing_file_is_an_error(pair, tmp_path):
    proc = run("align", "--presegmented", str(pair[0]), str(tmp_path / "nope.en"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def test_failed_run_leaves_no_output(pair, tmp_path):
    out = tmp_path / "out.align"
    proc = run("align", "--presegmented", str(pair[1]), str(pair[1]), "-o", str(out))
    assert proc.returncode == 2
    assert not out.exists()


def test_guess_symbol():
    assert symbol_from_filename(Path("CD_PV.1261_zh.txt")) == "CD/PV.1261"
    assert symbol_from_filename(Path("notes.txt")) is None


ZH_RECORD = """主席：我宣布裁军谈判会议第1261次全体会议开会。今天的发言名单上有澳大利亚和中国的代表。

伍尔科特先生(澳大利亚)：谢谢主席先生。澳大利亚支持立即开始谈判禁止生产裂变材料的条约。

吴海涛先生(中国)：谢谢主席。外层空间不应成为军备竞赛的场所。各国应当履行核不扩散条约规定的义务。

主席：谢谢。会议于中午12时散会。
"""
EN_RECORD = """The President: I declare open the 1261st plenary meeting of the Conference on \
Disarmament. On my list of speakers today are the representatives of Australia and China.

Mr. Woolcott (Australia): Thank you, Mr. President. Australia supports the immediate start of \
negotiations on a treaty banning the production of fissile material.

Mr. Wu Haitao (China): Thank you, Mr. President. Outer space should not become an arena for an \
arms race. States should fulfil their obligations under the Non-Proliferation Treaty.

The President: Thank you. The meeting rose at 12 noon.
"""


def test_documents_with_speaker_turns(tmp_path):
    zh, en = tmp_path / "CD_PV.1261_zh.txt", tmp_path / "CD_PV.1261_en.txt"
    zh.write_text(ZH_RECORD, encoding="utf-8")
    en.write_text(EN_RECORD, encoding="utf-8")
    out = tmp_path / "record.jsonl"
    proc = run("align", str(zh), str(en), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["src_ids"], r["tgt_ids"]) for r in recs] == [([i], [i]) for i in range(9)]
    woolcott = next(r for r in recs if r["src"].startswith("澳大利亚支持"))
    assert woolcott["speaker"].startswith("伍尔科特先生")
    assert "Australia supports" in woolcott["tgt"]
