"""Every file a pull request's commits added or changed, looked at as `validate` looks at the working tree.

A file added in one commit and deleted in the next leaves no trace in the pull request's last state, yet stays in
the repository's history for good once merged: the roster exported by mistake, then removed. The check job looks
at each file as each commit of the pull request holds it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

from ..errors import Report
from ..repo.exposure import SKIPPED, scan_file, size_problem
from . import git


def scan_history(root: Path, base: str, allowed: set[str]) -> Report:
    """Problems in the files of the commits after `base`, each naming the commit that holds it."""
    report = Report()
    seen: set[tuple[str, str]] = set()
    for commit, path in git.added_in_history(root, base):
        if PurePosixPath(path).parts[0] in SKIPPED:
            continue
        where = f"in commit {commit[:7]}"
        too_large = size_problem(path, git.size_at(root, commit, path))
        found = [too_large] if too_large else scan_file(path, git.file_at(root, commit, path), allowed)
        for problem in found:
            key = (path, problem.code)
            if key not in seen:  # the same file in later commits says nothing new
                seen.add(key)
                report.add(replace(problem, message=f"{where}: {problem.message}",
                                   hint=(problem.hint or "") + "; a file removed by a later commit stays in the "
                                   "history once merged: drop it from the branch's commits (an interactive rebase) "
                                   "before merging"))
    return report
