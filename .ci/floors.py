"""Print every direct dependency of pyproject.toml pinned at its floor (`name==floor`, one a line), for pip.

.ci/run installs these in one fresh environment and runs the demo, so a floor the kit no longer works with
fails CI instead of an adopter's install. A dependency without a `>=` floor is an error: every one needs a
tested lower bound.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def floors() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = []
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9._-]+", requirement)
        floor = re.search(r">=\s*([^,;\s]+)", requirement)
        if not (name and floor):
            sys.exit(f"pyproject.toml: {requirement!r} has no >= floor")
        out.append(f"{name[0]}=={floor[1]}")
    return out


if __name__ == "__main__":
    print("\n".join(floors()))
