"""The `mentorkit` MkDocs plugin: a thin shell around `mentorkit.site.build`.

In mkdocs.yml:

    plugins:
      - search
      - mentorkit

What it does, once per build:

- on_config: loads the Workspace from the folder that holds mkdocs.yml and
  fails the build, listing every problem the validator found, when the data is
  invalid; computes the generated pages; expands the nav entry
  `programs/index.md` into the Programs section (each program and its agendas);
- on_files: adds the generated pages and calendars (they are never committed);
- on_page_markdown: fills `{{ mk.* }}` placeholders in hand-written pages;
- on_env: fails the build, with file and line, if any placeholder was unknown;
- on_serve: `mkdocs serve` also rebuilds when program/ or agendas/ change.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from ..errors import Problem
from ..text import placeholders
from .build import SiteContent, site_content
from .values import PROGRAMS_INDEX, site_values

log = get_plugin_logger(__name__)


class MentorkitConfig(Config):
    root = c.Optional(c.Dir(exists=True))  # the workspace; default: the folder holding mkdocs.yml
    programs_nav = c.Type(str, default=PROGRAMS_INDEX)  # the nav entry expanded into the Programs section


def format_problems(problems: list[Problem], what: str) -> str:
    n = len(problems)
    lines = [f"mentorkit: {what} {n} problem{'s' if n != 1 else ''}; the site was not built."]
    for p in problems:
        line = f"  {p.where}: {p.message}"
        if p.hint:
            line += f" ({p.hint})"
        lines.append(line)
    return "\n".join(lines)


def expand_nav(nav, anchor: str, section: list, title: str = "Programs"):
    """Replace the nav entry pointing at `anchor` with `section`; returns (nav, found)."""
    found = False

    def walk(item):
        nonlocal found
        if isinstance(item, list):
            return [walk(i) for i in item]
        if isinstance(item, dict):
            out = {}
            for key, value in item.items():
                if value == anchor:
                    found = True
                    out[key] = section
                else:
                    out[key] = walk(value)
            return out
        if item == anchor:
            found = True
            return {title: section}
        return item

    return walk(nav), found


class MentorkitPlugin(BasePlugin[MentorkitConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.content: SiteContent | None = None
        self.values: dict = {}
        self.problems: list[Problem] = []
        self.root: Path | None = None

    def on_config(self, config):
        from ..repo.load import read_workspace

        self.root = Path(self.config.root or os.path.dirname(config.config_file_path or ".")).resolve()
        ws, report = read_workspace(self.root)
        if not report.ok:
            raise PluginError(format_problems(report.sorted(), "the program data has"))
        self.content = site_content(ws, base_url=config.site_url or None, directory_urls=config.use_directory_urls)
        if self.content.problems:
            raise PluginError(format_problems(self.content.problems, "the agenda templates have"))
        self.values = site_values(ws)
        self.problems = []
        if config.nav:
            config.nav, found = expand_nav(config.nav, self.config.programs_nav, self.content.nav)
            if not found:
                log.info("the nav has no '%s' entry: the program pages are not in the navigation",
                         self.config.programs_nav)
        return config

    def on_files(self, files: Files, config) -> Files:
        assert self.content is not None
        clashes = [uri for uri in (*self.content.pages, *self.content.files) if files.get_file_from_path(uri)]
        if clashes:
            raise PluginError("mentorkit: these pages are generated from the program files and must not exist in "
                              f"{config.docs_dir}: " + ", ".join(sorted(clashes)) + " (rename or remove them)")
        for uri, markdown in self.content.pages.items():
            files.append(File.generated(config, uri, content=markdown))
        for uri, data in self.content.files.items():
            files.append(File.generated(config, uri, content=data))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        assert self.content is not None
        if page.file.generated_by or page.file.src_uri in self.content.pages:
            return markdown  # generated pages are rendered by site_content already
        rel, offset = page.file.src_uri, 0
        if page.file.abs_src_path:
            path = Path(page.file.abs_src_path)
            try:
                rel = path.resolve().relative_to(self.root).as_posix()
            except ValueError:
                rel = path.as_posix()
            try:
                offset = placeholders.body_line_offset(path.read_text(encoding="utf-8-sig"), markdown)
            except OSError:
                pass
        text, problems = placeholders.render(markdown, self.values, file=rel, page=page.file.src_uri,
                                             line_offset=offset)
        self.problems.extend(problems)
        return text

    def on_env(self, env, config, files):
        if self.problems:
            problems = sorted(set(self.problems), key=Problem.sort_key)
            raise PluginError(format_problems(problems, "the pages have"))
        return env

    def on_serve(self, server, config, builder):
        if self.root:
            for folder in ("program", "agendas"):
                if (self.root / folder).is_dir():
                    server.watch(str(self.root / folder))
        return server
