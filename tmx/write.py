"""Writing TMX 1.4b, streamed so that a million units never sit in memory at once.

Each unit carries ``prop``s that a translator can filter on in a CAT tool: ``x-score``
(the aligner's confidence), ``x-status`` (``auto``, or ``confirmed`` by a reviewer in
``aligner review``), ``x-bead`` (``1-1``, ``2-1`` ...), ``x-document`` and
``x-speaker``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from aligner import __version__
from aligner.common.errors import AlignerError
from aligner.common.fileio import atomic_write

CREATION_TOOL = "un-aligner"
TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
# Everything XML 1.0 allows in character data; the rest (control codes, lone surrogates,
# U+FFFE/FFFF) would make the file unreadable to every parser.
_ILLEGAL_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PROP_ORDER = ("x-score", "x-status", "x-bead", "x-document", "x-speaker")


def clean_text(text: str) -> str:
    """Remove characters XML cannot carry and whitespace at the ends."""
    return _ILLEGAL_XML.sub("", text).strip()


@dataclass
class TmUnit:
    """A bilingual unit ready to write: source text, target text and its props."""

    src: str
    tgt: str
    props: dict[str, str] = field(default_factory=dict)
    tuid: str | None = None
    notes: list[str] = field(default_factory=list)


def format_score(score: float) -> str:
    return f"{float(score):.4f}"


def pair_to_unit(pair, document: str | None = None) -> TmUnit:
    """An ``aligner.common.formats.AlignedPair`` as a unit with the aligner's props."""
    props = {"x-score": format_score(pair.score), "x-bead": pair.kind,
             "x-status": "confirmed" if pair.extra.get("status") == "confirmed" else "auto"}
    doc = document or pair.extra.get("document")
    if doc:
        props["x-document"] = str(doc)
    speaker = pair.extra.get("speaker")
    if speaker:
        props["x-speaker"] = str(speaker)
    return TmUnit(pair.src, pair.tgt, props)


def beads_to_pairs(beads: Iterable, src: Sequence[str], tgt: Sequence[str],
                   speakers: Sequence[str | None] | None = None) -> Iterator:
    """``aligner.common.types.Bead``s over sentence lists as ``AlignedPair``s for ``write_tmx``.

    ``speakers`` (one per source sentence, e.g. ``Segment.speaker``) gives x-speaker.
    """
    from aligner.common.formats import AlignedPair, join_sentences

    for bead in beads:
        extra = {}
        if speakers is not None and bead.src_ids and speakers[bead.src_ids[0]]:
            extra["speaker"] = speakers[bead.src_ids[0]]
        yield AlignedPair(tuple(bead.src_ids), tuple(bead.tgt_ids),
                          join_sentences([src[i] for i in bead.src_ids], "zh"),
                          join_sentences([tgt[i] for i in bead.tgt_ids], "en"),
                          float(bead.score), extra)


def write_tmx(path: str | Path, pairs: Iterable, *, src_lang: str = "zh-CN",
              tgt_lang: str = "en-GB", document: str | None = None, note: str | None = None,
              min_score: float | None = None, skip_many_to_many: bool = False,
              confirmed_only: bool = False) -> int:
    """Write aligned pairs as TMX 1.4b atomically; return the number of units written.

    Beads with an empty side (after cleaning), beads scoring below ``min_score`` and, when
    asked, many-to-many beads (2-2, 3-2 ...) and beads a reviewer has not confirmed are left
    out.
    """

    def units() -> Iterator[TmUnit]:
        for pair in pairs:
            if min_score is not None and pair.score < min_score:
                continue
            if skip_many_to_many and len(pair.src_ids) > 1 and len(pair.tgt_ids) > 1:
                continue
            if confirmed_only and pair.extra.get("status") != "confirmed":
                continue
            yield pair_to_unit(pair, document)

    return write_units(path, units(), src_lang=src_lang, tgt_lang=tgt_lang, note=note)


def write_units(path: str | Path, units: Iterable[TmUnit], *, src_lang: str = "zh-CN",
                tgt_lang: str = "en-GB", note: str | None = None,
                creationdate: datetime | None = None) -> int:
    """Stream ``units`` into a TMX file written atomically; return how many were written."""
    from lxml import etree

    for lang in (src_lang, tgt_lang):
        if not _LANG.match(lang):
            raise AlignerError(None, f"not a language tag: {lang!r} (e.g. zh-CN, en-GB)")
    if src_lang.lower() == tgt_lang.lower():
        raise AlignerError(None, f"source and target language are both {src_lang}")
    when = (creationdate or _build_time()).astimezone(timezone.utc)
    header = etree.Element("header", {
        "creationtool": CREATION_TOOL,
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": CREATION_TOOL,
        "adminlang": "en",
        "srclang": src_lang,
        "datatype": "plaintext",
        "creationdate": when.strftime(TMX_DATE_FORMAT),
    })
    if note and clean_text(note):
        etree.SubElement(header, "note").text = clean_text(note)
    header.tail = "\n"
    written = 0
    # One element tree per shape of unit (which props, how many notes), refilled and
    # serialised for each unit: building fresh elements costs several times more.
    shapes: dict[tuple, tuple] = {}
    with atomic_write(path, "wb") as fh, etree.xmlfile(fh, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(header)
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    src, tgt = clean_text(unit.src), clean_text(unit.tgt)
                    if not src or not tgt:
                        continue
                    notes = [n for n in map(clean_text, unit.notes) if n]
                    props = [(clean_text(str(k)), c) for k, v in _ordered(unit.props)
                             if (c := clean_text(str(v))) and clean_text(str(k))]
                    shape = (len(notes), tuple(k for k, _ in props))
                    if shape not in shapes:
                        if len(shapes) >= 256:  # other tools' props vary: keep this bounded
                            shapes.clear()
                        shapes[shape] = _unit_shape(shape, src_lang, tgt_lang)
                    tu, note_elems, prop_elems, (src_seg, tgt_seg) = shapes[shape]
                    written += 1
                    tu.set("tuid", clean_text(unit.tuid or "") or str(written))
                    for elem, text in zip(note_elems, notes, strict=True):
                        elem.text = text
                    for elem, (_, value) in zip(prop_elems, props, strict=True):
                        elem.text = value
                    src_seg.text, tgt_seg.text = src, tgt
                    xf.write(tu)
            xf.write("\n")
    return written


def _unit_shape(shape: tuple, src_lang: str, tgt_lang: str) -> tuple:
    from lxml import etree

    n_notes, prop_names = shape
    tu = etree.Element("tu")
    notes = [etree.SubElement(tu, "note") for _ in range(n_notes)]
    props = [etree.SubElement(tu, "prop", type=name) for name in prop_names]
    segs = tuple(etree.SubElement(etree.SubElement(tu, "tuv", {XML_LANG: lang}), "seg")
                 for lang in (src_lang, tgt_lang))
    tu.tail = "\n"
    return tu, notes, props, segs


def _build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that rebuilds can be byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


def _ordered(props: dict[str, str]) -> list[tuple[str, str]]:
    known = [(k, props[k]) for k in _PROP_ORDER if k in props]
    return known + [(k, v) for k, v in props.items() if k not in _PROP_ORDER]
