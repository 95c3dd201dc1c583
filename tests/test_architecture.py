"""The rules of ARCHITECTURE.md ("Rules that must not break"), checked on the package's source.

The import rules (layers, forbidden imports) are import-linter contracts in pyproject.toml, run here as
`lint-imports`. What import-linter cannot see is checked on the syntax tree (no module is imported): file I/O
outside `repo/`, writes in `coordinator/` that do not go through `repo.atomic`, dynamic imports, module length.
Each check is shown to fail on a small module holding the escape it is there to catch.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scripts" / "mentorkit"
MAX_LINES = 600

# Rule 2: these compute and do no I/O at all (no file, process or network: not even the os module).
PURE_LAYERS = {"errors", "model", "text", "matching", "proposals", "metrics", "calendar"}
PURE_MODULES = {"mentorkit.ci.text", "mentorkit.ci.changes", "mentorkit.ci.reminders"}  # rule 4
# Rule 2: these publish, and read or write no file themselves (repo/ does it for them); the process's
# environment (os.environ) is not a file and they may read it.
NO_FILE_LAYERS = {"site", "ci"}
# The transports (ARCHITECTURE.md lists them): git, GitHub's API, the Actions environment and its event file,
# MkDocs' build and serve run in-process.
TRANSPORTS = {"mentorkit.ci.git", "mentorkit.ci.github", "mentorkit.ci.publish", "mentorkit.ci.context",
              "mentorkit.site.mkdocs_api"}
# The solver boundary points the process's stdout at os.devnull while HiGHS would print its banner there.
PURE_EXCEPTIONS = {"mentorkit.matching.solver": {"import os", "open()", "os.dup", "os.open", "os.devnull", "os.O_WRONLY",
                                                 "os.dup2", "os.close"}}

IO_MODULES = {"os", "io", "shutil", "tempfile", "subprocess", "socket", "urllib", "http"}  # pathlib: Path as a type
FILE_MODULES = IO_MODULES - {"os"}  # os is checked by attribute: os.environ is allowed in the readers
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "glob", "rglob", "exists",
              "is_file", "is_dir", "stat", "mkdir", "unlink", "rmdir", "rename", "touch", "mkstemp", "copytree",
              "rmtree"}
WRITE_CALLS = {"write_text", "write_bytes", "mkdir", "unlink", "rmdir", "rename", "touch", "mkstemp"}
WRITE_MODULE_CALLS = {"os.replace", "os.rename", "os.remove", "os.unlink", "os.makedirs", "os.mkdir", "os.write"}
DYNAMIC_IMPORTS = {"import_module", "__import__"}
YAML_LOADS = {"safe_load", "load", "full_load", "unsafe_load"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = modules()


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "mentorkit"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _dotted(node: ast.expr) -> str | None:
    """`os.path.join` for the expression os.path.join; None for anything that is not a dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and (base := _dotted(node.value)):
        return f"{base}.{node.attr}"
    return None


def _writes(call: ast.Call) -> bool:
    """`open(path, "w")`, `path.open("a")` or a mode= keyword that writes."""
    args = call.args[1:2] if isinstance(call.func, ast.Name) else call.args[:1]
    modes = [*args, *(k.value for k in call.keywords if k.arg == "mode")]
    return any(isinstance(m, ast.Constant) and isinstance(m.value, str) and set(m.value) & set("wax+") for m in modes)


def _imports(tree: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
    return out


def escapes(module: str, source: str) -> set[str]:
    """Every break of rule 2 (I/O where it is not allowed) and of 'no dynamic imports' in `source`, as short names."""
    tree = ast.parse(source)
    pure = layer(module) in PURE_LAYERS or module in PURE_MODULES
    no_files = pure or (layer(module) in NO_FILE_LAYERS and module not in TRANSPORTS)
    coordinator = layer(module) == "coordinator"
    found: set[str] = set()
    imported = _imports(tree)
    if pure:
        found |= {f"import {m}" for m in imported & IO_MODULES}
    elif no_files:
        found |= {f"import {m}" for m in imported & FILE_MODULES}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and no_files and (_dotted(node) or "").startswith("os."):
            dotted = _dotted(node) or ""
            if pure or not dotted.startswith("os.environ"):
                found.add(dotted)
        if not isinstance(node, ast.Call):
            continue
        name, dotted = _name(node.func), _dotted(node.func) or ""
        if name in DYNAMIC_IMPORTS:
            found.add(f"{name}()")
        if no_files and name in FILE_CALLS:
            found.add(f"{name}()")
        if no_files and name in YAML_LOADS and dotted.startswith("yaml.") and node.args \
                and isinstance(node.args[0], ast.Call) and _name(node.args[0].func) in FILE_CALLS:
            found.add(f"{dotted}() of a file")
        if coordinator and (name in WRITE_CALLS or dotted in WRITE_MODULE_CALLS or dotted.startswith("shutil.")
                            or (name == "open" and _writes(node))):
            found.add(f"{dotted if '.' in dotted and dotted.split('.')[0] in ('os', 'shutil') else name}() "
                      "not through repo.atomic")
    return found - PURE_EXCEPTIONS.get(module, set())


def test_the_import_contracts_hold():
    """Rules 1, 3, 4 and 5 as import-linter contracts ([tool.importlinter] in pyproject.toml)."""
    result = _lint_imports(ROOT, ROOT / "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def _lint_imports(cwd: Path, path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run([exe, "--no-cache", "--config", str(ROOT / "pyproject.toml")], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(path)}, check=False)


def test_the_import_contracts_can_fail(tmp_path):
    """A stand-in package with one module per layer: a model importing the loader and a page importing the matcher
    break the contracts (the same configuration as the real package)."""
    kit = tmp_path / "mentorkit"
    for folder in ("cli", "coordinator", "site", "ci", "matching", "proposals", "metrics", "repo", "text", "model"):
        (kit / folder).mkdir(parents=True)
        (kit / folder / "__init__.py").write_text("", encoding="utf-8")
    for name in ("__init__", "__main__", "calendar", "errors", "ci/text", "ci/changes", "ci/reminders", "ci/git",
                 "ci/github", "ci/publish", "ci/context", "repo/load", "matching/run"):
        (kit / f"{name}.py").write_text("", encoding="utf-8")
    (kit / "model" / "__init__.py").write_text("from ..repo.load import *\n", encoding="utf-8")
    (kit / "site" / "__init__.py").write_text("from ..matching import run\n", encoding="utf-8")
    (kit / "ci" / "text.py").write_text("from . import git\n", encoding="utf-8")
    result = _lint_imports(tmp_path, tmp_path)
    assert result.returncode != 0
    assert "mentorkit.model -> mentorkit.repo.load" in result.stdout
    assert "mentorkit.site -> mentorkit.matching.run" in result.stdout
    assert "mentorkit.ci.text -> mentorkit.ci.git" in result.stdout


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_io_where_the_rules_forbid_it(module):
    found = escapes(module, MODULES[module].read_text(encoding="utf-8"))
    assert not found, f"{module} ({layer(module)}): {sorted(found)}; see rule 2 of ARCHITECTURE.md"


ESCAPES = [
    # the site reading repository files (site/pages.py, site/session.py, site/export.py before they asked repo/)
    ("mentorkit.site.pages", "source = (ws.root / rel).read_text(encoding='utf-8-sig')\n", "read_text()"),
    ("mentorkit.site.session", "with open(path) as f:\n    text = f.read()\n", "open()"),
    ("mentorkit.site.export", "import yaml\nconfig = yaml.safe_load((root / 'mkdocs.yml').read_text())\n",
     "yaml.safe_load() of a file"),
    ("mentorkit.site.export", "import shutil\nshutil.copytree(a, b)\n", "import shutil"),
    ("mentorkit.ci.history", "import os\nnames = os.listdir(root)\n", "os.listdir"),
    # a coordinator writing around repo.atomic
    ("mentorkit.coordinator.review", "path.write_text(packet, encoding='utf-8')\n",
     "write_text() not through repo.atomic"),
    ("mentorkit.coordinator.intros", "with open(path, 'w', encoding='utf-8') as f:\n    f.write(mail)\n",
     "open() not through repo.atomic"),
    ("mentorkit.coordinator.send", "with path.open(mode='ab') as f:\n    f.write(data)\n",
     "open() not through repo.atomic"),
    ("mentorkit.coordinator.erase", "import os\nos.replace(tmp, path)\n", "os.replace() not through repo.atomic"),
    ("mentorkit.coordinator.scaffold", "import shutil\nshutil.copyfile(src, dst)\n",
     "shutil.copyfile() not through repo.atomic"),
    # dynamic imports, anywhere
    ("mentorkit.coordinator.due", "import importlib\nmatcher = importlib.import_module('mentorkit.matching')\n",
     "import_module()"),
    ("mentorkit.site.plugin", "from importlib import import_module\nimport_module('mentorkit.coordinator')\n",
     "import_module()"),
    ("mentorkit.repo.load", "__import__('mentorkit.matching')\n", "__import__()"),
    # the domain and text/ do no I/O at all
    ("mentorkit.metrics.compute", "import os\n", "import os"),
    ("mentorkit.text.wording", "data = path.read_bytes()\n", "read_bytes()"),
    ("mentorkit.ci.text", "import subprocess\n", "import subprocess"),
]


@pytest.mark.parametrize(("module", "source", "escape"), ESCAPES)
def test_the_checks_catch_each_escape(module, source, escape):
    assert escape in escapes(module, source)


ALLOWED = [
    ("mentorkit.coordinator.exports", "raw = path.read_bytes()\n"),  # the coordinator reads exports and private files
    ("mentorkit.coordinator.slots", "write_atomic(private / 'diary.csv', text, private=True)\n"),
    ("mentorkit.coordinator.intake", "rows = answers.copy()\nname = code.replace('-', ' ')\n"),  # not files
    ("mentorkit.ci.git", "import subprocess\nsubprocess.run(['git', 'status'])\n"),  # a declared transport
    ("mentorkit.site.session", "import os\nepoch = os.environ.get('SOURCE_DATE_EPOCH')\n"),  # not a file
    ("mentorkit.repo.site_files", "import yaml\nconfig = yaml.safe_load(path.read_text())\n"),  # repo/ does the I/O
]


@pytest.mark.parametrize(("module", "source"), ALLOWED)
def test_the_checks_allow_what_the_rules_allow(module, source):
    assert escapes(module, source) == set()


def test_no_module_is_too_long():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (limit {MAX_LINES} lines): {long}"
