"""The atomic writer: old or new content, never partial; private files stay their owner's."""

from __future__ import annotations

import os
import stat

import pytest

from mentorkit.repo import atomic
from mentorkit.repo.atomic import write_atomic


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_repository_file_gets_the_usual_mode_and_a_private_one_stays_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "table.csv", "a,b\n")
        write_atomic(tmp_path / "roster.csv", "a,b\n", private=True)
    finally:
        os.umask(old)
    assert mode(tmp_path / "table.csv") == 0o644
    assert mode(tmp_path / "roster.csv") == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path):
    path = tmp_path / "run.sh"
    path.write_text("old\n")
    path.chmod(0o750)
    write_atomic(path, "new\n")
    assert (path.read_text(), mode(path)) == ("new\n", 0o750)


def test_text_keeps_its_line_endings_and_bytes_are_written_as_given(tmp_path):
    write_atomic(tmp_path / "a.txt", "x\r\ny\n")
    write_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "a.txt").read_bytes() == b"x\r\ny\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "proposal.yaml"
    path.write_text("old\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proposal.yaml"]
