"""Merge, stats and export of whole memories."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from aligner.common.errors import AlignerError
from aligner.common.formats import AlignedPair
from tmx.read import read_tmx
from tmx.tools import export_tmx, format_stats, merge_tmx, tmx_stats
from tmx.write import write_tmx


def pair(src: str, tgt: str, score: float, n_src: int = 1, **extra) -> AlignedPair:
    return AlignedPair(tuple(range(n_src)), (0,), src, tgt, score, extra)


def test_merge_dedupes_keeping_highest_score_and_reports_conflicts(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a.tmx", tmp_path / "b.tmx", tmp_path / "m.tmx"
    write_tmx(a, [pair("一。", "One.", 0.6, speaker="甲"), pair("二。", "Two.", 0.9),
                  pair("三。", "Three.", 0.5)], document="CD/PV.1")
    write_tmx(b, [pair("一。", "One.", 0.8, speaker="乙"), pair("二。", "Two.", 0.4),
                  pair("三。", "Third.", 0.7), pair("四。", "Four.", 0.7, 2)], document="CD/PV.2")
    result = merge_tmx([a, b], out)
    assert (result.units, result.duplicates) == (5, 2)
    assert result.conflicts == {"三。": ["Three.", "Third."]}
    units = {(u.text("zh"), u.text("en")): u for u in read_tmx(out).units}
    assert set(units) == {("一。", "One."), ("二。", "Two."), ("三。", "Three."),
                          ("三。", "Third."), ("四。", "Four.")}
    assert units[("一。", "One.")].props["x-speaker"] == "乙"  # the better-scored copy's props
    assert units[("一。", "One.")].score == 0.8
    assert units[("二。", "Two.")].props["x-document"] == "CD/PV.1"
    assert units[("四。", "Four.")].props["x-bead"] == "2-1"


def test_merge_accepts_reverse_direction_and_refuses_other_languages(tmp_path: Path) -> None:
    zh_en, en_zh, fr = tmp_path / "a.tmx", tmp_path / "b.tmx", tmp_path / "fr.tmx"
    write_tmx(zh_en, [pair("一。", "One.", 0.9)])
    write_tmx(en_zh, [pair("Two.", "二。", 0.9)], src_lang="en-GB", tgt_lang="zh-CN")
    write_tmx(fr, [pair("Un.", "One.", 0.9)], src_lang="fr", tgt_lang="en")
    out = tmp_path / "m.tmx"
    merge_tmx([zh_en, en_zh], out)
    tm = read_tmx(out)
    assert tm.srclang == "zh-CN"
    assert [(u.text("zh"), u.text("en")) for u in tm.units] == [("一。", "One."), ("二。", "Two.")]
    with pytest.raises(AlignerError, match="do not match"):
        merge_tmx([zh_en, fr], tmp_path / "bad.tmx")
    assert not (tmp_path / "bad.tmx").exists()


def test_stats(tmp_path: Path) -> None:
    path = tmp_path / "s.tmx"
    write_tmx(path, [pair("一。", "One.", 0.95), pair("二。", "Two.", 0.6, 2),
                     pair("三。", "Three.", 0.3, document="CD/PV.9")])
    st = tmx_stats(path)
    assert st.units == 3 and st.srclang == "zh-CN"
    assert st.languages == {"zh-CN": 3, "en-GB": 3}
    assert st.beads == {"1-1": 2, "2-1": 1}
    assert st.documents == {"CD/PV.9": 1}
    assert dict(st.score_bands()) == {"< 0.50": 1, "0.50-0.70": 1, "0.70-0.90": 0,
                                      ">= 0.90": 1, "no score": 0}
    text = format_stats(path, st)
    assert "units         3" in text and "median 0.600" in text


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_export(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "e.tmx"
    write_tmx(path, [pair("一，二。", 'He said "one, two".', 0.9, speaker="主席"),
                     pair("三。", "Three\tfour.", 0.5)], document="CD/PV.1261")
    buf = io.StringIO()
    assert export_tmx(path, buf, fmt) == 2
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(buf.getvalue())))
    else:
        rows = [line.split("\t") for line in buf.getvalue().splitlines()]
    assert rows[0][:4] == ["source (zh-CN)", "target (en-GB)", "score", "bead"]
    assert rows[1][:6] == ["一，二。", 'He said "one, two".', "0.9000", "1-1", "CD/PV.1261", "主席"]
    assert rows[2][1] == ("Three\tfour." if fmt == "csv" else "Three four.")
    assert all(len(r) == 7 for r in rows)
