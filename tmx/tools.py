"""Small operations on whole memories: merge, statistics, export to TSV/CSV."""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from aligner.common.errors import AlignerError

from .read import Unit, iter_tmx
from .write import TmUnit, write_units


def _primary(lang: str) -> str:
    return lang.lower().split("-")[0]


def _pair_langs(path: Path, srclang: str, units: Sequence[Unit]) -> tuple[str, str]:
    """The file's source language and its first other language."""
    if srclang == "*all*":
        srclang = next((lang for u in units for lang in u.segs), "")
    for unit in units:
        for lang in unit.segs:
            if _primary(lang) != _primary(srclang):
                return srclang, lang
    raise AlignerError(path, "no unit has a language other than the source language")


@dataclass
class MergeResult:
    units: int
    duplicates: int
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # source -> its targets
    src_lang: str = ""
    tgt_lang: str = ""


def merge_tmx(paths: Sequence[str | Path], out: str | Path, note: str | None = None
              ) -> MergeResult:
    """Merge memories into ``out``: identical (source, target) pairs are kept once, with the
    highest x-score and its props; sources translated differently are reported."""
    best: dict[tuple[str, str], TmUnit] = {}
    best_score: dict[tuple[str, str], float] = {}
    total = 0
    src_lang = tgt_lang = ""
    for path in paths:
        version, header, units_iter = iter_tmx(path)
        units = list(units_iter)
        if not units:
            continue
        s_lang, t_lang = _pair_langs(Path(path), header.srclang, units)
        if not src_lang:
            src_lang, tgt_lang = s_lang, t_lang
        elif _primary(s_lang) != _primary(src_lang) and _primary(t_lang) == _primary(src_lang):
            s_lang, t_lang = t_lang, s_lang  # a memory of the other direction
        elif _primary(s_lang) != _primary(src_lang) or _primary(t_lang) != _primary(tgt_lang):
            raise AlignerError(path, f"languages {s_lang}/{t_lang} do not match "
                                     f"{src_lang}/{tgt_lang} of the first memory")
        for unit in units:
            src, tgt = unit.text(s_lang), unit.text(t_lang)
            if not src or not tgt:
                continue
            total += 1
            key = (src, tgt)
            score = unit.score if unit.score is not None else float("-inf")
            if key not in best or score > best_score[key]:
                best[key] = TmUnit(src, tgt, dict(unit.props), notes=list(unit.notes))
                best_score[key] = score
    if not best:
        raise AlignerError(paths[0] if paths else None, "no bilingual units to merge")
    targets: dict[str, list[str]] = {}
    for src, tgt in best:
        targets.setdefault(src, []).append(tgt)
    conflicts = {src: tgts for src, tgts in targets.items() if len(tgts) > 1}
    written = write_units(out, best.values(), src_lang=src_lang, tgt_lang=tgt_lang, note=note)
    return MergeResult(written, total - len(best), conflicts, src_lang, tgt_lang)


@dataclass
class Stats:
    units: int
    languages: Counter
    scores: list[float]
    beads: Counter
    documents: Counter
    srclang: str
    creationtool: str

    def score_bands(self) -> list[tuple[str, int]]:
        bands = [("< 0.50", 0), ("0.50-0.70", 0), ("0.70-0.90", 0), (">= 0.90", 0)]
        counts = [0, 0, 0, 0]
        for s in self.scores:
            counts[0 if s < 0.5 else 1 if s < 0.7 else 2 if s < 0.9 else 3] += 1
        bands = [(name, c) for (name, _), c in zip(bands, counts, strict=True)]
        bands.append(("no score", self.units - len(self.scores)))
        return bands


def tmx_stats(path: str | Path) -> Stats:
    version, header, units = iter_tmx(path)
    n = 0
    languages: Counter = Counter()
    scores: list[float] = []
    beads: Counter = Counter()
    documents: Counter = Counter()
    for unit in units:
        n += 1
        languages.update(unit.segs.keys())
        if unit.score is not None:
            scores.append(unit.score)
        beads[unit.props.get("x-bead", "?")] += 1
        if "x-document" in unit.props:
            documents[unit.props["x-document"]] += 1
    return Stats(n, languages, scores, beads, documents, header.srclang,
                 header.attrs.get("creationtool", ""))


def format_stats(path: str | Path, st: Stats) -> str:
    lines = [f"file          {path}",
             f"created by    {st.creationtool or '?'}",
             f"source lang   {st.srclang}",
             f"units         {st.units}",
             "languages     " + ", ".join(f"{k} {v}" for k, v in st.languages.most_common())]
    if st.scores:
        lines.append(f"score         min {min(st.scores):.3f}  median "
                     f"{statistics.median(st.scores):.3f}  mean {statistics.fmean(st.scores):.3f}"
                     f"  max {max(st.scores):.3f}")
    lines.append("score bands   " + "  ".join(f"{name}: {c}" for name, c in st.score_bands()))
    lines.append("bead types    " + ", ".join(f"{k} {v}" for k, v in sorted(
        st.beads.items(), key=lambda kv: -kv[1])))
    if st.documents:
        lines.append("documents     " + ", ".join(
            f"{k} {v}" for k, v in st.documents.most_common()))
    return "\n".join(lines) + "\n"


EXPORT_COLUMNS = ("source", "target", "score", "bead", "document", "speaker", "tuid")


def export_tmx(path: str | Path, fh: IO[str], fmt: str) -> int:
    """Write the units of ``path`` as TSV or CSV with a header row; return the row count."""
    if fmt not in ("tsv", "csv"):
        raise AlignerError(None, f"unknown export format {fmt!r} (choose tsv or csv)")
    version, header, units = iter_tmx(path)
    src_lang = header.srclang
    writer = csv.writer(fh, lineterminator="\n") if fmt == "csv" else None
    rows = 0
    tgt_lang = ""
    for unit in units:
        if not tgt_lang or tgt_lang not in unit.segs:
            tgt_lang = next((lang for lang in unit.segs if _primary(lang) != _primary(src_lang)),
                            "")
        if rows == 0:
            head = [f"source ({src_lang})", f"target ({tgt_lang})", *EXPORT_COLUMNS[2:]]
            _emit(fh, writer, head)
        src = unit.text(src_lang) if src_lang != "*all*" else next(iter(unit.segs.values()), "")
        tgt = unit.text(tgt_lang) if tgt_lang else ""
        p = unit.props
        _emit(fh, writer, [src or "", tgt or "", p.get("x-score", ""), p.get("x-bead", ""),
                           p.get("x-document", ""), p.get("x-speaker", ""), unit.tuid or ""])
        rows += 1
    return rows


def _emit(fh: IO[str], writer, cells: list[str]) -> None:
    if writer is not None:
        writer.writerow(cells)
    else:
        fh.write("\t".join(c.replace("\t", " ").replace("\r", " ").replace("\n", " ")
                           for c in cells) + "\n")
