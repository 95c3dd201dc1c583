"""The git commands of the propose workflow: commit the proposal files as the Actions bot, and push them.

The token reaches git through the environment as an HTTP header: never on a
command line, never written to `.git/config`, and masked in every message.
"""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import GitError
from ..repo import layout

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

# what `git push` says when the branch is not where the lease expects it (moved on, or deleted)
_REJECTED = ("[rejected]", "non-fast-forward", "fetch first", "stale info")


def _mask(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True,
         secret: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], cwd=root, env={**os.environ, **(env or {})}, capture_output=True,
                            text=True, check=False)
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_mask((result.stderr or result.stdout).strip(), secret)}")
    return result


def head_commit(root: Path) -> str:
    """The commit HEAD points to."""
    return _git(Path(root), "rev-parse", "HEAD").stdout.strip()


def added_in_history(root: Path, base: str) -> list[tuple[str, str]]:
    """(commit, path) of every file a commit after `base` added or changed, oldest first, even if a later one
    deleted it again: what a pull request's history holds, not only its last state."""
    root = Path(root)
    if _git(root, "cat-file", "-e", f"{base}^{{commit}}", check=False).returncode != 0:
        raise GitError(f"the base commit {base[:12]} is not in this checkout: check out the whole history "
                       "(fetch-depth: 0) so every commit of the pull request can be looked at")
    out = _git(root, "log", "--reverse", "--no-renames", "--diff-filter=AM", "--format=%x00%H", "--name-only", "-z",
               f"{base}..HEAD").stdout
    found: list[tuple[str, str]] = []
    commit = ""
    for token in out.split("\0"):
        token = token.strip("\n")
        if len(token) == 40 and all(c in "0123456789abcdef" for c in token):
            commit = token
        elif token and commit:
            found.append((commit, token))
    return found


def size_at(root: Path, commit: str, path: str) -> int:
    """A file's size in bytes as one commit holds it."""
    return int(_git(Path(root), "cat-file", "-s", f"{commit}:{path}").stdout.strip())


def file_at(root: Path, commit: str, path: str) -> bytes:
    """A file's bytes as one commit holds it."""
    result = subprocess.run(["git", "cat-file", "blob", f"{commit}:{path}"], cwd=root, capture_output=True, check=False)
    if result.returncode != 0:
        raise GitError(f"git cat-file failed for {path} at {commit[:12]}")
    return result.stdout


def changed_files(root: Path, folder: str) -> list[str]:
    """The files under `folder` that differ from the last commit (added, changed or removed), sorted."""
    out = _git(Path(root), "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", folder).stdout
    return sorted(entry[3:] for entry in out.split("\0") if len(entry) > 3)


def commit_proposals(root: Path, message: str, paths: Iterable[str] = (layout.MATCHES,)) -> str | None:
    """Commit the proposal files as the Actions bot; the new commit's id, or None when nothing changed."""
    root, paths = Path(root), list(paths)
    tracked = _git(root, "ls-files", "--", *paths).stdout.strip()
    present = [p for p in paths if (root / p).exists()]
    if not present and not tracked:
        return None
    _git(root, "add", "--all", "--", *paths)
    if _git(root, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        return None
    who = {"GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
           "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL}
    _git(root, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths, env=who)
    return head_commit(root)


def _auth_env(remote_url: str, token: str | None) -> dict[str, str]:
    """The token as an HTTP header, passed to git through the environment (never argv, never .git/config)."""
    if not token or not remote_url.startswith(("https://", "http://")):
        return {}
    scheme, rest = remote_url.split("://", 1)
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"http.{scheme}://{rest.split('/', 1)[0]}/.extraheader",
            "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}", "GIT_TERMINAL_PROMPT": "0"}


def push_branch(root: Path, remote_url: str, branch: str, token: str | None = None, *, force: bool = False,
                expect: str | None = None) -> bool:
    """Push HEAD to `branch`; False when the branch is no longer at `expect` (moved on or deleted meanwhile).

    With `expect` (the commit the run started from), the push goes through only
    if the branch still points there: a newer push wins, and a branch merged
    and deleted in the meantime is not brought back. `force` replaces the
    branch whatever it holds (the workflow's own branch).
    """
    if force:
        mode = ["--force"]
    elif expect:
        mode = [f"--force-with-lease=refs/heads/{branch}:{expect}"]
    else:
        mode = []
    args = ["push", "--quiet", *mode, remote_url, f"HEAD:refs/heads/{branch}"]
    result = _git(Path(root), *args, env=_auth_env(remote_url, token), check=False)
    if result.returncode == 0:
        return True
    err = result.stderr or ""
    if not force and any(sign in err for sign in _REJECTED):
        return False
    raise GitError("git push failed: " + _mask(err, token).strip())
