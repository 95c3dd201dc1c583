"""The `mentorkit` MkDocs plugin: MkDocs hooks over a `SiteSession` (site/session.py), nothing else.

In mkdocs.yml:

    plugins:
      - search
      - mentorkit

What it does, once per build:

- on_config: adds the kit's templates (theme/: a 404 page that links to every
  section) to the theme; loads the Workspace from the folder that holds mkdocs.yml and
  fails the build, listing every problem the validator found, when the data is
  invalid; computes the generated pages; expands the nav entry
  `programs/index.md` into the Programs section (each program and its agendas);
- on_config also puts the kit's theme overrides (site/overrides/, package data) before Material's templates;
- on_files: adds the generated pages, calendars and `stylesheets/brand.css`
  (the AA palette from `brand_colour`; none of them is committed);
- on_page_markdown: fills `{{ mk.* }}` placeholders in hand-written pages;
- on_page_content: strips scripts, event handlers and script links from every page's HTML (site/sanitize.py);
- on_env: fails the build, with file and line, if any placeholder was unknown; keeps the compiled templates
  for the next build (Jinja's bytecode cache, `template_cache`);
- on_serve: `mkdocs serve` also rebuilds when program/ or agendas/ change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..errors import InvalidWorkspace, SiteProblems
from ..repo import site_files
from .palette import DEFAULT_BRAND
from .sanitize import clean
from .session import SiteSession, expand_nav, format_problems
from .values import PROGRAMS_INDEX

if TYPE_CHECKING:  # `mkdocs serve`'s server: its import (a file watcher, a web server) is a tenth of a second
    from mkdocs.livereload import LiveReloadServer

OVERRIDES = Path(__file__).parent / "overrides"  # Material's partials, mended where axe finds fault with them

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).with_name("theme")  # the kit's page templates (package data)


def template_cache() -> BytecodeCache | None:
    """Jinja's cache of compiled templates, in the user's own folder of the system's temporary folder.

    MkDocs compiles Material's templates again on every build (a twentieth of a 10,000-participant build); a
    template is recompiled whenever its source or Python changes (Jinja checks both). None, and every template
    compiled as before, where no safe folder can be had.
    """
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # RuntimeError: the folder exists but belongs to someone else
        return None


class MentorkitConfig(Config):
    root = c.Optional(c.Dir(exists=True))  # the workspace; default: the folder holding mkdocs.yml
    programs_nav = c.Type(str, default=PROGRAMS_INDEX)  # the nav entry expanded into the Programs section
    brand_colour = c.Type(str, default=DEFAULT_BRAND)  # #rrggbb: the AA palette of stylesheets/brand.css


class MentorkitPlugin(BasePlugin[MentorkitConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._session: SiteSession | None = None

    @property
    def session(self) -> SiteSession:
        """The build's session, opened by on_config: MkDocs calls every other hook after it."""
        if self._session is None:
            raise PluginError("mentorkit: the plugin's hooks ran before on_config opened the site session; "
                              "run the build through `mentorkit site build` or `mkdocs build`")
        return self._session

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(self.config.root or (Path(config.config_file_path).parent if config.config_file_path else "."))
        try:
            self._session = SiteSession.load(root, base_url=config.site_url or None,
                                            directory_urls=config.use_directory_urls,
                                            brand_colour=self.config.brand_colour,
                                            site_name=config.site_name)
        except InvalidWorkspace as exc:
            raise PluginError(format_problems(exc.report.sorted(), "the program data has")) from None
        except SiteProblems as exc:
            raise PluginError(format_problems(exc.problems, exc.what)) from None
        # the kit's templates (a 404 page with links; Material partials mended for accessibility) after the
        # site's own custom_dir, before Material's
        for folder in (str(THEME_DIR), str(OVERRIDES)):
            if folder not in config.theme.dirs:
                config.theme.dirs.insert(1 if config.theme.custom_dir else 0, folder)
        if config.nav:
            config.nav, found = expand_nav(config.nav, self.config.programs_nav, self.session.content.nav)
            if not found:
                log.info("the nav has no '%s' entry: the program pages are not in the navigation",
                         self.config.programs_nav)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        content = self.session.content
        clashes = [uri for uri in (*content.pages, *content.files) if files.get_file_from_path(uri)]
        if clashes:
            raise PluginError("mentorkit: these pages are generated from the program files and must not exist in "
                              f"{config.docs_dir}: " + ", ".join(sorted(clashes)) + " (rename or remove them)")
        for uri, markdown in content.pages.items():
            files.append(File.generated(config, uri, content=markdown))
        for uri, data in content.files.items():
            files.append(File.generated(config, uri, content=data))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        session = self.session
        if page.file.generated_by or page.file.src_uri in session.content.pages:
            return markdown  # generated pages are rendered by site_content already
        return session.fill_file(markdown, page.file.src_uri, page.file.abs_src_path)

    def on_page_content(self, html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        cleaned, removed = clean(html_text)
        if removed:
            log.info("%s: removed from the published page: %s", page.file.src_uri, ", ".join(removed))
        if not page.is_homepage and not page.meta.get("title") and page.title:
            # The heading's text, which MkDocs keeps escaped: Material writes meta.title into <title> as it is,
            # where page.title would go through striptags, which turns &lt; back into <.
            page.meta["title"] = page.title
        return cleaned

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        try:
            self.session.check()
        except SiteProblems as exc:
            raise PluginError(format_problems(exc.problems, exc.what)) from None
        if env.bytecode_cache is None:
            env.bytecode_cache = template_cache()
        return env

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., object]) -> LiveReloadServer:
        if self._session:
            for folder in site_files.watched_folders(self._session.root):
                server.watch(str(folder))
        return server
