"""``aligner review``: how fast a long alignment opens in Chromium, scrolls, and re-aligns.

    python benchmarks/review.py [--bench DIR] [--beads 30000] [--stretch 200] [--runs 10]

Targets (issue 14): a 30,000-bead alignment opens in <= 2 s in Chromium and scrolls smoothly;
a stretch of 200 sentences re-aligns in <= 1 s.

*Open*: the mac-dev gold beads, concatenated until there are ``--beads`` of them, are flagged
and written as an alignment JSONL (in a temporary folder) as ``aligner run`` does; ``aligner
review --no-browser`` serves it and headless Chromium (Selenium, Debian's chromium-driver)
loads the page until it has rendered the first rows, three times (the first in a fresh
browser). *Scroll*: the page's list is scrolled by a screenful a frame (and every tenth frame
by a fiftieth of the whole), 400 frames; the frame times are measured in the page.
*Re-align*: in each mac-dev document, the beads holding ``--stretch`` consecutive Chinese
sentences are left free and the rest fixed, and ``aligner.align.realign.realign`` re-aligns the
stretch (the lexicon loaded beforehand, as in a running review server); strict F1 of the
stretch against the gold is printed as a check.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from macdev import add_bench_option, concatenate, load_docs


def long_alignment(docs, n_beads: int, out: Path) -> int:
    from aligner.common.formats import write_alignment
    from aligner.common.types import Bead

    src, tgt, gold, _ = concatenate(docs, n_beads=n_beads)
    # varied, reproducible scores, so that the colours and the queue are not uniform
    beads = [Bead(b.src_ids, b.tgt_ids, ((k * 37) % 100) / 100) for k, b in enumerate(gold)]
    # flagged as aligner run flags its output, so that the file is what a reviewer opens
    from aligner.common.formats import to_pairs
    from aligner.lexicon.glossary import default_glossary_path, load_glossary
    from aligner.quality.flags import flag_pairs

    glossary = load_glossary() if default_glossary_path().exists() else None
    flags = flag_pairs(to_pairs(beads, src, tgt), glossary)
    extras = [{"flags": [f.code for f in fl] or None} for fl in flags]
    write_alignment(out, beads, src, tgt, "jsonl", extras)
    return len(beads)


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver_path = shutil.which("chromedriver")
    browser = shutil.which("chromium")
    if not driver_path or not browser:
        raise SystemExit("needs chromium and chromedriver (apt-get install chromium "
                         "chromium-driver)")
    os.environ.setdefault("SE_OFFLINE", "true")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    profile = tempfile.mkdtemp(prefix="review-bench-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1400,900"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)


def wait_ready(driver, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if driver.execute_script("return document.body && document.body.dataset.ready === '1'"
                                 " && document.querySelectorAll('#rows .bead').length > 0"):
            return
        time.sleep(0.01)
    raise SystemExit("the page did not become ready")


SCROLL_JS = """
const done = arguments[arguments.length - 1];
const v = document.getElementById('viewport');
const times = [];
let last = performance.now();
function step() {
  const now = performance.now();
  times.push(now - last);
  last = now;
  if (times.length > 400 || v.scrollTop + v.clientHeight >= v.scrollHeight - 1) {
    done(times); return;
  }
  // a screenful, then a long jump every tenth frame (a flick of the scroll bar)
  v.scrollTop += times.length % 10 ? v.clientHeight : v.scrollHeight / 50;
  requestAnimationFrame(step);
}
requestAnimationFrame(step);
"""


def bench_open(path: Path, loads: int) -> dict:
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "review", str(path),
                             "--no-browser"], stdout=subprocess.PIPE, text=True)
    try:
        t = time.perf_counter()
        url = proc.stdout.readline().split(" ", 1)[1].strip()
        started = time.perf_counter() - t
        driver = chromium()
        driver.set_script_timeout(600)
        try:
            opens, in_page = [], []
            for _ in range(loads):
                t = time.perf_counter()
                driver.get(url)
                wait_ready(driver)
                opens.append(time.perf_counter() - t)
                in_page.append(driver.execute_script("return performance.now()") / 1000)
            rows = driver.execute_script("return document.querySelectorAll('#rows .bead')"
                                         ".length")
            frames = driver.execute_async_script(SCROLL_JS)[1:]
        finally:
            driver.quit()
    finally:
        proc.terminate()
        proc.wait()
    return {"opens": opens, "in_page": in_page, "rows_in_dom": rows, "frames": frames,
            "server_start": started, "bytes": path.stat().st_size}


def bench_realign(docs, stretch: int, runs: int) -> list[dict]:
    from aligner.align.passes import _lexicon, align_sentences
    from aligner.align.realign import realign
    from aligner.quality.evaluate import evaluate

    _lexicon()
    align_sentences(["预热。"], ["Warm up."])
    out = []
    for doc in docs[:runs]:
        if len(doc.zh) < stretch + 20:
            continue
        # free the beads holding Chinese sentences [s0, s0 + stretch), from a third of the way
        s0 = len(doc.zh) // 3
        fixed: list[bool] = []
        for b in doc.gold:
            if b.src_ids:
                fixed.append(not s0 <= b.src_ids[0] < s0 + stretch)
            else:  # an English-only bead goes with the bead before it
                fixed.append(fixed[-1] if fixed else True)
        free = [b for b, f in zip(doc.gold, fixed, strict=True) if not f]
        n_src = sum(len(b.src_ids) for b in free)
        n_tgt = sum(len(b.tgt_ids) for b in free)
        t = time.perf_counter()
        got = realign(doc.zh, doc.en, doc.gold, fixed)
        secs = time.perf_counter() - t
        k0 = fixed.index(False)
        part = got[k0:k0 + len(got) - (len(doc.gold) - len(free))]
        f1 = evaluate([(part, free)]).strict_f1
        out.append({"doc": doc.name, "zh": n_src, "en": n_tgt, "seconds": secs, "f1": f1})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_bench_option(parser)
    parser.add_argument("--beads", type=int, default=30000)
    parser.add_argument("--stretch", type=int, default=200)
    parser.add_argument("--runs", type=int, default=12, help="documents for the re-align test")
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    docs = load_docs(args.bench)
    if not docs:
        raise SystemExit(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.jsonl"
        n = long_alignment(docs, args.beads, path)
        o = bench_open(path, args.loads)
    print(f"{'what':<44} {'target':>10} {'measured':>24}")
    print("-" * 80)
    print(f"{'server up (aligner review, ' + str(n) + ' beads)':<44} {'-':>10} "
          f"{o['server_start']:>22.2f} s")
    print(f"{'page open, first (fresh browser)':<44} {'<= 2 s':>10} {o['opens'][0]:>22.2f} s")
    if len(o["opens"]) > 1:
        print(f"{'page open, reloads (median)':<44} {'<= 2 s':>10} "
              f"{statistics.median(o['opens'][1:]):>22.2f} s")
    print(f"{'  in-page (navigation to first rows)':<44} {'-':>10} "
          f"{', '.join(f'{x:.2f}' for x in o['in_page']):>22} s")
    print(f"{'rows in the DOM':<44} {'-':>10} {o['rows_in_dom']:>24}")
    fr = sorted(o["frames"])
    if fr:
        p95 = fr[int(0.95 * (len(fr) - 1))]
        print(f"{'scroll, ' + str(len(fr)) + ' screens: frame median / p95':<44} "
              f"{'~16.7 ms':>10} {statistics.median(fr):>12.1f} / {p95:.1f} ms")
    print(f"{'alignment file':<44} {'-':>10} {o['bytes'] / 1e6:>21.1f} MB")
    rows = bench_realign(docs, args.stretch, args.runs)
    if rows:
        secs = [r["seconds"] for r in rows]
        print(f"{'re-align ~' + str(args.stretch) + ' zh sentences, median':<44} {'<= 1 s':>10} "
              f"{statistics.median(secs):>22.3f} s")
        print(f"{'re-align, slowest of ' + str(len(rows)):<44} {'<= 1 s':>10} "
              f"{max(secs):>22.3f} s")
        print(f"{'re-align, strict F1 of the stretch (mean)':<44} {'-':>10} "
              f"{statistics.fmean(r['f1'] for r in rows):>24.4f}")
    print()
    print(json.dumps({"open": {k: v for k, v in o.items() if k != "frames"},
                      "realign": rows}))


if __name__ == "__main__":
    main()
