"""Every command, and every option of it, is documented in docs/cli.md (and linked from the site's nav)."""

import re

import click

from conftest import REPO
from mentorkit.cli import main

DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "mentorkit"):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def _section(title: str) -> str:
    match = re.search(rf"^## `{re.escape(title)}`\n(.*?)(?=^## |\Z)", DOC, re.S | re.M)
    assert match, f"docs/cli.md has no section for `{title}`"
    return match.group(1)


def test_every_command_has_a_section_naming_each_option():
    for title, command in _commands(main):
        section = _section(title)
        for param in command.params:
            if isinstance(param, click.Option):
                names = [o for o in param.opts + param.secondary_opts if o.startswith("--") and o != "--help"]
                assert any(n in section for n in names), f"{title}: option {names} is not documented"


def test_no_section_documents_a_command_that_does_not_exist():
    documented = set(re.findall(r"^## `(mentorkit [^`]+)`", DOC, re.M))
    assert documented == {title for title, _ in _commands(main)}


def test_reference_is_in_the_site_nav():
    assert "cli.md" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
