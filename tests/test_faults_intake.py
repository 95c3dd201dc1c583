"""Intake on a failing disk: the key, the roster and the participants table end up all as before or all new.

Faults are injected at every step of the save: a write or rename that raises (in process), and the process
killed outright (a subprocess that ends itself with os._exit at the k-th step). After each, the files are
compared with the state before and the state a clean run leaves; the next run completes or repeats the save.
Also: a different but valid key is refused using the roster, and a read-only folder gives a message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from mentorkit.cli import main
from mentorkit.coordinator import pseudonyms
from mentorkit.coordinator.pseudonyms import KEY_FILE, PENDING_FILE, ROSTER_FILE, PrivateStore
from mentorkit.errors import PrivateDataError
from mentorkit.repo import atomic
from test_intake import DAY, EXPORTS, intake, make_repo

EXPORT = EXPORTS / "google-forms-signup.csv"
FIXED_KEY = bytes(range(32))


def state(root: Path, private: Path) -> dict[str, bytes | None]:
    """The three files a save replaces together (None: not there)."""
    files = {"key": private / KEY_FILE, "roster": private / ROSTER_FILE,
             "table": root / "participants" / "participants.csv"}
    return {name: path.read_bytes() if path.exists() else None for name, path in files.items()}


@pytest.fixture
def fixed_key(monkeypatch):
    monkeypatch.setattr(pseudonyms.secrets, "token_bytes", lambda n: FIXED_KEY[:n])


def clean_run(tmp_path: Path) -> tuple[dict, dict]:
    """(state before, state after) of an intake that nothing interrupts."""
    root, private, _ = make_repo(tmp_path / "clean")
    before = state(root, private)
    assert intake(root, EXPORT, "pilot", private, today=DAY).ok
    return before, state(root, private)


def leftovers(*folders: Path) -> list[str]:
    return sorted(p.name for folder in folders if folder.is_dir() for p in folder.iterdir()
                  if p.name.endswith(".tmp") or p.name == PENDING_FILE)


# --- a step that raises ---------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failing_write_at_every_step_leaves_all_old_or_all_new(tmp_path, fixed_key, monkeypatch, step):
    before, after = clean_run(tmp_path)
    assert before["key"] is None and before["roster"] is None and after["table"] != before["table"]
    real = {"fsync": os.fsync, "replace": os.replace}[step]
    outcomes = set()
    for k in range(1, 10):
        root, private, _ = make_repo(tmp_path / f"{step}-{k}")
        calls = []

        def failing(*args, k=k, calls=calls):
            calls.append(args)
            if len(calls) == k:
                raise OSError(28, "No space left on device")
            return real(*args)

        monkeypatch.setattr(atomic.os, step, failing)
        try:
            intake(root, EXPORT, "pilot", private, today=DAY)
            failed = False
        except OSError:
            failed = True
        monkeypatch.setattr(atomic.os, step, real)
        now = state(root, private)
        if not failed:
            assert now == after
            break
        committed = (private / PENDING_FILE).exists()
        if not committed:
            assert now == before, f"{step} #{k}: a failure before the commit changed files"
            assert leftovers(private, root / "participants") == []
        for name in now:  # never a half-written file, even while the renames are under way
            assert now[name] in (before[name], after[name]), (step, k, name)
        PrivateStore(private, root)  # the next command opens the folder: an interrupted save is completed
        assert state(root, private) == (after if committed else before), (step, k)
        outcomes.add("new" if committed else "old")
        assert intake(root, EXPORT, "pilot", private, today=DAY).ok  # and running again gives the clean result
        assert state(root, private) == after
        assert leftovers(private, root / "participants") == []
    else:
        raise AssertionError("the save never succeeded")
    assert "old" in outcomes and (step == "fsync" or "new" in outcomes)


# --- a process killed at every step -------------------------------------------------------------

KILLER = """
import os, sys, tempfile
sys.path.insert(0, {tests!r})
from mentorkit.coordinator import pseudonyms
from mentorkit.repo import atomic
pseudonyms.secrets.token_bytes = lambda n: bytes(range(32))[:n]
steps = [0]
def dies(real):
    def step(*args, **kwargs):
        steps[0] += 1
        if steps[0] == {k}:
            os._exit(137)
        return real(*args, **kwargs)
    return step
atomic.os.replace = dies(os.replace)
atomic.os.fsync = dies(os.fsync)
atomic.tempfile.mkstemp = dies(tempfile.mkstemp)
from mentorkit.cli import main
main(["intake", {export!r}, "--program", "pilot", "--private", {private!r}, "--root", {root!r},
      "--date", "2025-12-10", "--new-population"])
"""


@pytest.mark.slow
def test_a_process_killed_at_every_step_leaves_all_old_or_all_new(tmp_path, fixed_key):
    before, after = clean_run(tmp_path)
    seen = set()
    for k in range(1, 30):
        root, private, _ = make_repo(tmp_path / f"kill-{k}")
        script = KILLER.format(tests=str(REPO / "tests"), k=k, export=str(EXPORT), private=str(private),
                               root=str(root))
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        now = state(root, private)
        if done.returncode == 0:
            assert now == after
            break
        assert done.returncode == 137, done.stderr
        for name in now:
            assert now[name] in (before[name], after[name]), (k, name)
        committed = (private / PENDING_FILE).exists()
        PrivateStore(private, root)  # what the next command does first
        assert state(root, private) == (after if committed else before), k
        seen.add(committed)
    else:
        raise AssertionError("the intake never finished")
    assert seen == {False, True}, "the kill points covered both sides of the commit"


# --- a different but valid key -------------------------------------------------------------------


def test_a_different_valid_key_is_refused_using_the_roster(tmp_path):
    root, private, _ = make_repo(tmp_path)
    assert intake(root, EXPORT, "pilot", private, today=DAY).ok
    right = (private / KEY_FILE).read_text()
    (private / KEY_FILE).write_text("ab" * 32 + "\n")  # well formed, but not the roster's
    files = state(root, private)
    result = CliRunner().invoke(main, ["intake", str(EXPORT), "--program", "pilot", "--private", str(private),
                                       "--root", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "is not the key the roster was made with: 3 of 3 people" in result.output
    assert "Restore the key from the backup" in result.output
    assert "ab" * 32 not in result.output  # the key is never shown
    assert state(root, private) == files  # nothing was written, nobody added twice
    (private / KEY_FILE).write_text(right)
    report = intake(root, EXPORT, "pilot", private, today=DAY)
    assert report.ok and not report.added  # the right key: everyone is known


def test_a_dry_run_does_not_touch_an_interrupted_save(tmp_path):
    root, private, _ = make_repo(tmp_path)
    private.mkdir()
    (private / PENDING_FILE).write_text("[]\n")
    with pytest.raises(PrivateDataError, match="cut short"):
        PrivateStore(private, root, create=False)
    PrivateStore(private, root)
    assert not (private / PENDING_FILE).exists()


def test_a_journal_that_is_not_ours_is_left_alone_with_a_message(tmp_path):
    root, private, _ = make_repo(tmp_path)
    private.mkdir()
    (private / PENDING_FILE).write_text("rm -rf /\n")
    result = CliRunner().invoke(main, ["intake", str(EXPORT), "--program", "pilot", "--private", str(private),
                                       "--root", str(root)])
    assert result.exit_code == 1 and "is not a mentorkit journal" in result.output
    assert (private / PENDING_FILE).exists()


# --- read-only folders ---------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["participants", "private"])
def test_a_read_only_folder_during_intake_changes_nothing(tmp_path, monkeypatch, folder):
    root, private, _ = make_repo(tmp_path)
    before = state(root, private)
    refused = root / "participants" if folder == "participants" else private
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):  # root ignores file modes: the refusal is injected
        if Path(kwargs["dir"]) == refused:
            raise PermissionError(13, "Permission denied", str(refused))
        return real(*args, **kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)
    result = CliRunner().invoke(main, ["intake", str(EXPORT), "--program", "pilot", "--private", str(private),
                                       "--root", str(root), "--new-population"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"the file system refused {refused}: permission denied" in result.output
    assert state(root, private) == before
    assert leftovers(private, root / "participants") == []
