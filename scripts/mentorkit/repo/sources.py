"""Where the loader reads files from: a repository folder, optionally overlaid with candidate files.

The overlay maps repository-relative paths to the text a command is about to
write (intake's new participant rows, init's new program file). Loading the
folder through the overlay validates the repository as it would be, without
copying it or touching a file: a command checks its output before writing it.

`read` is the one way a file's bytes reach the loader, and it refuses what a
hostile or broken checkout can hold: a link that leaves the repository (its
target is never opened, so nothing of it can be echoed into a message), a folder
where a file belongs, a file that cannot be read, a file over the size cap.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..errors import Problem


class Source:
    def __init__(self, root: Path, overlay: Mapping[str, str] | None = None):
        self.root = Path(root).resolve()
        self.overlay = {PurePosixPath(rel).as_posix(): text for rel, text in (overlay or {}).items()}

    def path(self, rel: str) -> Path:
        return self.root / rel

    def is_file(self, rel: str) -> bool:
        """Something is where the file belongs (a folder or a broken link too: `read` says what is wrong with it)."""
        path = self.root / rel
        return rel in self.overlay or path.exists() or path.is_symlink()

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

    def leaves_repository(self, rel: str) -> bool:
        """True when `rel`, or a link on its way, points outside the repository root."""
        if rel in self.overlay:
            return False
        try:
            (self.root / rel).resolve().relative_to(self.root)
        except ValueError:
            return True
        except (OSError, RuntimeError):  # a link loop: not a file the kit can read either
            return True
        return False

    def read(self, rel: str, max_bytes: int) -> tuple[bytes | None, list[Problem]]:
        """The file's bytes, or None and the problem that keeps it from being read (never an exception)."""
        if rel in self.overlay:
            data = self.overlay[rel].encode("utf-8")
        else:
            path = self.root / rel
            if self.leaves_repository(rel):
                return None, [Problem(rel, "link-outside", "the file is a link to a place outside the repository; "
                                      "it was not opened", line=1,
                                      hint="replace the link with the file itself (git keeps links as links)")]
            if path.is_dir():
                return None, [Problem(rel, "unreadable-file", "this is a folder where a file belongs", line=1,
                                      hint="rename or remove the folder")]
            try:
                size = path.stat().st_size
                if size > max_bytes:
                    return None, [_too_large(rel, size, max_bytes)]
                data = path.read_bytes()
            except OSError as exc:
                return None, [Problem(rel, "unreadable-file", f"the file cannot be read ({_reason(exc)})", line=1,
                                      hint="check that the file exists and that you may read it (ls -l)")]
        if len(data) > max_bytes:
            return None, [_too_large(rel, len(data), max_bytes)]
        return data, []


def _too_large(rel: str, size: int, max_bytes: int) -> Problem:
    return Problem(rel, "file-too-large", f"the file is {size:,} bytes; the limit is {max_bytes:,}",
                   hint="split it, or check that it is the file you meant to commit")


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()
