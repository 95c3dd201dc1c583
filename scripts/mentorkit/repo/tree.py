"""Create a whole new folder of files in one step: all of it, or nothing.

`mentorkit new` writes a complete program repository. The files go into a
hidden folder beside the target, which is renamed to the target only when every
file is written, so a failure (a full disk, a permission) leaves no partial
repository behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from ..errors import MentorkitError

KEPT = ".git"  # a folder holding only this (`git init` already run) is as good as empty: it is kept


def empty_or_absent(target: Path) -> bool:
    """True for a folder that does not exist, is empty, or holds only `.git`."""
    return not target.exists() or (target.is_dir() and not target.is_symlink()
                                   and all(child.name == KEPT for child in target.iterdir()))


def write_new_tree(target: Path, files: Mapping[str, str], check: Callable[[Path], None] | None = None) -> None:
    """Create `target` holding exactly `files` (relative POSIX path -> text); `target` must be absent or empty.

    `check` sees the finished folder before it takes the target's name; an exception from it writes nothing.
    """
    target = Path(target)
    if not empty_or_absent(target):
        raise MentorkitError(f"{target} is not empty: choose a new folder")
    if not target.parent.is_dir():
        raise MentorkitError(f"the folder {target.parent} does not exist: create it first, or choose another place")
    for rel in files:
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise MentorkitError(f"refusing to write {rel}: outside the new folder")  # a bug, never user input
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
    except OSError as exc:
        raise MentorkitError(f"cannot write in {target.parent}: {exc.strerror}") from None
    try:
        for rel, text in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        mask = os.umask(0)  # the only way to read the umask is to set it
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp's folder is private; a repository is not
        if check is not None:
            check(staging)
        if (target / KEPT).exists():  # the repository's history moves into the new folder with it
            os.replace(target / KEPT, staging / KEPT)
        if target.exists():
            try:
                target.rmdir()
            except OSError:
                if (staging / KEPT).exists():
                    os.replace(staging / KEPT, target / KEPT)
                raise
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise MentorkitError(f"could not create {target}: {exc.strerror or exc}; nothing was written") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
