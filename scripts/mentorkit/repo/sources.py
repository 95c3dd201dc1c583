"""Where the loader reads files from: a repository folder, optionally overlaid with candidate files.

The overlay maps repository-relative paths to the text a command is about to
write (intake's new participant rows, init's new program file). Loading the
folder through the overlay validates the repository as it would be, without
copying it or touching a file: a command checks its output before writing it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


class Source:
    def __init__(self, root: Path, overlay: Mapping[str, str] | None = None):
        self.root = Path(root)
        self.overlay = {PurePosixPath(rel).as_posix(): text for rel, text in (overlay or {}).items()}

    def path(self, rel: str) -> Path:
        return self.root / rel

    def is_file(self, rel: str) -> bool:
        return rel in self.overlay or (self.root / rel).is_file()

    def is_dir(self, rel: str) -> bool:
        prefix = rel.rstrip("/") + "/"
        return (self.root / rel).is_dir() or any(key.startswith(prefix) for key in self.overlay)

    def files(self, folder: str, pattern: str) -> list[str]:
        """Relative paths of the files directly in `folder` matching `pattern`, sorted as paths sort."""
        found = {p.relative_to(self.root).as_posix(): p for p in (self.root / folder).glob(pattern)}
        for rel in self.overlay:
            parent, _, name = rel.rpartition("/")
            if parent == folder.rstrip("/") and fnmatch.fnmatchcase(name, pattern):
                found[rel] = self.root / rel
        return sorted(found, key=lambda rel: found[rel])

    def size(self, rel: str) -> int:
        if rel in self.overlay:
            return len(self.overlay[rel].encode("utf-8"))
        return (self.root / rel).stat().st_size

    def read_bytes(self, rel: str) -> bytes:
        if rel in self.overlay:
            return self.overlay[rel].encode("utf-8")
        return (self.root / rel).read_bytes()
