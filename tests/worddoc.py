"""The smallest Word 97-2003 (.doc) file that word processors read, written from scratch.

No Python library writes the format, and LibreOffice, which does, is too big to require for the
tests; so this module writes one itself, from the published specifications ([MS-CFB] for the
container, [MS-DOC] for the document): a compound file holding a ``WordDocument`` stream (the
file information block, then the text as UTF-16) and a ``1Table`` stream (the piece table that
says where the text is). There is no formatting: each paragraph is its text and a paragraph
mark, which is all a reader of the text needs.
"""

from __future__ import annotations

import struct
from pathlib import Path

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
TEXT_AT = 0x800  # where the text starts in the WordDocument stream, after the FIB


def _fib(ccp_text: int, text_bytes: int, clx_size: int, stsh_size: int) -> bytes:
    fib = bytearray(TEXT_AT)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0409, 0)
    # flags: the table is in 1Table (fWhichTblStm), the text has characters beyond Latin-1
    struct.pack_into("<H", fib, 0x0A, 0x0200 | 0x1000)
    struct.pack_into("<H", fib, 0x0C, 0x00BF)  # nFibBack
    # fcMin / fcMac: where the text lies, which older readers still look at
    struct.pack_into("<II", fib, 0x18, TEXT_AT, TEXT_AT + text_bytes)
    struct.pack_into("<H", fib, 0x20, 14)  # csw: 14 shorts of fibRgW follow
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw: 22 longs of fibRgLw follow
    struct.pack_into("<I", fib, 0x40, TEXT_AT + text_bytes)  # cbMac
    struct.pack_into("<I", fib, 0x4C, ccp_text)  # ccpText; no footnotes, headers, ...
    struct.pack_into("<H", fib, 0x98, 0x5D)  # cbRgFcLcb: the Word 97 set of (fc, lcb) pairs
    # 1Table holds the piece table (fcClx, lcbClx), then the stylesheet (fcStshf, lcbStshf)
    struct.pack_into("<II", fib, 0x1A2, 0, clx_size)
    struct.pack_into("<II", fib, 0xA2, clx_size, stsh_size)
    struct.pack_into("<H", fib, 0x382, 0)  # cswNew
    return bytes(fib)


def _stylesheet() -> bytes:
    # One style slot, empty: readers that expect a stylesheet get a valid one with no styles.
    stshi = struct.pack("<HHHHHHHHH", 1, 10, 1, 0x5B, 15, 0, 0, 0, 0)
    return struct.pack("<H", len(stshi)) + stshi + struct.pack("<H", 0)


def _clx(ccp: int) -> bytes:
    # one piece: characters 0..ccp at TEXT_AT, UTF-16 (fCompressed clear), no property changes
    plc = struct.pack("<II", 0, ccp) + struct.pack("<HIH", 0, TEXT_AT, 0)
    return b"\x02" + struct.pack("<I", len(plc)) + plc


def _padded(data: bytes) -> bytes:
    # 4096 bytes at least, so that no stream goes to the mini stream: one allocation table only
    size = max(4096, -(-len(data) // SECTOR) * SECTOR)
    return data + b"\0" * (size - len(data))


def _entry(name: str, kind: int, start: int, size: int, left: int = NOSTREAM,
           right: int = NOSTREAM, child: int = NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child) + b"\0" * 16 + struct.pack("<I", 0)
            + b"\0" * 16 + struct.pack("<IQ", start, size))


def compound_file(streams: list[tuple[str, bytes]]) -> bytes:
    """A version 3 compound file with the streams in the root storage."""
    # Every stream is declared at its padded size: one under 4096 bytes would belong in the
    # mini stream. Zeros after the text or the piece table are never read.
    streams = [(name, _padded(data)) for name, data in streams]
    bodies = [data for _, data in streams]
    counts = [len(b) // SECTOR for b in bodies]
    n_dir = 1  # 4 entries a sector: the root and up to three streams
    assert len(streams) <= 3
    total = sum(counts) + n_dir
    n_fat = 1
    while (total + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    fat = [FATSECT] * n_fat
    starts = []
    for count in counts:
        starts.append(len(fat))
        fat += list(range(len(fat) + 1, len(fat) + count)) + [END]
    dir_start = len(fat)
    fat += [END]
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))

    # The directory is a red-black tree ordered by name length, then name: here, all black,
    # the first stream as the root's child and the others hanging to its right.
    order = sorted(range(len(streams)), key=lambda i: (len(streams[i][0]),
                                                       streams[i][0].upper()))
    entries = [_entry("Root Entry", 5, END, 0, child=order[0] + 1)]
    for i, (name, data) in enumerate(streams):
        position = order.index(i)
        right = order[position + 1] + 1 if position + 1 < len(order) else NOSTREAM
        entries.append(_entry(name, 2, starts[i], len(data), right=right))
    directory = bytearray(b"".join(entries).ljust(SECTOR, b"\0"))
    for k in range(len(entries), SECTOR // 128):  # unused entries: no siblings, no child
        struct.pack_into("<III", directory, k * 128 + 0x44, NOSTREAM, NOSTREAM, NOSTREAM)

    header = bytearray(SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, n_fat, dir_start, 0, 0x1000, END, 0, END, 0)
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return bytes(header) + fat_bytes + b"".join(bodies) + bytes(directory)


def write_doc(path: str | Path, paragraphs: list[str]) -> Path:
    """Write ``paragraphs`` as a Word 97-2003 document, one Word paragraph each."""
    text = "".join(p.replace("\r", " ").replace("\n", " ") + "\r" for p in paragraphs)
    encoded = text.encode("utf-16-le")
    ccp = len(encoded) // 2
    clx, stsh = _clx(ccp), _stylesheet()
    # Zeros after the text: catdoc reads it in blocks and drops a last one the stream cuts short.
    word = _fib(ccp, len(encoded), len(clx), len(stsh)) + encoded + b"\0" * 1024
    data = compound_file([("WordDocument", word), ("1Table", clx + stsh)])
    Path(path).write_bytes(data)
    return Path(path)


def write_record(path: str | Path, lang: str) -> Path:
    """The test record CD/PV.9999 (``records``) as a Word 97-2003 file: the symbol, its
    paragraphs, the job number, as a Word file without headers and footers holds them."""
    import records

    paragraphs = [p for p, _ in records._printed_paragraphs(lang)]
    return write_doc(path, [records.SYMBOL, *paragraphs, records.JOB_NUMBER])
