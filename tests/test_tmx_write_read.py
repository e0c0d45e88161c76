"""Writing TMX and reading it back: round trip, cleaning, props, filters, atomicity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner.common.errors import AlignerError
from aligner.common.formats import AlignedPair
from tmx.read import iter_tmx, read_tmx
from tmx.write import clean_text, write_tmx


def pair(src: str, tgt: str, score: float = 0.9, n_src: int = 1, n_tgt: int = 1,
         **extra) -> AlignedPair:
    return AlignedPair(tuple(range(n_src)), tuple(range(n_tgt)), src, tgt, score, extra)


TRICKY = [
    ("主席：我宣布会议开始。", "The President: I declare the meeting open."),
    ("A<B & C>D", "Tom & Jerry <script>alert('x')</script>"),
    ('他说："是的"，‘好’。', 'He said: "yes", \'fine\'.'),
    ("表情 😀🇨🇳 结束", "emoji 😀🇨🇳 end"),
    ("　 前后有空格。\n", "  spaces around\t "),
    ("（一）《条约》——第一条；……", "(a) the Treaty — article 1; ..."),
    ("]]> 和 &amp; 字面", "]]> and &amp; literally"),
]


def test_round_trip_keeps_text_and_trims_ends(tmp_path: Path) -> None:
    out = tmp_path / "t.tmx"
    n = write_tmx(out, [pair(s, t) for s, t in TRICKY])
    assert n == len(TRICKY)
    tm = read_tmx(out)
    assert [(u.text("zh-CN"), u.text("en-GB")) for u in tm.units] == \
        [(s.strip(), t.strip()) for s, t in TRICKY]
    raw = out.read_text(encoding="utf-8")
    assert "<seg>A&lt;B &amp; C&gt;D</seg>" in raw
    assert "<seg>　" not in raw  # full-width space at the start was trimmed too


def test_header_and_unit_structure(tmp_path: Path) -> None:
    out = tmp_path / "t.tmx"
    write_tmx(out, [pair("甲。", "A.", 0.8123, 2, 1, speaker="主席")], document="CD/PV.1261",
              note="demonstration translation, not the official text",
              src_lang="zh-Hans", tgt_lang="en-US")
    tm = read_tmx(out)
    assert tm.version == "1.4"
    h = tm.header.attrs
    for attr in ("creationtool", "creationtoolversion", "o-tmf", "adminlang"):
        assert h[attr]
    assert h["segtype"] == "sentence" and h["datatype"] == "plaintext"
    assert h["srclang"] == "zh-Hans"
    assert re.fullmatch(r"\d{8}T\d{6}Z", h["creationdate"])
    assert tm.header.notes == ["demonstration translation, not the official text"]
    (u,) = tm.units
    assert list(u.segs) == ["zh-Hans", "en-US"]  # source first: other tools take tuv order
    assert u.props == {"x-score": "0.8123", "x-bead": "2-1", "x-document": "CD/PV.1261",
                       "x-speaker": "主席", "x-status": "auto"}
    assert u.score == pytest.approx(0.8123)
    assert u.tuid == "1"


def test_document_from_pair_extra_when_not_given(tmp_path: Path) -> None:
    out = tmp_path / "t.tmx"
    write_tmx(out, [pair("甲。", "A.", document="CD/PV.1"), pair("乙。", "B.")])
    units = read_tmx(out).units
    assert units[0].props.get("x-document") == "CD/PV.1"
    assert "x-document" not in units[1].props and "x-speaker" not in units[1].props


def test_filters_empty_sides_scores_and_many_to_many(tmp_path: Path) -> None:
    pairs = [
        pair("一。", "One.", 0.95),
        pair("", "Orphan.", 0.9, 0, 1),
        pair("孤。", "", 0.9, 1, 0),
        pair("  \x00 ", "Only control chars on the zh side.", 0.9),
        pair("二。三。", "Two three.", 0.9, 2, 2),
        pair("四。", "Four.", 0.3),
    ]
    out = tmp_path / "t.tmx"
    assert write_tmx(out, pairs) == 3
    assert [u.text("zh") for u in read_tmx(out).units] == ["一。", "二。三。", "四。"]
    assert write_tmx(out, pairs, min_score=0.5, skip_many_to_many=True) == 1
    assert [u.text("en") for u in read_tmx(out).units] == ["One."]
    assert [u.tuid for u in read_tmx(out).units] == ["1"]


def test_illegal_xml_characters_removed() -> None:
    assert clean_text("a\x00b\x0bc\x1fd\ufffe\ud800e") == "abcde"
    assert clean_text("tab\tkept\nnewline") == "tab\tkept\nnewline"


def test_writes_atomically_and_streams(tmp_path: Path) -> None:
    out = tmp_path / "t.tmx"
    out.write_text("old content", encoding="utf-8")

    def pairs():
        yield pair("一。", "One.")
        raise RuntimeError("aligner died half way")

    with pytest.raises(RuntimeError):
        write_tmx(out, pairs())
    assert out.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["t.tmx"]  # no temporary left behind


def test_bad_language_tag_refused(tmp_path: Path) -> None:
    with pytest.raises(AlignerError):
        write_tmx(tmp_path / "t.tmx", [pair("一。", "One.")], tgt_lang="english please")
    with pytest.raises(AlignerError):
        write_tmx(tmp_path / "t.tmx", [pair("一。", "One.")], src_lang="en", tgt_lang="EN")
    assert not (tmp_path / "t.tmx").exists()


def test_iter_tmx_is_lazy_and_complete(tmp_path: Path) -> None:
    out = tmp_path / "t.tmx"
    write_tmx(out, (pair(f"第{i}句。", f"Sentence {i}.") for i in range(2000)))
    version, header, units = iter_tmx(out)
    assert header.srclang == "zh-CN"
    texts = [u.text("en-GB") for u in units]
    assert texts == [f"Sentence {i}." for i in range(2000)]


def test_beads_to_pairs_joins_sentences_per_language(tmp_path: Path) -> None:
    from aligner.common.types import Bead
    from tmx.write import beads_to_pairs

    src = ["第一句。", "第二句。", "第三句。"]
    tgt = ["First.", "Second and third."]
    beads = [Bead((0,), (0,), 0.9), Bead((1, 2), (1,), 0.7), Bead((), (), 0.1)]
    pairs = list(beads_to_pairs(beads, src, tgt, speakers=["主席", None, None]))
    assert [(p.src, p.tgt, p.kind) for p in pairs[:2]] == [
        ("第一句。", "First.", "1-1"), ("第二句。第三句。", "Second and third.", "2-1")]
    assert pairs[0].extra == {"speaker": "主席"} and pairs[1].extra == {}
    out = tmp_path / "t.tmx"
    assert write_tmx(out, pairs) == 2  # the empty bead is left out
    assert read_tmx(out).units[1].props["x-bead"] == "2-1"


def test_source_date_epoch_makes_output_reproducible(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_tmx(a, [pair("一。", "One.")])
    write_tmx(b, [pair("一。", "One.")])
    assert a.read_bytes() == b.read_bytes()
    assert read_tmx(a).header.attrs["creationdate"] == "20231114T221320Z"


def test_units_with_varied_props_notes_and_tuids(tmp_path: Path) -> None:
    from tmx.write import TmUnit, write_units

    units = [TmUnit(f"第{i}句。", f"Sentence {i}.", {f"x-tool-{i}": str(i), "x-score": "0.5"},
                    tuid=f"t{i}" if i % 2 else None, notes=["checked"] * (i % 3))
             for i in range(300)]  # more shapes than the writer keeps at once
    out = tmp_path / "t.tmx"
    assert write_units(out, units) == 300
    back = read_tmx(out).units
    assert [u.props for u in back] == [{"x-score": "0.5", f"x-tool-{i}": str(i)}
                                       for i in range(300)]
    assert [u.notes for u in back] == [["checked"] * (i % 3) for i in range(300)]
    assert [u.tuid for u in back[:3]] == ["1", "t1", "3"]
