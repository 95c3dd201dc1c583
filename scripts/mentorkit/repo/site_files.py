"""The site's files: the MkDocs configuration, a page's source, the kit's assets and the exported folder.

`site/` computes pages as text; this module is where they are read from and written to disk (rule 2 of
ARCHITECTURE.md: only `repo/` touches files).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import layout


def read_config(path: Path) -> dict[str, Any]:
    """The MkDocs configuration (mkdocs.yml) as a mapping; an empty file is an empty mapping."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def source_text(path: Path) -> str | None:
    """A page's source as written (a BOM dropped), or None if it cannot be read (no offset rather than no page)."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError:
        return None


def kit_assets(names: Mapping[str, str]) -> dict[str, bytes]:
    """The kit's own site assets (`mentorkit/site/assets/<name>`) by the URI each is published at."""
    assets = resources.files("mentorkit.site") / "assets"
    return {uri: (assets / name).read_bytes() for uri, name in names.items()}


def markdown_sources(folder: Path) -> dict[str, str]:
    """Every Markdown page under `folder`, by its path relative to it (forward slashes), in path order."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8-sig") for p in sorted(folder.rglob("*.md"))}


def write_folder(target: Path, source: Path, files: Mapping[str, str | bytes]) -> None:
    """Replace `target` with a copy of `source`, then write `files` (relative paths) over and beside the copy."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def write_generated(path: Path, text: str) -> None:
    """Write a generated text file (UTF-8, the line endings as given)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def watched_folders(root: Path) -> list[Path]:
    """The folders `mentorkit site serve` rebuilds on a change of: the program files and agendas that exist."""
    return [Path(root) / folder for folder in (layout.PROGRAMS, layout.AGENDAS) if (Path(root) / folder).is_dir()]
