"""The text the workflows write for people: job summary, pull-request comment, reminder issue (mentorkit.ci.text).

Pure functions, run on fixture workspaces (helpers in tests/test_ci_changes.py).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import REPO as ROOT
from conftest import make_workspace
from mentorkit.ci.changes import RECORD_TABLES
from mentorkit.ci.text import (
    MARKER,
    REMINDER_MARKER,
    REMINDER_TITLE,
    TABLE_WORDS,
    comment,
    proposal_pull_request,
    reminder,
    summary,
)
from mentorkit.errors import Problem, Report
from mentorkit.repo.load import read_workspace
from mentorkit.text.markdown import cell
from test_ci_changes import append, load, proposal, write_proposal


@pytest.fixture
def base_and_head(tmp_path):
    return make_workspace(tmp_path / "base"), make_workspace(tmp_path / "head")


# --------------------------------------------------------------------------
# The job summary
# --------------------------------------------------------------------------


def test_summary_of_a_valid_pull_request(base_and_head):
    base, head = base_and_head
    append(head / "participants" / "checkins.csv", "pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,5,")
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000a", "proposed"), ("mk-0000000d", "mk-0000000b",
                                                                                 "approved")]))
    ws, report = read_workspace(head)
    text = summary(ws, report, {"pilot": "**1 pair added:** `mk-0000000c` with `mk-0000000a`.\n"},
                   "| Measure | Value |\n|---|---|\n| Match rate | 100% |\n", base=load(base),
                   run_url="https://github.com/acme/mentoring/actions/runs/9")
    assert text.startswith("## Mentoring program check\n\n### ✅ Validation: no problems\n")
    assert "### What changed\n\n- **Records:** 1 check-in added.\n- **Match proposals:** `pilot` (see below)." in text
    assert ("| Program | Pairs | Proposed | Approved | Ended | Mentees without a mentor |\n"
            "| --- | --- | --- | --- | --- | --- |\n"
            "| pilot | 2 | 1 | 1 | 0 | 0 |") in text
    assert "#### Changes to the proposal for `pilot`\n\n**1 pair added:** `mk-0000000c` with `mk-0000000a`." in text
    assert "### Headline measures\n\n| Measure | Value |\n|---|---|\n| Match rate | 100% |" in text
    assert text.endswith("[this run](https://github.com/acme/mentoring/actions/runs/9).</sub>\n")


def test_summary_of_an_invalid_pull_request_lists_problems_and_skips_measures(tmp_path):
    ws, report = read_workspace(make_workspace(tmp_path / "ws", "yaml-unknown-key"))
    text = summary(ws, report, {}, None)
    assert "### ❌ Validation: 1 problem in 1 file" in text
    assert ("| program/pilot.yaml:8:1, field 'cadance' | unknown key 'cadance' [unknown-key] "
            "| did you mean 'cadence'? |") in text
    assert "There is no base to compare with" in text
    assert "Not computed: the measures are computed only from valid files." in text
    assert "No program has a match proposal yet." in text


def test_summary_table_cells_are_escaped_and_long_reports_cut(base_and_head):
    _, head = base_and_head
    ws = load(head)
    problems = [Problem("a|b.csv", "invalid-value", f"<b>bad</b> | value {i}", row=i + 2) for i in range(60)]
    text = summary(ws, Report(problems))
    assert "| a\\|b.csv, row 2 | &lt;b&gt;bad&lt;/b&gt; \\| value 0 [invalid-value] |  |" in text
    assert "### ❌ Validation: 60 problems in 1 file" in text
    assert "…and 10 more: run `mentorkit validate`" in text
    assert text.count("\n| a\\|b.csv") == 50



def test_quoted_text_shows_as_written_while_page_cells_keep_their_markdown():
    assert cell("C:\\temp\\*.csv <b>R&D</b> | x", literal=True) == "C:\\\\temp\\\\*.csv &lt;b&gt;R&amp;D&lt;/b&gt; \\| x"
    assert cell("`{{ program.<field> }}` | [Agenda](../a/)") == "`{{ program.<field> }}` \\| [Agenda](../a/)"


def test_every_record_table_has_its_words():
    assert set(TABLE_WORDS) == set(RECORD_TABLES)


def test_every_table_of_the_data_package_but_the_participants_is_counted_in_a_pull_request():
    """A table the kit adds later (360 feedback, the needs survey, managers' answers came so) must show in the
    comment when a pull request adds rows to it."""
    import yaml

    package = yaml.safe_load((ROOT / "participants" / "datapackage.yaml").read_text(encoding="utf-8"))
    assert {r["name"] for r in package["resources"]} - {"participants"} == set(RECORD_TABLES)

# --------------------------------------------------------------------------
# The pull-request comment
# --------------------------------------------------------------------------


def test_comment_starts_with_the_marker_and_lists_changed_programs_in_order():
    text = comment({"pilot": "**2 pairs added.**\n", "grow": "**1 pair removed.**", "same": "", "none": None},
                   titles={"grow": "Grow"}, run_url="https://github.com/acme/mentoring/actions/runs/3")
    assert text.startswith(MARKER + "\n## Match proposal\n\n")
    assert ("This pull request changes the match proposal in `participants/matches/grow.yaml`, "
            "`participants/matches/pilot.yaml`. To approve pairs, set their `status: proposed` to "
            "`status: approved`") in text
    assert text.index("### Grow (`grow`)\n\n**1 pair removed.**") < text.index("### `pilot`\n\n**2 pairs added.**")
    assert "same" not in text and "none" not in text
    assert "[latest run](https://github.com/acme/mentoring/actions/runs/3)" in text
    assert text == comment({"grow": "**1 pair removed.**", "pilot": "**2 pairs added.**\n"}, titles={"grow": "Grow"},
                           run_url="https://github.com/acme/mentoring/actions/runs/3")


def test_comment_when_no_proposal_changes():
    text = comment({})
    assert text.startswith(MARKER)
    assert "This pull request does not change any match proposal: merging it changes no pairs." in text


def test_pull_request_opened_by_hand_explains_how_to_approve():
    title, body = proposal_pull_request("grow", "main", "https://x/runs/1")
    assert title == "Match proposal for grow"
    assert "`mentorkit match` for the `grow` program on `main` ([run](https://x/runs/1))" in body
    assert "**To approve pairs, set their status to `approved`" in body
    assert proposal_pull_request(None, "main")[0] == "Match proposals for every program"


def test_a_huge_proposal_still_fits_in_a_comment_and_a_summary(tmp_path):
    lines = "\n".join(f"- added: `mk-{i:08x}` with `mk-{i + 1:08x}`, score 71.5" for i in range(5000))
    diffs = {"grow": f"**5000 pairs added.**\n\n{lines}", "connect": "**1 pair removed.**"}
    text = comment(diffs)
    assert len(text.encode()) < 65_536
    assert "### `grow`\n\n**5000 pairs added.**\n\n- added: `mk-00000000`" in text  # as much as fits, whole lines
    assert "_The full list is too long for this page: " in text and "more lines are left out here" in text
    assert "### `connect`\n\n**1 pair removed.**" in text
    small = comment({"grow": f"**3 pairs added.**\n\n{lines[:200]}"})
    assert lines[:200] in small  # short diffs are shown whole
    ws = load(make_workspace(tmp_path / "ws"))
    huge = {f"p{i}": f"**Many.**\n\n{lines}" for i in range(6)}
    job_summary = summary(ws, Report(), huge)
    assert len(job_summary.encode()) < 1024 * 1024 and job_summary.count("_The full list is too long") == 6


# --------------------------------------------------------------------------
# The reminder issue
# --------------------------------------------------------------------------


def test_reminder_body_and_nothing_left(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "approved")]))
    ws = load(root)
    title, body = reminder(ws, dt.date(2026, 4, 1))
    assert title == REMINDER_TITLE
    assert body.startswith(REMINDER_MARKER + "\nStatus on **2026-04-01**.")
    assert "## Coming up in the next 45 days\n\nNothing is scheduled." in body
    assert "| pilot | mk-0000000c | mk-0000000b | no check-in for 58 days; the cadence allows 46 |" in body
    _, body = reminder(ws, dt.date(2026, 3, 1))
    assert "| 2026-03-31 (Tue) | pilot | Review goal `data-skills`" in body
    assert "None: every current pair meets at its program's rhythm" in body
    assert reminder(ws, dt.date(2026, 8, 1)) == (REMINDER_TITLE, None)


def test_reminder_names_pseudonyms_only(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "approved")]))
    ws = load(root)
    _, body = reminder(ws, dt.date(2026, 4, 1))
    for person in ws.participants.values():  # nothing but the pseudonym identifies a person
        for value in (person.department, person.team, person.time_zone, person.gender, person.age_band):
            if value:
                assert value not in body
