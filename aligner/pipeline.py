"""The whole job behind ``aligner run``: record pairs in a folder to TMX, JSONL, report, terms.

A record pair is two files with the same stem and a language suffix, ``CD_PV.1261_zh.pdf`` and
``CD_PV.1261_en.docx``; the stem spells the document symbol with ``_`` for ``/``. Each pair is
one job, independent of the others, so jobs run in worker processes or on a Dask cluster; an
input whose bytes, tool version and glossary are unchanged since the last run is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .common.errors import AlignerError
from .common.fileio import (
    atomic_write,
    atomic_write_text,
    check_output,
    os_reason,
    remove_stale_temporaries,
)

RECORD_SUFFIXES = (".txt", ".pdf", ".docx", ".doc")
_RECORD_NAME = re.compile(r"^(?P<stem>.+)_(?P<lang>zh|en)\.(?P<ext>txt|pdf|docx|doc)$",
                          re.IGNORECASE)
MANIFEST = ".aligner-manifest.json"
DEMO_NOTE = ("Demonstration translation written by the un-aligner project, "
             "not the official United Nations text.")
_STARTED = time.time()  # temporary files older than this process are a dead run's
ODS_HELP = ("obtain {symbol} in English from the UN Official Document System "
            "(https://documents.un.org) and save it as {folder}/{stem}_en.pdf, .docx or .txt")


@dataclass(frozen=True)
class RecordPair:
    stem: str
    zh: Path
    en: Path

    @property
    def symbol(self) -> str:
        return symbol_from_stem(self.stem)


@dataclass
class Inventory:
    pairs: list[RecordPair] = field(default_factory=list)
    zh_only: list[Path] = field(default_factory=list)
    en_only: list[Path] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


@dataclass
class PairResult:
    stem: str
    symbol: str
    ok: bool
    skipped: bool = False
    error: str | None = None
    zh_sentences: int = 0
    en_sentences: int = 0
    bead_types: dict[str, int] = field(default_factory=dict)
    mean_score: float = 0.0
    flagged: int = 0
    outputs: list[str] = field(default_factory=list)
    note: str | None = None


def symbol_from_stem(stem: str) -> str:
    """``CD_PV.1261`` -> ``CD/PV.1261``: file names cannot hold the slash of a UN symbol."""
    return stem.replace("_", "/")


def record_stem(path: Path) -> str:
    """``CD_PV.1261_zh.pdf`` -> ``CD_PV.1261``."""
    m = _RECORD_NAME.match(path.name)
    if not m:
        raise AlignerError(path, "not a record name (expected SYMBOL_zh.pdf, SYMBOL_en.docx, ...)")
    return m.group("stem")


def find_records(folder: Path) -> Inventory:
    """Pair the records in ``folder`` (not its subfolders) by stem and language."""
    if not folder.exists():
        raise AlignerError(folder, "no such folder")
    if not folder.is_dir():
        raise AlignerError(folder, "not a folder")
    by_stem: dict[str, dict[str, list[Path]]] = {}
    for path in sorted(folder.iterdir()):
        m = _RECORD_NAME.match(path.name)
        if path.is_file() and m:
            langs = by_stem.setdefault(m.group("stem"), {})
            langs.setdefault(m.group("lang").lower(), []).append(path)
    inv = Inventory()
    for stem, langs in by_stem.items():
        for lang, paths in langs.items():
            if len(paths) > 1:
                names = ", ".join(p.name for p in paths)
                inv.duplicates.append(f"{stem}: several {lang} files ({names}); "
                                      f"using {paths[0].name}")
        zh, en = langs.get("zh", [None])[0], langs.get("en", [None])[0]
        if zh and en:
            inv.pairs.append(RecordPair(stem, zh, en))
        elif zh:
            inv.zh_only.append(zh)
        else:
            inv.en_only.append(en)
    return inv


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """What decides whether a job's outputs are still valid: input bytes, version, glossary."""
    h = hashlib.sha256(f"{__version__}\n{extra}".encode())
    for path in paths:
        h.update(path.name.encode())
        try:
            h.update(path.read_bytes())
        except OSError as e:
            raise AlignerError(path, os_reason(e, "cannot read")) from None
    return h.hexdigest()


def _glossary_digest(glossary_path: Path | None) -> str:
    if glossary_path and glossary_path.exists():
        try:
            return hashlib.sha256(glossary_path.read_bytes()).hexdigest()
        except OSError as e:
            raise AlignerError(glossary_path, os_reason(e, "cannot read")) from None
    return "-"


def process_pair(pair: RecordPair, out_dir: Path, glossary_path: Path | None = None,
                 note: str | None = None, progress: bool = False) -> PairResult:
    """Read, segment and align one pair; write its JSONL, TMX, HTML report and term candidates.

    Runs in a worker process, so it takes and returns plain data and never raises for bad
    input: the failure goes back in the result, to be reported with the others.
    """
    try:
        return _process_pair(pair, out_dir, glossary_path, note, progress)
    except AlignerError as e:
        return PairResult(pair.stem, pair.symbol, ok=False, error=str(e))
    except Exception as e:  # a bug on one record must not sink a batch of thousands
        return PairResult(pair.stem, pair.symbol, ok=False,
                          error=f"{pair.zh}: internal error {type(e).__name__}: {e}")


def _process_pair(pair: RecordPair, out_dir: Path, glossary_path: Path | None,
                  note: str | None, progress: bool) -> PairResult:
    from tmx.write import write_tmx

    from .align.passes import align_segments
    from .common.formats import to_pairs, write_alignment
    from .lexicon.glossary import load_glossary
    from .quality.flags import flag_pairs, summarise
    from .quality.report import write_report
    from .read.document import read_document
    from .read.sentences import segment_document
    from .terms.extract import extract_candidates, write_candidates

    glossary = load_glossary(glossary_path) if glossary_path and glossary_path.exists() else None
    zh_doc = read_document(pair.zh, "zh")
    en_doc = read_document(pair.en, "en")
    zh_segs, en_segs = segment_document(zh_doc), segment_document(en_doc)
    beads = align_segments(zh_segs, en_segs, progress=progress)
    src = [s.text for s in zh_segs]
    tgt = [s.text for s in en_segs]

    out_dir.mkdir(parents=True, exist_ok=True)
    jsonl = out_dir / f"{pair.stem}.jsonl"
    tmx_path = out_dir / f"{pair.stem}.tmx"
    report = out_dir / f"{pair.stem}.report.html"
    terms = out_dir / f"{pair.stem}.terms.tsv"
    for output in (jsonl, tmx_path, report, terms):
        check_output(output, (pair.zh, pair.en, glossary_path))

    extras = []
    for bead in beads:
        first = zh_segs[bead.src_ids[0]] if bead.src_ids else None
        extras.append({"speaker": first.speaker if first else None})
    aligned = to_pairs(beads, src, tgt, extras)
    flags = flag_pairs(aligned, glossary)
    for extra, bead_flags in zip(extras, flags, strict=True):
        extra["flags"] = [f.code for f in bead_flags] or None
    write_alignment(jsonl, beads, src, tgt, "jsonl", extras)

    write_tmx(tmx_path, aligned, document=pair.symbol, note=note)
    summary = summarise(aligned, flags)
    write_report(report, aligned, flags, summary, title=f"{pair.symbol}: alignment report",
                 note=note)
    candidates = extract_candidates(aligned, glossary=glossary, progress=progress)
    write_candidates(terms, candidates)

    kinds = Counter(p.kind for p in aligned)
    scored = [p.score for p in aligned if p.src_ids and p.tgt_ids]
    return PairResult(
        pair.stem, pair.symbol, ok=True, zh_sentences=len(src), en_sentences=len(tgt),
        bead_types=dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        mean_score=sum(scored) / len(scored) if scored else 0.0,
        flagged=sum(1 for f in flags if f),
        outputs=[str(p) for p in (tmx_path, jsonl, report, terms)], note=note,
    )


def process_chinese_only(zh: Path, out_dir: Path, glossary_path: Path | None) -> list[str]:
    """A Chinese record without its English partner: its sentences and the glossary terms in it."""
    from .lexicon.glossary import load_glossary
    from .read.document import read_document
    from .read.sentences import segment_document, segment_record

    doc = read_document(zh, "zh")
    segments = segment_document(doc)
    stem = record_stem(zh)
    seg_path = out_dir / f"{stem}_zh.segments.jsonl"
    with atomic_write(seg_path) as fh:
        for s in segments:
            fh.write(json.dumps(segment_record(s), ensure_ascii=False) + "\n")
    outputs = [str(seg_path)]
    if glossary_path and glossary_path.exists():
        glossary = load_glossary(glossary_path)
        found = glossary.found_in_text("\n".join(s.text for s in segments), "zh")
        terms_path = out_dir / f"{stem}_zh.glossary-terms.tsv"
        lines = ["zh\ten\tcount"] + [f"{e.zh}\t{e.en}\t{n}" for e, n in found]
        atomic_write_text(terms_path, "\n".join(lines) + "\n")
        outputs.append(str(terms_path))
    return outputs


def prepare_out_dir(out_dir: Path, input_dirs: Iterable[Path]) -> None:
    """Make the output folder, refusing one that holds inputs, and remove the temporary files
    a killed earlier run left in it (and in its demo/ folder)."""
    for folder in input_dirs:
        for own in (out_dir, out_dir / "demo"):
            with contextlib.suppress(OSError):
                if folder.is_dir() and os.path.samefile(own, folder):
                    raise AlignerError(out_dir, f"holds the inputs ({folder}/); outputs would "
                                                "overwrite or mix with them: choose another "
                                                "--out, e.g. build")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AlignerError(out_dir, "not a folder") from None
    except OSError as e:
        raise AlignerError(out_dir, os_reason(e, "cannot create the folder")) from None
    if not out_dir.is_dir():
        raise AlignerError(out_dir, "not a folder")
    for folder in (out_dir, out_dir / "demo"):
        remove_stale_temporaries(folder, _STARTED)


def export_glossary(glossary_path: Path, out_dir: Path) -> list[str]:
    from .lexicon.glossary import load_glossary
    from .terms.export import export_glossary as export

    glossary = load_glossary(glossary_path)
    outputs = []
    for fmt, name in (("tbx", "glossary.tbx"), ("tsv", "glossary.tsv")):
        export(glossary, out_dir / name, fmt, inputs=(glossary_path,))
        outputs.append(str(out_dir / name))
    return outputs


# --- scheduling ---------------------------------------------------------------------------------
def load_manifest(out_dir: Path) -> dict:
    """The last run's fingerprints and results; anything unreadable means redo everything."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _previous_result(previous: object, key: str) -> PairResult | None:
    """The recorded result of a record whose inputs are unchanged and outputs all there."""
    try:
        if previous["fingerprint"] != key:  # type: ignore[index]
            return None
        result = PairResult(**{**previous["result"], "skipped": True})  # type: ignore[index]
        if not all(Path(p).exists() for p in result.outputs):
            return None
    except (KeyError, TypeError, ValueError):  # a damaged entry: the record is redone
        return None
    return result


def save_manifest(out_dir: Path, manifest: dict) -> None:
    atomic_write_text(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))


def run_pairs(pairs: list[RecordPair], out_dir: Path, glossary_path: Path | None, *,
              jobs: int = 1, dask_address: str | None = None, note: str | None = None,
              force: bool = False,
              progress: Callable[[PairResult], None] | None = None) -> list[PairResult]:
    """Process pairs, skipping those whose outputs are up to date; keep the manifest current."""
    manifest = load_manifest(out_dir)
    gdigest = _glossary_digest(glossary_path)
    todo: list[tuple[RecordPair, str]] = []
    results: list[PairResult] = []
    for pair in pairs:
        # Inside the record's own failure boundary: an unreadable record fails alone.
        try:
            key = fingerprint([pair.zh, pair.en], f"{gdigest}\n{note or ''}")
        except AlignerError as e:
            result = PairResult(pair.stem, pair.symbol, ok=False, error=str(e))
        else:
            result = None if force else _previous_result(manifest.get(pair.stem), key)
        if result is None:
            todo.append((pair, key))
            continue
        results.append(result)
        if progress:
            progress(result)

    keys = {pair.stem: key for pair, key in todo}
    with contextlib.closing(_execute([p for p, _ in todo], out_dir, glossary_path, note, jobs,
                                     dask_address)) as running:
        for result in running:
            results.append(result)
            if result.ok:
                manifest[result.stem] = {"fingerprint": keys[result.stem],
                                         "result": asdict(result)}
            else:
                manifest.pop(result.stem, None)
            if progress:
                progress(result)
    if todo:
        save_manifest(out_dir, manifest)
    order = {p.stem: i for i, p in enumerate(pairs)}
    return sorted(results, key=lambda r: order[r.stem])


def _execute(pairs: list[RecordPair], out_dir: Path, glossary_path: Path | None,
             note: str | None, jobs: int, dask_address: str | None) -> Iterable[PairResult]:
    if not pairs:
        return
    if dask_address:
        from dask.distributed import Client, as_completed

        with Client(dask_address) as client:
            futures = [client.submit(process_pair, p, out_dir, glossary_path, note, pure=False)
                       for p in pairs]
            for future in as_completed(futures):
                yield future.result()
        return
    if jobs <= 1 or len(pairs) == 1:
        # In this process the steps of a long record may show their own progress bars;
        # workers' bars would only garble each other.
        for pair in pairs:
            yield process_pair(pair, out_dir, glossary_path, note, progress=True)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .common.processes import stop_children, worker_start

    with ProcessPoolExecutor(max_workers=min(jobs, len(pairs)), initializer=worker_start,
                             initargs=(os.getpid(),)) as pool:
        try:
            futures = [pool.submit(process_pair, p, out_dir, glossary_path, note)
                       for p in pairs]
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            # Ctrl-C or SIGTERM: the pool's shutdown would wait for every running record.
            pool.shutdown(wait=False, cancel_futures=True)
            stop_children()
            raise


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
