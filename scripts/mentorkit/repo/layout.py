"""Every path of a program repository, relative to its root, with forward slashes.

The one home of these names: code elsewhere asks here instead of spelling
`participants/matches` itself, so moving a folder is a one-line change.
"""

from __future__ import annotations

PROGRAMS = "program"  # one YAML file per program
AGENDAS = "agendas"  # agenda templates: Markdown with front matter
PARTICIPANTS = "participants"  # pseudonymized tables
DATAPACKAGE = "participants/datapackage.yaml"  # the frictionless descriptor of the tables
VOCABULARY = "participants/vocabulary.yaml"
MATCHES = "participants/matches"  # one proposal file per program, written by `mentorkit match`
SCHEMAS = "schemas"  # JSON Schemas for editors, written by `mentorkit schema`
TEMPLATES = "templates"  # the e-mail templates: Markdown with front matter (see model.templates)
DOCS = "docs"
FORMS = "forms"  # the question sets of the kit's forms, written by `mentorkit forms`
FORM_MAPPINGS = "forms/mappings.yaml"  # how the organisation's own form titles map onto fields, for every program
THEMES = "themes"  # qualitative themes: one reviewed Markdown summary per program round (model.themes)

# Files that run code or decide what is installed and run (workflows, the kit, its pins, MkDocs hooks and theme
# overrides): a pull request that changes one of them is more than a data change, and its summary says so.
CODE_FILES = (".github/*", "*.py", "scripts/*", "pyproject.toml", "setup.cfg", "requirements*", "constraints*",
              "mkdocs.yml", "overrides/*", "Makefile", ".ci/*", "package.json", "package-lock.json", ".gitattributes",
              ".pre-commit-config.yaml")


def program_file(program_id: str) -> str:
    return f"{PROGRAMS}/{program_id}.yaml"


def proposal_file(program_id: str) -> str:
    return f"{MATCHES}/{program_id}.yaml"


def agenda_file(agenda_id: str) -> str:
    return f"{AGENDAS}/{agenda_id}.md"


def template_file(name: str) -> str:
    """An e-mail template, by its name in `model.templates.CATALOGUE` ("intro-email", "nudge", ...)."""
    return f"{TEMPLATES}/{name}.md"


def table_file(resource_path: str) -> str:
    """A table of the data package, from the resource's `path` (relative to participants/)."""
    return f"{PARTICIPANTS}/{resource_path}"
