"""Agenda sections for some formats only (`format_sections` in an agenda's front matter).

A program of another format reads the agenda without them: in its introduction e-mails (tests/test_intros.py) and
on its agenda pages (tests/test_site*.py). A heading the front matter names must exist in the agenda.
"""

from __future__ import annotations

from conftest import REPO, make_workspace
from mentorkit.model import Agenda, AgendaMeta, Format
from mentorkit.repo.load import read_workspace

BODY = """Intro for everyone.

## Timeline

Shared.

### Before you start

Shared too.

## For peer pairs

Peer tip.

### Peer detail

More for peers.

```
## not a heading: in a code block
```

## For reverse mentoring ##

Reverse tip.

# Close

For everyone again."""


def _agenda(sections: dict[str, list[str]]) -> Agenda:
    return Agenda("a", AgendaMeta(title="A", kind="session", summary="S.", format_sections=sections), BODY)


def test_sections_for_other_formats_are_left_out_line_for_line():
    agenda = _agenda({"For peer pairs": ["peer", "group"], "For reverse mentoring": ["reverse"]})
    one_to_one = agenda.body_for(Format.ONE_TO_ONE)
    assert one_to_one.count("\n") == BODY.count("\n")  # lines keep their numbers (messages point at them)
    kept = [line for line in one_to_one.splitlines() if line]
    assert kept == ["Intro for everyone.", "## Timeline", "Shared.", "### Before you start", "Shared too.", "# Close",
                    "For everyone again."]
    peer = agenda.body_for(Format.PEER)
    assert "Peer tip." in peer and "More for peers." in peer and "not a heading" in peer
    assert "Reverse tip." not in peer and "For everyone again." in peer
    reverse = agenda.body_for(Format.REVERSE)
    assert "Reverse tip." in reverse and "Peer tip." not in reverse and "not a heading" not in reverse
    assert agenda.body_for(Format.GROUP) == peer  # listed for both


def test_headings_leave_out_code_blocks_and_closing_marks():
    assert _agenda({}).headings() == ["Timeline", "Before you start", "For peer pairs", "Peer detail",
                                      "For reverse mentoring", "Close"]
    assert _agenda({}).body_for(Format.PEER) == BODY  # nothing named: nothing left out


def test_a_heading_the_agenda_does_not_have_is_refused_where_it_is_named(tmp_path):
    root = make_workspace(tmp_path / "repo")
    text = (REPO / "agendas" / "first-meeting.md").read_text(encoding="utf-8")
    (root / "agendas" / "first-meeting.md").write_text(
        text.replace("  For group circles: [group]", "  For group circle: [group]"), encoding="utf-8")
    _, report = read_workspace(root)
    [problem] = [p for p in report.problems if p.file == "agendas/first-meeting.md"]
    line = 1 + text.splitlines().index("  For group circles: [group]")
    assert (problem.code, problem.line, problem.field) == ("dangling-reference", line, "format_sections.For group circle")
    assert "did you mean 'For group circles'?" in (problem.hint or "")


def test_the_kits_agendas_name_only_headings_they_have():
    _, report = read_workspace(REPO)
    assert [p for p in report.problems if p.file.startswith("agendas/")] == []
    text = (REPO / "agendas" / "first-meeting.md").read_text(encoding="utf-8")
    assert "format_sections:" in text
