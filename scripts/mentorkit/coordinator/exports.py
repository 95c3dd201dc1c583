"""Reading a form export: the file, its CSV dialect, and which column feeds which field.

A form export (Google Forms, Microsoft Forms, Typeform, Jotform, ... saved as
CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text") or a Windows
code page (Excel's plain "CSV"), as `encodings` tells or `--encoding` says;
comma, semicolon or tab separated (`csv.Sniffer`); multi-select answers in one cell, line breaks inside quoted answers) becomes
an `Export`. `map_export` then matches its columns to a form's fields through
the form's mapping (forms/mappings.yaml and the program file's ``intake:``),
or through the titles of the kit's forms (`model.questions`: "Email address",
"Timestamp", ...). Reading the answers
themselves is `answers`; `intake` and `imports` put the two together.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExportError, Problem
from ..model import FormColumn, FormMapping
from ..model.questions import IDENTITY_HEADERS, SUBMITTED_HEADERS, TOOL_RESPONDENT_HEADERS
from ..text.counts import counted
from .encodings import decode, describe
from .pseudonyms import check_outside

__all__ = ["IDENTITY_HEADERS", "SUBMITTED_HEADERS"]  # re-exported: defined with the shipped forms

MAX_EXPORT_BYTES = 200_000_000

Row = tuple[int, list[str]]  # (row number as a spreadsheet shows it, the header being 1; the row's cells)

def normalise_header(text: str) -> str:
    """A column title as compared: case, spacing, quotes, 'e-mail' and trailing '?', ':', '*' do not matter."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\(optional\)|\(required\)", "", text.lower())
    text = re.sub(r"\be-mail\b", "email", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(" ?:*.")
    text = re.sub(r"\s*\([^()]*\)$", "", text)  # "(minutes)", "(1-5)", "(UTC)"
    return text.rstrip(" ?:*.").strip()


# --- reading an export ---------------------------------------------------------------


@dataclass
class Export:
    """An export as read: its header and its rows that are not empty."""

    name: str  # the file name, as problems show it
    header: list[str]
    rows: list[Row]
    delimiter: str
    blank_rows: int = 0
    encoding: str = "utf-8"  # utf-8, utf-16, cp1252 or cp1250 (Excel's plain 'CSV' on Western / Central-European Windows)

    def note(self) -> str | None:
        """What the report says about how the file was read, when it is not plain UTF-8 with commas."""
        parts = []
        if self.encoding != "utf-8":
            parts.append(describe(self.encoding))
        if self.delimiter != ",":
            parts.append(DELIMITER_NAMES[self.delimiter])
        return f"read as {' and '.join(parts)}" if parts else None


DELIMITER_NAMES = {";": "semicolon-separated", "\t": "tab-separated"}


def read_export(path: Path, root: Path | None = None, encoding: str | None = None) -> Export:
    """Read a CSV form export; `ExportError` (naming the row) when it is not readable CSV.

    `encoding` (a codec name: utf-8, cp1250, ...) reads the file as that; without it,
    `encodings.decode` tells the encodings form tools and Excel write apart.

    With `root`, an export inside the repository is refused (`UnsafePath`): it
    holds names and addresses, and a file in the repository ends up in a commit.
    """
    path = Path(path)
    name = path.name
    if root is not None:
        check_outside(path, root, "export")
    if not path.is_file():
        raise ExportError([Problem(name, "missing-file", f"there is no file {path}")])
    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        raise ExportError([Problem(name, "file-too-large", f"the file is {size:,} bytes; the limit is {MAX_EXPORT_BYTES:,}")])
    raw = path.read_bytes()
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ExportError([Problem(name, "not-csv", "this is a spreadsheet file (.xlsx/.xls), not CSV",
                                   hint="open it and save as 'CSV UTF-8 (comma delimited)', or download the CSV version")])
    text, encoding = decode(raw, name, encoding)
    if not text.strip():
        raise ExportError([Problem(name, "empty-file", "the export is empty", row=1)])
    delimiter = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Row] = []
    number = 0
    try:
        for cells in reader:
            number += 1
            records.append((number, cells))
    except csv.Error as exc:
        raise ExportError([Problem(name, "unreadable-csv",
                                   f"row {number + 1} (line {reader.line_num}) cannot be read as CSV: {exc}",
                                   row=number + 1, line=reader.line_num,
                                   hint="a quote (\") is probably missing or stray around this answer; "
                                        "download the export again rather than editing it by hand")]) from None
    header = [h.strip() for h in records[0][1]]
    problems = []
    seen: dict[str, int] = {}
    for i, title in enumerate(header, start=1):
        key = normalise_header(title)
        if key and key in seen:
            problems.append(Problem(name, "duplicate-column",
                                    f"columns {seen[key]} and {i} have the same title '{title}'", row=1, field=title,
                                    hint="rename one of the questions, or map them in forms/mappings.yaml"))
        seen.setdefault(key, i)
    if problems:
        raise ExportError(problems)
    export = Export(name, header, [], delimiter, encoding=encoding)
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            export.blank_rows += 1
            continue
        export.rows.append((number, cells))
    return export


def _sniff(text: str) -> str:
    """The delimiter of the header line (comma, semicolon or tab), by the standard library's `csv.Sniffer`."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:  # a single column: nothing to split
        return ","


def shape_problems(export: Export) -> tuple[list[Row], list[Problem]]:
    """Rows with as many cells as the header (trailing empty cells are fine); problems for the others."""
    width = len(export.header)
    good: list[Row] = []
    problems: list[Problem] = []
    for number, cells in export.rows:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            more = len(cells) > width
            problems.append(Problem(
                export.name, "extra-cell" if more else "missing-cell",
                f"the row has {len(cells)} cells but the header has {width} columns"
                + ("" if more else f": the cells for '{export.header[len(cells)]}' and after are missing"),
                row=number, field=None if more else export.header[len(cells)],
                hint="an answer with a comma or a line break is probably missing its quotes; "
                     "download the export again rather than editing it by hand"))
            continue
        good.append((number, cells))
    return good, problems


# --- matching columns to fields ------------------------------------------------------


@dataclass
class Columns:
    """Which export column feeds which field, and what the report says about the others."""

    header: list[str]
    fields: dict[str, tuple[int, FormColumn]] = field(default_factory=dict)  # field -> (column index, rule)
    dropped: list[str] = field(default_factory=list)  # export titles not imported
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def titles(self) -> dict[str, str]:
        """Each mapped field's column title, as problems name it."""
        return {name: self.header[index] for name, (index, _) in self.fields.items()}

    def answers(self, name: str, rows: list[Row]) -> Iterator[str]:
        """The cells of one field's column."""
        index = self.fields[name][0]
        return (cells[index] for _, cells in rows)


def map_export(export: Export, mapping: FormMapping, defaults: dict[str, tuple[str, ...]],
               guess: Callable[[str], FormColumn | None] | None = None) -> tuple[list[Row], Columns]:
    """The rows that have as many cells as the header, and the columns mapped to fields.

    The columns' `problems` start with the rows of the wrong shape; their `notes`
    tell of mapped columns the export lacks and of empty rows skipped.
    """
    rows, problems = shape_problems(export)
    columns = match_columns(export, mapping, defaults, guess)
    columns.problems[:0] = problems
    if (how := export.note()) is not None:
        columns.notes.append(how)
    columns.notes.extend(f"the mapping names the column '{title}', which this export does not have"
                         for title in missing_mapped_columns(export, mapping))
    if export.blank_rows:
        columns.notes.append(f"{counted(export.blank_rows, 'empty row')} skipped")
    return rows, columns


def match_columns(export: Export, mapping: FormMapping, defaults: dict[str, tuple[str, ...]],
                  guess: Callable[[str], FormColumn | None] | None = None) -> Columns:
    """Map the export's columns: the program's mapping first, then (if allowed) the default titles and `guess`."""
    result = Columns(export.header)
    lookup = ({normalise_header(phrase): target for target, phrases in defaults.items() for phrase in phrases}
              if mapping.use_defaults else {})
    claimed: dict[str, list[int]] = {}
    rules: dict[int, FormColumn] = {}
    tool_added: set[int] = set()  # the form tool's own respondent columns ('Email', 'Name'), matched by title
    for index, title in enumerate(export.header):
        rule, by_tool = _rule(mapping, title, lookup, guess)
        if by_tool:
            tool_added.add(index)
        if rule is None or rule.field == "ignore":
            if title or any(cells[index].strip() for _, cells in export.rows if index < len(cells)):
                result.dropped.append(title or f"column {index + 1}")
            continue
        if rule.field in mapping.FREE_TEXT and not rule.safe:
            result.problems.append(Problem(
                export.name, "free-text-refused",
                f"the column '{title}' would put free-text answers into '{rule.field}'", row=1, field=title,
                hint=f"check that its answers are codes (not names or notes), then mark it in forms/mappings.yaml: "
                     f"columns: {{\"{title}\": {{field: {rule.field}, safe: true}}}}"))
            continue
        claimed.setdefault(rule.field, []).append(index)
        rules[index] = rule
        result.fields.setdefault(rule.field, (index, rule))
    for name, indexes in claimed.items():
        if len(indexes) > 1:
            _one_column(result, export, name, indexes, [i for i in indexes if i not in tool_added], rules)
    return result


def _rule(mapping: FormMapping, title: str, lookup: dict[str, str],
          guess: Callable[[str], FormColumn | None] | None) -> tuple[FormColumn | None, bool]:
    """How a column is read: the mapping's rule, else (if allowed) a default title's or `guess`'s; and whether
    it is one of the form tool's own respondent columns, matched by its title."""
    rule = column_rule(mapping, title)
    if rule is not None or not mapping.use_defaults:
        return rule, False
    target = lookup.get(normalise_header(title))
    rule = FormColumn(field=target) if target else guess(title) if guess else None
    return rule, bool(target and normalise_header(title) in TOOL_RESPONDENT_HEADERS)


def _one_column(result: Columns, export: Export, name: str, indexes: list[int], asked: list[int],
                rules: dict[int, FormColumn]) -> None:
    """Several columns claim the field `name`: the one the form asks itself when the others are the form tool's
    own respondent columns (those are not read), else an ambiguous-column problem."""
    if len(asked) == 1:  # the form asks for it itself: the tool's column is not read
        result.fields[name] = (asked[0], rules[asked[0]])
        for i in indexes:
            if i != asked[0]:
                result.dropped.append(export.header[i])
                result.notes.append(f"the form tool's own column '{export.header[i]}' is not read: the form "
                                    f"asks '{export.header[asked[0]]}'")
        return
    titles = " and ".join(f"'{export.header[i]}'" for i in indexes)
    result.problems.append(Problem(
        export.name, "ambiguous-column", f"the columns {titles} both look like '{name}'", row=1,
        field=export.header[indexes[1]],
        hint="name the right one in forms/mappings.yaml (or the program file's intake:), and map the other to 'ignore'"))


def missing_mapped_columns(export: Export, mapping: FormMapping) -> list[str]:
    """Titles the mapping names that the export does not have (a renamed question, usually)."""
    present = {normalise_header(t) for t in export.header}
    return [h for h in mapping.columns if normalise_header(h) not in present]


def column_rule(mapping: FormMapping, header: str) -> FormColumn | None:
    """The mapping's rule for an export column (titles compared as `normalise_header` does)."""
    wanted = normalise_header(header)
    for key, target in mapping.columns.items():
        if normalise_header(key) == wanted:
            return target if isinstance(target, FormColumn) else FormColumn(field=target)
    return None
