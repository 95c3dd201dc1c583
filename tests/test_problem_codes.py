"""The catalogue of problem codes (errors.PROBLEM_CODES): documented, enforced, and every code in use.

Codes are the stable part of a Problem (tools and tests compare them), so the
catalogue, the table in docs/cli.md and the codes the package really produces
must be the same set.
"""

import ast
import io
import re
import tokenize

import pytest

from conftest import REPO
from mentorkit.errors import PROBLEM_CODES, Problem

PACKAGE = REPO / "scripts" / "mentorkit"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "errors.py")
CODE_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$|^encoding$")


def _docs_table() -> list[tuple[str, str]]:
    """(code, meaning) rows of the problem-code table in docs/cli.md, in order."""
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("| code | meaning |")
    assert lines[start + 1] == "| --- | --- |"
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 2, f"not a two-cell row: {line}"
        code, meaning = cells
        assert code.startswith("`") and code.endswith("`"), f"the code is not in backticks: {line}"
        rows.append((code.strip("`"), meaning.strip()))
    return rows


def _string_literals(path) -> set[str]:
    """Every string literal in a module (comments and f-string fragments ignored)."""
    found = set()
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type == tokenize.STRING:
            try:
                value = ast.literal_eval(tok.string)
            except (ValueError, SyntaxError):  # f-strings
                continue
            if isinstance(value, str):
                found.add(value)
    return found


def test_the_docs_table_lists_the_catalogue_in_order_with_the_same_meanings():
    assert _docs_table() == list(PROBLEM_CODES.items())


def test_codes_are_lowercase_words_and_meanings_one_plain_line():
    for code, meaning in PROBLEM_CODES.items():
        assert CODE_SHAPE.match(code), code
        assert meaning and "\n" not in meaning and meaning == meaning.strip(), code
        assert meaning[0].islower(), f"{code}: meanings read as the end of 'this problem means ...'"
        assert not set(meaning) & set("|`*_{}"), f"{code}: the meaning must survive a Markdown table unchanged"


def test_an_uncatalogued_code_is_refused_by_name():
    with pytest.raises(ValueError, match="'no-such-code'"):
        Problem("program/pilot.yaml", "no-such-code", "something is wrong", line=1)
    with pytest.raises(ValueError, match="PROBLEM_CODES"):
        Problem("program/pilot.yaml", "Unknown-Key", "codes are case-sensitive")


def test_every_catalogued_code_is_accepted():
    for code in PROBLEM_CODES:
        assert Problem("program/pilot.yaml", code, "message").code == code


def test_replace_keeps_the_check():
    from dataclasses import replace

    problem = Problem("program/pilot.yaml", "unknown-key", "unknown key 'cadance'", line=8)
    assert replace(problem, line=9).line == 9
    with pytest.raises(ValueError):
        replace(problem, code="typo")


def test_every_catalogued_code_is_produced_somewhere_in_the_package():
    """A code no module spells is dead: remove it from the catalogue (and the docs table)."""
    used: set[str] = set()
    for path in SOURCES:
        used |= _string_literals(path)
    dead = sorted(set(PROBLEM_CODES) - used)
    assert not dead, f"catalogued but produced nowhere under scripts/mentorkit: {dead}"


def _codes_spelled_where_problems_are_made() -> dict[str, str]:
    """Constant codes given to Problem(...) or to a `code=` argument, and `code` parameter defaults: code -> place."""
    found = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        place = path.relative_to(REPO).as_posix()
        for node in ast.walk(tree):
            candidates = []
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name == "Problem" and len(node.args) > 1:
                    candidates.append(node.args[1])
                candidates += [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + node.args.defaults
                defaults += node.args.kw_defaults
                candidates += [d for a, d in zip(args, defaults, strict=True) if a.arg == "code" and d is not None]
            for value in candidates:
                for leaf in (value.body, value.orelse) if isinstance(value, ast.IfExp) else (value,):
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                        found.setdefault(leaf.value, f"{place}:{leaf.lineno}")
    return found


def test_every_code_spelled_in_the_package_is_catalogued():
    """Static twin of the runtime check: catches codes on paths no test runs."""
    spelled = _codes_spelled_where_problems_are_made()
    assert len(spelled) > 30  # the scan sees the package's problems (guards against a scan that finds nothing)
    unknown = {code: place for code, place in spelled.items() if code not in PROBLEM_CODES}
    assert not unknown, f"codes used but not in PROBLEM_CODES: {unknown}"


def test_codes_computed_from_tables_are_catalogued():
    """Codes that reach Problem through a variable: pydantic error types and the privacy checks."""
    from mentorkit.repo import model_problems, pii

    assert set(model_problems._CODES.values()) <= set(PROBLEM_CODES)
    for value in ("someone@example.org", "+49 30 1234 5678", "=HYPERLINK(1)"):
        code, _, _ = pii.cell_problem(value)
        assert code in PROBLEM_CODES
