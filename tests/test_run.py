"""``aligner run`` end to end: the fresh-clone demo, realistic PDF/DOCX pairs, batches, Dask."""

import json
import shutil

import pytest
from lxml import etree

from aligner.common.formats import read_alignment_jsonl
from aligner.quality.evaluate import evaluate

import records
from conftest import ROOT

SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def make_pair(folder, stem, zh_kind, en_kind):
    folder.mkdir(parents=True, exist_ok=True)
    getattr(records, f"write_{zh_kind}")(folder / f"{stem}_zh.{zh_kind}", "zh")
    getattr(records, f"write_{en_kind}")(folder / f"{stem}_en.{en_kind}", "en")


def tmx_note(path):
    root = etree.parse(str(path), SAFE).getroot()
    return " ".join(root.find("header").itertext())


def test_fresh_clone_explains_and_runs_the_demo(tmp_path, cli):
    corpora = tmp_path / "corpora"
    shutil.copytree(ROOT / "corpora", corpora)
    out = tmp_path / "build"
    result = cli("run", "--corpora", corpora, "--out", out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()
    assert "Official Document System" in result.stderr
    assert "CD_PV.1261_en.pdf" in result.stderr
    assert f"aligner fetch CD/PV.1261 --lang en --to {corpora}\n" in result.stderr
    # The Chinese record is still processed on its own.
    segments = [json.loads(x) for x in
                (out / "CD_PV.1261_zh.segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({s["turn"] for s in segments}) == 23
    assert "消极安全保证" in (out / "CD_PV.1261_zh.glossary-terms.tsv").read_text(encoding="utf-8")
    # The demonstration pair goes through the whole pipeline, labelled as a demonstration.
    demo = out / "demo"
    for name in ("CD_PV.1261.tmx", "CD_PV.1261.jsonl", "CD_PV.1261.report.html",
                 "CD_PV.1261.terms.tsv"):
        assert (demo / name).stat().st_size > 0, name
    assert "Demonstration" in tmx_note(demo / "CD_PV.1261.tmx")
    assert "Demonstration translation" in (demo / "CD_PV.1261.report.html").read_text("utf-8")
    pairs = read_alignment_jsonl(demo / "CD_PV.1261.jsonl")
    assert sum(1 for p in pairs if p.src_ids and p.tgt_ids) >= 30
    assert "CD/PV.1261" in result.stdout and "(demo)" in result.stdout
    assert (out / "glossary.tbx").exists() and (out / "glossary.tsv").exists()


@pytest.mark.parametrize("zh_kind,en_kind", [("pdf", "pdf"), ("txt", "docx")])
def test_realistic_english_record_end_to_end(tmp_path, cli, zh_kind, en_kind):
    corpora, out = tmp_path / "corpora", tmp_path / "build"
    make_pair(corpora, "CD_PV.9999", zh_kind, en_kind)
    result = cli("run", "--corpora", corpora, "--out", out)
    assert result.returncode == 0, result.stderr
    pairs = read_alignment_jsonl(out / "CD_PV.9999.jsonl")
    # Turns matched: each Chinese speaker label sits in a bead with its English label.
    labels = dict(zip(records.TURNS["zh"], records.TURNS["en"], strict=True))
    for pair in pairs:
        for zh_label, en_label in labels.items():
            if pair.src.startswith(zh_label):
                assert pair.tgt.startswith(en_label), (pair.src[:40], pair.tgt[:40])
    scores = evaluate([([p.bead() for p in pairs], records.gold_beads())])
    assert scores.strict_f1 >= 0.9
    validate = cli("tmx", "validate", out / "CD_PV.9999.tmx")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert (out / "CD_PV.9999.report.html").read_text("utf-8").count("<tr") >= len(pairs)
    assert "CD/PV.9999" in result.stdout


def test_rerun_is_idempotent_and_skips_unchanged(tmp_path, cli):
    corpora, out = tmp_path / "corpora", tmp_path / "build"
    make_pair(corpora, "CD_PV.9999", "txt", "txt")
    first = cli("run", "--corpora", corpora, "--out", out)
    assert first.returncode == 0, first.stderr
    tmx = out / "CD_PV.9999.tmx"
    before = (tmx.stat().st_mtime_ns, tmx.read_bytes())
    second = cli("run", "--corpora", corpora, "--out", out)
    assert second.returncode == 0 and "up to date" in second.stdout
    assert (tmx.stat().st_mtime_ns, tmx.read_bytes()) == before
    # A changed input is redone.
    en = corpora / "CD_PV.9999_en.txt"
    en.write_text(en.read_text(encoding="utf-8") + "\n The President: The meeting rose.\n",
                  encoding="utf-8")
    third = cli("run", "--corpora", corpora, "--out", out)
    assert third.returncode == 0 and "up to date" not in third.stdout


def test_batch_with_failures_reports_each_and_exits_1(tmp_path, cli):
    corpora, out = tmp_path / "corpora", tmp_path / "build"
    make_pair(corpora, "CD_PV.9999", "txt", "docx")
    make_pair(corpora, "CD_PV.9998", "docx", "txt")
    (corpora / "CD_PV.9997_zh.pdf").write_bytes(b"%PDF-1.4 broken")
    records.write_txt(corpora / "CD_PV.9997_en.txt", "en")
    records.write_txt(corpora / "CD_PV.9996_en.txt", "en")  # no Chinese partner
    result = cli("run", "--corpora", corpora, "--out", out, "--jobs", "2")
    assert result.returncode == 1
    errors = [x for x in result.stderr.splitlines() if x.startswith("aligner: error:")]
    assert len(errors) == 2
    assert any("CD_PV.9997_zh.pdf" in e and "PDF" in e for e in errors)
    assert any("CD_PV.9996_en.txt" in e and "no Chinese partner" in e for e in errors)
    assert "Traceback" not in result.stderr
    for stem in ("CD_PV.9999", "CD_PV.9998"):
        assert (out / f"{stem}.tmx").exists()
    assert not (out / "CD_PV.9997.tmx").exists()
    assert not list(out.rglob("*.part"))


def test_no_records_is_one_line_and_exit_1(tmp_path, cli):
    (tmp_path / "empty").mkdir()
    result = cli("run", "--corpora", tmp_path / "empty", "--out", tmp_path / "build")
    assert result.returncode == 1
    assert result.stderr.startswith("aligner: error:") and result.stderr.count("\n") == 1


def test_dask_cluster_gives_the_same_outputs(tmp_path, cli):
    distributed = pytest.importorskip("dask.distributed")
    corpora = tmp_path / "corpora"
    make_pair(corpora, "CD_PV.9999", "txt", "txt")
    make_pair(corpora, "CD_PV.9998", "docx", "pdf")
    local = cli("run", "--corpora", corpora, "--out", tmp_path / "local", "--jobs", "1")
    assert local.returncode == 0, local.stderr
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None, protocol="tcp") as cluster:
        remote = cli("run", "--corpora", corpora, "--out", tmp_path / "dask",
                     "--dask", cluster.scheduler_address)
    assert remote.returncode == 0, remote.stderr
    for stem in ("CD_PV.9999", "CD_PV.9998"):
        assert (tmp_path / "dask" / f"{stem}.jsonl").read_bytes() == \
            (tmp_path / "local" / f"{stem}.jsonl").read_bytes()
        assert (tmp_path / "dask" / f"{stem}.terms.tsv").read_bytes() == \
            (tmp_path / "local" / f"{stem}.terms.tsv").read_bytes()
