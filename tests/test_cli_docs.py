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


def _groups(group: click.Group, prefix: str = "mentorkit"):
    yield prefix, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _groups(command, f"{prefix} {name}")


def test_help_summaries_are_whole_sentences():
    """`mentorkit --help` lists each command with a sentence of its own, never one cut off with '...'."""
    for title, group in _groups(main):
        for name, command in group.commands.items():
            summary = command.get_short_help_str(limit=60)
            assert not summary.endswith("..."), f"{title} {name}: '{summary}' is cut; shorten the first sentence"
            assert summary.endswith("."), f"{title} {name}: '{summary}' is not a sentence"


def test_the_readme_names_every_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [title for title, _ in _commands(main) if not title.startswith("mentorkit ci ")
               and f"{title}" not in readme]
    assert not missing, f"README.md does not name {missing}"


def test_python_dash_m_runs_the_same_command():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "mentorkit", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m mentorkit" in result.stdout and "validate" in result.stdout
