"""`mentorkit new`: an organisation's own program repository, in one step.

The new repository holds the data folders of a program repository with one
starter program (the `init` questions), the data package with header-only
tables, every agenda template, handbooks written against placeholders that
work with any program id, the site's mkdocs.yml, GitHub workflows that install
the kit from one pin (requirements.txt) with the dependency versions the kit
was tested with (constraints.txt), a README, a .gitignore and a .gitattributes,
and the manifest of the kit's files (repo/starter.py) that `mentorkit upgrade`
reads. No demo data, no kit code, no kit tests.

The starter files are package data (mentorkit/starter/); the data package,
vocabulary, agendas and handbooks are the kit's own files (a test keeps the
copies equal). Everything is composed in memory, written to a hidden folder beside the
target, validated there, and only then renamed to the target: all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

import yaml

from ..errors import MentorkitError
from ..model import Vocabulary
from ..repo import forms as form_files
from ..repo import layout
from ..repo import schemas as schema_files
from ..repo.kit import PIN_FILE, install_command, pin_text, spec_to_write
from ..repo.load import read_workspace
from ..repo.starter import MANIFEST, manifest_for, starter_files
from ..repo.tree import empty_or_absent, write_new_tree
from .scaffold import ProgramAnswers, check_answers, render_program, suggestions

ORG = re.compile(r"^[\w][\w .,&'()/+-]{0,79}$")
ORG_FILES = ("README.md", "mkdocs.yml", "docs/index.md")  # the files that name the organisation


@dataclass
class NewRepository:
    path: Path
    files: list[str]
    program_id: str


def kit_version() -> str:
    try:
        return metadata.version("mentorkit")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def default_answers(today: dt.date, *, pilot: bool = False) -> ProgramAnswers:
    """The starter program when every question is answered with Enter (with `pilot`, a pilot before the launch)."""
    suggested = suggestions(today, pilot=pilot)
    start, end = suggested["start"], suggested["end"]
    assert isinstance(start, dt.date) and isinstance(end, dt.date)
    if pilot:
        return ProgramAnswers(program_id=f"pilot-{start.year}", title=f"Mentoring pilot {start.year}", start=start,
                              end=end, format=str(suggested["format"]), cadence=str(suggested["cadence"]), pilot=True)
    return ProgramAnswers(program_id=f"mentoring-{start.year}", title=f"Mentoring {start.year}", start=start, end=end,
                          format=str(suggested["format"]), cadence=str(suggested["cadence"]))


def header_only_tables(datapackage: str) -> dict[str, str]:
    """One CSV per resource of the data package, holding its header row: the package is the one source."""
    package = yaml.safe_load(datapackage)
    return {layout.table_file(res["path"]): ",".join(f["name"] for f in res["schema"]["fields"]) + "\n"
            for res in package["resources"]}


GENERIC = {"mentoring", "mentorship", "mentor", "mentors", "program", "programs", "programme", "programmes", "repo",
           "repository", "new", "site", "kit", "mentorkit"}  # folder-name words that are not an organisation's name


def suggested_org(folder: Path) -> str | None:
    """The organisation's name as the folder's name suggests it ("acme-mentoring" -> "Acme"); None if it does not."""
    words = [w for w in re.split(r"[-_ .]+", Path(folder).absolute().name) if w and w.lower() not in GENERIC]
    return " ".join(words).capitalize() if words else None


def check_org(org: str) -> str:
    org = " ".join(org.split())
    if not ORG.match(org):
        raise MentorkitError(f"the organisation name '{org[:80]}' must be 1 to 80 letters, digits, spaces and . , & ' ( ) / + -"
                             ", e.g. Example Org")
    return org


def repository_files(org: str, answers: ProgramAnswers, version: str, spec: str | None = None) -> dict[str, str]:
    """Every file of the new repository, by relative path; `spec` is the pin (default: `mentorkit==version`)."""
    spec = spec or f"mentorkit=={version}"
    files = starter_files()
    for rel in ORG_FILES:
        files[rel] = (files[rel].replace("__ORG__", org).replace("__PROGRAM__", answers.program_id)
                      .replace("__PIPX_INSTALL__", install_command(spec, "pipx"))
                      .replace("__UV_INSTALL__", install_command(spec, "uv")))
    files.update(header_only_tables(files[layout.DATAPACKAGE]))
    files[PIN_FILE] = pin_text(spec)
    for name in schema_files.SCHEMAS:
        files[f"{layout.SCHEMAS}/{name}.schema.json"] = schema_files.render(name)
    files.update(form_files.expected(Vocabulary.model_validate(yaml.safe_load(files[layout.VOCABULARY]))))
    agendas = {PurePosixPath(rel).stem for rel in files if rel.startswith(layout.AGENDAS + "/") and rel.endswith(".md")}
    files[layout.program_file(answers.program_id)] = render_program(answers, agendas)
    files[MANIFEST] = manifest_for(version, org, files).text()
    return files


def _validates(folder: Path) -> None:
    _, report = read_workspace(folder)
    if not report.ok:  # a bug in the starter files, never the user's doing
        raise MentorkitError("the new repository would not validate, so nothing was written: "
                             + "; ".join(p.one_line() for p in report.sorted()[:5]))


def check_target(target: Path) -> Path:
    """`target` as an absolute path, if `new` may write there: absent, empty, or holding only `.git`."""
    target = Path(target).absolute()
    if not empty_or_absent(target):
        raise MentorkitError(f"{target} is not empty: `mentorkit new` creates a new folder; choose one that does "
                             "not exist yet (to add a program to an existing repository, run `mentorkit init` in it)")
    return target


def create_repository(target: Path, org: str, answers: ProgramAnswers, kit_spec: str | None = None) -> NewRepository:
    """Write the new repository to `target` (absent, empty or only `.git`), after checking that it validates.

    `kit_spec` is the pin; without it, the running kit's own (see `repo.kit`)."""
    target = check_target(target)
    errors = check_answers(answers)
    if errors:
        raise MentorkitError("; ".join(errors))
    spec = spec_to_write(kit_spec)
    files = repository_files(check_org(org), answers, kit_version(), spec)
    write_new_tree(target, files, check=_validates)
    return NewRepository(target, sorted(files), answers.program_id)
