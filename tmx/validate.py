"""Checking a TMX file against TMX 1.4b, plus what a translation memory needs.

Problems are findings (the file parses but breaks a rule), each with its line. A file that
cannot be read, is not XML, or is unsafe raises AlignerError instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .read import XML_LANG, local, open_events, root_problem, syntax_error

# The shape of a BCP 47 tag: language(-extlang)(-script)(-region)(-variant)*(-ext)*(-x-priv)
# (primary subtags of 4-8 letters are reserved, none registered, so "english" is refused),
# or a private-use tag, or one of the old i- tags.
_BCP47 = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
    r"|^[xX](?:-[A-Za-z0-9]{1,8})+$|^[iI]-[A-Za-z]{3,8}$"
)
_DATE = re.compile(r"^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3])[0-5]\d[0-5]\dZ$")
_DATE_ATTRS = ("creationdate", "changedate", "lastusagedate")
_HEADER_REQUIRED = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                    "srclang", "datatype")
_SEGTYPES = ("block", "paragraph", "sentence", "phrase")
_VERSIONS = ("1.1", "1.2", "1.3", "1.4", "1.4b")
_CHILDREN = {
    "tmx": {"header", "body"},
    "header": {"note", "prop", "ude"},
    "body": {"tu"},
    "tu": {"note", "prop", "tuv"},
    "tuv": {"note", "prop", "seg"},
    "ude": {"map"},
}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass
class Report:
    problems: list[Problem]
    units: int


def is_language_tag(tag: str) -> bool:
    return bool(_BCP47.match(tag))


def validate_tmx(path: str | Path) -> list[Problem]:
    """The problems found in ``path`` (empty when valid); AlignerError if unreadable/unsafe."""
    return check_tmx(path).problems


def check_tmx(path: str | Path) -> Report:
    from lxml import etree

    path, events = open_events(path)
    problems: list[Problem] = []
    units = 0
    srclang = ""
    root_checked = False

    def add(elem, message: str) -> None:
        problems.append(Problem(elem.sourceline or 0, message))

    def stray(elem, allowed: set[str]) -> None:
        """Report children of ``elem`` that TMX does not allow there."""
        for child in elem:
            if child.tag not in allowed:
                add(child, f"<{local(child.tag)}> not allowed in <{local(elem.tag)}>")

    try:
        for event, elem in events:
            if not root_checked:
                root_checked = True
                _check_root(elem.getroottree().getroot(), add)
            if event == "start":
                continue
            tag = elem.tag
            parent = elem.getparent()
            expected_parent = _PARENT[tag]
            if parent is None and tag != "tmx" or parent is not None and \
                    parent.tag != expected_parent:
                where = local(parent.tag) if parent is not None else "the document"
                add(elem, f"<{tag}> not allowed in {where}")
            if tag == "tu":
                units += 1
                _check_tu(elem, srclang, add)
                # Check, then drop, what came before this unit: memory stays flat.
                while (prev := elem.getprevious()) is not None:
                    if prev.tag != "tu":
                        add(prev, f"<{local(prev.tag)}> not allowed in <{local(parent.tag)}>")
                    del parent[0]
                elem.clear(keep_tail=True)
            elif tag == "header":
                srclang = _check_header(elem, add)
                stray(elem, _CHILDREN["header"])
            elif tag == "body":
                stray(elem, _CHILDREN["body"])
            elif tag == "tmx":
                _check_tmx_children(elem, add)
    except etree.XMLSyntaxError as e:
        raise syntax_error(path, e) from None
    if not root_checked:
        _check_root(events.root, add)
    return Report(problems, units)


_PARENT = {"tmx": None, "header": "tmx", "body": "tmx", "tu": "body"}


def _check_tmx_children(tmx, add) -> None:
    names = [child.tag for child in tmx]
    for child in tmx:
        if child.tag not in _CHILDREN["tmx"]:
            add(child, f"<{local(child.tag)}> not allowed in <tmx>")
    for required in ("header", "body"):
        count = names.count(required)
        if count != 1:
            add(tmx, f"<tmx> has {count} <{required}> elements, needs exactly one")
    if "header" in names and "body" in names and names.index("body") < names.index("header"):
        add(tmx, "<body> before <header>")


def _check_root(elem, add) -> None:
    problem = root_problem(elem)
    if problem:
        if elem is not None:
            add(elem, problem)
        return
    version = elem.get("version")
    if not version:
        add(elem, "<tmx> has no version attribute")
    elif version not in _VERSIONS:
        add(elem, f"<tmx> version {version!r} is not a TMX version (1.4 expected)")


def _check_dates(elem, add) -> None:
    for attr in _DATE_ATTRS:
        value = elem.get(attr)
        if value is not None and not _DATE.match(value):
            add(elem, f"{attr} {value!r} is not of the form YYYYMMDDThhmmssZ")


def _check_props(elem, add) -> None:
    for child in elem:
        if local(child.tag) == "prop" and not child.get("type"):
            add(child, "<prop> without a type attribute")


def _check_header(elem, add) -> str:
    for attr in _HEADER_REQUIRED:
        if not elem.get(attr):
            add(elem, f"<header> lacks the required attribute {attr}")
    segtype = elem.get("segtype")
    if segtype and segtype not in _SEGTYPES:
        add(elem, f"<header> segtype {segtype!r} is not one of {', '.join(_SEGTYPES)}")
    for attr in ("adminlang", "srclang"):
        value = elem.get(attr)
        if value and not (attr == "srclang" and value == "*all*") and not is_language_tag(value):
            add(elem, f"<header> {attr} {value!r} is not a well-formed language tag")
    _check_dates(elem, add)
    _check_props(elem, add)
    return elem.get("srclang") or ""


def _lang_ok(lang: str, _cache: dict[str, bool] = {}) -> bool:  # noqa: B006 - a memo
    ok = _cache.get(lang)
    if ok is None:
        ok = _cache[lang] = is_language_tag(lang)
    return ok


def _check_tu(tu, srclang: str, add) -> None:
    # One pass with plain tag comparisons: this runs for every unit of large memories.
    _check_dates(tu, add)
    langs: list[str] = []
    tuvs = 0
    for child in tu:
        tag = child.tag
        if tag == "tuv":
            tuvs += 1
            lang = child.get(XML_LANG) or child.get("lang")
            if not lang:
                add(child, "<tuv> has no xml:lang")
            elif not _lang_ok(lang):
                add(child, f"<tuv> language {lang!r} is not a well-formed language tag")
            else:
                langs.append(lang.lower())
            segs = 0
            for part in child:
                ptag = part.tag
                if ptag == "seg":
                    segs += 1
                elif ptag == "prop":
                    if not part.get("type"):
                        add(part, "<prop> without a type attribute")
                elif ptag != "note":
                    add(part, f"<{local(ptag)}> not allowed in <tuv>")
            if segs != 1:
                add(child, f"<tuv> has {segs} <seg> elements, needs exactly one")
            _check_dates(child, add)
        elif tag == "prop":
            if not child.get("type"):
                add(child, "<prop> without a type attribute")
        elif tag != "note":
            add(child, f"<{local(tag)}> not allowed in <tu>")
    if tuvs < 2:
        add(tu, f"<tu> has {tuvs} <tuv>, a translation memory unit needs at least two")
    unit_src = tu.get("srclang") or srclang
    if unit_src and unit_src != "*all*" and langs and unit_src.lower() not in langs:
        add(tu, f"<tu> has no <tuv> in the source language {unit_src}"
                f" (has {', '.join(sorted(set(langs)))})")
