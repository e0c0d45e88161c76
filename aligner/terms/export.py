"""Glossary export: TBX-Basic (TBX v3, ISO 30042:2019), and flat CSV, TSV and OmegaT files.

TBX layout (DCA style)::

    tbx[type=TBX-Basic, style=dca, xml:lang]
      tbxHeader/fileDesc/(titleStmt/title, sourceDesc/p)
      text/body/conceptEntry[id]
        descrip[type=subjectField], admin[type=source], note     (concept level)
        langSec[xml:lang]/termSec
          term, termNote[type=partOfSpeech], termNote[type=termType] (variants only),
          note ("part of speech: proper noun": a class TBX-Basic does not have)

lxml is imported inside the functions that need it: ``aligner glossary lookup`` stays fast.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from ..common.errors import AlignerError
from ..common.fileio import atomic_write, existing_file
from ..lexicon.glossary import COLUMNS, Entry, Glossary, has_cjk, is_acronym, normalise_en

# The namespace that the TBX v3 schemas (ISO 30042:2019, the standard's second edition) declare.
TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EXPORT_FORMATS = ("tbx", "csv", "tsv", "omegat")
# The only partOfSpeech values TBX-Basic's rules permit.
TBX_BASIC_POS = ("adjective", "noun", "other", "verb", "adverb")
_FINER_POS = "part of speech: "


def tbx_part_of_speech(pos: str) -> tuple[str, str | None]:
    """The TBX-Basic partOfSpeech for a glossary's part of speech, and the glossary's own finer
    class when it is not one of those (kept in a note, so that nothing is lost)."""
    value = pos.strip().lower()
    if value in TBX_BASIC_POS:
        return value, None
    return ("noun" if value.endswith(("noun", "name")) else "other"), pos


def term_type(variant: str, main: str) -> str:
    """The TBX-Basic termType of a variant beside its main term."""
    if is_acronym(variant):
        return "acronym"
    if has_cjk(variant):
        return "abbreviation" if len(variant) < len(main) else "variant"
    if normalise_en(variant).replace(" ", "") == normalise_en(main).replace(" ", ""):
        return "variant"  # the same term in another number or spelling (Vietnam, Viet Nam)
    n_variant, n_main = len(variant.split()), len(main.split())
    if n_variant == n_main:
        return "variant"
    return "shortForm" if n_variant < n_main else "fullForm"


def build_tbx(entries: Sequence[Entry], *, src_lang: str = "zh-CN", tgt_lang: str = "en-GB",
              title: str = "Conference on Disarmament glossary",
              source_note: str | None = None) -> bytes:
    """The TBX-Basic document for ``entries``, as UTF-8 bytes."""
    from lxml import etree

    def sub(parent, tag: str, text: str | None = None, **attrs: str):
        el = etree.SubElement(parent, f"{{{TBX_NS}}}{tag}")
        for k, v in attrs.items():
            el.set(XML_LANG if k == "xml_lang" else k, v)
        if text is not None:
            el.text = text
        return el

    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS})
    root.set("type", "TBX-Basic")
    root.set("style", "dca")
    root.set(XML_LANG, tgt_lang.split("-")[0])
    file_desc = sub(sub(root, "tbxHeader"), "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", title)
    sub(sub(file_desc, "sourceDesc"), "p",
        source_note or "Exported by un-aligner from its curated Chinese-English glossary.")
    body = sub(sub(root, "text"), "body")
    for i, e in enumerate(entries, 1):
        concept = sub(body, "conceptEntry", id=f"c{i}")
        if e.subject:
            sub(concept, "descrip", e.subject, type="subjectField")
        if e.source:
            sub(concept, "admin", e.source, type="source")
        if e.note:
            sub(concept, "note", e.note)
        for lang, main, variants in ((src_lang, e.zh, e.variants_zh),
                                     (tgt_lang, e.en, e.variants_en)):
            lang_sec = sub(concept, "langSec", xml_lang=lang)
            for form in (main, *variants):
                term_sec = sub(lang_sec, "termSec")
                sub(term_sec, "term", form)
                basic, finer = tbx_part_of_speech(e.pos) if e.pos else ("", None)
                if basic:
                    sub(term_sec, "termNote", basic, type="partOfSpeech")
                if form != main:
                    sub(term_sec, "termNote", term_type(form, main), type="termType")
                if finer:  # after the termNotes, as the TBX core structure orders them
                    sub(term_sec, "note", _FINER_POS + finer)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_tbx(path: str | Path) -> list[Entry]:
    """Read back a TBX file this module wrote (or one laid out alike), with a safe parser."""
    from lxml import etree

    data = existing_file(path).read_bytes()
    # Checked before parsing: entity expansion is how hostile XML attacks a reader.
    if b"<!DOCTYPE" in data and b"<!ENTITY" in data:
        raise AlignerError(path, "refusing a DOCTYPE that declares entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise AlignerError(path, f"not well-formed XML: {e}") from None
    ns = {"t": TBX_NS}
    if root.tag != f"{{{TBX_NS}}}tbx":
        raise AlignerError(path, f"not a TBX v3 file (root element {root.tag!r})")
    entries = []
    for concept in root.iterfind(".//t:conceptEntry", ns):
        sides: dict[str, list[str]] = {"zh": [], "en": []}
        pos = ""
        for lang_sec in concept.iterfind("t:langSec", ns):
            side = "zh" if lang_sec.get(XML_LANG, "").lower().startswith("zh") else "en"
            for term_sec in lang_sec.iterfind("t:termSec", ns):
                sides[side].append(term_sec.findtext("t:term", "", ns))
                finer = [n.text[len(_FINER_POS):] for n in term_sec.iterfind("t:note", ns)
                         if (n.text or "").startswith(_FINER_POS)]
                pos = pos or (finer[0] if finer else
                              term_sec.findtext("t:termNote[@type='partOfSpeech']", "", ns))
        if not sides["zh"] or not sides["en"]:
            raise AlignerError(path, f"conceptEntry {concept.get('id')}: needs a zh and an en term")
        entries.append(Entry(
            sides["zh"][0], sides["en"][0], tuple(sides["zh"][1:]), tuple(sides["en"][1:]), pos,
            concept.findtext("t:descrip[@type='subjectField']", "", ns),
            concept.findtext("t:note", "", ns),
            concept.findtext("t:admin[@type='source']", "", ns)))
    return entries


def _row(e: Entry) -> list[str]:
    return [e.zh, e.en, ";".join((*e.variants_zh, *e.variants_en)), e.pos, e.subject, e.note,
            e.source]


def build_tsv(entries: Sequence[Entry]) -> str:
    """The glossary's own TSV format: ``load_glossary`` reads it back."""
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join(c.replace("\t", " ") for c in _row(e)) for e in entries]
    return "\n".join(lines) + "\n"


def build_csv(entries: Sequence[Entry], counts: Sequence[int] | None = None) -> str:
    """CSV for spreadsheets, with a header; ``counts`` adds occurrences in a record."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*COLUMNS, *(["count"] if counts is not None else [])])
    for i, e in enumerate(entries):
        writer.writerow([*_row(e), *([counts[i]] if counts is not None else [])])
    return buf.getvalue()


def build_omegat(entries: Sequence[Entry]) -> str:
    """OmegaT glossary: ``source<TAB>target<TAB>comment``, one line per Chinese form."""
    lines = []
    for e in entries:
        comment = "; ".join(x for x in (e.pos, e.subject, e.note) if x)
        for form in e.zh_forms:
            extra = f"variant of {e.zh}" if form != e.zh else ""
            en_variants = ", ".join(e.variants_en)
            parts = [extra, f"also: {en_variants}" if en_variants else "", comment]
            lines.append("\t".join(x.replace("\t", " ") for x in
                                   (form, e.en, " | ".join(p for p in parts if p))))
    return "\n".join(lines) + ("\n" if lines else "")


def export_glossary(glossary: Glossary, path: str | Path, fmt: str, **options) -> int:
    """Write a whole glossary to ``path`` in ``fmt`` (tbx, csv, tsv, omegat), atomically."""
    return export(path, glossary.entries, fmt, **options)


def export(path: str | Path | None, entries: Sequence[Entry], fmt: str,
           counts: Sequence[int] | None = None, out=None, inputs: Sequence = (),
           **tbx_options) -> int:
    """Write ``entries`` in ``fmt`` to ``path`` atomically (or to ``out`` when no path); a
    ``path`` that is one of ``inputs`` is refused.

    Returns the number of entries written. ``counts`` (occurrences in a record) go into the
    CSV as a column; the other formats keep their standard columns.
    """
    if fmt not in EXPORT_FORMATS:
        raise AlignerError(None, f"unknown export format {fmt!r} "
                                 f"(choose from {', '.join(EXPORT_FORMATS)})")
    if fmt == "tbx":
        data: bytes | str = build_tbx(entries, **tbx_options)
    elif fmt == "csv":
        data = build_csv(entries, counts)
    elif fmt == "tsv":
        data = build_tsv(entries)
    else:
        data = build_omegat(entries)
    if path is None:
        if isinstance(data, bytes):
            out.buffer.write(data) if hasattr(out, "buffer") else out.write(data.decode("utf-8"))
        else:
            out.write(data)
    elif isinstance(data, bytes):
        with atomic_write(path, "wb", inputs=inputs) as fh:
            fh.write(data)
    else:
        with atomic_write(path, inputs=inputs) as fh:
            fh.write(data)
    return len(entries)
