"""Outputs are written whole or not at all, with ordinary permissions."""

import os
import stat

import pytest

from aligner.common.fileio import atomic_write, atomic_write_text, file_version


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.tmx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half of the new content")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tmx"]


def test_new_file_is_readable_by_others_like_any_output(tmp_path):
    target = tmp_path / "sub" / "glossary.tsv"
    atomic_write_text(target, "zh\ten\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert target.read_text(encoding="utf-8") == "zh\ten\n"


def test_file_version_changes_with_the_file(tmp_path):
    f = tmp_path / "g.tsv"
    f.write_text("a\n", encoding="utf-8")
    first = file_version(f)
    assert first == file_version(str(f)) and first[0] == str(f.resolve())
    f.write_text("ab\n", encoding="utf-8")
    os.utime(f, ns=(first[1] + 10**9, first[1] + 10**9))
    assert file_version(f) != first
    with pytest.raises(OSError):
        file_version(tmp_path / "missing.tsv")
