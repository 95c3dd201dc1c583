"""Strict YAML reading with positions.

Coordinators edit YAML by hand, so the reader is strict where YAML is lenient:
duplicate keys are errors; no implicit typing (every scalar stays a string, or
None when empty, and the pydantic model decides the type, so `0123` and `NO`
stay as written); anchors and aliases are refused, which also makes an alias
bomb fail fast; files above a size cap are refused before parsing.
Every key and value keeps its line and column for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..errors import Problem
from .excerpt import excerpt, hidden_character, visible
from .sources import Source

MAX_YAML_BYTES = 1_000_000
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")

Path_ = tuple  # a key path such as ("matching", "weights", "skills") or ("milestones", 2, "date")


@dataclass
class YamlDoc:
    data: object
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column), 1-based
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """Position of `path`, or of its nearest existing parent."""
        table = self.key_positions if key else self.positions
        for n in range(len(path), -1, -1):
            sub = tuple(path[:n])
            if sub in table:
                return table[sub]
            if sub in self.positions:
                return self.positions[sub]
        return (None, None)


def read_text(source: Source, rel: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file (a BOM is accepted), refusing links out, oversized, undecodable and binary files."""
    raw, problems = source.read(rel, max_bytes)
    if raw is None:
        return None, problems
    return decode_text(raw, rel, "save the file with UTF-8 encoding")


def decode_text(raw: bytes, rel: str, hint: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without control characters, or the problem at its real line (YAML and CSV alike)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, "encoding", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at line {line})",
                              line=line, hint=hint)]
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - text.rfind("\n", 0, found.start())
        return None, [Problem(rel, "control-character",
                              f"the file holds the control character U+{ord(found.group()):04X} (a binary file?)",
                              line=line, column=column, hint="remove it; text files hold no control characters")]
    return text, []


# C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL included: YAML would report it at line 1.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_yaml(text: str, rel: str, typed: bool = False) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML document strictly; problems instead of exceptions.

    `typed` resolves plain numbers and true/false as YAML 1.2's core schema does: only for files
    the kit writes itself (match proposals), never for files people edit.
    """
    if not text.strip():
        return None, [Problem(rel, "empty-file", "the file is empty", line=1, hint="add the required keys, or delete the file")]
    try:
        nodes = _compose(text)
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
    except _AliasFound as found:  # stop at the first: an alias bomb must fail fast, with one message
        return None, [found.problem]
    return doc, problems


_CUT = re.compile(r"^[ \t]+#\S")
MAX_DEPTH = 32  # program files nest four levels; a deeper file is not one of ours (and would exhaust the stack)
_UNCLOSED = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a double-quoted scalar",
             "while scanning a single-quoted scalar")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str) -> Problem:
    """Where YAML gave up, or, for an unclosed bracket or quote, where it was opened (the place to fix)."""
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
    """The first node nested deeper than MAX_DEPTH (walked without recursion), or None."""
    stack, seen = [(root, 0)], set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen:  # an alias: walked once (the converter refuses it)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
    return None


def _compose(text: str) -> list[yaml.Node]:
    """The node trees of `text`: through libyaml when PyYAML has it (~10x faster on proposal files).

    Both parsers keep positions. On an error the pure-Python parser reads the text again, so a coordinator
    gets the same message and position whichever parser is installed. (libyaml marks a plain scalar with
    style "" where PyYAML has None: plain is tested as `not node.style`.)
    """
    if FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(text, Loader=FAST_LOADER))
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" in str(exc.problem):  # the pure-Python parser would recurse until the stack ends
                raise _TooDeepError(exc.problem_mark) from None
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


FAST_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else None


def _cut_values(root: yaml.Node, lines: list[str], rel: str) -> list[Problem]:
    """Plain values followed by ' #word' on the same line: YAML silently drops the rest as a comment.

    `how: Post in #mentoring` reads as "Post in"; quoting the value keeps it whole.
    """
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


def _convert(node: yaml.Node, path: Path_, doc: YamlDoc, problems: list[Problem], rel: str, seen: set[int],
             typed: bool = False) -> object:
    pos = (node.start_mark.line + 1, node.start_mark.column + 1)
    doc.positions.setdefault(path, pos)
    if id(node) in seen:  # the composer shares the node for every alias of an anchor
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


MAX_VALUE_CHARS = 10_000  # a value longer than any a program file needs is refused, and never echoed whole


MAX_KEY_CHARS = 100  # the longest key of a program file is a fraction of this


def _text_problem(value: str, rel: str, pos: tuple[int, int], path: Path_, limit: int = MAX_VALUE_CHARS
                  ) -> Problem | None:
    """A value too long to be meant, or holding a character that hides or reorders what readers see."""
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


def _dotted(path: Path_) -> str | None:
    if not path:
        return None
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


# libyaml's emitter when PyYAML has it: the same bytes, three times faster (10,000-pair proposals).
_DUMPER_BASE: type[yaml.SafeDumper] = yaml.CSafeDumper if getattr(yaml, "__with_libyaml__", False) else yaml.SafeDumper


class _Dumper(_DUMPER_BASE):
    def ignore_aliases(self, data: object) -> bool:
        return True  # shared values are written out in full: the reader refuses aliases


def dump_yaml(data: object) -> str:
    """Deterministic YAML for files the kit writes (key order as given, no aliases, wide lines)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
