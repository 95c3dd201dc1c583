"""repo/strict_yaml.py's event walk against the node-tree parser it replaced: the same results on every input.

`parse_yaml` reads libyaml's event stream in one pass. The reference below is the
earlier implementation, kept verbatim (node trees from `yaml.compose_all`, then
three walks), so any difference in data, positions or problems fails here.
"""

from __future__ import annotations

import random
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mentorkit.errors import Problem
from mentorkit.repo import strict_yaml
from mentorkit.repo.excerpt import excerpt, hidden_character, visible
from mentorkit.repo.strict_yaml import YamlDoc, decode_text, parse_yaml
from mentorkit.repo.yaml_writer import dump_yaml

# --- the reference: the node-tree parser, as it was ---------------------------------------------------------------

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_CUT = re.compile(r"^[ \t]+#\S")
MAX_DEPTH = 32
MAX_VALUE_CHARS = 10_000
MAX_KEY_CHARS = 100
_UNCLOSED = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a double-quoted scalar",
             "while scanning a single-quoted scalar")
LIBYAML = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else None


def reference_parse_yaml(text: str, rel: str, typed: bool = False, fast_loader: object = LIBYAML
                         ) -> tuple[YamlDoc | None, list[Problem]]:
    if not text.strip():
        return None, [Problem(rel, "empty-file", "the file is empty", line=1, hint="add the required keys, or delete the file")]
    try:
        nodes = _compose(text, fast_loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, rel)]
    except yaml.YAMLError as exc:
        return None, [Problem(rel, "yaml-syntax", f"this is not valid YAML: {visible(str(exc)[:200])}", line=1)]
    except _TooDeepError as exc:
        line, column = (exc.mark.line + 1, exc.mark.column + 1) if exc.mark else (1, 1)
        return None, [_too_deep(rel, line, column)]
    except RecursionError:
        return None, [_too_deep(rel, 1, 1)]
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, [Problem(rel, "empty-file", "the file has no content", line=1)]
    if len(nodes) > 1:
        line = nodes[1].start_mark.line + 1
        return None, [Problem(rel, "yaml-syntax", "the file holds more than one YAML document ('---')", line=line,
                              hint="keep one document per file")]
    deep = _too_deep_node(nodes[0])
    if deep is not None:
        return None, [_too_deep(rel, deep.start_mark.line + 1, deep.start_mark.column + 1)]
    doc = YamlDoc(None)
    problems: list[Problem] = _cut_values(nodes[0], text.splitlines(), rel)
    try:
        doc.data = _convert(nodes[0], (), doc, problems, rel, set(), typed)
    except _AliasFound as found:
        return None, [found.problem]
    return doc, problems


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str) -> Problem:
    detail = visible((exc.problem or str(exc))[:200])
    opened = exc.context_mark if exc.context and exc.context.startswith(_UNCLOSED) else None
    mark = opened or exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    if opened is not None and exc.problem_mark is not None:
        what = "quote" if "quoted" in (exc.context or "") else "bracket"
        return Problem(rel, "yaml-syntax", f"this {what} is never closed (YAML gave up at line "
                       f"{exc.problem_mark.line + 1}: {detail})", line=line, column=col,
                       hint=f"close the {what} on this line, or quote the value")
    lines = text.splitlines()
    hint = "check indentation and quoting around this line"
    if "\t" in (lines[line - 1] if line and line <= len(lines) else "") or "'\\t'" in detail:
        hint = "YAML does not allow tabs for indentation: replace them with spaces"
    return Problem(rel, "yaml-syntax", f"this is not valid YAML: {detail}", line=line, column=col, hint=hint)


def _too_deep(rel: str, line: int, column: int) -> Problem:
    return Problem(rel, "too-deep", f"the values nest more than {MAX_DEPTH} levels deep", line=line, column=column,
                   hint="program files nest a few levels at most: check for stray brackets")


def _too_deep_node(root: yaml.Node) -> yaml.Node | None:
    stack, seen = [(root, 0)], set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
    return None


def _compose(text: str, fast_loader: object) -> list[yaml.Node]:
    if fast_loader is not None:
        try:
            return list(yaml.compose_all(text, Loader=fast_loader))
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" in str(exc.problem):
                raise _TooDeepError(exc.problem_mark) from None
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def _cut_values(root: yaml.Node, lines: list[str], rel: str) -> list[Problem]:
    problems: list[Problem] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark
            if not node.style and end.line < len(lines) and _CUT.match(lines[end.line][end.column:]):
                problems.append(Problem(rel, "yaml-cut-value", f"the value is cut at '#': YAML reads only {excerpt(node.value)}",
                                        line=end.line + 1, column=end.column + 1,
                                        hint="put the whole value in quotes, e.g. \"Post in the #mentoring channel\""))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in node.value for v in pair)
    return problems


class _TooDeepError(Exception):
    def __init__(self, mark: yaml.Mark | None):
        self.mark = mark


class _AliasFound(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _convert(node: yaml.Node, path: tuple, doc: YamlDoc, problems: list[Problem], rel: str, seen: set[int],
             typed: bool = False) -> object:
    pos = (node.start_mark.line + 1, node.start_mark.column + 1)
    doc.positions.setdefault(path, pos)
    if id(node) in seen:
        raise _AliasFound(Problem(rel, "yaml-alias", "anchors and aliases (&name / *name) are not supported", line=pos[0],
                                  column=pos[1], field=_dotted(path), hint="write the values out in full"))
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                            "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
            problems.append(Problem(rel, "yaml-tag", f"the tag {node.tag} is not supported", line=pos[0], column=pos[1],
                                    field=_dotted(path), hint="remove the '!' tag"))
            return None
        wrong = _text_problem(node.value, rel, pos, path)
        if wrong is not None:
            problems.append(wrong)
            return None
        if not node.style and _NULL.match(node.value):
            return None
        if typed and not node.style:
            return _core_scalar(node.value)
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), doc, problems, rel, seen, typed) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            kpos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                problems.append(Problem(rel, "yaml-syntax", "only plain keys are supported here (no merge keys or complex keys)",
                                        line=kpos[0], column=kpos[1], field=_dotted(path)))
                continue
            key = key_node.value
            wrong = _text_problem(key, rel, kpos, path, MAX_KEY_CHARS)
            if wrong is not None:
                problems.append(wrong)
                continue
            if key in result:
                first = doc.key_positions[path + (key,)][0]
                problems.append(Problem(rel, "duplicate-key", f"the key '{key}' appears twice (first on line {first})",
                                        line=kpos[0], column=kpos[1], field=_dotted(path + (key,)),
                                        hint="keep one of them: YAML would silently use the last one"))
                continue
            doc.key_positions[path + (key,)] = kpos
            result[key] = _convert(value_node, path + (key,), doc, problems, rel, seen, typed)
        return result
    return None


def _text_problem(value: str, rel: str, pos: tuple[int, int], path: tuple, limit: int = MAX_VALUE_CHARS
                  ) -> Problem | None:
    if len(value) > limit:
        return Problem(rel, "value-too-long", f"the {'key' if limit == MAX_KEY_CHARS else 'value'} is "
                       f"{len(value):,} characters long; the limit is {limit:,}: {excerpt(value)}", line=pos[0], column=pos[1],
                       field=_dotted(path),
                       hint="shorten it, or link to a page that holds the long text")
    hidden = hidden_character(value)
    if hidden is not None:
        return Problem(rel, "invisible-character", f"the value holds the invisible character {hidden}: "
                       f"{excerpt(value)}", line=pos[0], column=pos[1], field=_dotted(path),
                       hint="retype the value: bidi controls and zero-width characters change what readers see")
    return None


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _core_scalar(value: str) -> bool | int | float | str:
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _dotted(path: tuple) -> str | None:
    if not path:
        return None
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- the comparison -----------------------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
LOADERS = ["python", pytest.param("libyaml", marks=pytest.mark.skipif(LIBYAML is None, reason="no libyaml"))]


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch):
    """The loader both implementations use: libyaml's when PyYAML has it, else the pure-Python one."""
    chosen = LIBYAML if request.param == "libyaml" else None
    monkeypatch.setattr(strict_yaml, "FAST_LOADER", chosen)
    return chosen


def outcome(parse: Callable[..., tuple], text: str, typed: bool, **kwargs: object) -> tuple:
    """Everything a caller sees: data, both position tables and every problem field, or the exception's type."""
    try:
        doc, problems = parse(text, "program/x.yaml", typed, **kwargs)
    except Exception as exc:  # an exception must be the same one too
        return ("raised", type(exc))
    seen = None if doc is None else (doc.data, doc.positions, doc.key_positions, _types(doc.data))
    return seen, problems


def _types(value: object) -> object:
    """The types of the data too: 1 == 1.0 == True would hide a wrong conversion."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def assert_same(text: str, loader: object, typed: bool = False) -> tuple:
    new = outcome(parse_yaml, text, typed)
    old = outcome(reference_parse_yaml, text, typed, fast_loader=loader)
    assert new == old, text[:300]
    return new


def codes(result: tuple) -> list[str]:
    return [p.code for p in result[1]] if result[0] != "raised" else ["raised"]


# --- every YAML file of the repository and of the test workspaces -------------------------------------------------


def repo_yaml_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.yaml", "*.yml"], cwd=REPO, capture_output=True, text=True,
                            check=False).stdout.split()
    data = [str(p.relative_to(REPO)) for p in (REPO / "tests" / "data").rglob("*") if p.suffix in (".yaml", ".yml")]
    return sorted(set(listed) | set(data))


def test_the_repository_has_yaml_files_to_compare():
    files = repo_yaml_files()
    assert len(files) > 40 and any(f.startswith("participants/matches/") for f in files)
    assert any("tests/data/bad/yaml-alias-bomb" in f for f in files)


@pytest.mark.parametrize("rel", repo_yaml_files())
def test_every_yaml_file_of_the_repository_reads_the_same(rel, loader):
    text, problems = decode_text((REPO / rel).read_bytes(), rel, "")
    if text is None:  # refused before parsing (the encoding fixtures): nothing to compare
        assert problems
        return
    if assert_same(text, loader)[0] is not None:  # typed changes the data only
        assert_same(text, loader, typed=True)


# --- a large proposal-like document ---------------------------------------------------------------------------------


def proposal_like(pairs: int) -> str:
    """A proposal's shape, written by dump_yaml as the kit writes it: nested mappings, lists, numbers, text."""
    rng = random.Random(7)
    data: dict = {"program": "grow", "format": "one-to-one", "solver": {"status": "optimal", "objective": {"matched": pairs}},
                  "summary": {"mentees": pairs, "match_rate": 1.0, "approved": 3, "ok": True, "none": None}, "pairs": []}
    for i in range(pairs):
        data["pairs"].append({
            "mentee": f"mk-{i:08x}", "mentor": f"mk-{rng.randrange(16**8):08x}", "status": rng.choice(["proposed", "approved"]),
            "score": round(rng.uniform(0, 100), 2), "rank": rng.randrange(1, 5),
            "why": {"skills": rng.choice([0.0, 15.0, 30.0]), "goals": 5.0, "level": rng.choice([0, 10, 7.5])},
            "reasons": {"skills": "offers financial-acumen; stakeholder-management through influencing",
                        "goals": "both want network-building: 'quoted' #tag", "level": "level gap 3 (ideal 2)"},
            "fit": {"skills": ["financial-acumen", "0123", "1e3", "yes", "null", "~", ""], "languages": ["en", "de"],
                    "shared_hours": 8.0, "shared_hours_utc": "08:00-16:00", "meet": ["in-person at berlin-office"]},
            "next_best": {"mentor": f"mk-{i + 1:08x}", "score": 61.5, "taken": rng.random() < 0.5},
            "notes": "Grüße über die Straße" if i % 7 == 0 else None})
    return "# Match proposal, written for the test\n\n" + dump_yaml(data)


@pytest.mark.parametrize("typed", [True, False])
def test_a_large_proposal_reads_the_same(loader, typed):
    pairs = 300 if loader is not None else 60  # the pure-Python parser is slow
    result = assert_same(proposal_like(pairs), loader, typed)
    assert result[1] == [] and len(result[0][0]["pairs"]) == pairs
    assert len(result[0][1]) > pairs * 20


# --- hostile snippets ------------------------------------------------------------------------------------------------

DEEP_FLOW = "a: " + "[" * 40 + "x" + "]" * 40 + "\n"
DEEP_BLOCK = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
SNIPPETS = {
    # plain reading and positions
    "mapping": "a: 1\nb: two\nc:\n  - x\n  - y: z\n    w: [1, {q: r}]\n",
    "sequence root": "- b\n- a\n- - nested\n  - list\n",
    "scalar root": "just text\n",
    "quoted styles": "a: 'single'\nb: \"double\"\nc: |\n  literal\n  block\nd: >\n  folded\n  text\ne: plain  text\n",
    "null forms": "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: 'null'\ng: ''\nh: \"~\"\ni: nULL\n",
    "core numbers": "a: 0123\nb: 1e3\nc: +1\nd: -.5\ne: .inf\nf: 1_000\ng: 0x1F\nh: True\ni: FALSE\nj: yes\nk: 12:30\n"
                    "l: 2026-01-01\nm: '12'\nn: 1.\no: -0\np: 1e\nq: +.5e-3\nr: \"1\"\n",
    "keys stay text": "1: a\ntrue: b\n2026-01-01: c\n~: d\nnull: e\n'': f\n",
    "unicode": "wie: Grüße über\nä: ö\nemoji: \U0001f469\u200d\U0001f4bb\nzwnj: a\u200cb\n",
    "flow": "a: {x: 1, y: [a, b], z: {p: q}}\nb: [a: b, c]\nc: {a, b}\nd: []\ne: {}\n",
    "flow multi-line": "a: [one,\n  two, three\n  ]\nb: {x: 1,\n  y: 2}\n",
    "empty key": "? \n: x\n",
    "flow empty key": "{: x}\n",
    "block scalar key": "? |\n  block\n: v\n",
    "crlf": "a: 1\r\nb:\r\n  c: d\r\n",
    "bom inside": "\ufeffa: 1\n",
    "document markers": "---\na: 1\n...\n",
    "explicit empty document": "---\n",
    "bare document end": "...\n",
    "directives": "%YAML 1.1\n---\na: 1\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\nb: 1\n",
    # duplicate keys
    "duplicate keys": "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n",
    "duplicate in list items": "items:\n  - id: a\n    id: b\n  - id: c\n",
    "duplicate quoted": "a: 1\n'a': 2\n\"a\": 3\n",
    "duplicate flow": "{a: 1, a: 2}\n",
    "duplicate with nested value": "a: {x: 1}\na: {y: [1, 2, 3]}\nb: 2\n",
    # aliases and anchors
    "anchor without alias": "a: &x [1, 2]\nb: 3\nc: &y {p: q}\n",
    "anchor on a key": "&k a: 1\nb: 2\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "alias of a scalar": "a: &x 1\nb: *x\n",
    "alias bomb": "a: &a [lol, lol]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "alias as key": "&a x: 1\n*a : 2\n",
    "alias of a key as value": "&a x: 1\ny: *a\nz: *a\n",
    "alias of a refused value": "a: 1\na: &x 2\nb: *x\nc: *x\n",
    "alias read once": "a: 1\na: &x 2\nb: *x\n",
    "alias of a complex key": "? &k [1, 2]\n: v\nb: *k\n",
    "recursive alias": "a: &x [1, *x]\n",
    "undefined alias": "a: *nope\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "duplicate anchor and alias": "a: &x 1\nb: &x 2\nc: *x\n",
    "alias in a refused value": "a: 1\na: [*x]\n",
    "alias with cut values": "a: &x one #cut\nb: two #cut\nc: *x\n",
    "alias inside flow": "a: &x {p: q}\nb: [*x, *x]\n",
    "alias and too deep": "a: &x 1\nb: *x\n" + DEEP_FLOW.replace("a:", "c:"),
    "alias deepens a node": "a: &x " + "[" * 30 + "y" + "]" * 30 + "\nb: " + "[" * 5 + "*x" + "]" * 5 + "\n",
    # tags
    "tags": "a: !!python/object:os.system x\nb: !custom y\nc: !!str 5\nd: !!binary aGVsbG8=\ne: !!int abc\n",
    "non-specific tag": "a: ! 5\nb: ! =\nc: ! \"<<\"\nd: ! '&'\ne: ! \"<<\\n\"\nf: ! x\n",
    "resolved odd values": "a: =\nb: <<\nc: '='\nd: <<x\ne: \"<<\"\n",
    "tagged collections": "a: !!map {x: 1}\nb: !!seq [1]\nc: !!set {p, q}\nd: !custom {x: !!str 1}\n",
    "verbatim tag": "a: !<tag:yaml.org,2002:str> x\nb: !<tag:example.com:x> y\n",
    "tag on a key": "!!python/object x: 1\n!!str y: 2\n",
    "tagged null": "a: !!null ''\nb: !!str null\nc: !!str\n",
    # depth
    "deep flow": DEEP_FLOW,
    "deep block": DEEP_BLOCK,
    "deep at the limit": "a: " + "[" * 31 + "x" + "]" * 31 + "\n",
    "deep just over": "a: " + "[" * 32 + "x" + "]" * 32 + "\n",
    "deep empty": "a: " + "[" * 33 + "]" * 33 + "\n",
    "two deep branches": "a: " + "[" * 35 + "x, y" + "]" * 35 + "\nb: " + "{q: " * 34 + "z" + "}" * 34 + "\n",
    "deep inside a refused value": "a: 1\na: " + "[" * 40 + "]" * 40 + "\n",
    "deep inside a complex key": "? " + "[" * 40 + "]" * 40 + "\n: v\n",
    "deep keys": "a: " + "{k: " * 33 + "v" + "}" * 33 + "\n",
    "deep hundred": "a: " + "[" * 100 + "]" * 100 + "\n",
    # cut values
    "cut value": "how: Post in #mentoring\nquoted: \"Post in #x\"\njoined: a#b\nspaced: a # a real comment\n",
    "several cut values": "a: one #x\nb:\n  - two #y\n  - three\t#z\nc: {p: four #w\n  }\n",
    "cut key": "a #b: c\nd: e\n",
    "cut in a refused value": "a: 1\na: two #cut\nb: three #cut\n",
    "cut in a complex key": "? [one #cut\n  ]\n: v\n",
    "cut at the end": "a: b #c",
    "cut with a vertical tab": "a: b\x0bc: d #e\nf: g #h\n",
    "cut with a line separator": "a: b\u2028c #d\ne: f #g\n",
    "comment lines only": "# one\n#two\n  #three\n",
    # hidden characters and long values
    "zero-width": "a: x\u200by\nb: ok\n",
    "bidi": "title: \u202eevil\n",
    "hidden key": "ke\u200by: 1\nb: 2\n",
    "soft hyphen": "a: soft\u00adhyphen\n",
    "long value": "a: " + "x" * 10_001 + "\nb: " + "y" * 10_000 + "\n",
    "long quoted value": "a: '" + "\u00e9" * 10_001 + "'\n",
    "long key": "k" * 101 + ": 1\n" + "j" * 100 + ": 2\n",
    "long hidden": "a: " + "\u200b" * 10_001 + "\n",
    "hidden duplicate key": "a\u200b: 1\na\u200b: 2\n",
    # merge and complex keys
    "merge key": "base: {x: 1}\nmore:\n  <<: {y: 2}\n  z: 3\n",
    "quoted merge key": "\"<<\": x\n",
    "merge key twice": "<<: a\n<<: b\n",
    "complex key": "? [a, b]\n: c\n",
    "complex mapping key": "? {a: 1}\n: c\nd: e\n",
    "flow complex key": "[a]: b\n",
    # several documents
    "two documents": "a: 1\n---\nb: 2\n",
    "two empty documents": "---\n---\n",
    "document then error": "a: 1\n---\nb: [\n",
    "document then deep": "a: 1\n---\n" + DEEP_FLOW,
    "deep then document": DEEP_FLOW + "---\nb: 1\n",
    "document then alias": "a: &x 1\n---\nb: *x\n",
    # empty and syntax errors
    "empty": "",
    "blank": "   \n\n",
    "comment": "# only a comment\n",
    "tab indentation": "a:\n\tb: 1\n",
    "tab line": "a:\n  b: 1\n\t\n",
    "tab value": "a:\t1\nb: 2\t# c\n",
    "mapping values error": "title: x\na: b: c\n",
    "unclosed flow": "a: [1, 2\nb: 3\n",
    "unclosed mapping": "a: 1\nb: 2\nc: {x: 1\n" + "".join(f"k{i}: {i}\n" for i in range(11)),
    "unclosed double quote": "a: 1\nb: \"never closed\nc: 2\n",
    "unclosed single quote": "a: 'x\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "nul": "a: \x00\n",
    "nel": "a: b\x85c: d\n",
    "surrogate": "a: \ud800\n",
    "error after cut": "a: b #c\nd: [\n",
    "error after alias": "a: &x 1\nb: *x\nc: [\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_hostile_snippets_read_the_same(name, loader):
    if assert_same(SNIPPETS[name], loader)[0] is not None:
        assert_same(SNIPPETS[name], loader, typed=True)


def test_the_snippets_reach_every_outcome(loader):
    """The comparison covers what matters: each refusal occurs, so a walk that missed one would differ."""
    found = {code for text in SNIPPETS.values() for code in codes(assert_same(text, loader))}
    assert found >= {"yaml-syntax", "duplicate-key", "yaml-alias", "yaml-tag", "yaml-cut-value", "too-deep",
                     "value-too-long", "invisible-character", "empty-file"}
    assert assert_same(SNIPPETS["alias read once"], loader)[0] is not None  # an alias read once is no problem


# --- generated snippets ----------------------------------------------------------------------------------------------

_VALUES = ["a", "b c", "'q'", '"d"', "1", "0.5", "1e3", "true", "~", "null", "", "x #c", "x # c", "!!str s", "!t u", "! =",
           "=", "<<", "y\u200bz", "Grüße", "l" * 12, "'a #b'", "|\n{i}  block\n{i}  text", ">\n{i}  folded", "&A v", "*A",
           "*B", "&B w", "!!int 7", "!!binary aGk=", "0123", "-1", "+.5", "'x'  #c", "[]", "{}", "[a, b]", "{k: v, k: w}",
           "[a: b]", "{x}", "&C [p, *A]", "x\t#y", "! '<<'", "\u00ad", "k" * 101, "[1, [2, {a: b}]]", "{a: [1], b: {c: d}}"]
_KEYS = ["a", "b", "a", "'a'", "<<", "? [x]", "k\u200b", "1", "~", "!!str t", "&K kk", "*K", '"q q"', "z #c", "j" * 101, ""]


def generated(seed: int) -> str:
    """A document of random shape from hostile pieces: about half of them valid YAML, the rest refused somewhere."""
    rng = random.Random(seed)

    def node(depth: int, indent: str) -> tuple[str, list[str]]:
        if rng.random() < 0.45 or depth > rng.choice([3, 5, 36]):
            return " " + rng.choice(_VALUES).replace("{i}", indent), []
        if rng.random() < 0.1:
            return " " + "[" * depth + "x" + "]" * depth, []
        lines: list[str] = []
        sequence = rng.random() < 0.5
        for _ in range(rng.randrange(1, 4)):
            head, body = node(depth + 1, indent + "  ")
            key = rng.choice(_KEYS)
            if sequence:
                lines.append(f"{indent}-{head}")
            elif key.startswith("? "):
                lines += [f"{indent}{key}", f"{indent}:{head}"]
            else:
                lines.append(f"{indent}{key}:{head}")
            lines += body
        return rng.choice(["", "", "", " &A", " &B", " !!map", " !x"]), lines

    head, lines = node(0, "")
    start = f"--- {head.strip()}\n" if head.strip() else ""
    return start + "\n".join(lines) + rng.choice(["\n", "", "\n---\na: 1\n", "\n# end\n"])


@pytest.mark.parametrize("block", range(4))
def test_generated_documents_read_the_same(block, loader):
    results = [assert_same(generated(seed), loader, typed=seed % 2 == 0) for seed in range(block * 150, block * 150 + 150)]
    assert sum(r[0] not in (None, "raised") for r in results) > 40 and any(r[0] is None for r in results)


# --- the comparison can fail -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["no odd first characters", "no cut check", "other depth", "keys not checked"])
def test_a_broken_walk_is_told_apart(change, loader, monkeypatch):
    """Break one rule of the event walk: the comparison with the reference must notice."""
    if change == "no odd first characters":
        monkeypatch.setattr(strict_yaml, "_ODD_FIRST", frozenset())
        text = SNIPPETS["resolved odd values"]
    elif change == "no cut check":
        monkeypatch.setattr(strict_yaml, "_CUT_ANYWHERE", re.compile("(?!)"))
        text = SNIPPETS["cut value"]
    elif change == "other depth":
        monkeypatch.setattr(strict_yaml, "MAX_DEPTH", 33)
        text = SNIPPETS["deep just over"]
    else:
        monkeypatch.setattr(strict_yaml, "MAX_KEY_CHARS", 1000)
        text = SNIPPETS["long key"]
    with pytest.raises(AssertionError):
        assert_same(text, loader)


WALKED_ALONE = ["mapping", "flow", "duplicate keys", "anchor without alias", "tags", "non-specific tag", "resolved odd values",
                "deep flow", "deep inside a complex key", "cut value", "cut in a refused value", "zero-width", "long value",
                "merge key", "complex key", "empty", "comment", "core numbers", "unicode", "crlf"]


def test_the_event_walk_decides_alone_without_aliases_or_errors(loader, monkeypatch):
    """The node trees are for aliases, errors and second documents only: the comparisons above test the walk."""
    def refused(*args):
        raise AssertionError("the node trees were read")

    texts = [SNIPPETS[name] for name in WALKED_ALONE if loader is not None or not name.startswith("deep")]
    expected = [outcome(parse_yaml, text, True) for text in texts + [proposal_like(20)]]
    monkeypatch.setattr(strict_yaml, "_parse_nodes", refused)
    assert [outcome(parse_yaml, text, True) for text in texts + [proposal_like(20)]] == expected
    for name in ("alias", "two documents", "mapping values error", "duplicate anchor"):
        assert outcome(parse_yaml, SNIPPETS[name], False)[0] == "raised"
