"""The TBX export is TBX-Basic, not only well-formed TBX (issue 16, item 12).

Two layers, as the standard has them: the core structure (TBXcoreStructV03.rng: which element
goes inside which), checked here with a RELAX NG schema of that structure written for this test
and run by lxml; and TBX-Basic's Schematron rules (which data categories exist, at which level,
with which values), which lxml cannot run (they are XSLT 2), so the test checks them itself.
The export is of the curated glossary, with its proper nouns and adjectives.
"""

from __future__ import annotations

import pytest

from aligner.lexicon.glossary import load_glossary
from aligner.terms.export import TBX_NS, build_tbx, read_tbx, tbx_part_of_speech

etree = pytest.importorskip("lxml.etree")

CORE_RNG = f"""<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    ns="{TBX_NS}" datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="tbx"/></start>
  <define name="lang"><attribute name="xml:lang" ns="http://www.w3.org/XML/1998/namespace"/>
  </define>
  <define name="tbx"><element name="tbx">
    <attribute name="type"/><attribute name="style"><choice><value>dca</value>
      <value>dct</value></choice></attribute><ref name="lang"/>
    <element name="tbxHeader"><element name="fileDesc">
      <optional><element name="titleStmt"><element name="title"><text/></element>
        <zeroOrMore><ref name="note"/></zeroOrMore></element></optional>
      <optional><element name="publicationStmt"><oneOrMore><element name="p"><text/>
        </element></oneOrMore></element></optional>
      <zeroOrMore><element name="sourceDesc"><oneOrMore><element name="p"><text/></element>
        </oneOrMore></element></zeroOrMore>
    </element></element>
    <element name="text"><element name="body"><oneOrMore><ref name="conceptEntry"/>
      </oneOrMore></element></element>
  </element></define>
  <define name="auxInfo"><choice>
    <element name="admin"><attribute name="type"/><text/></element>
    <element name="descrip"><attribute name="type"/><text/></element>
    <ref name="note"/>
  </choice></define>
  <define name="note"><element name="note"><text/></element></define>
  <define name="conceptEntry"><element name="conceptEntry">
    <attribute name="id"><data type="ID"/></attribute>
    <zeroOrMore><ref name="auxInfo"/></zeroOrMore>
    <oneOrMore><element name="langSec"><ref name="lang"/>
      <zeroOrMore><ref name="auxInfo"/></zeroOrMore>
      <oneOrMore><element name="termSec">
        <element name="term"><text/></element>
        <zeroOrMore><element name="termNote"><attribute name="type"/><text/></element>
        </zeroOrMore>
        <zeroOrMore><ref name="auxInfo"/></zeroOrMore>
      </element></oneOrMore>
    </element></oneOrMore>
  </element></define>
</grammar>"""

# TBX-Basic's data categories, the levels where its Schematron allows each, and the values it
# permits for the picklists.
LEVELS = {
    ("descrip", "subjectField"): {"conceptEntry"},
    ("descrip", "definition"): {"conceptEntry", "langSec"},
    ("descrip", "context"): {"termSec"},
    ("admin", "source"): {"conceptEntry", "langSec", "termSec"},
    ("termNote", "partOfSpeech"): {"termSec"},
    ("termNote", "termType"): {"termSec"},
    ("termNote", "administrativeStatus"): {"termSec"},
}
VALUES = {
    "partOfSpeech": {"adjective", "noun", "other", "verb", "adverb"},
    "termType": {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def tbx_basic_problems(data: bytes) -> list[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    problems = []
    schema = etree.RelaxNG(etree.fromstring(CORE_RNG.encode()))
    if not schema.validate(root):
        problems += [f"core: {e.message}" for e in schema.error_log][:5]
    if root.get("type") != "TBX-Basic":
        problems.append(f"tbx/@type is {root.get('type')!r}")
    for el in root.iter(f"{{{TBX_NS}}}descrip", f"{{{TBX_NS}}}admin", f"{{{TBX_NS}}}termNote"):
        kind = (_local(el.tag), el.get("type"))
        level = _local(el.getparent().tag)
        if kind not in LEVELS:
            problems.append(f"{kind}: not a TBX-Basic data category")
        elif level not in LEVELS[kind]:
            problems.append(f"{kind} at {level} level")
        allowed = VALUES.get(el.get("type"))
        if allowed is not None and el.get("type") in VALUES and el.text not in allowed:
            problems.append(f"{el.get('type')} {el.text!r} not permitted")
    return sorted(set(problems))


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def test_the_curated_glossary_exports_as_valid_tbx_basic(glossary):
    assert any(e.pos == "proper noun" for e in glossary.entries)  # what made it fail before
    assert tbx_basic_problems(build_tbx(glossary.entries)) == []


def test_the_checker_catches_what_tbx_basic_forbids(glossary):
    data = build_tbx(glossary.entries[:3])
    bad = data.replace(b'type="partOfSpeech">noun<', b'type="partOfSpeech">proper noun<', 1)
    assert bad != data and "partOfSpeech 'proper noun' not permitted" in tbx_basic_problems(bad)
    moved = data.replace(b'<descrip type="subjectField">', b'<descrip type="subjectfield">', 1)
    assert any("not a TBX-Basic data category" in p for p in tbx_basic_problems(moved))
    broken = data.replace(b"<term>", b"<word>", 1).replace(b"</term>", b"</word>", 1)
    assert any(p.startswith("core:") for p in tbx_basic_problems(broken))


def test_the_finer_class_survives_the_round_trip(glossary, tmp_path):
    out = tmp_path / "g.tbx"
    out.write_bytes(build_tbx(glossary.entries))
    assert read_tbx(out) == glossary.entries


def test_part_of_speech_mapping():
    assert tbx_part_of_speech("proper noun") == ("noun", "proper noun")
    assert tbx_part_of_speech("Noun") == ("noun", None)
    assert tbx_part_of_speech("adjective") == ("adjective", None)
    assert tbx_part_of_speech("numeral") == ("other", "numeral")
