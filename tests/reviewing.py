"""Shared by the review tests: an alignment file with known mistakes, and a real review server.

``write_alignment_file`` writes the fictional record of ``records`` (52 x 52 sentences) with
the JSONL writer ``aligner align`` uses, aligned as the gold alignment except for two planted
mistakes a reviewer would fix: the 1-2 bead (gold bead 11) is cut into a 1-1 and an unmatched
English sentence, and gold beads 30 and 31 are merged into a 2-2. Scores vary so that the
"likely wrong" order is known.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aligner.common.formats import write_alignment
from aligner.common.types import Bead

import records

CUT = 11      # gold bead cut in two in the file
MERGED = 30   # gold beads 30 and 31 are one bead in the file (file bead 31)


def planted_beads() -> list[Bead]:
    gold = records.gold_beads()
    out: list[Bead] = []
    for k, g in enumerate(gold):
        score = 0.9 + (k % 7) / 100
        if k == CUT:
            out.append(Bead(g.src_ids, g.tgt_ids[:1], 0.41))
            out.append(Bead((), g.tgt_ids[1:], 0.35))
        elif k == MERGED:
            nxt = gold[k + 1]
            out.append(Bead(g.src_ids + nxt.src_ids, g.tgt_ids + nxt.tgt_ids, 0.3))
        elif k == MERGED + 1:
            continue
        else:
            out.append(Bead(g.src_ids, g.tgt_ids, score))
    return out


HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def write_alignment_file(path: Path, beads: list[Bead] | None = None,
                         hostile: bool = False) -> Path:
    """The planted alignment as JSONL; ``hostile`` puts markup meant to run in the browser at
    the end of the second English sentence."""
    src, tgt = records.sentences("zh"), records.sentences("en")
    if hostile:
        tgt = [*tgt[:1], f"{tgt[1]} {HOSTILE}", *tgt[2:]]
    beads = planted_beads() if beads is None else beads
    extras = [{"speaker": "主席" if b.src_ids and b.src_ids[0] < 3 else None} for b in beads]
    write_alignment(path, beads, src, tgt, "jsonl", extras)
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def ids(beads: list) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(src ids, tgt ids) of beads given as dicts or Bead objects."""
    out = []
    for b in beads:
        if isinstance(b, dict):
            out.append((tuple(b["src_ids"]), tuple(b["tgt_ids"])))
        else:
            out.append((tuple(b.src_ids), tuple(b.tgt_ids)))
    return out


@dataclass
class Server:
    proc: subprocess.Popen
    base: str
    token: str
    first_line: str

    def url(self, path: str, token: bool = True) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}" if token else f"{self.base}{path}"

    def get(self, path: str, token: bool = True) -> tuple[int, dict | bytes]:
        return request(self.url(path, token))

    def op(self, body: dict) -> tuple[int, dict]:
        return request(self.url("/api/ops"), body)


def request(url: str, body: dict | None = None,
            headers: dict | None = None) -> tuple[int, dict | bytes]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers=headers or {},
                                 method="GET" if body is None else "POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, raw, kind = resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        status, raw, kind = e.code, e.read(), e.headers.get("Content-Type", "")
    return status, json.loads(raw) if kind.startswith("application/json") else raw


@contextlib.contextmanager
def review_server(path: Path, *extra: str) -> Iterator[Server]:
    """``aligner review PATH --no-browser`` started for real, on a free port."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "review", str(path),
                             "--no-browser", *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline().strip()
        if not line.startswith("review: "):
            proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {proc.stderr.read()}")
        url = line.split(" ", 1)[1]
        base, token = url.split("/?token=")
        yield Server(proc, base, token, line)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdout.close()
        proc.stderr.close()
