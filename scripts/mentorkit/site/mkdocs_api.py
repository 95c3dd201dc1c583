"""Build and preview the site through MkDocs' Python API (`mentorkit site build|serve`).

Installed with pipx or uv, the kit's environment is not on PATH, so a coordinator has `mentorkit` but no `mkdocs`;
these run the same MkDocs in-process. Its log lines go to stderr as `mkdocs` prints them, coloured only on a
terminal and never under NO_COLOR. Material's end-of-life banner (printed when the program is `mkdocs`, unless
NO_MKDOCS_2_WARNING is set) says nothing a coordinator can act on: the kit sets the variable before Material is
imported, and the Zensical route (`mentorkit site export`) is documented in docs/install.md.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from ..errors import MentorkitError

CONFIG = "mkdocs.yml"
LEVEL_COLOURS = {"CRITICAL": "red", "ERROR": "red", "WARNING": "yellow", "DEBUG": "blue"}


def colour_wanted(stream: TextIO) -> bool:
    """The convention of MkDocs, git and https://no-color.org: a terminal, no NO_COLOR, not a dumb terminal."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class _Lines(logging.Formatter):
    """`WARNING -  message`, as the mkdocs command prints it; the level coloured when colour is wanted."""

    def __init__(self, colour: bool):
        super().__init__("%(message)s")
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"{record.levelname:<8}-  "
        if self.colour and record.levelname in LEVEL_COLOURS:
            prefix = click.style(prefix, fg=LEVEL_COLOURS[record.levelname])
        return prefix + super().format(record)


@contextmanager
def _mkdocs_logging(quiet: bool) -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Lines(colour_wanted(sys.stderr)))
    saved = logger.level, logger.propagate
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def _config_path(root: Path, config_file: str) -> Path:
    path = root / config_file
    if not path.is_file():
        raise MentorkitError(f"{path} not found: run this in the program repository, or pass --root")
    return path


@contextmanager
def _as_mentorkit_errors() -> Iterator[None]:
    """MkDocs' own errors (a bad mkdocs.yml, warnings in strict mode) as one line, without a traceback."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # before Material is imported; see the module docstring
    from mkdocs.exceptions import MkDocsException

    try:
        yield
    except MkDocsException as exc:
        message = exc.format_message()
        if "in strict mode" in message:  # "Aborted with 2 warnings in strict mode!"
            message = "--strict stops on the warnings above (each names its file); fix them and build again"
        raise MentorkitError(f"the site was not built: {message}") from None


def build(root: Path, *, strict: bool = False, site_dir: Path | None = None, config_file: str = CONFIG,
          quiet: bool = False) -> Path:
    """`mkdocs build` of the repository at `root`; returns the folder written (mkdocs.yml's site_dir by default)."""
    config_path = _config_path(root, config_file)
    with _as_mentorkit_errors(), _mkdocs_logging(quiet):
        from mkdocs import utils
        from mkdocs.commands import build as mkdocs_build
        from mkdocs.config import load_config

        mkdocs_build.log.addFilter(utils.DuplicateFilter())  # as the mkdocs command does
        # None leaves mkdocs.yml's value (load_config drops None options)
        config = load_config(config_file=str(config_path), strict=strict,
                             site_dir=str(site_dir.resolve()) if site_dir is not None else None)
        config.plugins.on_startup(command="build", dirty=False)
        # What is alive now, and the workspace the plugin loads (`repo.load` keeps it frozen with it), lives to
        # the end of the build: frozen, the collector need not scan its records again while MkDocs makes pages.
        gc.freeze()
        try:
            mkdocs_build.build(config)
        finally:
            gc.unfreeze()
            config.plugins.on_shutdown()
        return Path(config.site_dir)


def serve(root: Path, *, dev_addr: str | None = None, config_file: str = CONFIG, open_browser: bool = False) -> None:
    """`mkdocs serve`: build into a temporary folder, serve it, rebuild and reload the page on every saved change."""
    config_path = _config_path(root, config_file)
    with _as_mentorkit_errors(), _mkdocs_logging(quiet=False):
        from mkdocs.commands import serve as mkdocs_serve

        mkdocs_serve.serve(config_file=str(config_path), open_in_browser=open_browser, dev_addr=dev_addr)
