"""The starter files (package data, mentorkit/starter/) and which of them the kit keeps owning.

`mentorkit new` writes every starter file into a new repository. Some stay the organisation's from then on
(its README, home page, vocabulary, logo); the others are the kit's: the workflows, mkdocs.yml, the handbooks
and FAQ, the agendas, the e-mail templates, .gitignore, .gitattributes and constraints.txt. A later kit
brings those to its own version through `mentorkit upgrade`. To tell a file the organisation edited from
one it left alone, `new` and `upgrade` record the SHA-256 of each kit-owned file as the kit wrote it in
MANIFEST; a file whose text no longer has its recorded hash was edited, and is never replaced silently.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .kit import CONSTRAINTS_FILE

RENAMED = {"gitignore": ".gitignore", "gitattributes": ".gitattributes", "github": ".github"}  # package data
# cannot ship dotfiles reliably
ORG = "__ORG__"
MANIFEST = ".mentorkit-files.json"
KIT_OWNED = (".github/", "docs/handbooks/", "agendas/", "templates/", "mkdocs.yml", "docs/faq.md", ".gitignore",
             ".gitattributes", CONSTRAINTS_FILE)
ORG_IN_MKDOCS = re.compile(r"^site_name: Mentoring at (.+)$", re.M)


def starter_files() -> dict[str, str]:
    """The package's starter files: repository path -> text (placeholders not filled in)."""
    out: dict[str, str] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name.startswith(("_", ".")):
                continue
            name = RENAMED.get(child.name, child.name) if not prefix else child.name
            if child.is_dir():
                walk(child, f"{prefix}{name}/")
            else:
                out[f"{prefix}{name}"] = child.read_text(encoding="utf-8")

    walk(resources.files("mentorkit") / "starter", "")
    return out


def kit_owned(rel: str) -> bool:
    return any(rel.startswith(p) if p.endswith("/") else rel == p for p in KIT_OWNED)


def kit_files(org: str) -> dict[str, str]:
    """The kit-owned files as this kit writes them for `org`."""
    return {rel: text.replace(ORG, org) for rel, text in starter_files().items() if kit_owned(rel)}


def digest(text: str) -> str:
    """The hash recorded for a file: line endings do not count (a checkout on Windows may add CRs)."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


@dataclass
class Manifest:
    kit: str
    organisation: str
    files: dict[str, str] = field(default_factory=dict)  # rel -> digest of the text the kit wrote

    def text(self) -> str:
        return json.dumps({"about": "what mentorkit wrote: `mentorkit upgrade` replaces a kit file only while it "
                                    "still has the hash recorded here",
                           "kit": self.kit, "organisation": self.organisation,
                           "files": dict(sorted(self.files.items()))}, indent=2, ensure_ascii=False) + "\n"


def manifest_for(kit: str, org: str, files: dict[str, str]) -> Manifest:
    return Manifest(kit, org, {rel: digest(text) for rel, text in files.items() if kit_owned(rel)})


def read_manifest(root: Path) -> Manifest | None:
    """The repository's manifest; None when it has none (made before manifests) or it is not readable."""
    try:
        data = json.loads((Path(root) / MANIFEST).read_text(encoding="utf-8"))
        files = {str(k): str(v) for k, v in data["files"].items()}
        return Manifest(str(data["kit"]), str(data["organisation"]), files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def organisation(root: Path, manifest: Manifest | None) -> str:
    """The organisation's name: from the manifest, else from mkdocs.yml's site name, else a neutral word."""
    if manifest is not None:
        return manifest.organisation
    try:
        found = ORG_IN_MKDOCS.search((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        found = None
    return found.group(1).strip() if found else "our organisation"
