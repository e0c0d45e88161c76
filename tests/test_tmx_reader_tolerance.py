"""Reading other tools' TMX, and refusing unsafe or broken files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aligner.common.errors import AlignerError
from tmx.read import read_tmx

OTHER_TOOL = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "http://example.invalid/tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SomeCAT" creationtoolversion="9" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="EN-US" datatype="rtf">
    <prop type="x-Client">UN</prop><note>exported</note>
  </header>
  <body>
    <!-- a comment -->
    <tu tuid="a7" creationdate="20200101T000000Z">
      <note>checked</note>
      <prop type="x-Context">ctx</prop>
      <tuv xml:lang="EN-US"><prop type="x-origin">tm</prop>
        <seg>Press <bpt i="1">{b}</bpt>Save<ept i="1">{/b}</ept> now<ph>{tab}</ph>.</seg></tuv>
      <tuv xml:lang="ZH-CN"><seg>现在按<hi type="b">保存</hi>。</seg></tuv>
    </tu>
    <tu><tuv lang="en-US"><seg>Old style lang.</seg></tuv><tuv lang="zh-CN"><seg>旧式。</seg></tuv></tu>
  </body>
</tmx>
"""


def test_reads_other_tools_dialect(tmp_path: Path) -> None:
    path = tmp_path / "other.tmx"
    path.write_text(OTHER_TOOL, encoding="utf-8")
    tm = read_tmx(path)  # the DOCTYPE's DTD points at a host that does not exist: never fetched
    assert tm.srclang == "EN-US"
    assert tm.header.props == {"x-Client": "UN"}
    first, second = tm.units
    assert first.tuid == "a7" and first.notes == ["checked"]
    assert first.props == {"x-Context": "ctx"}
    assert first.text("en") == "Press Save now."
    assert first.text("zh-CN") == "现在按保存。"  # case-insensitive tag match
    assert first.score is None
    assert second.text("en-US") == "Old style lang." and second.text("zh") == "旧式。"


def test_reads_utf16(tmp_path: Path) -> None:
    path = tmp_path / "utf16.tmx"
    path.write_bytes(OTHER_TOOL.replace("UTF-8", "UTF-16").encode("utf-16"))
    assert [u.text("zh") for u in read_tmx(path).units] == ["现在按保存。", "旧式。"]


XXE = """<?xml version="1.0"?>
<!DOCTYPE tmx [ <!ENTITY secret SYSTEM "file://{target}"> ]>
<tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1"
segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="en"><seg>&secret;</seg></tuv><tuv xml:lang="zh"><seg>秘密</seg></tuv></tu></body></tmx>
"""

LAUGHS = "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n <!ENTITY lol \"lol\">\n" + "".join(
    f' <!ENTITY lol{i} "' + f"&lol{i - 1 if i > 1 else ''};" * 10 + '">\n'
    for i in range(1, 10)) + "]>\n<tmx version=\"1.4\"><body>&lol9;</body></tmx>\n"


@pytest.mark.parametrize("kind", ["xxe", "laughs"])
def test_hostile_doctype_refused_fast(tmp_path: Path, kind: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "evil.tmx"
    path.write_text(XXE.format(target=secret) if kind == "xxe" else LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(AlignerError) as info:
        read_tmx(path)
    assert time.perf_counter() - start < 1.0
    assert "entit" in info.value.reason and "TOP-SECRET" not in str(info.value)


def test_doctype_entities_in_utf16_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil16.tmx"
    path.write_bytes(LAUGHS.encode("utf-16"))
    with pytest.raises(AlignerError, match="entit"):
        read_tmx(path)


@pytest.mark.parametrize("content, reason", [
    ("", "empty"),
    ("  \n", "empty"),
    ("<tmx version='1.4'><header srclang='en'>", "malformed"),
    ("<xliff version='1.2'><file/></xliff>", "not <tmx>"),
    ("<tmx version='1.4'><header creationtool='x'/><body/></tmx>", "srclang"),
    ("<tmx version='1.4'><header srclang='en'/><body><tu><tuv><seg>x</seg></tuv></tu></body>"
     "</tmx>", "without xml:lang"),
    ("<tmx version='1.4'><body/></tmx>", "header"),
])
def test_bad_files_raise_aligner_error(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AlignerError, match=reason) as info:
        read_tmx(path)
    assert info.value.path == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AlignerError, match="no such file"):
        read_tmx(tmp_path / "nope.tmx")
