"""The TMX 1.4b checks: each broken rule is reported once, on its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.common.errors import AlignerError
from aligner.common.formats import AlignedPair
from tmx.validate import is_language_tag, validate_tmx
from tmx.write import write_tmx

HEADER = ('<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
          'adminlang="en" srclang="zh-CN" datatype="plaintext" creationdate="20240131T235959Z"/>')
TU = ('<tu><tuv xml:lang="zh-CN"><seg>一。</seg></tuv>'
      '<tuv xml:lang="en-GB"><seg>One.</seg></tuv></tu>')


def tmx_text(header: str = HEADER, body: str = TU, version: str = "1.4") -> str:
    return f'<?xml version="1.0"?>\n<tmx version="{version}">\n{header}\n<body>\n{body}\n</body>\n</tmx>\n'


def problems_of(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    path = tmp_path / "v.tmx"
    path.write_text(text, encoding="utf-8")
    return [(p.line, p.message) for p in validate_tmx(path)]


def test_our_output_is_valid(tmp_path: Path) -> None:
    out = tmp_path / "ours.tmx"
    pairs = [AlignedPair((i,), (i,), f"第{i}句。", f"Sentence {i}.", 0.5, {"speaker": "主席"})
             for i in range(50)]
    write_tmx(out, pairs, document="CD/PV.1261", note="demo")
    assert validate_tmx(out) == []


def test_minimal_valid(tmp_path: Path) -> None:
    assert problems_of(tmp_path, tmx_text()) == []


@pytest.mark.parametrize("header, expected", [
    (HEADER.replace(' o-tmf="t"', ""), "required attribute o-tmf"),
    (HEADER.replace(' srclang="zh-CN"', ""), "required attribute srclang"),
    (HEADER.replace("sentence", "chapter"), "segtype 'chapter'"),
    (HEADER.replace('srclang="zh-CN"', 'srclang="zh_CN"'), "srclang 'zh_CN' is not"),
    (HEADER.replace("20240131T235959Z", "2024-01-31 23:59"), "creationdate"),
    (HEADER.replace("20240131T235959Z", "20241331T000000Z"), "creationdate"),
])
def test_header_rules(tmp_path: Path, header: str, expected: str) -> None:
    found = problems_of(tmp_path, tmx_text(header=header))
    assert (3, next(m for _, m in found if expected in m)) in found, found
    assert all(line == 3 for line, m in found if "source language" not in m), found


@pytest.mark.parametrize("body, expected", [
    ('<tu><tuv xml:lang="zh-CN"><seg>一。</seg></tuv></tu>', "1 <tuv>"),
    ('<tu><tuv xml:lang="zh-CN"><seg>一。</seg></tuv><tuv><seg>One.</seg></tuv></tu>',
     "no xml:lang"),
    ('<tu><tuv xml:lang="zh-CN"><seg>一</seg><seg>二</seg></tuv>'
     '<tuv xml:lang="en"><seg>One.</seg></tuv></tu>', "2 <seg>"),
    ('<tu><tuv xml:lang="zh-CN"></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>', "0 <seg>"),
    ('<tu><tuv xml:lang="fr"><seg>Un.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>',
     "source language zh-CN"),
    ('<tu><tuv xml:lang="zh-CN"><seg>一。</seg></tuv><tuv xml:lang="english"><seg>One.'
     '</seg></tuv></tu>', "'english' is not"),
    ('<tu changedate="yesterday">' + TU[4:], "changedate"),
    ('<tu><prop>no type</prop>' + TU[4:], "without a type"),
    ('<tuv xml:lang="en"><seg>stray</seg></tuv>', "<tuv> not allowed in <body>"),
])
def test_unit_rules(tmp_path: Path, body: str, expected: str) -> None:
    found = problems_of(tmp_path, tmx_text(body=TU + "\n" + body))
    assert found and all(line == 6 for line, _ in found), found  # the second tu's line
    assert any(expected in msg for _, msg in found), found


def test_srclang_all_accepts_any_tuv(tmp_path: Path) -> None:
    header = HEADER.replace('srclang="zh-CN"', 'srclang="*all*"')
    body = '<tu><tuv xml:lang="fr"><seg>Un.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>'
    assert problems_of(tmp_path, tmx_text(header=header, body=body)) == []


def test_root_version_and_structure(tmp_path: Path) -> None:
    assert any("version '2.0'" in m for _, m in problems_of(tmp_path, tmx_text(version="2.0")))
    wrong_root = "<xliff version='1.2'><file/></xliff>"
    assert (1, "root element is <xliff>, not <tmx>") in problems_of(tmp_path, wrong_root)
    no_header = "<tmx version='1.4'>\n<body/>\n</tmx>"
    assert any("0 <header>" in m for _, m in problems_of(tmp_path, no_header))


def test_problem_line_numbers_follow_the_file(tmp_path: Path) -> None:
    bad = '<tu><tuv xml:lang="zh-CN"><seg>一。</seg></tuv></tu>'
    body = "\n".join([TU, TU, bad, TU, bad])
    assert [line for line, _ in problems_of(tmp_path, tmx_text(body=body))] == [7, 9]


@pytest.mark.parametrize("tag, ok", [
    ("zh", True), ("zh-CN", True), ("zh-Hans-CN", True), ("en-GB", True), ("es-419", True),
    ("yue-HK", True), ("x-private", True), ("de-CH-1996", True), ("en-GB-x-un", True),
    ("zh_CN", False), ("english", False), ("e", False), ("", False), ("en-", False),
    ("zh-CN-", False),
])
def test_language_tag_shape(tag: str, ok: bool) -> None:
    assert is_language_tag(tag) is ok


def test_unreadable_is_an_error_not_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text("<tmx version='1.4'><header>", encoding="utf-8")
    with pytest.raises(AlignerError, match="malformed"):
        validate_tmx(path)
