"""The alignment under review: operations, undo history, and saving that loses nothing.

The JSONL file stays the alignment itself (each bead gains ``status``: ``auto`` or
``confirmed``); the undo history lives in a sidecar, ``ALIGNMENT.jsonl.undo.json``. Every
operation is one *step*: beads ``pos .. pos + len(old)`` replaced by ``new``. Undo applies a
step backwards, redo forwards, so the two stacks hold steps and nothing else.

Saving writes the sidecar first, then the JSONL, each atomically. The sidecar names the
digest of the JSONL it belongs with and of the one before, and which step leads from one to
the other: a process killed between the two renames is found out on reopening (the JSONL
still has the previous digest) and the step is applied again, so nothing is lost but an
operation whose sidecar never reached the disk, which was then never acknowledged either.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..common.errors import AlignerError
from ..common.fileio import atomic_write
from ..common.formats import join_sentences, read_alignment_jsonl
from ..common.types import Bead

SIDECAR_SUFFIX = ".undo.json"
SIDECAR_FORMAT = 1
STATUSES = ("auto", "confirmed")
# Keys the review writes itself, or derives from the sentences, on every bead.
_DERIVED = ("src_ids", "tgt_ids", "src", "tgt", "score", "kind", "status",
            "src_sentences", "tgt_sentences")
# How many beads on either side of a changed stretch the flags are recomputed with (the
# length check needs a few 1-1 beads to know the document's ratio).
_FLAG_CONTEXT = 40


# What a flag from the file means when its own reason cannot be worked out again here (the
# review does not load the dictionary the coverage check needs).
_WHY = {"low-coverage": "few of the Chinese words have a translation in the English "
                        "(flagged when aligned)"}


class Conflict(Exception):
    """The operation was made against a version that is no longer the current one."""


class BadOperation(Exception):
    """An operation that cannot apply (unknown, or impossible on this bead)."""


def sidecar_path(path: Path) -> Path:
    """Where the undo history of ``path`` lives: ``ALIGNMENT.jsonl.undo.json``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


class Review:
    """One alignment file opened for review; every public method that changes it saves it."""

    def __init__(self, path: str | Path, glossary: Any = "auto") -> None:
        self.path = Path(path)
        self.sidecar = sidecar_path(self.path)
        self._glossary = glossary
        self.notice: str | None = None
        self._load()

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        pairs = read_alignment_jsonl(self.path)
        src: list[str] = []
        tgt: list[str] = []
        beads: list[dict] = []
        for n, p in enumerate(pairs, 1):
            for side, ids, joined, table in (("src", p.src_ids, p.src, src),
                                             ("tgt", p.tgt_ids, p.tgt, tgt)):
                sents = p.extra.get(f"{side}_sentences")
                if sents is None:
                    if len(ids) > 1:
                        raise AlignerError(
                            self.path, f"line {n}: a bead of several sentences without "
                            f"{side}_sentences (written by an older aligner: run it again, "
                            f"aligner run --force)")
                    sents = [joined] if ids else []
                if not isinstance(sents, list) or len(sents) != len(ids):
                    raise AlignerError(self.path, f"line {n}: {side}_sentences does not "
                                                  f"match {side}_ids")
                table.extend(str(s) for s in sents)
            bead = {k: v for k, v in p.extra.items() if k not in _DERIVED}
            status = p.extra.get("status", "auto")
            bead.update(src_ids=list(p.src_ids), tgt_ids=list(p.tgt_ids), score=p.score,
                        status=status if status in STATUSES else "auto")
            beads.append(bead)
        self.src, self.tgt, self.beads = src, tgt, beads
        # a record's alignment (aligner run, aligner align without --presegmented) names the
        # speakers of its turns: its stretches are re-aligned with the records' settings
        self.record = any(p.extra.get("speaker") for p in pairs)
        self._speaker = {}
        for b in beads:
            for i in b["src_ids"]:
                self._speaker[i] = b.get("speaker")
        self._reasons: list[list[str] | None] = [None] * len(self.beads)
        self._json: list[str | None] = [None] * len(self.beads)
        if not any("flags" in p.extra for p in pairs):
            # nobody flagged this alignment (aligner align writes no flags): flag it now
            self._reflag(0, len(self.beads), context=0)
        # else the flags aligner run wrote stand, and their reasons are worked out when asked
        # for (flag_pairs takes ~0.6 ms a bead: 20 s at each opening of 30,000 beads)
        data = self.path.read_bytes()
        digest = _digest(data)
        side = self._read_sidecar()
        self.undo: list[dict] = []
        self.redo: list[dict] = []
        self.version = 0
        if side is not None and side.get("digest") == digest:
            self.undo, self.redo, self.version = side["undo"], side["redo"], side["version"]
        elif side is not None and side.get("prev_digest") == digest and side.get("last"):
            # killed between writing the sidecar and the alignment: finish the step
            self.undo, self.redo, self.version = side["undo"], side["redo"], side["version"]
            stack, forward = side["last"]
            step = (self.undo if stack == "undo" else self.redo)[-1]
            self._advance(step, forward)
            self._write_jsonl()
            self.notice = "resumed: the last operation was finished from the undo history"
        elif side is not None:
            self.notice = (f"{self.path} changed outside the review: its undo history "
                           f"({len(side.get('undo', []))} steps) no longer applies, started anew")
            self.version = int(side.get("version", 0)) + 1
            self._save(None)
        self._stat = _stat(self.path)
        self._saved_digest = _digest(self.path.read_bytes())

    def _read_sidecar(self) -> dict | None:
        try:
            side = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            self.notice = f"{self.sidecar}: unreadable undo history, started anew"
            return None
        if not isinstance(side, dict) or side.get("format") != SIDECAR_FORMAT:
            self.notice = f"{self.sidecar}: not an undo history this version reads, started anew"
            return None
        return side

    # ------------------------------------------------------------------ views

    def reasons(self, k: int) -> list[str]:
        """Why bead ``k`` is flagged, one ``code: reason`` a flag."""
        if self._reasons[k] is None:
            self._reflag(k, 1, context=_FLAG_CONTEXT, keep_codes=True)
        return self._reasons[k] or []

    def bead_view(self, k: int) -> dict:
        b = self.beads[k]
        reasons = self._reasons[k] if self._reasons[k] is not None else []
        return {"src_ids": b["src_ids"], "tgt_ids": b["tgt_ids"],
                "src": self._text(b, "src"), "tgt": self._text(b, "tgt"),
                "score": b["score"], "status": b["status"], "flags": b.get("flags") or [],
                "reasons": reasons, "kind": f"{len(b['src_ids'])}-{len(b['tgt_ids'])}",
                "speaker": b.get("speaker")}

    def snapshot(self) -> dict:
        return {"version": self.version, "undo": len(self.undo), "redo": len(self.redo),
                "beads": [self.bead_view(k) for k in range(len(self.beads))]}

    def snapshot_json(self) -> str:
        """``snapshot()`` as JSON text, each bead's part kept from one call to the next until
        the bead changes (a reload of 30,000 beads then costs a join, not a serialisation)."""
        cache = self._json
        for k, text in enumerate(cache):
            if text is None:
                cache[k] = json.dumps(self.bead_view(k), ensure_ascii=False,
                                      separators=(",", ":"))
        return (f'{{"version":{json.dumps(self.version)},"undo":{len(self.undo)},'
                f'"redo":{len(self.redo)},"beads":[' + ",".join(cache) + "]}")

    def _text(self, bead: dict, side: str) -> str:
        table = self.src if side == "src" else self.tgt
        return join_sentences([table[i] for i in bead[f"{side}_ids"]],
                              "zh" if side == "src" else "en")

    # ------------------------------------------------------------------ operations

    def check_fresh(self, version: Any) -> None:
        """Conflict unless ``version`` is the current one and the file is as last saved."""
        if _stat(self.path) != self._stat:
            self._load()
            self.version += 1
            raise Conflict("reload: the alignment changed")
        if version != self.version:
            raise Conflict("reload: the alignment changed")

    def apply(self, version: Any, op: str, bead: int | None = None, **args: Any) -> dict:
        """Do ``op`` if ``version`` is current; returns the new state (a snapshot)."""
        with _folder_lock(self.path.parent):
            return self._apply_op(version, op, bead, **args)

    def _apply_op(self, version: Any, op: str, bead: int | None, **args: Any) -> dict:
        self.check_fresh(version)
        if op == "undo":
            if not self.undo:
                raise BadOperation("nothing to undo")
            step = self.undo.pop()
            self.redo.append(step)
            self._transition(step, False, ("redo", False))
        elif op == "redo":
            if not self.redo:
                raise BadOperation("nothing to redo")
            step = self.redo.pop()
            self.undo.append(step)
            self._transition(step, True, ("undo", True))
        else:
            make = _OPS.get(op)
            if make is None:
                raise BadOperation(f"unknown operation {op!r}")
            if op != "realign" or bead is not None:
                if not isinstance(bead, int) or isinstance(bead, bool) \
                        or not 0 <= bead < len(self.beads):
                    raise BadOperation(f"no bead {bead!r}")
            step = make(self, bead, **args)
            step["op"] = op
            self.undo.append(step)
            self.redo.clear()
            self._transition(step, True, ("undo", True))
        return self.snapshot()

    def _transition(self, step: dict, forward: bool, last: tuple[str, bool]) -> None:
        before = self._saved_digest
        self._advance(step, forward)
        self.version += 1
        self._save(before, last)

    def _advance(self, step: dict, forward: bool) -> None:
        """Apply ``step`` and flag the beads it made, as saving will write them (the same on
        finishing a step after a crash, so that the bytes match the history's digest)."""
        self._apply(step, forward)
        changed = len(step["new"] if forward else step["old"])
        self._reflag(step["pos"], changed, context=_FLAG_CONTEXT)

    def _apply(self, step: dict, forward: bool) -> None:
        pos, old, new = step["pos"], step["old"], step["new"]
        if not forward:
            old, new = new, old
        self.beads[pos:pos + len(old)] = [dict(b) for b in new]
        self._reasons[pos:pos + len(old)] = [None] * len(new)
        self._json[pos:pos + len(old)] = [None] * len(new)

    # ------------------------------------------------------------------ saving

    def _records(self) -> list[dict]:
        out = []
        for b in self.beads:
            rec = {"src_ids": b["src_ids"], "tgt_ids": b["tgt_ids"],
                   "src": self._text(b, "src"), "tgt": self._text(b, "tgt"),
                   "score": b["score"], "kind": f"{len(b['src_ids'])}-{len(b['tgt_ids'])}"}
            rec.update((k, v) for k, v in b.items() if k not in _DERIVED and v is not None)
            rec["status"] = b["status"]
            rec["src_sentences"] = [self.src[i] for i in b["src_ids"]]
            rec["tgt_sentences"] = [self.tgt[j] for j in b["tgt_ids"]]
            out.append(rec)
        return out

    def jsonl_bytes(self) -> bytes:
        return "".join(json.dumps(r, ensure_ascii=False) + "\n"
                       for r in self._records()).encode("utf-8")

    def _write_jsonl(self, data: bytes | None = None) -> None:
        with atomic_write(self.path, "wb") as fh:
            data = self.jsonl_bytes() if data is None else data
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_folder(self.path.parent)
        self._stat = _stat(self.path)
        self._saved_digest = _digest(data)

    def _save(self, before: str | None, last: tuple[str, bool] | None = None) -> None:
        data = self.jsonl_bytes()
        side = {"format": SIDECAR_FORMAT, "alignment": self.path.name, "version": self.version,
                "digest": _digest(data), "prev_digest": before,
                "last": list(last) if last else None, "undo": self.undo, "redo": self.redo}
        with atomic_write(self.sidecar) as fh:
            json.dump(side, fh, ensure_ascii=False, separators=(",", ":"))
            fh.flush()
            os.fsync(fh.fileno())
        # the history's rename must be on disk before the alignment's, or a power cut could
        # keep the new alignment with the old history
        _fsync_folder(self.path.parent)
        self._write_jsonl(data)

    # ------------------------------------------------------------------ flags

    def _reflag(self, pos: int, count: int, context: int, keep_codes: bool = False) -> None:
        """Recompute the flags (codes and reasons) of beads ``pos .. pos + count``; with
        ``keep_codes`` only the reasons, for the codes the beads already have."""
        from ..common.formats import AlignedPair
        from ..quality.flags import flag_pairs

        if count <= 0:
            return
        lo, hi = max(0, pos - context), min(len(self.beads), pos + count + context)
        pairs = []
        for b in self.beads[lo:hi]:
            pairs.append(AlignedPair(tuple(b["src_ids"]), tuple(b["tgt_ids"]),
                                     self._text(b, "src"), self._text(b, "tgt"), b["score"],
                                     {"speaker": b.get("speaker")}))
        # no lexical coverage check: loading the dictionary for it would take seconds at each
        # opening; the flag as the aligner's run set it is kept on the beads left unchanged
        flags = flag_pairs(pairs, self._glossary_object(), lexicon=None)
        for k in range(pos, pos + count):
            got = [f"{f.code}: {f.reason}" for f in flags[k - lo]]
            had = list(self.beads[k].get("flags") or ())
            if keep_codes:
                got = [r for r in got if r.split(":", 1)[0] in had]
                found = {r.split(":", 1)[0] for r in got}
                got += [f"{c}: {_WHY.get(c, 'flagged when aligned')}" for c in had
                        if c not in found]
            elif "low-coverage" in had:
                got.append(f"low-coverage: {_WHY['low-coverage']}")
            self._reasons[k] = got
            self._json[k] = None
            self.beads[k]["flags"] = [r.split(":", 1)[0] for r in got] or None

    def _glossary_object(self) -> Any:
        if self._glossary == "auto":
            from ..lexicon.glossary import default_glossary_path, load_glossary

            p = default_glossary_path()
            self._glossary = load_glossary(p) if p.exists() else None
        return self._glossary

    # ------------------------------------------------------------------ building beads

    def _bead(self, src_ids: list[int], tgt_ids: list[int], score: float,
              status: str = "auto") -> dict:
        b: dict = {"src_ids": list(src_ids), "tgt_ids": list(tgt_ids),
                   "score": round(float(score), 4), "status": status}
        speaker = self._speaker.get(src_ids[0]) if src_ids else None
        if speaker is not None:
            b["speaker"] = speaker
        return b


def _step(review: Review, pos: int, count: int, new: list[dict]) -> dict:
    return {"pos": pos, "old": [dict(b) for b in review.beads[pos:pos + count]], "new": new}


def _confirm(review: Review, k: int, **_: Any) -> dict:
    b = dict(review.beads[k], status="confirmed")
    return _step(review, k, 1, [b])


def _unconfirm(review: Review, k: int, **_: Any) -> dict:
    b = dict(review.beads[k], status="auto")
    return _step(review, k, 1, [b])


def _merge(review: Review, k: int, **_: Any) -> dict:
    if k + 1 >= len(review.beads):
        raise BadOperation("the last bead has no next bead to merge with")
    a, b = review.beads[k], review.beads[k + 1]
    merged = review._bead(a["src_ids"] + b["src_ids"], a["tgt_ids"] + b["tgt_ids"],
                          min(a["score"], b["score"]))
    return _step(review, k, 2, [merged])


def _split(review: Review, k: int, src_at: int | None = None, tgt_at: int | None = None,
           **_: Any) -> dict:
    b = review.beads[k]
    s, t = b["src_ids"], b["tgt_ids"]
    # by default the first half of each side stays (rounded up), the rest is a new bead
    sa = (len(s) + 1) // 2 if src_at is None else src_at
    ta = (len(t) + 1) // 2 if tgt_at is None else tgt_at
    if not (isinstance(sa, int) and isinstance(ta, int) and 0 <= sa <= len(s)
            and 0 <= ta <= len(t)):
        raise BadOperation("split points outside the bead")
    first, second = (s[:sa], t[:ta]), (s[sa:], t[ta:])
    if not (first[0] or first[1]) or not (second[0] or second[1]):
        raise BadOperation("nothing to split: a bead of one sentence a side "
                           "(make one unmatched instead)")
    new = [review._bead(*first, b["score"]), review._bead(*second, b["score"])]
    return _step(review, k, 1, new)


def _shift(review: Review, k: int, side: str = "src", direction: str = "down",
           **_: Any) -> dict:
    if side not in ("src", "tgt") or direction not in ("up", "down"):
        raise BadOperation("shift needs side src|tgt and direction up|down")
    key = f"{side}_ids"
    b = review.beads[k]
    if not b[key]:
        raise BadOperation(f"bead {k} has no {side} sentence to shift")
    n = k - 1 if direction == "up" else k + 1
    if not 0 <= n < len(review.beads):
        raise BadOperation(f"bead {k} has no neighbour {direction}")
    nb = review.beads[n]
    moved = dict(b)
    nmoved = dict(nb)
    if direction == "up":
        nmoved[key] = nb[key] + b[key][:1]
        moved[key] = b[key][1:]
        pair = [nmoved, moved]
    else:
        nmoved[key] = b[key][-1:] + nb[key]
        moved[key] = b[key][:-1]
        pair = [moved, nmoved]
    new = [review._bead(x["src_ids"], x["tgt_ids"], x["score"]) for x in pair
           if x["src_ids"] or x["tgt_ids"]]
    return _step(review, min(k, n), 2, new)


def _unmatch(review: Review, k: int, side: str = "src", at: str = "first", **_: Any) -> dict:
    if side not in ("src", "tgt") or at not in ("first", "last"):
        raise BadOperation("unmatch needs side src|tgt and at first|last")
    b = review.beads[k]
    key = f"{side}_ids"
    if not b[key]:
        raise BadOperation(f"bead {k} has no {side} sentence")
    if not b["src_ids"] or not b["tgt_ids"]:
        raise BadOperation(f"bead {k} is unmatched already")
    one = b[key][:1] if at == "first" else b[key][-1:]
    rest = b[key][1:] if at == "first" else b[key][:-1]
    alone = review._bead(one if side == "src" else [], [] if side == "src" else one, 1.0)
    kept = dict(b, **{key: rest})
    kept = review._bead(kept["src_ids"], kept["tgt_ids"], b["score"])
    new = [alone, kept] if at == "first" else [kept, alone]
    return _step(review, k, 1, [x for x in new if x["src_ids"] or x["tgt_ids"]])


def _realign(review: Review, k: int | None, **_: Any) -> dict:
    from ..align.passes import RECORD_DEFAULTS
    from ..align.realign import realign

    if k is not None and review.beads[k]["status"] == "confirmed":
        raise BadOperation(f"bead {k} is confirmed: nothing around it to re-align")
    beads = [Bead(tuple(b["src_ids"]), tuple(b["tgt_ids"]), b["score"]) for b in review.beads]
    fixed = [b["status"] == "confirmed" for b in review.beads]
    got = realign(review.src, review.tgt, beads, fixed, only=k,
                  **(RECORD_DEFAULTS if review.record else {}))
    # the step spans from the first bead that changed to the last (the common ends stay)
    head = 0
    while head < min(len(got), len(beads)) and _same(got[head], review.beads[head]):
        head += 1
    tail = 0
    while tail < min(len(got), len(beads)) - head and \
            _same(got[-1 - tail], review.beads[-1 - tail]):
        tail += 1
    # fixed beads come back as the very objects passed in: keep their records as they are
    kept = {id(b): k for k, b in enumerate(beads)}
    new = [dict(review.beads[kept[id(g)]]) if id(g) in kept
           else review._bead(list(g.src_ids), list(g.tgt_ids), g.score)
           for g in got[head:len(got) - tail]]
    return _step(review, head, len(beads) - head - tail, new)


def _same(bead: Bead, rec: dict) -> bool:
    return (list(bead.src_ids) == rec["src_ids"] and list(bead.tgt_ids) == rec["tgt_ids"]
            and round(float(bead.score), 4) == rec["score"])


_OPS = {"confirm": _confirm, "unconfirm": _unconfirm, "merge": _merge, "split": _split,
        "shift": _shift, "unmatch": _unmatch, "realign": _realign}
OPERATIONS = (*_OPS, "undo", "redo")


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (two servers on one file check and write in turn:
    the second then sees the first's change and refuses with a conflict)."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): the version and file checks still apply
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size)
