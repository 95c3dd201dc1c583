"""The one loader: read the whole repository into a `Workspace` and a `Report`.

Every file is read once. Problems are collected, never raised one by one, so a
coordinator sees everything that is wrong in a single run.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InvalidWorkspace, Problem, Report
from ..model import Agenda, AgendaMeta, Program, Proposal, Vocabulary, Workspace
from ..model.forms import FormMappings
from ..model.themes import ThemeRound, ThemesMeta
from . import crosscheck, layout
from . import themes as theme_files
from .exposure import contact_addresses, scan_repository
from .front_matter import split_front_matter
from .migrations import too_new
from .model_problems import model_problems
from .sources import Source
from .strict_yaml import MAX_YAML_BYTES, YamlDoc, parse_yaml, proposal_limit, read_text
from .tables import read_tables
from .templates import read_templates

M = TypeVar("M", bound=BaseModel)


def find_root(start: Path) -> Path:
    """The workspace root: `start` or the nearest parent holding program/ and participants/."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / layout.PROGRAMS).is_dir() and (candidate / layout.PARTICIPANTS).is_dir():
            return candidate
    return start


def read_workspace(root: Path, overlay: Mapping[str, str] | None = None) -> tuple[Workspace, Report]:
    """Load everything that can be loaded; the report lists every problem found.

    `overlay` (relative path -> text) replaces or adds files without writing them: the repository
    as a command is about to leave it (see `sources`).
    """
    collecting = gc.isenabled()
    gc.disable()  # records, rows and YAML trees are many small objects and no cycles: collections would only scan
    try:          # them again and again (a third of the time at 100,000 rows)
        return _read_workspace(Path(root).resolve(), overlay)
    finally:
        if collecting:
            # What was read goes to the oldest generation unscanned (the first young collection after it would
            # scan every record), or stays frozen with what the caller froze (`gc.freeze`) until it unfreezes.
            frozen = gc.get_freeze_count()
            gc.freeze()
            if not frozen:
                gc.unfreeze()
            gc.enable()


def _read_workspace(root: Path, overlay: Mapping[str, str] | None) -> tuple[Workspace, Report]:
    source = Source(root, overlay)
    report = Report()
    ws = Workspace(root=root)
    docs: dict[str, YamlDoc] = {}
    unreadable: set[str] = set()  # programs and agendas whose file has problems: not reported again as missing

    if not source.is_dir(layout.PROGRAMS):
        report.add(Problem(layout.PROGRAMS, "missing-file", "there is no program/ folder",
                           hint="run mentorkit in the repository root"))
    for rel in source.files(layout.PROGRAMS, "*.y*ml"):
        stem = PurePosixPath(rel).stem
        if rel.endswith(".yml"):
            report.add(Problem(rel, "invalid-file-name", "program files end in .yaml", hint=f"rename it to {stem}.yaml"))
            continue
        program = _read_model(source, rel, Program, report, docs, precheck=too_new)
        if program is not None:
            ws.programs[stem] = program
        else:
            unreadable.add(stem)

    if source.is_file(layout.VOCABULARY):
        ws.vocabulary = _read_model(source, layout.VOCABULARY, Vocabulary, report, docs)
    else:
        report.add(Problem(layout.VOCABULARY, "missing-file", "the vocabulary (skills, departments, ...) is missing"))

    if source.is_file(layout.FORM_MAPPINGS):
        ws.form_mappings = _read_model(source, layout.FORM_MAPPINGS, FormMappings, report, docs) or FormMappings()

    for rel in source.files(layout.AGENDAS, "*.md"):
        agenda = _read_agenda(source, rel, report, docs)
        if agenda is not None:
            ws.agendas[agenda.id] = agenda
        else:
            unreadable.add(f"agenda:{PurePosixPath(rel).stem}")

    for rel in source.files(layout.THEMES, "*.md"):
        if PurePosixPath(rel).name != theme_files.README:
            theme_round = _read_themes(source, rel, report, docs)
            if theme_round is not None:
                ws.themes.append(theme_round)

    tables, problems = read_tables(source)
    report.extend(problems)
    for name, table in tables.items():
        records = [record for _, record in table.rows]
        if name == "participants":
            ws.participants = {p.pseudonym: p for p in records}
        else:
            setattr(ws, name, records)

    ws.templates, problems = read_templates(source)  # a missing template is no problem: only its command needs it
    report.extend(problems)

    limit = proposal_limit(len(ws.participants))
    for rel in source.files(layout.MATCHES, "*.yaml"):
        proposal = _read_model(source, rel, Proposal, report, docs, typed=True, max_bytes=limit)  # the kit's
        if proposal is not None:
            ws.proposals[PurePosixPath(rel).stem] = proposal

    report.extend(crosscheck.check(ws, docs, tables, unreadable))
    report.extend(theme_files.check(ws))
    allowed = contact_addresses(ws.programs.values())
    report.extend(scan_repository(root, {t.file for t in tables.values()}, allowed))
    report.problems = report.sorted()
    return ws, report


def load_workspace(root: Path) -> Workspace:
    """The workspace, or `InvalidWorkspace` when anything is wrong: nothing runs on invalid data."""
    ws, report = read_workspace(root)
    if not report.ok:
        raise InvalidWorkspace(report)
    return ws


def _read_model(source: Source, rel: str, model: type[M], report: Report, docs: dict[str, YamlDoc],
                text: str | None = None, line_offset: int = 0, typed: bool = False,
                precheck: Callable[[YamlDoc, str], list[Problem]] | None = None,
                max_bytes: int = MAX_YAML_BYTES) -> M | None:
    if text is None:
        text, problems = read_text(source, rel, max_bytes)
        report.extend(problems)
        if text is None:
            return None
    doc, problems = parse_yaml(text, rel, typed)
    if line_offset:
        problems = [_shift(p, line_offset) for p in problems]
    report.extend(problems)
    if doc is None or problems:
        return None
    if not isinstance(doc.data, dict):
        report.add(Problem(rel, "wrong-type", "the file must hold a mapping of keys to values", line=1 + line_offset))
        return None
    if precheck is not None and (refused := precheck(doc, rel)):
        report.extend(refused)  # e.g. a newer schema: its keys would only read as typos
        return None
    docs[rel] = doc
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        report.extend(model_problems(exc, model, doc, rel, line_offset))
        return None


def _read_agenda(source: Source, rel: str, report: Report, docs: dict[str, YamlDoc]) -> Agenda | None:
    text, problems = read_text(source, rel, MAX_YAML_BYTES)
    report.extend(problems)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        report.add(Problem(rel, "missing-front-matter", "an agenda starts with front matter between two '---' lines",
                           line=1, hint="see agendas/first-meeting.md for an example"))
        return None
    meta = _read_model(source, rel, AgendaMeta, report, docs, text=split.yaml, line_offset=1)
    if meta is None:
        return None
    return Agenda(id=PurePosixPath(rel).stem, meta=meta, body=split.body.lstrip("\n"))


def _read_themes(source: Source, rel: str, report: Report, docs: dict[str, YamlDoc]) -> ThemeRound | None:
    """A themes file: front matter like an agenda's, then the themes (`repo.themes` checks the body)."""
    text, problems = read_text(source, rel, theme_files.MAX_THEMES_BYTES)
    report.extend(problems)
    if text is None:
        return None
    report.extend(theme_files.pseudonym_problems(rel, text))
    split = split_front_matter(text)
    if split is None:
        report.add(Problem(rel, "missing-front-matter", "a themes file starts with front matter between two '---' "
                           "lines", line=1, hint="see docs/metrics.md, 'Qualitative themes', for an example"))
        return None
    meta = _read_model(source, rel, ThemesMeta, report, docs, text=split.yaml, line_offset=1)
    themes, problems = theme_files.body_themes(rel, split.body, split.body_line)
    report.extend(problems)
    if meta is None or problems:
        return None
    return ThemeRound(rel, meta, themes)


def _shift(problem: Problem, offset: int) -> Problem:
    return replace(problem, line=problem.line + offset) if problem.line else problem
