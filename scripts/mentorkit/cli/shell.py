"""The shell every command shares: the `mentorkit` group, its error handling and the common options."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import InvalidWorkspace, MentorkitError
from ..text import report as report_formats

# A command's process ends when the command does, and at exit the interpreter makes one last full collection over
# every object the run made: a tenth of validate's and match's time, for memory the process hands back anyway. Frozen
# objects are out of the collector's sight, nothing more: they are released and their files closed as before (the
# kit closes every file it writes where it writes it, repo.atomic), and atexit and weakref finalizers still run.
atexit.register(gc.freeze)

# numpy's OpenBLAS starts a pool of threads and their buffers when numpy is imported, one per core: on two cores
# that is 0.05 s, a tenth of `match`, for linear algebra the kit never does (its arrays are indexed, sorted and
# summed). One thread skips the pool. Set before anything imports numpy; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Repository root (default: the current folder or the nearest parent holding program/ and participants/).",
)


def resolve_root(root: Path | None) -> Path:
    from ..repo.load import find_root

    return root.resolve() if root else find_root(Path.cwd())


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _given_root(args: list[str]) -> Path:
    """The --root a command line names (before the command runs), else the current folder."""
    for i, arg in enumerate(args):
        if arg == "--root" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--root="):
            return Path(arg.split("=", 1)[1])
    return Path.cwd()


class Shell(click.Group):
    """Turns library errors into a message and exit code 1 (never a traceback); warns, once per command, when
    the installed kit is not the one the repository pins."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["mentorkit.args"] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        args = ctx.meta.get("mentorkit.args", [])
        if not {"--help", "-h"} & set(args):  # help reads no repository (and loads none of the library)
            from ..repo.kit import pin_warning
            from ..repo.load import find_root

            if warning := pin_warning(find_root(_given_root(args))):
                click.echo(f"Warning: {warning}", err=True)
        try:
            return super().invoke(ctx)
        except InvalidWorkspace as exc:
            click.echo(report_formats.as_text(exc.report), err=True, nl=False)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except MentorkitError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a read-only folder, a full disk, a file that is a folder: the disk's words, no traceback
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"Error: the file system refused{where}: {(exc.strerror or str(exc)).lower()}. "
                       "Files are replaced whole, so each is either as before or new; fix the folder "
                       "(permissions, free space) and run the command again", err=True)
            sys.exit(1)


@click.group(cls=Shell, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentorkit")
def main() -> None:
    """Run a workplace mentoring program from this repository."""
