"""One site build: the workspace loaded once, its generated pages, and the filling of hand-written pages.

The MkDocs plugin and the Zensical exporter are two shells over this object,
so they cannot drift apart: the same checks, the same pages, the same values.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidWorkspace, Problem, SiteProblems
from ..repo import site_files
from ..repo.load import read_workspace
from ..text import placeholders
from ..text.counts import counted
from ..text.placeholders import Value
from .build import SiteContent, site_content
from .palette import DEFAULT_BRAND
from .values import NavItem, site_values


def format_problems(problems: list[Problem], what: str) -> str:
    """The build failure as a coordinator reads it: one line per problem, with its place and hint."""
    n = len(problems)
    lines = [f"mentorkit: {what} {counted(n, 'problem')}; the site was not built."]
    for p in problems:
        lines.append(f"  {p.one_line(hint=True)}")
    return "\n".join(lines)


def build_time(environ: dict[str, str] | None = None) -> dt.datetime:
    """The build's time: SOURCE_DATE_EPOCH when set (reproducible builds), otherwise now, in whole seconds UTC."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        try:
            return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise SiteProblems([Problem("SOURCE_DATE_EPOCH", "invalid-format",
                                        f"'{value}' is not a number of seconds since 1970",
                                        hint="set it to an integer, e.g. $(git log -1 --format=%ct)")],
                               "the build environment has") from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def expand_nav(nav: NavItem, anchor: str, section: list[NavItem], title: str = "Programs") -> tuple[NavItem, bool]:
    """Replace the nav entry pointing at `anchor` with `section`; returns (nav, found)."""
    found = False

    def walk(item: NavItem) -> NavItem:
        nonlocal found
        if isinstance(item, list):
            return [walk(i) for i in item]
        if isinstance(item, dict):
            out: dict[str, NavItem] = {}
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


@dataclass
class SiteSession:
    root: Path
    content: SiteContent
    values: dict[str, Value]
    problems: list[Problem] = field(default_factory=list)  # found while filling hand-written pages

    @classmethod
    def load(cls, root: Path, base_url: str | None = None, directory_urls: bool = True,
             brand_colour: str = DEFAULT_BRAND, site_name: str | None = None) -> SiteSession:
        """Load and check the workspace and render the generated pages.

        Raises `InvalidWorkspace` for invalid program data, `SiteProblems` for broken agenda templates,
        an invalid brand colour or SOURCE_DATE_EPOCH.
        """
        root = Path(root).resolve()
        ws, report = read_workspace(root)
        if not report.ok:
            raise InvalidWorkspace(report)
        try:
            content = site_content(ws, base_url=base_url, directory_urls=directory_urls, brand_colour=brand_colour,
                                   stamp=build_time(), site_name=site_name)
        except ValueError as exc:  # the brand colour
            raise SiteProblems([Problem("mkdocs.yml", "invalid-format", str(exc), field="brand_colour",
                                        hint="set plugins: - mentorkit: brand_colour: \"#rrggbb\"")],
                               "the site configuration has") from None
        if content.problems:
            raise SiteProblems(content.problems, "the agenda templates have")
        return cls(root, content, site_values(ws))

    def fill(self, markdown: str, rel: str, page: str, line_offset: int = 0) -> str:
        """A hand-written page with its `{{ mk.* }}` placeholders filled; problems are kept for `check`."""
        text, problems = placeholders.render(markdown, self.values, file=rel, page=page, line_offset=line_offset)
        self.problems.extend(problems)
        return text

    def fill_file(self, markdown: str, page: str, source_path: str | None) -> str:
        """`fill` for a page MkDocs read from `source_path`: problems name the file and its line in the file."""
        rel, offset = page, 0
        if source_path:
            path = Path(source_path)
            try:
                rel = path.resolve().relative_to(self.root).as_posix()
            except ValueError:
                rel = path.as_posix()
            source = site_files.source_text(path)
            if source is not None:  # no offset rather than no page
                offset = placeholders.body_line_offset(source, markdown)
        return self.fill(markdown, rel, page, offset)

    def check(self) -> None:
        """Raise `SiteProblems` if any page had an unknown placeholder."""
        if self.problems:
            raise SiteProblems(self.problems, "the pages have")
