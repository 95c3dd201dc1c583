"""Which files differ between two checkouts of a repository, by content (no git needed: both are folders)."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from pathlib import Path

from . import layout
from .exposure import repository_files


def _files(root: Path) -> dict[str, Path]:
    return {rel: root / rel for rel in repository_files(root)}


def _content(path: Path) -> bytes:
    return ("link:" + os.readlink(path)).encode() if path.is_symlink() else path.read_bytes()


def changed_files(base: Path, head: Path, patterns: Iterable[str] = layout.CODE_FILES) -> list[str]:
    """The files matching `patterns` that were added, removed or changed from `base` to `head`, sorted."""
    old, new = _files(Path(base)), _files(Path(head))
    patterns = tuple(patterns)
    changed = []
    for rel in sorted(old.keys() | new.keys()):
        if not any(fnmatch.fnmatchcase(rel, p) for p in patterns):
            continue
        if rel not in old or rel not in new or _content(old[rel]) != _content(new[rel]):
            changed.append(rel)
    return changed
