"""``aligner glossary lookup|export|check`` through the real entry point, and the TBX export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from aligner.lexicon.glossary import COLUMNS, load_glossary
from aligner.terms.export import TBX_NS, XML_LANG, build_tbx, export_glossary, read_tbx, term_type

HEADER = "\t".join(COLUMNS)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def gl():
    return load_glossary()


@pytest.fixture
def bad_glossary(tmp_path: Path) -> Path:
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "\n裁谈会\tConference on Disarmament\t\tnoun\tx\t\tx\n"
                    "议程\tagenda\tnoun\n", encoding="utf-8")
    return path


# --- lookup --------------------------------------------------------------------------------

def test_lookup_exact_chinese():
    r = run("glossary", "lookup", "消极安全保证")
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.startswith("消极安全保证 = negative security assurances") and "[exact]" in first


def test_lookup_json_english_abbreviation():
    r = run("glossary", "lookup", "NPT", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data[0]["zh"] == "不扩散核武器条约" and data[0]["match"] == "variant"
    assert "不扩散条约" in data[0]["variants_zh"]


def test_lookup_no_match_exits_1_with_suggestions():
    r = run("glossary", "lookup", "消极安全保障")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "no glossary entry" in r.stderr and "消极安全保证" in r.stderr
    fuzzy = run("glossary", "lookup", "消极安全保障", "--fuzzy")
    assert fuzzy.returncode == 0 and "[fuzzy]" in fuzzy.stdout


def test_lookup_with_a_malformed_glossary_is_one_line_and_exit_2(bad_glossary):
    r = run("glossary", "lookup", "议程", "--glossary", bad_glossary)
    assert r.returncode == 2
    assert r.stderr.strip() == (f"aligner: error: {bad_glossary}: "
                                "line 3: expected 7 columns, found 3")
    assert "Traceback" not in r.stderr


def test_lookup_does_not_import_heavy_libraries():
    code = ("import sys; sys.argv = ['aligner', 'glossary', 'lookup', '消极安全保证']\n"
            "from aligner.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print([m for m in ('jieba', 'lxml', 'nltk', 'numpy', 'rapidfuzz') "
            "if m in sys.modules], file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stderr.strip().splitlines()[-1] == "[]", r.stderr


def test_check_counts_entries(gl):
    r = run("glossary", "check")
    assert r.returncode == 0 and f": {len(gl)} entries" in r.stdout


# --- export --------------------------------------------------------------------------------

def test_unknown_export_format_is_a_usage_error(tmp_path):
    out = tmp_path / "g.xyz"
    r = run("glossary", "export", "--format", "xlsx", "-o", out)
    assert r.returncode == 2 and "unknown export format 'xlsx'" in r.stderr
    assert not out.exists()


def test_failed_export_writes_nothing(tmp_path, bad_glossary):
    out = tmp_path / "g.tbx"
    out.write_text("previous", encoding="utf-8")
    r = run("glossary", "export", "--format", "tbx", "--glossary", bad_glossary, "-o", out)
    assert r.returncode == 2 and "line 3" in r.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tsv", "g.tbx"]


def test_tbx_export_keeps_every_entry(tmp_path, gl):
    out = tmp_path / "glossary.tbx"
    r = run("glossary", "export", "--format", "tbx", "-o", out)
    assert r.returncode == 0, r.stderr
    back = read_tbx(out)
    assert len(back) == len(gl)
    for original, read in zip(gl.entries, back, strict=True):
        assert read == original  # every field: terms, variants, pos, subject, note, source


def test_tbx_structure_is_tbx_basic_dca(gl):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(build_tbx(gl.entries), parser)
    ns = {"t": TBX_NS}
    assert root.tag == f"{{{TBX_NS}}}tbx"
    assert root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    assert root.get(XML_LANG) == "en"
    assert root.find("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", ns) is not None
    concepts = root.findall("t:text/t:body/t:conceptEntry", ns)
    assert len(concepts) == len(gl)
    assert len({c.get("id") for c in concepts}) == len(concepts)
    nsa = next(c for c in concepts
               if c.findtext("t:langSec/t:termSec/t:term", None, ns) == "消极安全保证")
    # subjectField at concept level, not inside a term
    assert nsa.find("t:descrip[@type='subjectField']", ns) is not None
    assert not nsa.findall(".//t:termSec/t:descrip", ns)
    langs = [ls.get(XML_LANG) for ls in nsa.findall("t:langSec", ns)]
    assert langs == ["zh-CN", "en-GB"]
    en_terms = nsa.findall("t:langSec[2]/t:termSec", ns)
    types = {ts.findtext("t:term", None, ns): ts.findtext("t:termNote[@type='termType']", None,
                                                          ns) for ts in en_terms}
    assert types["NSA"] == "acronym" and types["negative security assurances"] is None
    assert all(ts.findtext("t:termNote[@type='partOfSpeech']", None, ns) == "noun"
               for ts in en_terms)


def test_export_glossary_for_the_pipeline(tmp_path, gl):
    assert export_glossary(gl, tmp_path / "g.tbx", "tbx") == len(gl)
    assert read_tbx(tmp_path / "g.tbx") == gl.entries


def test_term_types():
    assert term_type("NPT", "Treaty on the Non-Proliferation of Nuclear Weapons") == "acronym"
    assert term_type("不扩散条约", "不扩散核武器条约") == "abbreviation"
    assert term_type("State party", "States parties") == "variant"
    assert term_type("Vietnam", "Viet Nam") == "variant"
    assert term_type("Non-Proliferation Treaty",
                     "Treaty on the Non-Proliferation of Nuclear Weapons") == "shortForm"
    assert term_type("Treaty for the Prohibition of Nuclear Weapons in Latin America",
                     "Treaty of Tlatelolco") == "fullForm"


def test_read_tbx_refuses_entity_declarations(tmp_path):
    evil = tmp_path / "evil.tbx"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x "boom">]>'
                    f'<tbx xmlns="{TBX_NS}"><text><body/></text></tbx>', encoding="utf-8")
    from aligner.common.errors import AlignerError

    with pytest.raises(AlignerError, match="entities"):
        read_tbx(evil)


def test_csv_tsv_and_omegat_exports(tmp_path, gl):
    for fmt in ("csv", "tsv", "omegat"):
        r = run("glossary", "export", "-f", fmt, "-o", tmp_path / f"g.{fmt}")
        assert r.returncode == 0, r.stderr
    with open(tmp_path / "g.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(COLUMNS) and len(rows) == len(gl) + 1
    assert rows[1][:2] == [gl.entries[0].zh, gl.entries[0].en]
    # The TSV export is the glossary format itself.
    assert load_glossary(tmp_path / "g.tsv").entries == gl.entries
    lines = (tmp_path / "g.omegat").read_text(encoding="utf-8").splitlines()
    assert all(len(line.split("\t")) == 3 for line in lines)
    sources = {line.split("\t")[0]: line.split("\t")[1] for line in lines}
    assert sources["裁研所"] == "United Nations Institute for Disarmament Research"
    assert len(lines) == sum(len(e.zh_forms) for e in gl.entries)


def test_export_to_stdout():
    r = run("glossary", "export", "-f", "tsv")
    assert r.returncode == 0 and r.stdout.splitlines()[0] == HEADER


def test_export_found_in_a_record(tmp_path):
    record = tmp_path / "record.txt"
    record.write_text("主席：我宣布全体会议开始。\n\n"
                      "伍尔科特先生(澳大利亚)：澳大利亚支持关于消极安全保证的谈判，澳大利亚欢迎提案。"
                      "消极安全保证对无核武器国家很重要。\n", encoding="utf-8")
    out = tmp_path / "found.csv"
    r = run("glossary", "export", "-f", "csv", "--found-in", record, "-o", out)
    assert r.returncode == 0, r.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = {row["zh"]: int(row["count"]) for row in rows}
    # (the speaker label may or may not count, depending on what ingest keeps of it)
    assert counts["消极安全保证"] == 2 and counts["澳大利亚"] >= 2
    assert counts["无核武器国家"] == 1 and counts["全体会议"] == 1
    assert "核武器国家" not in counts
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
