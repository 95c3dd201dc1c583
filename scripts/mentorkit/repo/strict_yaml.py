"""Strict YAML reading with positions.

Coordinators edit YAML by hand, so the reader is strict where YAML is lenient:
duplicate keys are errors; no implicit typing (every scalar stays a string, or
None when empty, and the pydantic model decides the type, so `0123` and `NO`
stay as written); anchors and aliases are refused, which also makes an alias
bomb fail fast; files above a size cap are refused before parsing.
Every key and value keeps its line and column for error messages.

The text is read in one pass over the parser's events (libyaml's when PyYAML has it). Node trees
are composed only when an alias, a syntax error or a second document needs their exact reading.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

import yaml

from ..errors import Problem
from .excerpt import excerpt, hidden_character, visible
from .sources import Source

MAX_YAML_BYTES = 1_000_000  # a file people write by hand
# A proposal is written by the kit and grows with the program: about 0.6 KB per participant (1 KB per pair).
# Its cap scales with the participant table (itself capped), far above anything the kit writes (choice mode,
# years of ended pairs) and far below what would tie up a run: a hostile file is still refused unread.
PROPOSAL_BYTES_PER_PARTICIPANT = 16_384


def proposal_limit(participants: int) -> int:
    """The size cap of a proposal file in a repository with `participants` rows in its participant table."""
    return MAX_YAML_BYTES + PROPOSAL_BYTES_PER_PARTICIPANT * participants
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
    loader = FAST_LOADER or yaml.SafeLoader
    try:
        return _walk_events(loader(text), text, rel, typed)
    except _NodesNeeded:  # an alias, a second document: the node trees say what they mean
        return _parse_nodes(text, rel, typed, FAST_LOADER if loader is FAST_LOADER else None)
    except yaml.YAMLError as exc:
        if loader is FAST_LOADER and isinstance(exc, yaml.MarkedYAMLError) and "nesting depth" in str(exc.problem):
            mark = exc.problem_mark  # the pure-Python parser would recurse until the stack ends
            return None, [_too_deep(rel, mark.line + 1, mark.column + 1) if mark else _too_deep(rel, 1, 1)]
        return _parse_nodes(text, rel, typed, None)  # the pure-Python parser's message, whichever parser found it


_CUT = re.compile(r"^[ \t]+#\S")
_CUT_ANYWHERE = re.compile(r"#(?<=[ \t]#)\S")  # a quick look for any cut (it starts at the '#')
MAX_DEPTH = 32  # program files nest four levels; a deeper file is not one of ours (and would exhaust the stack)
_UNCLOSED = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a double-quoted scalar",
             "while scanning a single-quoted scalar")
_TAGS = frozenset({None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                   "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"})
# First characters of untagged values YAML may resolve to a refused tag: '<<' (merge), '=' (value), '!', '&', '*'.
_ODD_FIRST = frozenset(first for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
                       if any(tag not in _TAGS for tag, _ in resolvers))


class _NodesNeeded(Exception):
    """The event walk cannot decide alone: the node-tree reading does (aliases, duplicate anchors, more documents)."""


def _walk_events(loader: yaml.SafeLoader, text: str, rel: str, typed: bool) -> tuple[YamlDoc | None, list[Problem]]:
    """One pass over the parser's events: values, positions, depth, cut values and refusals, without node trees.

    Composing nodes and walking them three times took most of the time on proposal files. The results are
    the node walks' own: cut values in their order (reversed), and the last node too deep in the file (the
    depth walk, popping its stack, met that one first).
    """
    walk = _EventWalk(loader, text, rel, typed)
    collecting = gc.isenabled()
    gc.disable()  # the walk makes a tree of small objects and no cycles: collections would only scan it again and again
    try:
        documents, data = walk.stream()
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    if not documents:
        return None, [Problem(rel, "empty-file", "the file has no content", line=1)]
    if walk.deep is not None:
        return None, [_too_deep(rel, walk.deep.line + 1, walk.deep.column + 1)]
    walk.out.doc.data = data
    walk.cuts.reverse()
    return walk.out.doc, walk.cuts + walk.out.problems


_Scalar, _MapStart, _SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MapEnd, _SeqEnd, _Alias = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent
_MISSING = object()


class _EventWalk:
    """Recursive descent over the events, one call per collection (at most MAX_DEPTH deep)."""

    def __init__(self, loader: yaml.SafeLoader, text: str, rel: str, typed: bool):
        self.loader, self.get, self.rel = loader, loader.get_event, rel
        self.out = _Builder(rel, typed)
        self.positions, self.key_positions = self.out.doc.positions, self.out.doc.key_positions
        self.lines = text.splitlines() if _CUT_ANYWHERE.search(text) else None  # None: no value can be cut
        self.cuts: list[Problem] = []
        self.deep: yaml.Mark | None = None
        self.anchors: set[str] = set()
        self.plain: dict[str, object] = {}  # plain text -> its value: proposals repeat the same numbers

    def stream(self) -> tuple[int, object]:
        documents, data, get = 0, None, self.get
        while True:
            event = get()
            if type(event) is yaml.StreamEndEvent:
                return documents, data
            if type(event) is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _NodesNeeded
                data = self.value(get(), (), 0)

    def anchor(self, name: str) -> None:
        if name in self.anchors:  # the composer refuses it: its message comes from there
            raise _NodesNeeded
        self.anchors.add(name)

    def value(self, event: yaml.Event, path: Path_, depth: int) -> object:
        kind = type(event)
        if kind is _Alias:
            raise _NodesNeeded  # refused, but which problem comes first is the node walks' to say
        start = event.start_mark
        pos = (start.line + 1, start.column + 1)
        if event.anchor is not None:
            self.anchor(event.anchor)
        self.positions.setdefault(path, pos)
        if kind is _MapStart:
            return self.mapping(path, depth)
        if kind is _SeqStart:
            return self.sequence(path, depth)
        value, style, tag = event.value, event.style, event.tag
        if not style and self.lines is not None:
            _cut_value(event, self.lines, self.rel, self.cuts)
        if tag is None or tag == "!":  # resolved as the composer does: only a few values can get a refused tag
            tag = None
            if value[:1] in _ODD_FIRST:
                if event.implicit[0]:
                    tag = self.loader.resolve(yaml.ScalarNode, value, event.implicit)
            elif len(value) <= MAX_VALUE_CHARS and value.isascii():  # the common case: it passes every check
                if style:
                    return value
                known = self.plain.get(value, _MISSING)
                if known is _MISSING:
                    known = self.plain[value] = self.out.scalar(value, style, None, pos, path)
                return known
        return self.out.scalar(value, style, tag, pos, path)

    def sequence(self, path: Path_, depth: int) -> list:
        result: list = []
        get = self.get
        while True:
            event = get()
            if type(event) is _SeqEnd:
                return result
            if depth == MAX_DEPTH:
                self.skip(event, depth + 1)
            else:
                result.append(self.value(event, path + (len(result),), depth + 1))

    def mapping(self, path: Path_, depth: int) -> dict:
        result: dict = {}
        get, out, key_positions, positions, plain, lines = (self.get, self.out, self.key_positions, self.positions,
                                                            self.plain, self.lines)
        while True:
            event = get()
            kind = type(event)
            if kind is _MapEnd:
                return result
            if depth == MAX_DEPTH:
                self.skip(event, depth + 1)
                self.skip(get(), depth + 1)
                continue
            if kind is not _Scalar:  # a complex key (or an alias): refused, and read no further
                if kind is not _Alias:
                    out.key(None, (event.start_mark.line + 1, event.start_mark.column + 1), path, result)
                self.skip(event, depth + 1)
                self.skip(get(), depth + 1)
                continue
            start = event.start_mark
            kpos = (start.line + 1, start.column + 1)
            if event.anchor is not None:
                self.anchor(event.anchor)
            if not event.style and lines is not None:
                _cut_value(event, lines, self.rel, self.cuts)
            key = event.value
            if key in result or key == "<<" or len(key) > MAX_KEY_CHARS or not key.isascii():
                if not out.key(key, kpos, path, result):
                    self.skip(get(), depth + 1)
                    continue
                where = path + (key,)
            else:
                where = path + (key,)
                key_positions[where] = kpos
            event = get()
            if type(event) is _Scalar and event.tag is None and event.anchor is None and not event.style and lines is None:
                known = plain.get(event.value, _MISSING)  # a plain value seen before: known to pass every check
                if known is not _MISSING:
                    start = event.start_mark
                    positions.setdefault(where, (start.line + 1, start.column + 1))
                    result[key] = known
                    continue
            result[key] = self.value(event, where, depth + 1)

    def skip(self, event: yaml.Event, depth: int) -> None:
        """Consume a node that is not read (a refused key or its value, or one nested too deep).

        It is still checked as the node walks checked every node: depth, cut values, anchors, aliases.
        """
        level = 0
        while True:
            kind = type(event)
            if kind is _MapEnd or kind is _SeqEnd:
                level -= 1
            elif kind is _Alias:
                raise _NodesNeeded
            else:
                if depth + level == MAX_DEPTH + 1:
                    if self.loader.__class__ is not FAST_LOADER:  # the pure-Python composer may give up first,
                        raise _NodesNeeded  # on the stack: the node reading says (and soon: its scanner slows down)
                    self.deep = event.start_mark  # the last node this deep is the one the node walk reported
                if event.anchor is not None:
                    self.anchor(event.anchor)
                if kind is _Scalar:
                    if not event.style and self.lines is not None:
                        _cut_value(event, self.lines, self.rel, self.cuts)
                else:
                    level += 1
            if level == 0:
                return
            event = self.get()


def _cut_value(node: yaml.ScalarEvent | yaml.ScalarNode, lines: list[str], rel: str, problems: list[Problem]) -> None:
    """A plain value followed by ' #word' on the same line: YAML silently drops the rest as a comment.

    `how: Post in #mentoring` reads as "Post in"; quoting the value keeps it whole.
    """
    end = node.end_mark
    if end.line < len(lines) and _CUT.match(lines[end.line][end.column:]):
        problems.append(Problem(rel, "yaml-cut-value", f"the value is cut at '#': YAML reads only {excerpt(node.value)}",
                                line=end.line + 1, column=end.column + 1,
                                hint="put the whole value in quotes, e.g. \"Post in the #mentoring channel\""))


class _Builder:
    """The checks on one key or scalar, shared by the event walk and the node-tree reading."""

    def __init__(self, rel: str, typed: bool):
        self.rel, self.typed = rel, typed
        self.doc = YamlDoc(None)
        self.problems: list[Problem] = []

    def scalar(self, value: str, style: str | None, tag: str | None, pos: tuple[int, int], path: Path_) -> object:
        """The value: None for a refused tag or text, or a plain null; typed when asked; else the text."""
        if tag not in _TAGS:
            self.problems.append(Problem(self.rel, "yaml-tag", f"the tag {tag} is not supported", line=pos[0],
                                         column=pos[1], field=_dotted(path), hint="remove the '!' tag"))
            return None
        if len(value) > MAX_VALUE_CHARS or not value.isascii():  # ASCII has no invisible characters
            wrong = _text_problem(value, self.rel, pos, path)
            if wrong is not None:
                self.problems.append(wrong)
                return None
        if style:
            return value
        if _NULL.match(value):
            return None
        return _core_scalar(value) if self.typed else value

    def key(self, key: str | None, kpos: tuple[int, int], path: Path_, result: dict) -> bool:
        """Whether `key` (None: not a scalar) of the mapping at `path` is read; a problem says why not."""
        if key is None or key == "<<":
            self.problems.append(Problem(self.rel, "yaml-syntax", "only plain keys are supported here (no merge keys or "
                                         "complex keys)", line=kpos[0], column=kpos[1], field=_dotted(path)))
            return False
        wrong = _text_problem(key, self.rel, kpos, path, MAX_KEY_CHARS) if (
            len(key) > MAX_KEY_CHARS or not key.isascii()) else None
        if wrong is not None:
            self.problems.append(wrong)
            return False
        if key in result:
            first = self.doc.key_positions[path + (key,)][0]
            self.problems.append(Problem(self.rel, "duplicate-key", f"the key '{key}' appears twice (first on line {first})",
                                         line=kpos[0], column=kpos[1], field=_dotted(path + (key,)),
                                         hint="keep one of them: YAML would silently use the last one"))
            return False
        self.doc.key_positions[path + (key,)] = kpos
        return True


def _parse_nodes(text: str, rel: str, typed: bool, fast_loader: type | None) -> tuple[YamlDoc | None, list[Problem]]:
    """The reading through node trees: for what the event walk leaves to it (aliases, syntax errors, more documents).

    An alias shares one node between places, so what it means (which place is refused, how deep it nests)
    is defined on the trees: the composer shares the node for every alias of an anchor.
    """
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
    out = _Builder(rel, typed)
    out.problems = _cut_values(nodes[0], text.splitlines(), rel)
    try:
        out.doc.data = _convert(nodes[0], (), out, set())
    except _AliasFound as found:  # stop at the first: an alias bomb must fail fast, with one message
        return None, [found.problem]
    return out.doc, out.problems


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


def _compose(text: str, fast_loader: type | None) -> list[yaml.Node]:
    """The node trees of `text`: through libyaml when PyYAML has it.

    Both parsers keep positions. On an error the pure-Python parser reads the text again, so a coordinator
    gets the same message and position whichever parser is installed. (libyaml marks a plain scalar with
    style "" where PyYAML has None: plain is tested as `not node.style`.)
    """
    if fast_loader is not None:
        try:
            return list(yaml.compose_all(text, Loader=fast_loader))
        except yaml.MarkedYAMLError as exc:
            if "nesting depth" in str(exc.problem):  # the pure-Python parser would recurse until the stack ends
                raise _TooDeepError(exc.problem_mark) from None
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


FAST_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else None


def _cut_values(root: yaml.Node, lines: list[str], rel: str) -> list[Problem]:
    """The cut plain values of a node tree, each node once."""
    problems: list[Problem] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if not node.style:
                _cut_value(node, lines, rel, problems)
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


def _convert(node: yaml.Node, path: Path_, out: _Builder, seen: set[int]) -> object:
    pos = (node.start_mark.line + 1, node.start_mark.column + 1)
    out.doc.positions.setdefault(path, pos)
    if id(node) in seen:  # the composer shares the node for every alias of an anchor
        raise _AliasFound(Problem(out.rel, "yaml-alias", "anchors and aliases (&name / *name) are not supported",
                                  line=pos[0], column=pos[1], field=_dotted(path), hint="write the values out in full"))
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return out.scalar(node.value, node.style, node.tag, pos, path)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), out, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if out.key(key, (key_node.start_mark.line + 1, key_node.start_mark.column + 1), path, result):
                result[key] = _convert(value_node, path + (key,), out, seen)
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
