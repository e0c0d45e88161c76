"""``aligner tmx ...`` end to end, through the real entry point (exit codes, one-line errors)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.read.document import symbol_from_filename
from tmx.read import read_tmx

GOOD_HEADER = ('<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
               'adminlang="en" srclang="zh-CN" datatype="plaintext"/>')
BAD_FILES = {
    "empty": "",
    "malformed": "<tmx version='1.4'>" + GOOD_HEADER + "<body><tu>",
    "wrong_root": "<?xml version='1.0'?>\n<html><body/></html>",
    "no_srclang": "<tmx version='1.4'>\n<header creationtool='t'/>\n<body/></tmx>",
    "tuv_no_lang": "<tmx version='1.4'>\n" + GOOD_HEADER + "\n<body>\n<tu><tuv><seg>一</seg>"
                   "</tuv><tuv xml:lang='en'><seg>One</seg></tuv></tu>\n</body></tmx>",
    "hostile": "<?xml version='1.0'?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
               "\n<tmx version='1.4'>" + GOOD_HEADER + "<body>&x;</body></tmx>",
}
# validate reports rule-breaking files as findings (1), unreadable or unsafe ones as errors (2)
VALIDATE_CODES = {"empty": 2, "malformed": 2, "hostile": 2, "wrong_root": 1, "no_srclang": 1,
                  "tuv_no_lang": 1}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def alignment(path: Path) -> Path:
    records = [
        {"src_ids": [0], "tgt_ids": [0], "src": "主席：我宣布会议开始。",
         "tgt": "The President: I declare the meeting open.", "score": 0.93, "speaker": "主席"},
        {"src_ids": [1, 2], "tgt_ids": [1, 2], "src": "第一句。第二句。",
         "tgt": "First. Second.", "score": 0.7},
        {"src_ids": [3], "tgt_ids": [], "src": "未对齐。", "tgt": "", "score": 0.1},
        {"src_ids": [4], "tgt_ids": [3], "src": "最后 <一句> & 完。", "tgt": "Last <one> & done.",
         "score": 0.4},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def test_build_validate_stats_export_lookup(tmp_path: Path) -> None:
    src = alignment(tmp_path / "CD_PV.1261.jsonl")
    out = tmp_path / "out.tmx"
    r = run("tmx", "build", src, "-o", out, "--note", "demonstration translation")
    assert r.returncode == 0, r.stderr
    tm = read_tmx(out)
    assert len(tm.units) == 3
    assert {u.props["x-document"] for u in tm.units} == {"CD/PV.1261"}
    assert tm.header.notes == ["demonstration translation"]

    r = run("tmx", "build", src, "-o", out, "--min-score", "0.5", "--skip-many-to-many",
            "--src-lang", "zh-Hans", "--tgt-lang", "en-US", "--document", "CD/PV.9")
    assert r.returncode == 0, r.stderr
    tm = read_tmx(out)
    assert [(u.text("zh-Hans"), u.props["x-document"]) for u in tm.units] == \
        [("主席：我宣布会议开始。", "CD/PV.9")]
    assert list(tm.units[0].segs) == ["zh-Hans", "en-US"]

    r = run("tmx", "validate", out)
    assert r.returncode == 0 and "valid" in r.stdout

    r = run("tmx", "stats", out)
    assert r.returncode == 0 and "units         1" in r.stdout and "CD/PV.9 1" in r.stdout

    csv_out = tmp_path / "out.csv"
    r = run("tmx", "export", out, "--format", "csv", "-o", csv_out)
    assert r.returncode == 0 and "I declare the meeting open." in csv_out.read_text("utf-8")
    r = run("tmx", "export", out, "--format", "xlsx")
    assert r.returncode == 2 and r.stderr.startswith("aligner: error:")

    r = run("tmx", "lookup", out, "主席：我宣布会议开始", "-n", "1", "--threshold", "0.7")
    assert r.returncode == 0 and "The President: I declare the meeting open." in r.stdout
    assert "%" in r.stdout
    r = run("tmx", "lookup", out, "nothing like it at all")
    assert r.returncode == 1 and r.stdout == ""


def test_merge_reports_conflicts(tmp_path: Path) -> None:
    a = alignment(tmp_path / "a.jsonl")
    lines = a.read_text("utf-8").replace("Last <one> & done.", "The final one.")
    b = tmp_path / "b.jsonl"
    b.write_text(lines, encoding="utf-8")
    for name in ("a", "b"):
        assert run("tmx", "build", tmp_path / f"{name}.jsonl", "-o",
                   tmp_path / f"{name}.tmx").returncode == 0
    out = tmp_path / "m.tmx"
    r = run("tmx", "merge", tmp_path / "a.tmx", tmp_path / "b.tmx", "-o", out)
    assert r.returncode == 0, r.stderr
    assert "conflict: '最后 <一句> & 完。' has 2 targets" in r.stderr
    assert "2 duplicates dropped" in r.stderr
    assert len(read_tmx(out).units) == 4


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["stats", "export", "lookup", "merge"])
def test_bad_tmx_is_one_line_exit_2(tmp_path: Path, kind: str, command: str) -> None:
    bad = tmp_path / f"{kind}.tmx"
    bad.write_text(BAD_FILES[kind], encoding="utf-8")
    out = tmp_path / "out.file"
    args = {"stats": ["stats", bad], "export": ["export", bad, "-o", out],
            "lookup": ["lookup", bad, "一"], "merge": ["merge", bad, "-o", out]}[command]
    r = run("tmx", *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aligner: error: {bad}: "), r.stderr
    assert "Traceback" not in r.stderr and "root:x:" not in r.stderr + r.stdout
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [bad.name]


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_validate_exit_codes(tmp_path: Path, kind: str) -> None:
    bad = tmp_path / f"{kind}.tmx"
    bad.write_text(BAD_FILES[kind], encoding="utf-8")
    r = run("tmx", "validate", bad)
    assert r.returncode == VALIDATE_CODES[kind], (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    if r.returncode == 1:
        assert r.stdout and all(line.startswith(f"{bad}:") and line.split(":")[1].isdigit()
                                for line in r.stdout.splitlines())
    else:
        assert len(r.stderr.strip().splitlines()) == 1


def test_build_bad_alignment_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"src_ids": [0]}\n', encoding="utf-8")
    out = tmp_path / "out.tmx"
    r = run("tmx", "build", bad, "-o", out)
    assert r.returncode == 2 and r.stderr.startswith("aligner: error:") and not out.exists()
    r = run("tmx", "build", alignment(tmp_path / "ok.jsonl"), "-o", out, "--tgt-lang", "en GB")
    assert r.returncode == 2 and "language tag" in r.stderr and not out.exists()


@pytest.mark.parametrize("name, symbol", [
    ("CD_PV.1261.jsonl", "CD/PV.1261"), ("A_RES_78_1.jsonl", "A/RES/78/1"),
    ("CD_PV.1261_zh-en.jsonl", "CD/PV.1261"), ("S_PV.9000.aligned.jsonl", "S/PV.9000"),
    ("alignment.jsonl", None), ("CD.jsonl", None), ("my_file.jsonl", None),
])
def test_guess_document_symbol(name: str, symbol: str | None) -> None:
    assert symbol_from_filename(name) == symbol
