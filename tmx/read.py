"""Reading TMX from any tool: streamed with iterparse, tolerant of dialects, strict on safety.

Tolerated: TMX 1.1-1.4b, ``lang`` instead of ``xml:lang``, other tools' props and notes,
inline codes in segments (their text is dropped, ``hi`` text kept), a DOCTYPE naming the
TMX DTD (never loaded). Refused with an AlignerError: malformed XML, a root that is not
``tmx``, no ``header`` or no ``srclang``, a ``tuv`` without a language, and any DOCTYPE that
declares entities.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aligner.common.errors import AlignerError

from .safety import check_file, parser_options

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline elements whose content is native code, not translatable text.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "it", "ph", "ut"})


@dataclass
class Header:
    attrs: dict[str, str]
    props: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def srclang(self) -> str:
        return self.attrs.get("srclang", "")


@dataclass
class Unit:
    """One ``tu``: its texts by language (in file order), props, notes and line number."""

    tuid: str | None
    segs: dict[str, str]
    props: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    line: int = 0

    def text(self, lang: str) -> str | None:
        """The text in ``lang``: an exact tag match first, else the same primary language."""
        want = lang.lower()
        for key, value in self.segs.items():
            if key.lower() == want:
                return value
        primary = want.split("-")[0]
        for key, value in self.segs.items():
            if key.lower().split("-")[0] == primary:
                return value
        return None

    @property
    def score(self) -> float | None:
        """The ``x-score`` confidence; None when absent or not a probability (NaN, inf, 7)."""
        try:
            score = float(self.props["x-score"])
        except (KeyError, ValueError):
            return None
        return score if 0.0 <= score <= 1.0 else None


@dataclass
class TmxFile:
    path: str
    version: str
    header: Header
    units: list[Unit]

    @property
    def srclang(self) -> str:
        return self.header.srclang


def local(tag: object) -> str:
    """An element's name without namespace; '' for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def seg_text(seg) -> str:
    """The plain text of a ``seg``: its text and tails, without native inline codes."""
    parts = [seg.text or ""]
    for child in seg:
        name = local(child.tag)
        if name and name not in _CODE_ELEMENTS:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def element_lang(elem) -> str | None:
    return elem.get(XML_LANG) or elem.get("lang")


# The elements whose events the reader and validator handle; everything inside a tu is read
# from the finished tu, which saves Python work on every inner element.
FRAME_TAGS = ("tmx", "header", "body", "tu")


def open_events(path: str | Path, events=("start", "end"), tag=FRAME_TAGS):
    """A safe iterparse over ``path`` (after the prolog check)."""
    from lxml import etree

    path = check_file(path)
    return path, etree.iterparse(str(path), events=events, tag=tag, remove_comments=True,
                                 remove_pis=True, **parser_options())


def root_problem(root) -> str | None:
    if root is None:
        return "no XML element"
    if local(root.tag) != "tmx":
        return f"root element is <{local(root.tag)}>, not <tmx>"
    return None


def syntax_error(path: Path, e: Exception) -> AlignerError:
    msg = str(e).split("\n")[0]
    line = getattr(e, "lineno", None) or (getattr(e, "position", None) or (None,))[0]
    where = f"line {line}: " if line else ""
    return AlignerError(path, f"{where}malformed XML: {msg}")


def iter_tmx(path: str | Path) -> tuple[str, Header, Iterator[Unit]]:
    """Parse up to the header; return (version, header, lazy iterator over units)."""
    from lxml import etree

    path, events = open_events(path)
    it = iter(events)

    def advance():
        try:
            return next(it)
        except StopIteration:
            return None
        except etree.XMLSyntaxError as e:
            raise syntax_error(path, e) from None

    first = advance()
    root = first[1].getroottree().getroot() if first else events.root
    problem = root_problem(root)
    if problem:
        line = f"line {root.sourceline}: " if root is not None else ""
        raise AlignerError(path, f"{line}{problem}: not a TMX file")
    version = root.get("version", "")
    header: Header | None = None
    while header is None:
        item = advance()
        if item is None:
            raise AlignerError(path, "no <header> element")
        event, elem = item
        if event == "end" and local(elem.tag) == "header":
            header = _header(elem)
            if not header.srclang:
                raise AlignerError(path, f"line {elem.sourceline}: <header> has no srclang")
        elif event == "start" and local(elem.tag) in ("body", "tu"):
            raise AlignerError(path, f"line {elem.sourceline}: no <header> before <body>")

    def units() -> Iterator[Unit]:
        while (item := advance()) is not None:
            event, elem = item
            if event != "end" or local(elem.tag) != "tu":
                continue
            yield _unit(path, elem)
            # Drop what has been read so memory stays flat however long the file.
            elem.clear()
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]

    return version, header, units()


def read_tmx(path: str | Path) -> TmxFile:
    """Read a whole TMX file (all units in a list)."""
    version, header, units = iter_tmx(path)
    return TmxFile(str(path), version, header, list(units))


def _header(elem) -> Header:
    props, notes = {}, []
    for child in elem:
        name = local(child.tag)
        if name == "prop" and child.get("type"):
            props[child.get("type")] = (child.text or "").strip()
        elif name == "note":
            notes.append((child.text or "").strip())
    return Header(dict(elem.attrib), props, notes)


def _unit(path: Path, tu) -> Unit:
    segs: dict[str, str] = {}
    props: dict[str, str] = {}
    notes: list[str] = []
    for child in tu:
        tag = child.tag
        if tag == "tuv":
            lang = child.get(XML_LANG) or child.get("lang")
            if not lang:
                raise AlignerError(path, f"line {child.sourceline}: <tuv> without xml:lang")
            for part in child:
                if part.tag == "seg":
                    if lang not in segs:
                        # Most segments are plain text: skip the walk over inline elements.
                        text = seg_text(part) if len(part) else (part.text or "")
                        segs[lang] = text.strip()
                    break
        elif tag == "prop":
            kind = child.get("type")
            if kind and kind not in props:
                props[kind] = (child.text or "").strip()
        elif tag == "note":
            notes.append((child.text or "").strip())
    return Unit(tu.get("tuid"), segs, props, notes, tu.sourceline or 0)
