"""A hand-edited proposal is checked against the program: what `mentorkit match` never writes is a problem.

Each case edits the small base workspace's proposal as an admin could in a pull request; validate must name the
file, the line of the pair and a stable code, and the proposal the matcher writes must pass untouched.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import make_workspace
from mentorkit.cli import main
from mentorkit.repo.load import read_workspace
from test_ci_changes import proposal, write_proposal

M = "participants/matches/pilot.yaml"
A, B, C, D = "mk-0000000a", "mk-0000000b", "mk-0000000c", "mk-0000000d"  # mentors a (2 places), b (1); mentees c, d


def _problems(root):
    return {(p.file, p.line, p.field, p.code) for p in read_workspace(root)[1].problems}


def _program(root, extra: str) -> None:
    path = root / "program" / "pilot.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nmatching:" not in text  # the base program takes the default rules
    path.write_text(text + "matching:\n" + extra, encoding="utf-8")


def test_the_matchers_own_proposal_passes(tmp_path):
    root = make_workspace(tmp_path / "ws")
    assert CliRunner().invoke(main, ["match", "--root", str(root)]).exit_code == 0
    assert _problems(root) == set()


# line of pairs[i].<field> in the YAML safe_dump writes: 6 lines per pair after 7 lines of keys above them
def _line(i: int, field: str) -> int:
    return 7 + 6 * i + {"mentee": 1, "mentor": 2}[field]


@pytest.mark.parametrize(("pairs", "program", "expected"), [
    pytest.param([(C, A, "approved"), (C, A, "proposed")], "", {(1, "mentor", "pair-duplicate")}, id="duplicate"),
    pytest.param([(C, B, "approved")], "  forbidden: [{mentee: mk-0000000c, mentor: mk-0000000b}]\n",
                 {(0, "mentor", "pair-forbidden")}, id="forbidden-approved"),
    pytest.param([(C, A, "approved")], "  locked: [{mentee: mk-0000000c, mentor: mk-0000000b}]\n",
                 {(0, "mentor", "pair-forbidden")}, id="against-a-lock"),
    pytest.param([(C, B, "approved"), (D, B, "approved")], "", {(1, "mentor", "over-capacity")},
                 id="mentor-over-capacity"),
    pytest.param([(C, A, "approved"), (C, B, "approved")], "", {(1, "mentee", "over-capacity")},
                 id="two-mentors-one-to-one"),
    pytest.param([(A, C, "proposed")], "", {(0, "mentee", "wrong-role"), (0, "mentor", "wrong-role")},
                 id="roles-swapped"),
])
def test_a_hand_edit_the_matcher_never_writes_is_named_at_its_line(tmp_path, pairs, program, expected):
    root = make_workspace(tmp_path / "ws")
    if program:
        _program(root, program)
    write_proposal(root, proposal(pairs))
    assert _problems(root) == {(M, _line(i, field), f"pairs[{i}].{field}", code) for i, field, code in expected}
    result = CliRunner().invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_ended_pairs_count_for_nothing(tmp_path):
    root = make_workspace(tmp_path / "ws")
    _program(root, "  forbidden: [{mentee: mk-0000000c, mentor: mk-0000000b}]\n")
    write_proposal(root, proposal([(C, B, "ended"), (D, B, "approved"), (C, A, "approved"), (C, A, "ended")]))
    assert _problems(root) == set()


def test_in_choice_mode_suggestions_take_no_places_but_choices_do(tmp_path):
    root = make_workspace(tmp_path / "ws")
    _program(root, "  mode: choice\n  suggestions: 2\n")
    write_proposal(root, proposal([(C, B, "proposed"), (C, A, "proposed"), (D, B, "proposed"), (D, A, "proposed")]))
    assert _problems(root) == set()
    write_proposal(root, proposal([(C, B, "approved"), (C, A, "proposed"), (D, B, "approved"), (D, A, "proposed")]))
    assert _problems(root) == {(M, _line(2, "mentor"), "pairs[2].mentor", "over-capacity")}
