"""Alignment files: the bead format of the MAC benchmark, JSONL and TSV.

``beads``: one bead a line, ``[0,1]:[0]``, 0-based ids, ``[]`` for an empty side.
``jsonl``: one object a bead: ``src_ids``, ``tgt_ids``, ``src``, ``tgt``, ``score``
(plus optional ``kind``, ``speaker``, ``flags``, ``features``, ``status``; and
``src_sentences`` / ``tgt_sentences``, each sentence's own text).
``tsv``: ``src_ids<TAB>tgt_ids<TAB>score<TAB>src<TAB>tgt``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import AlignerError
from .fileio import atomic_write, read_utf8
from .types import Bead

FORMATS = ("beads", "tsv", "jsonl")
_SUFFIX_FORMAT = {".align": "beads", ".beads": "beads", ".tsv": "tsv", ".jsonl": "jsonl"}
_BEAD_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """The output format: explicit if given, else from the suffix, else ``beads``."""
    if explicit:
        if explicit not in FORMATS:
            raise AlignerError(
                None, f"unknown format {explicit!r} (choose from {', '.join(FORMATS)})")
        return explicit
    return _SUFFIX_FORMAT.get(Path(path).suffix.lower(), "beads")


def join_sentences(sentences: Sequence[str], lang: str) -> str:
    """Merge the sentences of one side of a bead: no space in Chinese, one in English."""
    return ("" if lang.startswith("zh") else " ").join(s.strip() for s in sentences)


def bead_line(bead: Bead) -> str:
    return f"[{','.join(map(str, bead.src_ids))}]:[{','.join(map(str, bead.tgt_ids))}]"


def parse_bead_line(line: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    m = _BEAD_LINE.match(line)
    if not m:
        return None

    def ids(s: str) -> tuple[int, ...]:
        return tuple(int(x) for x in s.replace(" ", "").split(",") if x)

    return ids(m.group(1)), ids(m.group(2))


def read_beads(path: str | Path) -> list[Bead]:
    """Read a bead file (gold or system output); a malformed line is an error with its number."""
    path = Path(path)
    beads = []
    for n, line in enumerate(read_utf8(path).splitlines(), 1):
        if not line.strip():
            continue
        parsed = parse_bead_line(line)
        if parsed is None:
            raise AlignerError(path, f"line {n}: not a bead ('[zh ids]:[en ids]'): {line[:60]!r}")
        beads.append(Bead(*parsed))
    return beads


def bead_record(bead: Bead, src: Sequence[str], tgt: Sequence[str], **extra: object) -> dict:
    rec = {
        "src_ids": list(bead.src_ids),
        "tgt_ids": list(bead.tgt_ids),
        "src": join_sentences([src[i] for i in bead.src_ids], "zh"),
        "tgt": join_sentences([tgt[i] for i in bead.tgt_ids], "en"),
        "score": round(float(bead.score), 4),
        "kind": bead.kind,
    }
    rec.update({k: v for k, v in extra.items() if v is not None})
    return rec


def write_alignment(path: str | Path, beads: Iterable[Bead], src: Sequence[str],
                    tgt: Sequence[str], fmt: str | None = None,
                    extras: Sequence[dict] | None = None) -> None:
    """Write beads atomically in ``fmt`` (or the format the suffix implies)."""
    fmt = format_for(path, fmt)
    with atomic_write(path) as fh:
        write_alignment_to(fh, beads, src, tgt, fmt, extras)


def write_alignment_to(fh, beads: Iterable[Bead], src: Sequence[str], tgt: Sequence[str],
                       fmt: str, extras: Sequence[dict] | None = None) -> None:
    for i, bead in enumerate(beads):
        if fmt == "beads":
            fh.write(bead_line(bead) + "\n")
        elif fmt == "jsonl":
            rec = bead_record(bead, src, tgt, **(extras[i] if extras else {}))
            # each sentence's own text, for a reviewer who splits or re-aligns the bead
            rec["src_sentences"] = [src[k] for k in bead.src_ids]
            rec["tgt_sentences"] = [tgt[k] for k in bead.tgt_ids]
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            rec = bead_record(bead, src, tgt)
            cells = [",".join(map(str, bead.src_ids)), ",".join(map(str, bead.tgt_ids)),
                     f"{rec['score']:.4f}", _tsv_cell(rec["src"]), _tsv_cell(rec["tgt"])]
            fh.write("\t".join(cells) + "\n")


def _tsv_cell(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


@dataclass(frozen=True)
class AlignedPair:
    """One line of an alignment JSONL file, as read back."""

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    src: str
    tgt: str
    score: float
    extra: dict

    @property
    def kind(self) -> str:
        return f"{len(self.src_ids)}-{len(self.tgt_ids)}"

    def bead(self) -> Bead:
        return Bead(self.src_ids, self.tgt_ids, self.score)


def to_pairs(beads: Sequence[Bead], src: Sequence[str], tgt: Sequence[str],
             extras: Sequence[dict] | None = None) -> list[AlignedPair]:
    """Beads with their text, as they would read back from a JSONL file."""
    pairs = []
    for i, bead in enumerate(beads):
        rec = bead_record(bead, src, tgt, **(extras[i] if extras else {}))
        extra = {k: v for k, v in rec.items() if k not in ("src_ids", "tgt_ids", "src", "tgt",
                                                           "score")}
        pairs.append(AlignedPair(bead.src_ids, bead.tgt_ids, rec["src"], rec["tgt"],
                                 rec["score"], extra))
    return pairs


def read_alignment_jsonl(path: str | Path) -> list[AlignedPair]:
    """Read an alignment JSONL file, checking each line is a bead and ids run in order."""
    path = Path(path)
    pairs: list[AlignedPair] = []
    next_src = next_tgt = 0
    for n, line in enumerate(read_utf8(path).splitlines(), 1):
        if not line.strip():
            continue
        obj = _json_line(path, n, line)
        if not isinstance(obj, dict) or not {"src_ids", "tgt_ids"} <= obj.keys():
            raise AlignerError(path, f"line {n}: not a bead (needs src_ids and tgt_ids)")
        src_ids = _ids(path, n, obj, "src_ids")
        tgt_ids = _ids(path, n, obj, "tgt_ids")
        score = obj.get("score", 1.0)
        # bool is an int to Python, not a score to a reader; NaN cannot come from JSON here.
        if isinstance(score, bool) or not isinstance(score, (int, float)) \
                or not 0.0 <= score <= 1.0:
            raise AlignerError(path, f"line {n}: score must be a number from 0 to 1, not "
                                     f"{_shown(score)}")
        score = float(score)
        for side in ("src", "tgt"):
            if not isinstance(obj.get(side, ""), str):
                raise AlignerError(path, f"line {n}: {side} must be a string, not "
                                         f"{_shown(obj[side])}")
        if not src_ids and not tgt_ids:
            raise AlignerError(path, f"line {n}: bead with both sides empty")
        for ids, expected, side in ((src_ids, next_src, "src"), (tgt_ids, next_tgt, "tgt")):
            if ids and list(ids) != list(range(expected, expected + len(ids))):
                raise AlignerError(path, f"line {n}: {side}_ids {list(ids)} out of order "
                                         f"(expected {expected} next)")
        next_src += len(src_ids)
        next_tgt += len(tgt_ids)
        extra = {k: v for k, v in obj.items()
                 if k not in ("src_ids", "tgt_ids", "src", "tgt", "score")}
        pairs.append(AlignedPair(src_ids, tgt_ids, str(obj.get("src", "")),
                                 str(obj.get("tgt", "")), score, extra))
    if not pairs:
        raise AlignerError(path, "no beads in file")
    return pairs


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _json_line(path: Path, n: int, line: str) -> object:
    """One line of JSON; anything the parser chokes on (NaN, a 5000-digit number, nesting
    deeper than the interpreter's stack) is an AlignerError, not a traceback."""
    try:
        return json.loads(line, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise AlignerError(path, f"line {n}: not JSON ({e.msg})") from None
    except ValueError as e:
        raise AlignerError(path, f"line {n}: not usable JSON ({str(e)[:80]})") from None
    except RecursionError:
        raise AlignerError(path, f"line {n}: not usable JSON (nested too deeply)") from None


def _ids(path: Path, n: int, obj: dict, key: str) -> tuple[int, ...]:
    ids = obj[key]
    if not isinstance(ids, list) or not all(
            type(i) is int and i >= 0 for i in ids):
        raise AlignerError(path, f"line {n}: {key} must be a list of non-negative integers, "
                                 f"not {_shown(ids)}")
    return tuple(ids)


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
