"""The `mentorkit` command: a thin shell over the library.

Commands only parse options, call the library, and turn domain exceptions into
messages and exit codes: 0 clean, 1 problems, 2 usage errors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import report as report_formats
from . import schema as schema_module
from .errors import InvalidWorkspace, MentorkitError
from .load import find_root, load_workspace, read_workspace

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Repository root (default: the current folder or the nearest parent holding program/ and participants/).",
)


def _root(root: Path | None) -> Path:
    return root.resolve() if root else find_root(Path.cwd())


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


class Shell(click.Group):
    """Turns library errors into a message and exit code 1 (never a traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InvalidWorkspace as exc:
            click.echo(report_formats.as_text(exc.report), err=True, nl=False)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except MentorkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=Shell, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentorkit")
def main():
    """Run a workplace mentoring program from this repository."""


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(sorted(report_formats.FORMATS)), default=None,
              help="text (default), json, or github (annotations; the default inside GitHub Actions).")
def validate(root, fmt):
    """Check every program, agenda and participant file; list every problem."""
    _, rep = read_workspace(_root(root))
    click.echo(report_formats.FORMATS[fmt or _default_format()](rep), nl=False)
    sys.exit(0 if rep.ok else 1)


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Fail if the committed schemas differ from the models.")
def schema(root, check):
    """Write the JSON Schemas editors use (schemas/*.schema.json)."""
    root = _root(root)
    if check:
        stale = schema_module.stale(root)
        for path in stale:
            click.echo(f"{path} is out of date: run `mentorkit schema`", err=True)
        sys.exit(1 if stale else 0)
    for path in schema_module.write_all(root):
        click.echo(f"wrote {path}")


def _load(root):
    return load_workspace(_root(root))


@main.command()
@root_option
@click.argument("program", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--attention/--no-attention", default=True,
              help="List pairs needing attention (pseudonyms: for the coordinator only, never publish).")
@click.option("--breakdowns", is_flag=True, help="Add breakdowns by department, level, format and demographics.")
@click.option("--check", is_flag=True, help="Exit 1 if any pair needs attention.")
def metrics(root, program, fmt, attention, breakdowns, check):
    """Level 1-4 measures, ROI and targets for one program, or all."""
    from . import metrics as measures

    ws = _load(root)
    if program:
        ws.program(program)  # a clear error for an unknown program
    click.echo(measures.report(ws, program, fmt, attention=attention, breakdowns=breakdowns), nl=False)
    sys.exit(1 if check and measures.needs_attention(ws, program) else 0)
