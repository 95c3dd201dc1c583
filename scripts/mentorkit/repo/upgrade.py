"""`mentorkit upgrade`: bring a repository to the installed kit, all files or none.

What it brings along: every program file to this kit's schema (text edits that keep comments); the participant
tables' new columns (participants/datapackage.yaml and the CSV files, `migrations.TABLE_STEPS`); `schemas/`
and `forms/`, regenerated where the repository has them; and, in a repository made by `mentorkit new`
(it has the pin, requirements.txt), the files the kit keeps owning (repo/starter.py) and the pin itself.
A kit file is replaced only while it still has the hash the kit recorded when it wrote it; a file the
organisation edited is kept and its difference from the kit's version shown, unless named in `take`.

The new texts are validated as the repository would be with them (`read_workspace(root, overlay=...)`)
before anything is written; then they replace the old files together, through a journal, so an
interrupted upgrade is completed by the next one rather than left half-done.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import InvalidWorkspace, MentorkitError, Problem, Report
from ..model import Workspace
from . import forms as form_files
from . import kit, layout, starter
from . import schemas as schema_files
from .atomic import finish_pending, write_together
from .load import read_workspace
from .migrations import (
    append_resource,
    convert_table,
    declare_columns,
    declared_fields,
    due_table_steps,
    file_version,
    missing_resources,
    too_new,
    upgrade_text,
)
from .sources import Source
from .strict_yaml import MAX_YAML_BYTES, parse_yaml, read_text

JOURNAL = ".mentorkit-upgrade.pending"  # the renames of an upgrade under way (see repo.atomic.write_together)


@dataclass
class FileUpgrade:
    rel: str
    before: int
    after: int
    changes: list[str]


@dataclass
class KitFile:
    """A file the kit owns whose text differs from the installed kit's."""

    rel: str
    state: str  # "added" (new in the kit), "updated" (left alone, so replaced), "edited" (kept: see diff), "taken"
    diff: str = ""  # for "edited": what replacing it would change, as a unified diff


@dataclass
class Upgrade:
    """What `upgrade` changes (or would change)."""

    files: list[FileUpgrade] = field(default_factory=list)  # program files below this kit's schema
    tables: list[tuple[str, str]] = field(default_factory=list)  # (file, change) of the participant tables
    generated: list[str] = field(default_factory=list)  # schemas/ and forms/ files rewritten
    kit_files: list[KitFile] = field(default_factory=list)
    pin: str | None = None  # the new pin, when it changes
    notes: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # rel -> the new text
    remaining: Report = field(default_factory=Report)  # problems the repository has either way

    @property
    def needed(self) -> bool:
        return bool(self.texts)

    @property
    def kept(self) -> list[KitFile]:
        return [f for f in self.kit_files if f.state == "edited"]


def plan_upgrade(root: Path, *, take: Iterable[str] = (), kit_spec: str | None = None) -> Upgrade:
    """The upgraded texts, checked; raises `InvalidWorkspace` if a file cannot be read or would not validate.

    `take`: kit files to replace even though the organisation edited them; `kit_spec`: the pin to write
    (default: how the running kit was installed, when that can be told)."""
    root = Path(root).resolve()
    finish_pending(root / JOURNAL)  # an earlier upgrade that was stopped after its commit point
    source = Source(root)
    plan, unreadable = Upgrade(), Report()
    for rel in source.files(layout.PROGRAMS, "*.yaml"):
        text, problems = read_text(source, rel, MAX_YAML_BYTES)
        doc, parse_problems = parse_yaml(text, rel) if text is not None else (None, [])
        problems += parse_problems + (too_new(doc, rel) if doc is not None else [])
        if doc is not None and file_version(doc) is None:
            problems.append(Problem(rel, "wrong-type", "schema_version must be a whole number such as 2",
                                    line=doc.locate(("schema_version",))[0], field="schema_version"))
        if problems or text is None or doc is None:
            unreadable.extend(problems)
            continue
        new, before, after, changes = upgrade_text(text, rel)
        if new != text:
            plan.files.append(FileUpgrade(rel, before, after, changes))
            plan.texts[rel] = new
    if not unreadable.ok:
        raise InvalidWorkspace(unreadable)  # nothing can be upgraded until every program file reads
    _plan_tables(root, plan)
    workspace, as_is = read_workspace(root)
    _plan_generated(root, workspace, plan)
    if (root / kit.PIN_FILE).is_file():  # made by `mentorkit new`: the kit's own files are the kit's to bring
        _plan_kit_files(root, plan, set(take))
        _plan_pin(root, plan, kit_spec)
    elif take:
        raise MentorkitError(f"--take works in a repository made by `mentorkit new` (it has {kit.PIN_FILE})")
    _, upgraded = read_workspace(root, overlay=plan.texts)
    introduced = _keys(upgraded) - _keys(as_is)
    if introduced:  # a step made a valid file invalid: refuse, so nothing a coordinator wrote is lost
        raise InvalidWorkspace(Report([p for p in upgraded.problems if _key(p) in introduced]))
    plan.remaining = upgraded
    return plan


def _plan_tables(root: Path, plan: Upgrade) -> None:
    """The participant tables' new columns (`migrations.TABLE_STEPS`) and tables: the descriptor and the CSVs."""
    text = _read(root, layout.DATAPACKAGE)
    try:
        descriptor = yaml.safe_load(text) if text is not None else None
    except yaml.YAMLError:
        return  # the loader reports it
    if not isinstance(descriptor, dict):
        return
    for step in due_table_steps(descriptor):
        text = declare_columns(plan.texts.get(layout.DATAPACKAGE, text or ""), step, layout.DATAPACKAGE)
        plan.texts[layout.DATAPACKAGE] = text
        plan.tables.append((layout.DATAPACKAGE, step.summary))
        rel = layout.table_file(declared_fields(descriptor)[step.resource][0])
        raw = plan.texts.get(rel) or _read_table(root, rel)
        if raw is not None:
            plan.texts[rel] = convert_table(raw, step)
            plan.tables.append((rel, f"the column{'s' if len(step.lines) > 1 else ''} "
                                     f"{', '.join(step.new_names())} {'replace' if step.replaces else 'added'}"
                                     + (f" {step.anchor}" if step.replaces else "")))
    for name, block, path, columns in missing_resources(descriptor, starter.starter_files()[layout.DATAPACKAGE]):
        text = append_resource(plan.texts.get(layout.DATAPACKAGE, text or ""), block)
        plan.texts[layout.DATAPACKAGE] = text
        plan.tables.append((layout.DATAPACKAGE, f"the table {name} added, as the kit declares it"))
        rel = layout.table_file(path)
        if not (root / rel).exists():
            plan.texts[rel] = ",".join(columns) + "\n"
            plan.tables.append((rel, "a new, empty table (its header only)"))


def _read_table(root: Path, rel: str) -> str | None:
    """A table's text as the loader reads it (UTF-8, a BOM kept); None when missing or unreadable (reported)."""
    try:
        return (root / rel).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _read(root: Path, rel: str) -> str | None:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise MentorkitError(f"cannot read {rel}: {exc}") from None


def _plan_generated(root: Path, workspace: Workspace, plan: Upgrade) -> None:
    """schemas/ and forms/, where the repository has them, as this kit writes them."""
    expected: dict[str, str] = {}
    if (root / layout.SCHEMAS).is_dir():
        expected |= {f"{layout.SCHEMAS}/{name}.schema.json": schema_files.render(name) for name in schema_files.SCHEMAS}
    if (root / layout.FORMS).is_dir():
        expected |= form_files.expected(workspace.vocabulary)
    for rel, text in sorted(expected.items()):
        if _read(root, rel) != text:
            plan.generated.append(rel)
            plan.texts[rel] = text


def _plan_kit_files(root: Path, plan: Upgrade, take: set[str]) -> None:
    """Each kit-owned file: added, replaced while the organisation left it alone, else kept with its diff."""
    manifest = starter.read_manifest(root)
    recorded = manifest.files if manifest is not None else {}
    org = starter.organisation(root, manifest)
    wanted = starter.kit_files(org)
    unknown = sorted(take - set(wanted))
    if unknown:
        raise MentorkitError(f"--take names {', '.join(unknown)}, which is not one of the kit's files: "
                             f"{', '.join(sorted(wanted))}")
    hashes = dict(recorded)
    for rel, text in sorted(wanted.items()):
        current = _read(root, rel)
        if current is not None and current.replace("\r\n", "\n") == text:
            hashes[rel] = starter.digest(text)
            continue
        if current is None and rel in recorded:
            plan.notes.append(f"{rel} was removed here: the kit's version was not put back")
            continue
        state = ("added" if current is None else "taken" if rel in take
                 else "updated" if recorded.get(rel) == starter.digest(current) else "edited")
        if state == "edited":
            assert current is not None
            diff = "".join(difflib.unified_diff(current.splitlines(keepends=True), text.splitlines(keepends=True),
                                                f"{rel} (yours)", f"{rel} (the kit's)"))
            plan.kit_files.append(KitFile(rel, state, diff))
            continue
        plan.kit_files.append(KitFile(rel, state))
        plan.texts[rel] = text
        hashes[rel] = starter.digest(text)
    version = kit.installed().version or (manifest.kit if manifest else "unknown")
    if hashes != recorded or manifest is None:
        plan.texts[starter.MANIFEST] = starter.Manifest(version, org, hashes).text()


def _plan_pin(root: Path, plan: Upgrade, kit_spec: str | None) -> None:
    """requirements.txt names the installed kit (or `kit_spec`) so the workflows run what wrote the files."""
    pin = kit.read_pin(root)
    installed = kit.installed()
    spec = kit.check_spec(kit_spec) if kit_spec is not None else installed.spec
    if spec is None:
        if pin != f"{kit.NAME}=={installed.version}":
            plan.notes.append(f"{kit.PIN_FILE} was left as it is: this kit was installed {installed.why_not}, so "
                              "say what the workflows should install with --kit-spec")
        return
    if spec != pin:
        plan.pin = spec
        plan.texts[kit.PIN_FILE] = kit.pin_text(spec)


def apply_upgrade(root: Path, plan: Upgrade) -> None:
    """Write the planned texts, all or none."""
    root = Path(root).resolve()
    for rel in plan.texts:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)  # a kit file in a folder new to the repository
    write_together([(root / rel, text, False) for rel, text in sorted(plan.texts.items())], root / JOURNAL)


def _key(problem: Problem) -> tuple[str, str | None, str]:
    return (problem.file, problem.field, problem.code)  # lines move when a step adds or removes lines


def _keys(report: Report) -> set[tuple[str, str | None, str]]:
    return {_key(p) for p in report.problems}
