"""A pseudonym replaced by another in every file of the repository that holds it (tables, proposals, programs).

Used by erasure (`coordinator.erase`): the files are returned as new text, for the caller to validate as they
would be and write together; nothing is written here.
"""

from __future__ import annotations

import re
from pathlib import Path

from .layout import PARTICIPANTS, PROGRAMS


def files_with(root: Path, old: str) -> dict[str, str]:
    """{relative path: text with `old` replaced by nothing yet} for every data file that names `old`."""
    token = re.compile(rf"\b{re.escape(old)}\b")
    out: dict[str, str] = {}
    for folder, patterns in ((PARTICIPANTS, ("*.csv", "matches/*.yaml")), (PROGRAMS, ("*.yaml",))):
        base = Path(root) / folder
        for pattern in patterns:
            for path in sorted(base.glob(pattern)):
                text = path.read_text(encoding="utf-8-sig")
                if token.search(text):
                    out[path.relative_to(root).as_posix()] = text
    return out


def renamed(root: Path, old: str, new: str) -> dict[str, str]:
    """The new text of every data file that names the pseudonym `old`, naming `new` instead."""
    token = re.compile(rf"\b{re.escape(old)}\b")
    return {rel: token.sub(new, text) for rel, text in files_with(root, old).items()}


__all__ = ["files_with", "renamed"]
