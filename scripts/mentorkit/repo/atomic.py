"""Atomic file writing: a crash or an error never leaves a half-written file."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, private: bool = False) -> None:
    """Replace `path` with `data` in one step; text is written as UTF-8, its line endings as given.

    A `private` file (the roster, introduction e-mails) keeps mkstemp's mode, 0600: its owner only.
    Any other file gets the mode a new file would get (0644 under the usual umask), or keeps its own.
    """
    path = Path(path)
    tmp = _stage(path, data, private, durable=False)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def private_folder(path: Path) -> None:
    """Create the folder `path` (and its parents) if it is missing; a new one is its owner's only (0700)."""
    Path(path).mkdir(parents=True, exist_ok=True, mode=0o700)


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def write_together(files: Sequence[tuple[Path, str | bytes, bool]], journal: Path) -> None:
    """Replace several files so that, even if the process dies, they end up all as before or all new.

    Each `(path, data, private)` is first written in full to a temporary file beside its target. Then the
    journal (the list of renames still to do) is written atomically: that is the moment of commit. Then each
    temporary file is renamed over its target, in the order given, and the journal removed. An error or a kill
    before the commit leaves every target as it was (the temporary files are removed, or are hidden leftovers);
    after it, `finish_pending(journal)` (run by the next command) completes the renames. Give the files in the
    order that is safe to see half-done: private data (key, roster) before the tables that depend on it.
    """
    staged: list[tuple[str, str]] = []
    try:
        for path, data, private in files:
            staged.append((_stage(Path(path), data, private), str(path)))
        write_atomic(journal, json.dumps(staged, indent=1) + "\n", private=True)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    finish_pending(journal)


def finish_pending(journal: Path) -> list[Path]:
    """Complete the renames a journal lists (an interrupted `write_together`); the targets replaced."""
    journal = Path(journal)
    if not journal.is_file():
        return []
    try:
        pending = json.loads(journal.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        pending = None
    if not isinstance(pending, list) or not all(isinstance(p, list) and len(p) == 2 for p in pending):
        raise OSError(f"{journal} is not a mentorkit journal; move it away if you did not put it there")
    done = []
    for tmp, target in pending:
        if Path(tmp).exists():  # renamed already when a previous attempt stopped after it
            os.replace(tmp, target)
            done.append(Path(target))
    journal.unlink()
    return done


def _stage(path: Path, data: str | bytes, private: bool, durable: bool = True) -> str:
    """`data` in full in a temporary file beside `path` (`durable`: flushed to disk); its name."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:  # a journal is about to promise this file: it must be on disk first
                handle.flush()
                os.fsync(handle.fileno())
        if not private:
            os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
