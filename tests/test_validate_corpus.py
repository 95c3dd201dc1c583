"""Every broken input in tests/data/bad/ is reported at the right file, line/row, field, with a stable code.

Each case is one defect overlaid on the small valid workspace in tests/data/base/.
Expected tuples are exact: an extra, cascading or missing problem fails the test.
"""

import pytest

from conftest import make_workspace
from mentorkit.repo.load import read_workspace

P = "program/pilot.yaml"
PC = "participants/participants.csv"

CASES = {
    # YAML program files
    "yaml-malformed": {(P, 27, None, "yaml-syntax")},  # where the [ was opened, not where YAML gave up,
    "yaml-tabs": {(P, 9, None, "yaml-syntax")},
    "yaml-duplicate-key": {(P, 5, "format", "duplicate-key")},
    "yaml-unknown-key": {(P, 8, "cadance", "unknown-key")},
    "yaml-unknown-nested-key": {(P, 9, "cadence.evry", "unknown-key")},
    "yaml-wrong-type": {(P, 10, "cadence.session_minutes", "wrong-type")},
    "yaml-impossible-date": {(P, 7, "timeline.end", "invalid-date")},
    "yaml-empty": {(P, 1, None, "empty-file")},
    "yaml-not-utf8": {(P, 1, None, "encoding")},
    "yaml-alias-bomb": {(P, 28, "b[0]", "yaml-alias")},
    "yaml-multiple-documents": {(P, 29, None, "yaml-syntax")},
    "yaml-cut-value": {(P, 3, None, "yaml-cut-value")},
    "yaml-end-before-start": {
        (P, 7, "timeline.end", "dates-out-of-order"),
        (P, 25, "milestones[0].date", "milestone-outside-timeline"),
        ("participants/checkins.csv", 2, "date", "date-outside-timeline"),
    },
    "yaml-milestone-outside": {(P, 25, "milestones[0].date", "milestone-outside-timeline")},
    "yaml-missing-agenda": {(P, 26, "milestones[0].agenda", "dangling-reference")},
    "yaml-missing-key": {(P, 1, "purpose", "missing-key")},
    "yaml-bad-choice": {(P, 4, "format", "invalid-choice")},
    "yaml-lock-unknown-person": {(P, 31, "matching.locked[0].mentor", "dangling-reference")},
    "agenda-no-front-matter": {("agendas/first-meeting.md", 1, None, "missing-front-matter")},
    # Qualitative themes (themes/<program>-<round>.md)
    "themes-no-front-matter": {("themes/pilot-final.md", 1, None, "missing-front-matter")},
    "themes-too-few": {("themes/pilot-final.md", None, "participants", "too-few-contributors")},
    "themes-format": {("themes/pilot-final.md", n, None, "themes-format") for n in (11, 13, 15, 17, 19)},
    "themes-pseudonym": {("themes/pilot-final.md", 13, None, "pseudonym-in-text")},
    "themes-too-long": {("themes/pilot-final.md", 11, None, "themes-too-long")},
    "agenda-unknown-key": {
        ("agendas/first-meeting.md", 4, "sumary", "unknown-key"),
        ("agendas/first-meeting.md", 2, "summary", "missing-key"),
    },
    "template-unknown-placeholder": {("templates/nudge.md", 17, None, "unknown-placeholder")},
    "template-no-front-matter": {("templates/closure.md", 1, None, "missing-front-matter")},
    "vocabulary-dangling-related": {("participants/vocabulary.yaml", 4, "skills[0].related[0]", "dangling-reference")},
    "vocabulary-separator-in-label": {("participants/vocabulary.yaml", 6, "skills[1].label", "separator-in-label"),
                                      ("participants/vocabulary.yaml", 11, "departments[1].label", "separator-in-label")},
    # CSV tables
    "csv-semicolons": {(PC, 1, None, "wrong-delimiter")},
    "csv-missing-column": {(PC, 1, "level", "missing-column")},
    "csv-extra-column": {(PC, 1, "name", "unknown-column")},
    "csv-duplicate-pseudonym": {(PC, 6, "pseudonym", "duplicate-id")},
    "csv-dangling-mentor": {("participants/checkins.csv", 2, "mentor", "dangling-reference")},
    "csv-email": {(PC, 3, "team", "pii-email")},
    "csv-phone": {(PC, 4, "team", "pii-phone")},
    "csv-formula": {(PC, 5, "team", "formula-injection")},
    "csv-formula-at": {("participants/checkins.csv", 2, "program", "formula-injection")},
    "csv-not-utf8": {(PC, 5, None, "encoding")},
    "csv-wrong-type": {(PC, 2, "level", "wrong-type")},
    "csv-bad-choice": {(PC, 2, "role", "invalid-choice")},
    "csv-out-of-range": {(PC, 2, "level", "out-of-range")},
    "csv-unknown-skill": {(PC, 4, "skills_sought", "unknown-term")},
    "csv-unknown-program": {(PC, 3, "programs", "dangling-reference")},
    "csv-bad-time-zone": {(PC, 3, "time_zone", "invalid-time-zone")},
    "csv-mentor-no-capacity": {(PC, 3, "mentor_capacity", "no-capacity")},
    "csv-checkin-outside-timeline": {("participants/checkins.csv", 2, "date", "date-outside-timeline")},
    "csv-goal-dates-out-of-order": {("participants/goals.csv", 2, "due", "dates-out-of-order")},
    "csv-impossible-date": {("participants/outcomes.csv", 2, "date", "wrong-type")},
    "csv-empty": {("participants/outcomes.csv", 1, None, "empty-file")},
    "csv-extra-cell": {("participants/outcomes.csv", 2, None, "extra-cell")},
    "csv-missing-required": {("participants/survey_responses.csv", 2, "survey", "missing-value")},
    "csv-name-as-pseudonym": {("participants/outcomes.csv", 2, "pseudonym", "invalid-format")},
    # text that misleads, and values no one meant (tests/test_hostile_files.py checks the messages)
    "yaml-bidi-title": {(P, 1, "title", "invisible-character")},
    "yaml-zero-width-title": {(P, 1, "title", "invisible-character")},
    "yaml-nul-byte": {(P, 6, None, "control-character")},  # its real line, not line 1
    "yaml-unclosed-bracket-early": {(P, 4, None, "yaml-syntax")},  # where the [ opens, not line 5
    "yaml-deep-nesting": {(P, 28, None, "too-deep")},  # 20,000 brackets: no RecursionError
    "yaml-huge-value": {(P, 1, "title", "value-too-long")},
    "csv-huge-team": {(PC, 3, "team", "value-too-long")},
    "csv-invisible-team": {(PC, 3, "team", "invisible-character")},
    # a pilot over its cap, with a launch before it ends
    "yaml-pilot-over-cap": {(P, 29, "pilot.max_participants", "pilot-full"), (P, 30, "pilot.launch", "dates-out-of-order")},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_defect_is_reported_exactly(tmp_path, case):
    _, report = read_workspace(make_workspace(tmp_path / "ws", case))
    assert report.tuples() == CASES[case]
    for problem in report.problems:
        assert problem.message and problem.file


def test_every_fixture_has_an_expectation():
    from conftest import DATA

    cases = {p.name for p in (DATA / "bad").iterdir() if not p.name.startswith("ok-")}
    assert cases == set(CASES)


@pytest.mark.parametrize("case", ["ok-csv-bom", "ok-yaml-bom", "ok-csv-quoted-newline", "ok-csv-crlf"])
def test_what_common_tools_accept_is_accepted(tmp_path, case):
    ws, report = read_workspace(make_workspace(tmp_path / "ws", case))
    assert report.ok, report.problems
    assert ws.participants["mk-0000000a"].skills_offered == ("data-analysis", "sql")


def test_yaml_values_stay_as_written(tmp_path):
    ws, report = read_workspace(make_workspace(tmp_path / "ws", "ok-yaml-strings-stay-strings"))
    assert report.ok, report.problems
    contact = ws.programs["pilot"].contacts[0]
    assert (contact.role, contact.how) == ("NO", "0123")  # not False, not octal 83


def test_unknown_key_suggests_the_right_key(tmp_path):
    _, report = read_workspace(make_workspace(tmp_path / "ws", "yaml-unknown-key"))
    (problem,) = report.problems
    assert problem.hint == "did you mean 'cadence'?"


def test_oversized_yaml_is_refused_before_parsing(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    (ws / "program" / "pilot.yaml").write_text("title: x\n" + "# padding\n" * 120_000)
    _, report = read_workspace(ws)
    assert ("program/pilot.yaml", None, None, "file-too-large") in report.tuples()


def test_oversized_csv_is_refused(tmp_path, monkeypatch):
    from mentorkit.repo import tables

    monkeypatch.setattr(tables, "MAX_CSV_BYTES", 100)
    _, report = read_workspace(make_workspace(tmp_path / "ws"))
    assert (PC, None, None, "file-too-large") in report.tuples()


def test_alias_bomb_fails_fast(tmp_path):
    import time

    ws = make_workspace(tmp_path / "ws", "yaml-alias-bomb")
    started = time.perf_counter()
    read_workspace(ws)
    assert time.perf_counter() - started < 5  # expanding it would take 9**9 list items
