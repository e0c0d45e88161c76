"""Bytes to text: byte-order marks, strict UTF-8, then a detected legacy encoding."""

from __future__ import annotations

from pathlib import Path

from ..common.errors import AlignerError


def decode(data: bytes, path: str | Path) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then a detected legacy encoding.

    Text that no encoding decodes cleanly is an error, never a silent guess.
    """
    if not data.strip():
        raise AlignerError(path, "empty file")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                     (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                     (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(enc), path)
            except UnicodeDecodeError:
                raise AlignerError(path, f"starts with a {enc} byte-order mark but does not "
                                         f"decode as {enc}") from None
    if b"\x00" in data:
        raise AlignerError(path, "binary data, not text (NUL bytes and no UTF-16 byte-order mark)")
    try:
        return _check_text(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "cp1252", "utf_16"]).best()
    if best is None:
        raise AlignerError(path, "undecodable bytes: not UTF-8, UTF-16 or GB18030 text")
    enc = "gb18030" if best.encoding in ("gb2312", "gbk", "gb18030") else best.encoding
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        raise AlignerError(path, "undecodable bytes: not UTF-8, UTF-16 or GB18030 text") from None
    return _check_text(text, path)


def _check_text(text: str, path: str | Path) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(2, len(text) // 1000):
        raise AlignerError(path, "binary data, not text (control characters)")
    return text
