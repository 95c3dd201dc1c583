"""Strict YAML reading with positions.

Coordinators edit YAML by hand, so the reader is strict where YAML is lenient:
duplicate keys are errors; no implicit typing (every scalar stays a string, or
None when empty, and the pydantic model decides the type, so `0123` and `NO`
stay as written); aliases are refused, which also makes an alias bomb fail fast;
files above a size cap are refused before parsing.
Every key and value keeps its line and column for error messages.

The text is read in one walk over the parser's events (libyaml's when PyYAML has it): values, positions,
depth, cut values, aliases, second documents and syntax errors all come from that walk. Only when libyaml
gives up does the pure-Python parser walk the text again, so a coordinator reads PyYAML's message and
position whichever parser is installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml

from ..errors import Problem
from .excerpt import excerpt, hidden_character, visible
from .sources import Source

MAX_YAML_BYTES = 1_000_000  # a file people write by hand
# A proposal is written by the kit and grows with the program: about 0.6 KB per participant (1 KB per pair).
# Its cap scales with the participant table (itself capped), far above anything the kit writes (choice mode,
# years of ended pairs) and far below what would tie up a run: a hostile file is still refused unread.
PROPOSAL_BYTES_PER_PARTICIPANT = 16_384
MAX_DEPTH = 32  # program files nest four levels; a deeper file is not one of ours
MAX_VALUE_CHARS = 10_000  # a value longer than any a program file needs is refused, and never echoed whole
MAX_KEY_CHARS = 100  # the longest key of a program file is a fraction of this
# libyaml stops at this nesting depth (its own error, at the bracket that goes one level too far); the walk
# stops the pure-Python parser at the same place, before its scanner slows down on deeper brackets.
PARSER_DEPTH = 1000
_NESTING = "exceeded maximum nesting depth"

FAST_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else None

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL included: YAML would report it at line 1.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
# A float as PyYAML, which writes the kit's files, resolves one: a dot, and a sign on the exponent ("1.0e+16").
# "1e3" is a text to it, written plain: read as a number it would not come back as written.
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+][0-9]+)?$")
_CUT = re.compile(r"^[ \t]+#\S")
_CUT_ANYWHERE = re.compile(r"#(?<=[ \t]#)\S")  # a quick look for any cut (it starts at the '#')
_UNCLOSED = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a double-quoted scalar",
             "while scanning a single-quoted scalar")
_TAGS = frozenset({None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                   "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"})
# First characters of untagged values YAML may resolve to a refused tag: '<<' (merge), '=' (value), '!', '&', '*'.
_ODD_FIRST = frozenset(first for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
                       if any(tag not in _TAGS for tag, _ in resolvers))

_Scalar, _MapStart, _SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MapEnd, _SeqEnd, _Alias = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.AliasEvent
_DocStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent
_MISSING = object()
# A parser event. The walk dispatches on an event's exact class (`type(event) is _Scalar`: cheaper than isinstance
# on every node of a 10,000-pair proposal), which mypy cannot narrow, so the walk reads events' fields untyped.
_Event: TypeAlias = Any

Path_ = tuple[str | int, ...]  # a key path such as ("matching", "weights", "skills") or ("milestones", 2, "date")


def proposal_limit(participants: int) -> int:
    """The size cap of a proposal file in a repository with `participants` rows in its participant table."""
    return MAX_YAML_BYTES + PROPOSAL_BYTES_PER_PARTICIPANT * participants


@dataclass
class YamlDoc:
    data: object
    where: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column), 1-based
    key_where: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # (text, file, typed) of a document read without positions: they are read when first asked for
    unread: tuple[str, str, bool] | None = None

    @property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        self._read_positions()
        return self.where

    @property
    def key_positions(self) -> dict[Path_, tuple[int, int]]:
        self._read_positions()
        return self.key_where

    def _read_positions(self) -> None:
        if self.unread is not None:
            text, rel, typed = self.unread
            self.unread = None
            again = _Walk(FAST_LOADER or yaml.SafeLoader, text, rel, typed).doc
            if again is not None:
                self.where, self.key_where = again.where, again.key_where

    def locate(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """Position of `path`, or of its nearest existing parent."""
        positions = self.positions
        table = self.key_positions if key else positions
        for n in range(len(path), -1, -1):
            sub = tuple(path[:n])
            if sub in table:
                return table[sub]
            if sub in positions:
                return positions[sub]
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


def parse_yaml(text: str, rel: str, typed: bool = False) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse one YAML document strictly; problems instead of exceptions.

    `typed` reads plain integers, floats and true/false back as the kit's writer (PyYAML) writes them, so a
    text written plain comes back a text ("1e3": no float without a dot): only for files the kit writes
    itself (match proposals), never for files people edit.
    """
    if not text.strip():
        return None, [Problem(rel, "empty-file", "the file is empty", line=1, hint="add the required keys, or delete the file")]
    if typed:  # the kit's own file, thousands of values: positions only if a message needs them
        walk = _Walk(FAST_LOADER or yaml.SafeLoader, text, rel, typed, positions=False)
        if walk.doc is not None and not walk.problems:
            walk.doc.unread = (text, rel, typed)
            return walk.doc, []
    walk = _Walk(FAST_LOADER or yaml.SafeLoader, text, rel, typed)
    if walk.failed and FAST_LOADER is not None:  # libyaml's messages are its own: PyYAML's parser says where and why
        walk = _Walk(yaml.SafeLoader, text, rel, typed)
    return walk.doc, walk.problems


class _Walk:
    """One pass over the parser's events, by recursive descent: one call per collection, at most MAX_DEPTH deep.

    The results, in order of precedence: a syntax error (the parser's, or the composer's: an undefined
    alias, an anchor defined twice) anywhere in the text; a second document; a node nested too deep (the
    last one in the file); the first alias; else the data with its cut values (last first) and the
    problems of its keys and values.
    """

    def __init__(self, loader_class: type, text: str, rel: str, typed: bool, positions: bool = True):
        self.rel, self.typed = rel, typed
        self.out = YamlDoc(None)  # what is read, returned when nothing refuses the file
        self.positions, self.key_positions = self.out.where, self.out.key_where
        if not positions:  # (a problem's own position still comes from its event)
            self.positions = self.key_positions = _Unrecorded()
        self.lines = text.splitlines() if _CUT_ANYWHERE.search(text) else None  # None: no value can be cut
        self.cuts: list[Problem] = []
        self.found: list[Problem] = []  # the problems of keys and values, in the file's order
        self.deep: yaml.Mark | None = None  # the last node nested deeper than MAX_DEPTH
        self.alias: Problem | None = None  # the first alias
        self.anchors: dict[str, yaml.Mark] = {}  # the anchors of the current document, where each was set
        self.plain: dict[str, object] = {}  # plain text -> its value: proposals repeat the same numbers
        self.second: int | None = None  # the line of a second document
        self.failed = False  # the parser or the composer gave up
        self.doc, self.problems = self.read(loader_class, text)

    def read(self, loader_class: type, text: str) -> tuple[YamlDoc | None, list[Problem]]:
        loader = None
        try:
            loader = self.loader = loader_class(text)  # its reader refuses characters YAML does not allow
            self.get: Callable[[], _Event] = loader.get_event
            documents = self.stream()
        except yaml.MarkedYAMLError as exc:
            if exc.problem == _NESTING:
                mark = exc.problem_mark
                return None, [_too_deep(self.rel, mark.line + 1, mark.column + 1) if mark else _too_deep(self.rel, 1, 1)]
            self.failed = True
            return None, [_syntax_problem(exc, text, self.rel)]
        except (yaml.YAMLError, UnicodeEncodeError) as exc:  # libyaml takes UTF-8: a lone surrogate is refused
            self.failed = True
            return None, [Problem(self.rel, "yaml-syntax", f"this is not valid YAML: {visible(str(exc)[:200])}", line=1)]
        finally:
            if loader is not None:
                loader.dispose()
        if not documents:
            return None, [Problem(self.rel, "empty-file", "the file has no content", line=1)]
        if self.second is not None:
            return None, [Problem(self.rel, "yaml-syntax", "the file holds more than one YAML document ('---')",
                                  line=self.second, hint="keep one document per file")]
        if self.deep is not None:
            return None, [_too_deep(self.rel, self.deep.line + 1, self.deep.column + 1)]
        if self.alias is not None:  # one message: an alias bomb must fail fast
            return None, [self.alias]
        self.cuts.reverse()
        return self.out, self.cuts + self.found

    def stream(self) -> int:
        """Walk every document (a later one may hold a syntax error); read the first. Returns how many."""
        documents, get = 0, self.get
        while True:
            event = get()
            if type(event) is _StreamEnd:
                return documents
            if type(event) is _DocStart:
                documents += 1
                self.anchors = {}  # anchors hold within their document
                event = get()
                if documents == 1:
                    self.out.data = self.value(event, (), 0)
                else:
                    if self.second is None:
                        self.second = event.start_mark.line + 1
                    self.skip(event, (), 0)

    def anchor(self, event: _Event) -> None:
        """Note where an anchor is set; set twice in one document, the composer's error."""
        first = self.anchors.get(event.anchor)
        if first is not None:
            raise yaml.composer.ComposerError(f"found duplicate anchor {event.anchor!r}; first occurrence", first,
                                              "second occurrence", event.start_mark)
        self.anchors[event.anchor] = event.start_mark

    def refuse_alias(self, event: _Event, path: Path_) -> None:
        """An alias: the composer's error if its anchor is unknown, else refused (the first one says where)."""
        mark = self.anchors.get(event.anchor)
        if mark is None:
            raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
        if self.alias is None:
            self.alias = Problem(self.rel, "yaml-alias", "anchors and aliases (&name / *name) are not supported",
                                 line=mark.line + 1, column=mark.column + 1, field=dotted(path),
                                 hint="write the values out in full")

    def value(self, event: _Event, path: Path_, depth: int) -> object:
        kind = type(event)
        start = event.start_mark
        pos = (start.line + 1, start.column + 1)
        self.positions.setdefault(path, pos)
        if kind is _Alias:
            self.refuse_alias(event, path)
            return None
        if event.anchor is not None:
            self.anchor(event)
        if kind is _MapStart:
            return self.mapping(path, depth)
        if kind is _SeqStart:
            return self.sequence(path, depth)
        value, style, tag = event.value, event.style, event.tag
        if not style and self.lines is not None:
            self.cut(event)
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
                    known = self.plain[value] = self.scalar(value, style, None, pos, path)
                return known
        return self.scalar(value, style, tag, pos, path)

    def sequence(self, path: Path_, depth: int) -> list[object]:
        result: list[object] = []
        get = self.get
        while True:
            event = get()
            if type(event) is _SeqEnd:
                return result
            if depth == MAX_DEPTH:
                self.skip(event, path + (len(result),), depth + 1)
            else:
                result.append(self.value(event, path + (len(result),), depth + 1))

    def mapping(self, path: Path_, depth: int) -> dict[object, object]:
        result: dict[object, object] = {}
        get, key_positions, positions, plain, lines = self.get, self.key_positions, self.positions, self.plain, self.lines
        while True:
            event = get()
            kind = type(event)
            if kind is _MapEnd:
                return result
            if depth == MAX_DEPTH:
                self.skip(event, path, depth + 1)
                self.skip(get(), path, depth + 1)
                continue
            if kind is not _Scalar:  # a complex key or an alias: refused, and its value read no further
                if kind is _Alias:
                    self.refuse_alias(event, path)
                else:
                    self.refuse_key(None, (event.start_mark.line + 1, event.start_mark.column + 1), path, result)
                    self.skip(event, path, depth + 1)
                self.skip(get(), path, depth + 1)
                continue
            start = event.start_mark
            kpos = (start.line + 1, start.column + 1)
            if event.anchor is not None:
                self.anchor(event)
            if not event.style and lines is not None:
                self.cut(event)
            key = event.value
            where = path + (key,)
            odd = key in result or key == "<<" or len(key) > MAX_KEY_CHARS or not key.isascii()
            if odd and self.refuse_key(key, kpos, path, result):  # most keys pass the quick look
                self.skip(get(), where, depth + 1)
                continue
            key_positions[where] = kpos
            event = get()
            if type(event) is _Scalar and event.tag is None and event.anchor is None and not event.style and lines is None:
                known = plain.get(event.value, _MISSING)  # a plain value seen before: known to pass every check
                if known is not _MISSING:
                    mark: _Event = event.start_mark  # always set on a parser's event
                    positions.setdefault(where, (mark.line + 1, mark.column + 1))
                    result[key] = known
                    continue
            result[key] = self.value(event, where, depth + 1)

    def skip(self, event: _Event, path: Path_, depth: int) -> None:
        """Consume a node that is not read (a refused key or its value, one nested too deep, a later document).

        It is still checked as every node is: depth, cut values, anchors, aliases (said to be at `path`).
        """
        level = 0
        while True:
            kind = type(event)
            if kind is _MapEnd or kind is _SeqEnd:
                level -= 1
            elif kind is _Alias:
                self.refuse_alias(event, path)
            else:
                if depth + level == MAX_DEPTH + 1:
                    self.deep = event.start_mark  # the last one this deep is the one reported
                elif depth + level == PARSER_DEPTH:  # libyaml stops here; so does the pure-Python parser
                    raise yaml.parser.ParserError("while increasing flow level", None, _NESTING, event.start_mark)
                if event.anchor is not None:
                    self.anchor(event)
                if kind is _Scalar:
                    if not event.style and self.lines is not None:
                        self.cut(event)
                else:
                    level += 1
            if level == 0:
                return
            event = self.get()

    def cut(self, event: _Event) -> None:
        """A plain value followed by ' #word' on the same line: YAML silently drops the rest as a comment.

        `how: Post in #mentoring` reads as "Post in"; quoting the value keeps it whole.
        """
        end, lines = event.end_mark, self.lines
        if lines is not None and end.line < len(lines) and _CUT.match(lines[end.line][end.column:]):
            self.cuts.append(Problem(self.rel, "yaml-cut-value", f"the value is cut at '#': YAML reads only "
                                     f"{excerpt(event.value)}", line=end.line + 1, column=end.column + 1,
                                     hint="put the whole value in quotes, e.g. \"Post in the #mentoring channel\""))

    def scalar(self, value: str, style: str | None, tag: str | None, pos: tuple[int, int], path: Path_) -> object:
        """The value: None for a refused tag or text, or a plain null; typed when asked; else the text."""
        if tag not in _TAGS:
            self.found.append(Problem(self.rel, "yaml-tag", f"the tag {tag} is not supported", line=pos[0],
                                      column=pos[1], field=dotted(path), hint="remove the '!' tag"))
            return None
        if len(value) > MAX_VALUE_CHARS or not value.isascii():  # ASCII has no invisible characters
            wrong = _text_problem(value, self.rel, pos, path)
            if wrong is not None:
                self.found.append(wrong)
                return None
        if style:
            return value
        if _NULL.match(value):
            return None
        return _core_scalar(value) if self.typed else value

    def refuse_key(self, key: str | None, kpos: tuple[int, int], path: Path_, result: dict[object, object]) -> bool:
        """Whether `key` (None: not a scalar) of the mapping at `path` is refused; a problem says why."""
        if key is None or key == "<<":
            self.found.append(Problem(self.rel, "yaml-syntax", "only plain keys are supported here (no merge keys or "
                                      "complex keys)", line=kpos[0], column=kpos[1], field=dotted(path)))
            return True
        if len(key) > MAX_KEY_CHARS or not key.isascii():
            wrong = _text_problem(key, self.rel, kpos, path, MAX_KEY_CHARS)
            if wrong is not None:
                self.found.append(wrong)
                return True
        if key in result:
            first = self.key_positions.get(path + (key,), (None,))[0]  # None: unrecorded, the file is read again
            self.found.append(Problem(self.rel, "duplicate-key", f"the key '{key}' appears twice (first on line {first})",
                                      line=kpos[0], column=kpos[1], field=dotted(path + (key,)),
                                      hint="keep one of them: YAML would silently use the last one"))
            return True
        return False


class _Unrecorded(dict[Path_, tuple[int, int]]):
    """Where a walk without positions would write them: nothing is kept."""

    def setdefault(self, key: Path_, default: tuple[int, int] | None = None) -> tuple[int, int] | None:  # type: ignore[override]
        return default

    def __setitem__(self, key: Path_, value: tuple[int, int]) -> None:
        pass


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


def _text_problem(value: str, rel: str, pos: tuple[int, int], path: Path_, limit: int = MAX_VALUE_CHARS
                  ) -> Problem | None:
    """A value too long to be meant, or holding a character that hides or reorders what readers see."""
    if len(value) > limit:
        return Problem(rel, "value-too-long", f"the {'key' if limit == MAX_KEY_CHARS else 'value'} is "
                       f"{len(value):,} characters long; the limit is {limit:,}: {excerpt(value)}", line=pos[0], column=pos[1],
                       field=dotted(path),
                       hint="shorten it, or link to a page that holds the long text")
    hidden = hidden_character(value)
    if hidden is not None:
        return Problem(rel, "invisible-character", f"the value holds the invisible character {hidden}: "
                       f"{excerpt(value)}", line=pos[0], column=pos[1], field=dotted(path),
                       hint="retype the value: bidi controls and zero-width characters change what readers see")
    return None


def _core_scalar(value: str) -> bool | int | float | str:
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def dotted(path: Path_) -> str | None:
    """A key path as a coordinator reads it: `milestones[2].date`."""
    if not path:
        return None
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
