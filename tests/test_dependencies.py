"""Every library the package imports is declared in pyproject.toml, so an install from the wheel has it."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scripts" / "mentorkit"


def imported_top_level_names() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
    return names - set(sys.stdlib_module_names) - {"mentorkit", "__future__"}


def declared() -> set[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}


def test_every_imported_library_is_a_declared_dependency():
    owners = packages_distributions()
    missing = {}
    for name in sorted(imported_top_level_names()):
        distributions = {d.lower().replace("_", "-") for d in owners.get(name, [name])}
        if not distributions & declared():
            missing[name] = sorted(distributions)
    assert not missing, f"declare these in [project] dependencies of pyproject.toml: {missing}"


def test_the_check_sees_the_package_imports():
    """A broken scan (nothing found) would pass the test above vacuously."""
    assert {"click", "highspy", "frictionless", "yaml", "pydantic", "numpy"} <= imported_top_level_names()
