"""`mentorkit match` killed at every step of its writes: each proposal file is as before or new, never partial."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mentorkit.repo.load import read_workspace
from test_intake import make_repo

KILLER = """
import os, tempfile
from mentorkit.repo import atomic
steps = [0]
def dies(real):
    def step(*args, **kwargs):
        steps[0] += 1
        if steps[0] == {k}:
            os._exit(137)
        return real(*args, **kwargs)
    return step
atomic.os.replace = dies(os.replace)
atomic.tempfile.mkstemp = dies(tempfile.mkstemp)
atomic.os.chmod = dies(os.chmod)
from mentorkit.cli import main
main(["match", "--root", {root!r}])
"""


def proposals(root):
    folder = root / "participants" / "matches"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.slow
def test_match_killed_at_every_step_leaves_each_proposal_old_or_new(tmp_path):
    clean, _, _ = make_repo(tmp_path / "clean")
    assert subprocess.run([sys.executable, "-c", KILLER.format(k=0, root=str(clean))]).returncode == 0
    new = proposals(clean)
    assert sorted(new) == ["pilot.yaml", "pilot2.yaml"]
    for k in range(1, 20):
        root, _, _ = make_repo(tmp_path / f"kill-{k}")
        done = subprocess.run([sys.executable, "-c", KILLER.format(k=k, root=str(root))], capture_output=True,
                              text=True, timeout=120)
        now = proposals(root)
        visible = {name: data for name, data in now.items() if not name.startswith(".")}
        assert all(data == new[name] for name, data in visible.items()), k  # never a partial proposal
        _, report = read_workspace(root)
        assert report.ok, (k, report.tuples())  # a leftover temporary file is not read as a proposal
        if done.returncode == 0:
            assert visible == new
            break
        assert done.returncode == 137, done.stderr
    else:
        raise AssertionError("match never finished")
