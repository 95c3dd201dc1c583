"""The import rules of ARCHITECTURE.md, checked on the package's source (no import is executed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "mentorkit"
MAX_LINES = 600

# Who may import whom: a module of the layer on the left imports only kit modules of the layers on the right.
ALLOWED = {
    "errors": set(),
    "model": {"errors", "model"},
    "text": {"errors", "model", "text"},
    "repo": {"errors", "model", "repo"},
    "calendar": {"errors", "model", "text", "mentorkit"},  # mentorkit: the package's __version__; text: format wording
    "matching": {"errors", "model", "matching"},
    "proposals": {"errors", "model", "proposals", "text"},
    "metrics": {"errors", "model", "metrics", "text"},
    "site": {"errors", "model", "repo", "text", "calendar", "metrics", "site", "mentorkit"},
    "ci": {"errors", "model", "repo", "text", "metrics", "proposals", "ci"},
    "coordinator": {"errors", "model", "repo", "text", "calendar", "site", "proposals", "metrics", "coordinator",
                    "mentorkit"},  # e-mails link pages; review and messages read the approved state and attention
    "cli": {"errors", "model", "repo", "text", "matching", "proposals", "metrics", "ci", "coordinator", "site",
            "mentorkit"},
    "__main__": {"cli"},
    "mentorkit": set(),  # the package's own __init__
}

# Modules that compute and never touch a file, a process or the network.
PURE_LAYERS = {"model", "text", "matching", "proposals", "metrics", "calendar"}
PURE_MODULES = {"mentorkit.ci.text", "mentorkit.ci.changes", "mentorkit.ci.reminders"}
IO_MODULES = {"os", "io", "shutil", "tempfile", "subprocess", "socket", "urllib", "http"}  # pathlib: Path as a type
# The solver boundary reads MENTORKIT_SOLVER from the environment (PuLP then runs the solver) and points the
# process's stdout at os.devnull while HiGHS would print its banner there.
IO_ALLOWED = {"mentorkit.matching.solver": {"os"}}
CALLS_ALLOWED = {"mentorkit.matching.solver": {"open"}}
IO_CALLS = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink", "rmdir", "rename",
            "replace_file", "mkstemp", "copytree", "rmtree"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "mentorkit"


def kit_imports(module: str, path: Path) -> set[str]:
    """Absolute names of the kit modules (or packages) that `module` imports."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "mentorkit" or target.startswith("mentorkit."):
                names = [f"{target}.{a.name}" for a in node.names]
                out |= {n for n in names if n in MODULES} or {target}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("mentorkit")}
    return out


def other_imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
    return out


def io_calls(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name in IO_CALLS:
                out.add(name)
    return out


MODULES = modules()


def test_every_module_has_a_layer():
    assert {layer(m) for m in MODULES} <= set(ALLOWED), "add the new folder to ALLOWED and to ARCHITECTURE.md"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module):
    allowed = ALLOWED[layer(module)] | {layer(module)}
    wrong = sorted(t for t in kit_imports(module, MODULES[module]) if layer(t) not in allowed)
    assert not wrong, f"{module} ({layer(module)}) may not import {wrong}: see ARCHITECTURE.md"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) in PURE_LAYERS or m in PURE_MODULES))
def test_pure_modules_do_no_io(module):
    path = MODULES[module]
    io = other_imports(path) & IO_MODULES - IO_ALLOWED.get(module, set())
    assert not io, f"{module} imports {sorted(io)}"
    calls = io_calls(path) - CALLS_ALLOWED.get(module, set())
    assert not calls, f"{module} calls {sorted(calls)}"


def test_nothing_imports_the_cli():
    importers = sorted(m for m, p in MODULES.items() if "mentorkit.cli" in kit_imports(m, p) and m != "mentorkit.__main__")
    assert not importers


def test_no_module_is_too_long():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (limit {MAX_LINES} lines): {long}"


def test_the_rules_can_fail(tmp_path):
    """The checker itself: a model module importing the loader, and a metric opening a file, are caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ..repo.load import read_workspace\nopen('x')\n", encoding="utf-8")
    assert kit_imports("mentorkit.model.bad", bad) == {"mentorkit.repo.load"}
    assert "repo" not in ALLOWED["model"]
    assert io_calls(bad) == {"open"}
