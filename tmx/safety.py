"""Opening TMX from outside safely: no DTD, no entities, no network.

lxml is asked not to load DTDs or resolve entities, but a file that *declares* entities is
refused outright before lxml sees it: such a file is either an attack (XXE, billion laughs)
or something no CAT tool writes, and refusing it is cheaper than reasoning about it.
"""

from __future__ import annotations

import re
from pathlib import Path

from aligner.common.errors import AlignerError
from aligner.common.fileio import existing_file

_PROLOG_LIMIT = 1 << 20  # a prolog (declaration, comments, DOCTYPE) larger than this is refused
_CHUNK = 1 << 16
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)


def parser_options() -> dict:
    """Options for lxml parsers/iterparse that never fetch or expand anything."""
    return {"resolve_entities": False, "no_network": True, "load_dtd": False,
            "dtd_validation": False, "huge_tree": False}


def _decode_head(raw: bytes) -> str:
    """Enough of a decoding to read markup in the prolog."""
    if raw.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return raw.decode("utf-32", errors="replace")
    if raw[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return raw.decode("utf-32-be" if raw[0] == 0 else "utf-32-le", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    if raw[:4] in (b"<\x00?\x00", b"<\x00!\x00"):
        return raw.decode("utf-16-le", errors="replace")
    if raw[:4] in (b"\x00<\x00?", b"\x00<\x00!"):
        return raw.decode("utf-16-be", errors="replace")
    # Markup in the prolog is ASCII in every ASCII-compatible encoding.
    return raw.decode("latin-1").lstrip("\ufeff").removeprefix("\xef\xbb\xbf")


# Every other encoding a parser might pick for the same bytes. The guess above is only a guess:
# a DOCTYPE is looked for in each reading, so that no choice of encoding slips one past.
_OTHER_READINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")


def _verdict(raw: bytes, complete: bool) -> str | None:
    """``_scan_prolog`` over every reading of ``raw``: "entities" if any reading declares
    entities, else the verdict of the likeliest reading (None: read more)."""
    main = _scan_prolog(_decode_head(raw), complete)
    undecided = main is None
    for encoding in _OTHER_READINGS:
        text = raw[:len(raw) - len(raw) % 4].decode(encoding, errors="replace").lstrip("\ufeff")
        other = _scan_prolog(text, complete)
        if other == "entities":
            return "entities"
        undecided = undecided or other is None
    return None if undecided else main


def check_file(path: str | Path) -> Path:
    """Refuse a missing, empty or unsafe file with an AlignerError; return the path."""
    path = existing_file(path)
    try:
        with path.open("rb") as fh:
            head = b""
            while True:
                chunk = fh.read(_CHUNK)
                head += chunk
                verdict = _verdict(head, complete=not chunk)
                if verdict is not None:
                    break
                if len(head) > _PROLOG_LIMIT:
                    raise AlignerError(path, "refused: XML prolog/DOCTYPE larger than 1 MiB")
    except OSError as e:
        raise AlignerError(path, f"cannot read: {e.strerror}") from None
    if verdict == "empty":
        raise AlignerError(path, "empty file (no XML)")
    if verdict == "entities":
        raise AlignerError(path, "refused: DOCTYPE declares entities (possible XXE or "
                                 "entity-expansion attack); TMX needs none")
    return path


def _scan_prolog(text: str, complete: bool) -> str | None:
    """Walk the prolog up to the root element (``end`` is the index of each construct's '>').

    Returns "ok", "empty", "entities", or None when more text is needed to decide.
    """
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            return "empty" if complete else None
        if text.startswith("<?", i):
            end = text.find("?>", i)
            end = end + 1 if end >= 0 else end
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            end = end + 2 if end >= 0 else end
        elif text.startswith("<!DOCTYPE", i) or text.startswith("<!doctype", i):
            end = _doctype_end(text, i)
            if end >= 0 and _ENTITY_DECL.search(text, i, end):
                return "entities"
            if end < 0 and _ENTITY_DECL.search(text, i):
                return "entities"  # no need to read the rest of a hostile subset
        elif n - i < 9 and not complete and "<!DOCTYPE".startswith(text[i:].upper()):
            return None
        else:
            return "ok"  # the root element, or something lxml will reject as malformed
        if end < 0:
            return "ok" if complete else None
        i = end + 1


def _doctype_end(text: str, start: int) -> int:
    """Index of the '>' closing the DOCTYPE at ``start``, or -1 if not yet seen."""
    depth = 0
    quote = ""
    for j in range(start + 2, len(text)):
        c = text[j]
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == ">" and depth <= 0:
            return j
    return -1
