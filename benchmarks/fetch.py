"""``aligner fetch`` and the Word 97 reader: download speed, time to fail, converter times.

Everything is local: a server on 127.0.0.1 stands in for ODS (the tests' mock), a name under
``.invalid`` for a machine without network. Prints a table.

    python benchmarks/fetch.py [--mb 64]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _process(*args: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "aligner", *args], capture_output=True,
                          cwd=ROOT, timeout=600)
    return time.perf_counter() - t0, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=64, help="size of the large download")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from aligner.fetch.ods import fetch
    from aligner.read.document import read_document

    import ods_mock
    import worddoc

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = ods_mock.record_files(folder)
        ods_mock.BIG, ods_mock.PAUSE = args.mb << 20, 0.0
        with ods_mock.MockODS(files) as ods:
            t0 = time.perf_counter()
            got = fetch("CD/PV.7008", "en", folder / "big", base_url=ods.url, progress=False)
            took = time.perf_counter() - t0
            rows.append((f"download {got.size / 2**20:.0f} MB, loopback",
                         f"{took:.2f} s ({got.size / 2**20 / took:.0f} MB/s)"))
            seconds, code = _process("fetch", "CD/PV.9999", "--to", str(folder / "c"),
                                     "--ods-url", ods.url)
            rows.append((f"`aligner fetch` zh + en record, whole process (exit {code})",
                         f"{seconds:.2f} s"))
        seconds, code = _process("fetch", "CD/PV.1261", "--lang", "en", "--to", tmp,
                                 "--ods-url", "https://ods.invalid/api/symbol/access")
        rows.append((f"no network (name does not resolve), whole process (exit {code})",
                     f"{seconds:.2f} s"))
        seconds, code = _process("fetch", "CD/PV.1261", "--lang", "en", "--to", tmp,
                                 "--ods-url", "http://127.0.0.1:9/x", "--retries", "0")
        rows.append((f"connection refused, no retry, whole process (exit {code})",
                     f"{seconds:.2f} s"))

        for lang in ("en", "zh"):
            path = worddoc.write_record(folder / f"CD_PV.9999_{lang}.doc", lang)
            for name in ("soffice", "antiword", "catdoc"):
                if not shutil.which(name):
                    rows.append((f"read .doc ({lang}) through {name}", "not installed"))
                    continue
                os.environ["ALIGNER_DOC_CONVERTER"] = name
                t0 = time.perf_counter()
                doc = read_document(path)
                rows.append((f"read .doc ({lang}, {len(doc.paragraphs)} paragraphs) "
                             f"through {name}", f"{time.perf_counter() - t0:.3f} s"))
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  measured")
    for what, measured in rows:
        print(f"{what:<{width}}  {measured}")


if __name__ == "__main__":
    main()
