"""The kit as it is installed here and as a program repository pins it.

A program repository names the kit in one line of `requirements.txt` (the pin), and every workflow installs
that line together with `constraints.txt`, the dependency versions the kit release was tested with.
`mentorkit new` and `mentorkit upgrade` write the pin from how the running kit was installed, read from its
metadata (PEP 610's direct_url.json): from a package index the pin is `mentorkit==X.Y.Z`; from Git it is the
URL at the installed commit. A local wheel or an editable checkout names nothing the workflows could install,
so the coordinator gives the pin (`--kit-spec`). Every command compares the installed kit with the pin and
warns when they differ, naming the command that installs the pinned one for the tool that installed the kit.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..errors import MentorkitError

PIN_FILE = "requirements.txt"  # the one place that names the kit's version; every workflow installs it
CONSTRAINTS_FILE = "constraints.txt"  # the dependency versions the kit release was tested with
NAME = "mentorkit"
# A pin names one version: `mentorkit==1.2.3` or `mentorkit @ URL` (a Git URL at a tag or commit, a wheel's URL).
SPEC = re.compile(r"^mentorkit\s*(?:==\s*(?P<version>[0-9][0-9A-Za-z.+!-]*)|@\s*(?P<url>\S+))$")
GIT_COMMIT = re.compile(r"^git\+\S+@(?P<commit>[0-9a-f]{40})$")


@dataclass(frozen=True)
class Installed:
    """The running kit: its version, and the Git commit when it was installed from Git."""

    version: str | None
    spec: str | None  # what a workflow could install to get exactly this kit; None when nothing can
    why_not: str = ""  # when spec is None: how it was installed, in the coordinator's words
    commit: str | None = None


def installed() -> Installed:
    try:
        dist = metadata.distribution(NAME)
    except metadata.PackageNotFoundError:
        return Installed(None, None, "from a source folder that was never installed")
    direct = dist.read_text("direct_url.json")
    if direct is None:  # installed from a package index
        return Installed(dist.version, f"{NAME}=={dist.version}")
    try:
        info = json.loads(direct)
    except ValueError:
        info = {}
    url, vcs = str(info.get("url", "")), info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id") and not url.startswith("file:"):
        return Installed(dist.version, f"{NAME} @ git+{url}@{vcs['commit_id']}", commit=vcs["commit_id"])
    if info.get("dir_info", {}).get("editable"):
        why = "as an editable checkout"
    elif "archive_info" in info and not url.startswith("file:"):
        return Installed(dist.version, f"{NAME} @ {url}")  # a release file on a server the workflows can reach
    else:
        why = "from a file or folder on this computer"
    return Installed(dist.version, None, why)


def check_spec(spec: str) -> str:
    spec = " ".join(spec.split())
    if not SPEC.match(spec):
        raise MentorkitError(f"the kit spec '{spec[:200]}' must name one version of the kit, as pip reads it: "
                             "mentorkit==1.2.3, or mentorkit @ git+https://github.com/OWNER/mentorkit@v1.2.3")
    return spec


def spec_to_write(given: str | None) -> str:
    """The pin for a new or upgraded repository: `given` (checked), or the running kit's own."""
    if given is not None:
        return check_spec(given)
    kit = installed()
    if kit.spec is None:
        raise MentorkitError(
            f"this mentorkit ({kit.version or 'no version'}) was installed {kit.why_not}, which the repository's "
            "workflows cannot install: say where they should install the kit from with --kit-spec, e.g. "
            "--kit-spec mentorkit==1.2.3 (a version on a package index) or --kit-spec "
            "'mentorkit @ git+https://github.com/OWNER/mentorkit@v1.2.3' (a Git tag)")
    return kit.spec


def pin_text(spec: str) -> str:
    return ("# The kit's version: the one pin. Every workflow installs this line with the dependency versions\n"
            "# the kit was tested with (pip install -r requirements.txt -c constraints.txt). See the README.\n"
            f"{spec}\n")


def read_pin(root: Path) -> str | None:
    """The spec line of the repository's requirements.txt; None when there is none (or it is unreadable)."""
    try:
        text = (Path(root) / PIN_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [line.split(" #")[0].strip() for line in text.splitlines() if line.strip() and not line.startswith(("#", "-"))]
    return " ".join(lines[0].split()) if len(lines) == 1 and SPEC.match(" ".join(lines[0].split())) else None


def install_tool() -> str:
    """How the running kit was installed: pipx, uv (`uv tool`) or pip; read from the environment's own files."""
    prefix = Path(sys.prefix)
    if (prefix / "pipx_metadata.json").is_file():
        return "pipx"
    if (prefix / "uv-receipt.toml").is_file():
        return "uv"
    return "pip"


def install_command(spec: str, tool: str, *, replace: bool = False) -> str:
    """The command that installs exactly `spec` with `tool` (pipx, uv or pip); `replace`: over an installed kit."""
    url = SPEC.match(spec)
    target = url.group("url") if url and url.group("url") and tool == "pipx" else spec  # pipx takes the URL alone
    quoted = target if re.fullmatch(r"[A-Za-z0-9._=+-]+", target) else f'"{target}"'  # safe in every shell
    force = " --force" if replace else ""
    return {"pipx": f"pipx install{force} {quoted}", "uv": f"uv tool install{force} {quoted}"}.get(
        tool, f"python -m pip install {quoted}")


def upgrade_hint() -> str:
    """How to get a newer kit, for the tool that installed this one."""
    return {"pipx": "pipx upgrade mentorkit", "uv": "uv tool upgrade mentorkit"}.get(
        install_tool(), "python -m pip install --upgrade mentorkit")


def pin_warning(root: Path) -> str | None:
    """A warning when the installed kit is not the one `root`'s requirements.txt pins; None when they agree
    or when there is nothing to compare (no pin, a kit of unknown version, a Git pin and a kit not from Git)."""
    pin = read_pin(root)
    if pin is None:  # not a repository made by `mentorkit new` (this kit's own, say): nothing to compare
        return None
    kit = installed()
    if kit.version is None:
        return None
    match = SPEC.match(pin)
    assert match is not None  # read_pin returns only specs that match
    if match.group("version"):
        if match.group("version") == kit.version:
            return None
        differs = f"the repository pins mentorkit {match.group('version')}, but mentorkit {kit.version} is installed"
    else:
        pinned = GIT_COMMIT.match(match.group("url"))
        if pinned is None or kit.commit is None or pinned.group("commit") == kit.commit:
            return None
        differs = (f"the repository pins mentorkit at commit {pinned.group('commit')[:12]}, but the installed kit "
                   f"is commit {kit.commit[:12]}")
    return (f"{differs} ({PIN_FILE}). To work with the version the workflows use, run: "
            f"{install_command(pin, install_tool(), replace=True)}. To move the repository to the installed kit instead, "
            "run `mentorkit upgrade`")
