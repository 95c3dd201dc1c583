"""The overlay source: the repository as a command is about to leave it, read without copying or writing."""

from __future__ import annotations

import os

from conftest import make_workspace
from mentorkit.repo.load import read_workspace
from mentorkit.repo.sources import Source


def snapshot(root):
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_overlaid_file_replaces_the_one_on_disk_and_nothing_is_written(base_workspace):
    before = snapshot(base_workspace)
    program = (base_workspace / "program" / "pilot.yaml").read_text(encoding="utf-8")
    broken = program.replace("title:", "titel:", 1)
    _, report = read_workspace(base_workspace, overlay={"program/pilot.yaml": broken})
    assert {(p.file, p.code) for p in report.problems} >= {("program/pilot.yaml", "unknown-key")}
    assert snapshot(base_workspace) == before
    _, clean = read_workspace(base_workspace)
    assert clean.ok


def test_an_overlaid_new_file_is_loaded_as_if_it_existed(base_workspace):
    program = (base_workspace / "program" / "pilot.yaml").read_text(encoding="utf-8")
    ws, report = read_workspace(base_workspace, overlay={"program/second.yaml": program})
    assert "second" in ws.programs and "pilot" in ws.programs
    assert not (base_workspace / "program" / "second.yaml").exists()
    assert not [p for p in report.problems if p.file == "program/second.yaml"]


def test_an_overlaid_table_is_validated_row_by_row(base_workspace):
    path = base_workspace / "participants" / "participants.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    duplicate = "\n".join([header, first, first]) + "\n"
    _, report = read_workspace(base_workspace, overlay={"participants/participants.csv": duplicate})
    assert ("participants/participants.csv", 3, "duplicate-id") in {(p.file, p.row, p.code) for p in report.problems}


def test_overlay_and_disk_list_files_in_the_same_order(tmp_path):
    root = make_workspace(tmp_path / "ws")
    source = Source(root, {"program/aaa.yaml": "x", "program/zzz.yaml": "y", "agendas/new.md": "z"})
    on_disk = sorted(p.name for p in (root / "program").glob("*.y*ml"))
    assert source.files("program", "*.y*ml") == sorted(
        [f"program/{n}" for n in on_disk] + ["program/aaa.yaml", "program/zzz.yaml"])
    assert "agendas/new.md" in source.files("agendas", "*.md")
    assert source.size("program/aaa.yaml") == 1 and source.read_bytes("agendas/new.md") == b"z"
    assert source.is_dir("matches-that-do-not-exist") is False


def test_a_folder_that_exists_only_in_the_overlay_counts_as_present(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()
    source = Source(root, {"program/p.yaml": "title: x\n"})
    assert source.is_dir("program") and source.is_file("program/p.yaml")
    assert not source.is_file("program/q.yaml")
    assert os.listdir(root) == []
