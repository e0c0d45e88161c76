"""Outputs never destroy inputs, never replace what they should write through, and every OS
error on the output side is one line, exit 2, with no temporary file left (issue 16)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aligner.common.errors import AlignerError
from aligner.common.fileio import atomic_write, remove_stale_temporaries

from conftest import ROOT, SEED_ZH, run_cli

DEMO = ROOT / "corpora" / "demo"
GLOSSARY = ROOT / "corpora" / "glossary.tsv"


def one_error_line(result: subprocess.CompletedProcess, path: str, reason: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [f"aligner: error: {path}: {reason}"] or (
        len(lines) == 1 and lines[0].startswith(f"aligner: error: {path}: ")
        and reason in lines[0]), result.stderr


def no_temporaries(folder: Path) -> None:
    assert not [p.name for p in folder.rglob("*.part")]


def _without_dac_override() -> list[str]:
    """A prefix that runs a command as root without the power to ignore file permissions, so
    that a test of an unreadable or read-only path means something when the suite runs as root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root and setpriv (util-linux) is missing: permissions cannot "
                    "be tested")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]


def device(tmp_path: Path, name: str) -> Path:
    """``/dev/null`` or ``/dev/full``; as root, a private node of the same device in
    ``tmp_path``, so that a writer that wrongly replaces the node (what this file tests
    against) cannot break the machine's own."""
    real = Path("/dev") / name
    if not real.exists():
        pytest.skip(f"no {real} on this system")
    if os.geteuid() != 0:
        return real  # an ordinary user cannot replace what is in /dev anyway
    own = tmp_path / name
    st = real.stat()
    try:
        os.mknod(own, stat.S_IFCHR | 0o666, st.st_rdev)
    except OSError as e:
        pytest.skip(f"cannot make a private {name} device node: {e}")
    return own


def run_limited(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*_without_dac_override(), sys.executable, "-m", "aligner", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


# --- 1. write through links, straight into devices and FIFOs ---------------------------------
def test_output_onto_a_symlink_updates_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "t.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "l.txt"
    link.symlink_to("t.txt")
    r = run_cli("segment", SEED_ZH, "-o", link)
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == "t.txt"
    assert target.read_text(encoding="utf-8").startswith("主席：我宣布")
    no_temporaries(tmp_path)


def test_output_through_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "l.txt"
    link.symlink_to("made.txt")
    assert run_cli("segment", SEED_ZH, "-o", link).returncode == 0
    assert link.is_symlink() and (tmp_path / "made.txt").read_text(encoding="utf-8")


def test_output_into_a_fifo_is_written_straight_into_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "segment", str(SEED_ZH), "-o",
                             str(fifo)], stderr=subprocess.PIPE, text=True)
    with open(fifo, encoding="utf-8") as fh:
        received = fh.read()
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    assert received.startswith("主席：我宣布")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_output_to_dev_null_leaves_the_device_a_device(tmp_path):
    null = device(tmp_path, "null")
    r = run_cli("segment", SEED_ZH, "-o", null)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_output_to_dev_stdout_writes_the_descriptor_as_it_stands(tmp_path):
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as stdout:  # `>> log.txt`
        r = subprocess.run([sys.executable, "-m", "aligner", "segment", str(SEED_ZH), "-o",
                            "/dev/stdout"], stdout=stdout, stderr=subprocess.PIPE, text=True,
                           timeout=120)
    assert r.returncode == 0, r.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier line" and lines[1].startswith("主席：我宣布")
    assert [p.name for p in tmp_path.iterdir()] == ["log.txt"]


def test_a_closed_standard_output_is_one_line():
    r = subprocess.run([sys.executable, "-m", "aligner", "segment", str(SEED_ZH)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120,
                       preexec_fn=lambda: os.close(1))
    one_error_line(r, "standard output", "cannot write: not open")


def test_library_writer_goes_through_a_chain_of_links(tmp_path):
    (tmp_path / "real.tsv").write_text("old", encoding="utf-8")
    (tmp_path / "a").symlink_to("real.tsv")
    (tmp_path / "b").symlink_to("a")
    with atomic_write(tmp_path / "b") as fh:
        fh.write("new")
    assert (tmp_path / "real.tsv").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "b").is_symlink() and (tmp_path / "a").is_symlink()


# --- 2. an output that is an input is refused ----------------------------------------------
@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    # Made once: the tests that use them check that they are left as they were.
    tmp_path = tmp_path_factory.mktemp("inputs")
    zh, en = tmp_path / "z.txt", tmp_path / "en.txt"
    shutil.copy(DEMO / "CD_PV.1261_zh.txt", zh)
    shutil.copy(DEMO / "CD_PV.1261_en.txt", en)
    g = tmp_path / "g.tsv"
    shutil.copy(GLOSSARY, g)
    jsonl = tmp_path / "a.jsonl"
    r = run_cli("align", zh, en, "-o", jsonl)
    assert r.returncode == 0, r.stderr
    tmx = tmp_path / "a.tmx"
    assert run_cli("tmx", "build", jsonl, "-o", tmx).returncode == 0
    return {"zh": zh, "en": en, "g": g, "jsonl": jsonl, "tmx": tmx}


@pytest.mark.parametrize("case", ["glossary-export", "align-zh", "align-en", "segment",
                                  "tmx-export", "tmx-build", "tmx-merge", "extract",
                                  "score-report", "align-tmx"])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(inputs, case):
    i = inputs
    args, victim = {
        "glossary-export": (["glossary", "export", "-g", i["g"], "-f", "tbx", "-o", i["g"]],
                            i["g"]),
        "align-zh": (["align", i["zh"], i["en"], "-o", i["zh"]], i["zh"]),
        "align-en": (["align", i["zh"], i["en"], "--format", "tsv", "-o", i["en"]], i["en"]),
        "align-tmx": (["align", i["zh"], i["en"], "-o", i["tmx"].with_name("z.tmx")], None),
        "segment": (["segment", i["zh"], "-o", i["zh"]], i["zh"]),
        "tmx-export": (["tmx", "export", i["tmx"], "-o", i["tmx"]], i["tmx"]),
        "tmx-build": (["tmx", "build", i["jsonl"], "-o", i["jsonl"]], i["jsonl"]),
        "tmx-merge": (["tmx", "merge", i["tmx"], i["tmx"], "-o", i["tmx"]], i["tmx"]),
        "extract": (["glossary", "extract", i["jsonl"], "-g", i["g"], "-o", i["g"]], i["g"]),
        "score-report": (["score", i["jsonl"], "--report", i["jsonl"]], i["jsonl"]),
    }[case]
    if victim is None:  # a TMX output onto the Chinese record through a hard link
        args[-1].unlink(missing_ok=True)
        os.link(i["zh"], args[-1])
        victim = i["zh"]
    before = victim.read_bytes()
    r = run_cli(*map(str, args))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "is an input of this command" in r.stderr
    assert victim.read_bytes() == before
    no_temporaries(victim.parent)


def test_an_output_that_is_a_link_to_an_input_is_refused(inputs):
    link = inputs["zh"].with_name("link.txt")
    link.symlink_to(inputs["zh"].name)
    before = inputs["zh"].read_bytes()
    r = run_cli("segment", inputs["zh"], "-o", link)
    one_error_line(r, str(link), "is an input of this command")
    assert inputs["zh"].read_bytes() == before


def test_the_default_glossary_is_an_input_too(tmp_path):
    g = tmp_path / "glossary.tsv"
    shutil.copy(GLOSSARY, g)
    # The curated glossary is read by default; a link to it stands for it here.
    link = tmp_path / "export.tsv"
    link.symlink_to(GLOSSARY)
    before = GLOSSARY.read_bytes()
    r = run_cli("glossary", "export", "-f", "tsv", "-o", link)
    one_error_line(r, str(link), "is an input of this command")
    assert GLOSSARY.read_bytes() == before


# --- 3. run --out never lands on the inputs ----------------------------------------------------
def _corpus(tmp_path: Path, stems=("CD_PV.1", "CD_PV.2")) -> Path:
    corpora = tmp_path / "corpora"
    corpora.mkdir()
    for stem in stems:
        shutil.copy(DEMO / "CD_PV.1261_zh.txt", corpora / f"{stem}_zh.txt")
        shutil.copy(DEMO / "CD_PV.1261_en.txt", corpora / f"{stem}_en.txt")
    return corpora


def test_run_refuses_an_out_folder_that_holds_its_inputs(tmp_path):
    corpora = _corpus(tmp_path, ("CD_PV.1",))
    g = corpora / "glossary.tsv"
    g.write_text(GLOSSARY.read_text(encoding="utf-8") + "# a comment the export would lose\n",
                 encoding="utf-8")
    before = {p.name: p.read_bytes() for p in corpora.iterdir()}
    r = run_cli("run", "--corpora", corpora, "--out", corpora, "--glossary", g, "--jobs", "1")
    one_error_line(r, str(corpora), "holds the inputs")
    assert {p.name: p.read_bytes() for p in corpora.iterdir()} == before


def test_run_on_a_fresh_clone_layout_refuses_out_corpora(tmp_path):
    corpora = tmp_path / "corpora"
    (corpora / "demo").mkdir(parents=True)
    shutil.copy(SEED_ZH, corpora)
    for p in DEMO.glob("*.txt"):
        shutil.copy(p, corpora / "demo")
    shutil.copy(GLOSSARY, corpora)
    before = sorted(p.relative_to(corpora) for p in corpora.rglob("*"))
    r = run_cli("run", "--out", "corpora", "--jobs", "1", cwd=tmp_path)
    one_error_line(r, "corpora", "holds the inputs")
    assert sorted(p.relative_to(corpora) for p in corpora.rglob("*")) == before


def test_run_with_out_a_file_is_one_line(tmp_path):
    corpora = _corpus(tmp_path, ("CD_PV.1",))
    f = tmp_path / "out.txt"
    f.write_text("x", encoding="utf-8")
    one_error_line(run_cli("run", "--corpora", corpora, "--out", f), str(f), "not a folder")


def test_run_glossary_export_does_not_overwrite_the_glossary_it_reads(tmp_path):
    corpora = _corpus(tmp_path, ("CD_PV.1",))
    out = tmp_path / "build"
    out.mkdir()
    g = out / "glossary.tsv"
    g.write_text(GLOSSARY.read_text(encoding="utf-8") + "# kept\n", encoding="utf-8")
    before = g.read_bytes()
    r = run_cli("run", "--corpora", corpora, "--out", out, "--glossary", g, "--jobs", "1")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "is an input of this command" in r.stderr
    assert g.read_bytes() == before
    assert (out / "CD_PV.1.tmx").is_file()


# --- 4. one unreadable record fails alone --------------------------------------------------
def test_an_unreadable_record_fails_alone(tmp_path):
    corpora = _corpus(tmp_path)
    bad = corpora / "CD_PV.1_zh.txt"
    bad.chmod(0)
    out = tmp_path / "build"
    r = run_limited("run", "--corpora", str(corpora), "--out", str(out), "--jobs", "1")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert f"aligner: error: {bad}: cannot read: permission denied" in r.stderr.splitlines()
    assert (out / "CD_PV.2.tmx").is_file() and not (out / "CD_PV.1.tmx").exists()


@pytest.mark.parametrize("manifest", ['[]', '{"CD_PV.1": 5}'])
def test_a_damaged_manifest_means_redo_not_a_traceback(tmp_path, manifest):
    corpora = _corpus(tmp_path, ("CD_PV.1",))
    out = tmp_path / "build"
    out.mkdir()
    (out / ".aligner-manifest.json").write_text(manifest, encoding="utf-8")
    r = run_cli("run", "--corpora", corpora, "--out", out, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "CD_PV.1" in json.loads((out / ".aligner-manifest.json").read_text(encoding="utf-8"))


# --- 7. every output-side OS error is one line, no temporary left ---------------------------
def test_output_a_folder(tmp_path):
    one_error_line(run_cli("segment", SEED_ZH, "-o", tmp_path), str(tmp_path),
                   "cannot write: is a folder, not a file")


def test_output_under_a_file(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("x", encoding="utf-8")
    one_error_line(run_cli("segment", SEED_ZH, "-o", f / "x.txt"), str(f / "x.txt"),
                   "cannot write: a folder in the path is a file")


def test_output_name_too_long(tmp_path):
    long = tmp_path / ("a" * 300 + ".txt")
    one_error_line(run_cli("segment", SEED_ZH, "-o", long), str(long),
                   "cannot write: file name too long")
    no_temporaries(tmp_path)


def test_output_name_near_the_limit_still_works(tmp_path):
    # The temporary name beside it must not be what breaks the limit.
    near = tmp_path / ("b" * 250 + ".txt")
    r = run_cli("segment", SEED_ZH, "-o", near)
    assert r.returncode == 0, r.stderr
    assert near.is_file()


def test_output_in_a_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        r = run_limited("segment", str(SEED_ZH), "-o", str(ro / "x.txt"))
        one_error_line(r, str(ro / "x.txt"), "cannot write: permission denied")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_score_report_a_folder(inputs, tmp_path):
    one_error_line(run_cli("score", inputs["jsonl"], "--report", tmp_path), str(tmp_path),
                   "is a folder")


def test_full_disk_via_dev_full(tmp_path):
    full = device(tmp_path, "full")
    with open(full, "wb") as stdout:
        r = subprocess.run([sys.executable, "-m", "aligner", "glossary", "export", "-f", "tbx"],
                           stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120)
    one_error_line(r, "standard output", "cannot write: no space left on device")
    r = run_cli("glossary", "export", "-f", "tbx", "-o", full)
    one_error_line(r, str(full), "cannot write: no space left on device")
    assert stat.S_ISCHR(os.stat(full).st_mode)


def _private_tmpfs_works() -> str | None:
    if os.geteuid() != 0:
        return "needs root for a tmpfs in a private mount namespace"
    if not shutil.which("unshare"):
        return "unshare (util-linux) is missing"
    r = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                       capture_output=True, text=True)
    return None if r.returncode == 0 else f"unshare -m / mount tmpfs refused: {r.stderr.strip()}"


def test_full_disk_on_a_real_small_filesystem(tmp_path):
    why = _private_tmpfs_works()
    if why:
        pytest.skip(why)
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "big.tbx"
    # A 64 KiB file system: the TBX of the curated glossary does not fit.
    script = (f"mount -t tmpfs -o size=64k tmpfs {disk} && "
              f"{sys.executable} -m aligner glossary export -f tbx -o {out}; rc=$?; "
              f"ls -A {disk}; exit $rc")
    r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                       timeout=120)
    one_error_line(r, str(out), "cannot write: no space left on device")
    assert r.stdout.strip() == ""  # nothing left on the full disk: no temporary, no half file
    ro_script = (f"mount -t tmpfs -o size=64k,ro tmpfs {disk} && "
                 f"{sys.executable} -m aligner segment {SEED_ZH} -o {disk / 'x.txt'}")
    r = subprocess.run(["unshare", "-m", "sh", "-c", ro_script], capture_output=True, text=True,
                       timeout=120)
    one_error_line(r, str(disk / "x.txt"), "cannot write: read-only file system")


def test_library_write_error_is_an_aligner_error_and_leaves_no_temporary(tmp_path):
    full = device(tmp_path, "full")
    with pytest.raises(AlignerError) as e, atomic_write(full, "wb") as fh:
        fh.write(b"x" * 100_000)
    assert e.value.path == str(full) and "no space left" in e.value.reason
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_an_input_read_error_inside_the_write_is_not_blamed_on_the_output(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(FileNotFoundError), atomic_write(target) as fh:
        fh.write("x")
        (tmp_path / "missing").read_text()
    assert list(tmp_path.iterdir()) == []


# --- 10. messages that say what the input is --------------------------------------------------
def test_messages_for_inputs_that_are_not_regular_files(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    one_error_line(run_cli("segment", fifo), str(fifo), "not a regular file (a FIFO/pipe)")
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    one_error_line(run_cli("segment", zero), str(zero), "not a regular file (a device)")
    loop = tmp_path / "loop.txt"
    loop.symlink_to("loop2.txt")
    (tmp_path / "loop2.txt").symlink_to("loop.txt")
    one_error_line(run_cli("segment", loop), str(loop), "symbolic link loop")
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to("nowhere.txt")
    one_error_line(run_cli("segment", dangling), str(dangling), "broken symbolic link")
    one_error_line(run_cli("segment", tmp_path), str(tmp_path), "is a directory, not a file")


def test_segment_dash_reads_a_pipe():
    data = SEED_ZH.read_bytes()
    r = subprocess.run([sys.executable, "-m", "aligner", "segment", "-"], input=data,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    from_file = run_cli("segment", SEED_ZH)
    assert r.stdout.decode("utf-8") == from_file.stdout


def test_segment_dash_with_nothing_on_stdin():
    r = subprocess.run([sys.executable, "-m", "aligner", "segment", "-"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=120)
    one_error_line(r, "<stdin>", "empty input")


def test_a_closed_pipe_ends_quietly():
    # More than a pipe holds, so that the writer meets the closed end.
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "glossary", "export", "-f", "tbx"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    proc.wait(timeout=120)
    assert proc.stderr.read() == b""


# --- 11. a killed run's temporaries are removed by the next --------------------------------------
def test_stale_temporaries_are_removed_at_the_start_of_a_run(tmp_path):
    corpora = _corpus(tmp_path, ("CD_PV.1",))
    out = tmp_path / "build"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = out / f".CD_PV.1.tmx.{dead}.abc123.part"
    stale.write_text("half", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    live = out / f".other.tmx.{os.getpid()}.def456.part"  # a live writer's (this test's)
    live.write_text("being written", encoding="utf-8")
    os.utime(live, (hour_ago, hour_ago))
    unrelated = out / "notes.part"
    unrelated.write_text("mine", encoding="utf-8")
    os.utime(unrelated, (hour_ago, hour_ago))
    r = run_cli("run", "--corpora", corpora, "--out", out, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert not stale.exists()
    assert live.exists() and unrelated.exists()


def test_stale_temporaries_newer_than_the_process_are_kept(tmp_path):
    fresh = tmp_path / ".x.tsv.999999999.abc.part"
    fresh.write_text("x", encoding="utf-8")
    assert remove_stale_temporaries(tmp_path, started=time.time() - 3600) == []
    assert remove_stale_temporaries(tmp_path, started=time.time() + 1) == [fresh]
