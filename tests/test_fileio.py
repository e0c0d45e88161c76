"""Outputs are written whole or not at all, with ordinary permissions."""

import os
import stat

import pytest

from aligner.fileio import atomic_write, atomic_write_text


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
