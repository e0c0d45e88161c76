"""``aligner score`` end to end, through ``python -m aligner`` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.common.formats import read_alignment_jsonl, read_beads
from aligner.quality.evaluate import evaluate

ZH = ["我宣布裁军谈判会议第1261次全体会议开始。",
      "今天的全体会议将重点讨论消极安全保证问题。",
      "在我们开始讨论之前，我想询问是否有代表团希望发言。",
      "没有。",
      "1978年，大会第一届裁军特别会议通过了最后文件。",
      "许多无核武器国家希望得到安全保证。",
      "我现在请澳大利亚代表发言。"]
EN = ["I declare open the 1261st plenary meeting of the Conference on Disarmament.",
      "Today's plenary meeting will focus on negative security assurances.",
      "Before we begin, I would like to ask whether any delegation wishes to take the floor.",
      "I see none.",
      "In 1979, the first special session devoted to disarmament adopted its Final Document.",
      "Many non-nuclear-weapon States wished to obtain security assurances.",
      "I now give the floor to the representative of Australia.",
      "This English sentence has no Chinese original."]
# (zh ids, en ids, score): one 2-2 bead, an omission on each side
BEADS = [([0], [0], 0.97), ([1], [1], 0.9), ([2, 3], [2, 3], 0.55), ([4], [4], 0.8),
         ([5], [5], 0.85), ([6], [], 0.3), ([], [6], 0.2), ([], [7], 0.1)]


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def write_alignment(path: Path, beads=BEADS) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for src, tgt, score in beads:
            fh.write(json.dumps({"src_ids": src, "tgt_ids": tgt,
                                 "src": "".join(ZH[i] for i in src),
                                 "tgt": " ".join(EN[i] for i in tgt), "score": score},
                                ensure_ascii=False) + "\n")
    return path


@pytest.fixture()
def alignment(tmp_path: Path) -> Path:
    return write_alignment(tmp_path / "cd.jsonl")


@pytest.fixture()
def glossary(tmp_path: Path) -> Path:
    """A two-term glossary, so that the counts do not move with the curated one."""
    path = tmp_path / "glossary.tsv"
    path.write_text("zh\ten\tvariants\tpos\tsubject\tnote\tsource\n"
                    "消极安全保证\tnegative security assurance\t\tnoun\t\t\ttest\n"
                    "最后文件\tFinal Document\t\tnoun\t\t\ttest\n", encoding="utf-8")
    return path


def one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for n in needles:
        assert n in lines[0]


def test_json_summary(alignment, glossary):
    proc = run("score", alignment, "--json", "--glossary", glossary)
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["beads"] == 8
    assert s["sentences"] == {"zh": 7, "en": 8}
    assert s["bead_types"] == {"1-1": 4, "0-1": 2, "1-0": 1, "2-2": 1}
    assert s["coverage"]["zh"] == pytest.approx(6 / 7)
    assert s["coverage"]["en"] == pytest.approx(6 / 8)
    assert s["mean_score"] == pytest.approx(sum(b[2] for b in BEADS) / 8)
    assert s["flags"]["omission"] == 3
    assert s["flags"]["many-to-many"] == 1
    assert s["flags"]["number"] == 1  # 1978 / 1979
    assert "glossary" not in s["flags"]


def test_glossary_option(alignment, tmp_path):
    path = tmp_path / "nsa.tsv"
    path.write_text("zh\ten\tvariants\tpos\tsubject\tnote\tsource\n"
                    "消极安全保证\tnegative safety guarantee\t\tnoun\t\t\ttest\n",
                    encoding="utf-8")
    proc = run("score", alignment, "--json", "--glossary", path)
    assert json.loads(proc.stdout)["flags"]["glossary"] == 1
    path.write_text("zh\ten\n消极安全保证\n", encoding="utf-8")
    one_line_error(run("score", alignment, "--glossary", path), str(path))


def test_plain_summary_is_aligned_columns(alignment, glossary):
    proc = run("score", alignment, "--glossary", glossary)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    labelled = {ln[:14].strip(): ln[14:] for ln in lines if ln[:14].strip()}
    assert labelled["beads"].strip() == "8"
    assert "zh 85.7%" in labelled["coverage"] and "en 75.0%" in labelled["coverage"]
    assert labelled["flagged"].startswith("5 beads")
    # flag counts line up under the values, one per line
    omission = next(ln for ln in lines if "omission" in ln)
    assert omission.index("omission") == 14 and omission.split()[-1] == "3"


def test_gold_gives_the_evaluation_modules_numbers(alignment, tmp_path):
    gold = tmp_path / "cd.gold.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n[3]:[3]\n[4]:[4]\n[5]:[5]\n[6]:[6]\n[]:[7]\n",
                    encoding="utf-8")
    proc = run("score", alignment, "--gold", gold, "--json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)["evaluation"]
    test_beads = [p.bead() for p in read_alignment_jsonl(alignment)]
    want = evaluate([(test_beads, read_beads(gold))]).as_dict()
    assert got == pytest.approx(want)
    assert 0 < got["strict_p"] < 1 and got["lax_r"] > got["strict_r"]
    plain = run("score", alignment, "--gold", gold)
    assert "strict" in plain.stdout and f"{want['strict_f1']:.4f}" in plain.stdout


def test_gold_for_another_document_is_refused(alignment, tmp_path):
    gold = tmp_path / "other.gold.align"
    gold.write_text("[0]:[0]\n[1]:[1,2]\n[2]:[3]\n", encoding="utf-8")
    one_line_error(run("score", alignment, "--gold", gold), str(gold), "another document")


def test_hypothesis_metrics(alignment, tmp_path):
    hyp = tmp_path / "mt.txt"
    hyp.write_text("\n".join(EN[:7]) + "\n", encoding="utf-8")  # zh i translated as EN[i]
    proc = run("score", alignment, "--hyp", hyp, "--json")
    assert proc.returncode == 0, proc.stderr
    mt = json.loads(proc.stdout)["mt"]
    assert mt["segments"] == 5
    assert set(mt["metrics"]) == {"BLEU", "chrF", "TER"}
    assert mt["metrics"]["BLEU"]["score"] == pytest.approx(100.0)
    assert mt["metrics"]["BLEU"]["signature"].startswith("nrefs:1")
    plain = run("score", alignment, "--hyp", hyp).stdout
    assert "BLEU" in plain and mt["metrics"]["chrF"]["signature"] in plain


def test_hypothesis_with_wrong_line_count(alignment, tmp_path):
    hyp = tmp_path / "mt.txt"
    hyp.write_text("\n".join(EN[:5]) + "\n", encoding="utf-8")
    one_line_error(run("score", alignment, "--hyp", hyp), "5 lines", "7 Chinese sentences")


def test_line_that_is_not_a_bead(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"src_ids": [0], "tgt_ids": [0], "src": "是。", "tgt": "Yes."}\n'
                   '{"zh": "没有。"}\n', encoding="utf-8")
    one_line_error(run("score", bad), str(bad), "line 2", "not a bead")
    bad.write_text("[0]:[0]\n", encoding="utf-8")
    one_line_error(run("score", bad), "line 1")


def test_ids_out_of_order(tmp_path):
    beads = [([0], [0], 0.9), ([2], [1], 0.9), ([1], [2], 0.9)]
    path = tmp_path / "shuffled.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for src, tgt, score in beads:
            fh.write(json.dumps({"src_ids": src, "tgt_ids": tgt, "src": ZH[src[0]],
                                 "tgt": EN[tgt[0]], "score": score}) + "\n")
    one_line_error(run("score", path), "line 2", "out of order")


def test_missing_file(tmp_path):
    one_line_error(run("score", tmp_path / "nope.jsonl"), "no such file")


def test_report_option_writes_the_html(alignment, tmp_path):
    out = tmp_path / "out" / "report.html"
    proc = run("score", alignment, "--report", out, "--note", "Demonstration translation")
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert html.count('<tr id="b') == len(BEADS)
    assert "Demonstration translation" in html
    assert not list(out.parent.glob(".*.part"))  # written atomically, no leftovers


def test_score_module_imports_nothing_heavy():
    code = ("import sys, aligner.cli.score; "
            "print(sorted(m for m in ('jieba', 'sacrebleu', 'jinja2', 'lxml', 'numpy', "
            "'nltk') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
