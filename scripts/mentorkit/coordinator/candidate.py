"""The check before anything is written: the repository as a command would leave it.

Intake and the imports merge an export's rows into a table (`repo.table_rows`);
`init` writes a new program file. Each first validates the whole repository with
its new files in place (`validate_candidate`, nothing written) and tells the
problems found in a new table as the export's rows and columns (`translate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem
from ..repo.load import read_workspace


def validate_candidate(root: Path, replacements: Mapping[str, str]) -> list[Problem]:
    """Problems of the workspace as it would be with `replacements` (relative path -> text); nothing is touched."""
    _, report = read_workspace(root, overlay=replacements)
    return report.problems


def translate(problems: list[Problem], rel: str, origin: dict[int, int], columns: dict[str, str],
              export: str) -> list[Problem]:
    """Problems in the candidate table `rel` told as the export's row (`origin`) and column title (`columns`)."""
    out = []
    for p in problems:
        if p.file == rel and p.row in origin:
            out.append(Problem(export, p.code, p.message, row=origin[p.row], field=columns.get(p.field or "", p.field),
                               hint=p.hint))
        else:
            out.append(p)
    return out
