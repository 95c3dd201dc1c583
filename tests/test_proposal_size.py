"""Proposal files of any size: the kit reads every proposal it writes, and still refuses a hostile file unread.

A proposal grows with the program (about 1 KB a pair), so its size cap scales with the participant table;
hand-written files keep the fixed 1 MB cap.
"""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from conftest import REPO, make_workspace
from mentorkit.cli import main
from mentorkit.matching import propose
from mentorkit.repo.exposure import MAX_FILE_BYTES, MAX_TEXT_BYTES, size_problem
from mentorkit.repo.load import read_workspace
from mentorkit.repo.proposal_files import save_proposal
from mentorkit.repo.strict_yaml import MAX_YAML_BYTES, PROPOSAL_BYTES_PER_PARTICIPANT, proposal_limit

PROPOSAL = "participants/matches/pilot.yaml"


def test_the_limit_grows_with_the_participant_table():
    assert proposal_limit(0) == MAX_YAML_BYTES
    assert proposal_limit(15_000) == MAX_YAML_BYTES + 15_000 * PROPOSAL_BYTES_PER_PARTICIPANT
    assert proposal_limit(15_000) > 20 * 9_400_000  # the largest 10,000 x 5,000 proposal measured: 9.4 MB


def _proposal_with_comment(ws, size: int) -> int:
    """Write pilot's proposal, padded by a comment to `size` bytes; the participant count."""
    workspace, report = read_workspace(ws)
    assert report.ok, report.problems
    save_proposal(ws, propose(workspace, "pilot"))
    head = (ws / PROPOSAL).read_text(encoding="utf-8")
    pad = size - len(head) - 3
    (ws / PROPOSAL).write_text(head + "# " + "x" * pad + "\n", encoding="utf-8")
    assert (ws / PROPOSAL).stat().st_size == size
    return len(workspace.participants)


def test_a_proposal_over_the_hand_written_cap_is_read(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    people = _proposal_with_comment(ws, MAX_YAML_BYTES + 50_000)
    assert proposal_limit(people) > MAX_YAML_BYTES + 50_000
    workspace, report = read_workspace(ws)
    assert report.ok, report.problems
    assert "pilot" in workspace.proposals


def test_a_proposal_over_its_cap_is_refused_unread(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    people = len(read_workspace(ws)[0].participants)
    _proposal_with_comment(ws, proposal_limit(people) + 1)
    _, report = read_workspace(ws)
    assert [(p.file, p.code) for p in report.problems] == [(PROPOSAL, "file-too-large")]
    assert f"the limit is {proposal_limit(people):,}" in report.problems[0].message


def test_a_program_file_keeps_the_hand_written_cap(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    program = ws / "program" / "pilot.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "# " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    _, report = read_workspace(ws)
    assert ("program/pilot.yaml", "file-too-large") in [(p.file, p.code) for p in report.problems]


def test_the_privacy_scan_holds_proposals_to_the_whole_file_cap():
    """A text file a person reviews is refused over 2 MB; a proposal the kit wrote is not (10,000 pairs: up to
    9.4 MB measured), up to the cap of any file."""
    assert size_problem("docs/guide.md", MAX_TEXT_BYTES + 1) is not None
    assert size_problem("program/pilot.yaml", MAX_TEXT_BYTES + 1) is not None
    assert size_problem(PROPOSAL, 9_400_000) is None
    assert size_problem("participants/matches/notes.md", MAX_TEXT_BYTES + 1) is not None
    assert size_problem(PROPOSAL, MAX_FILE_BYTES + 1) is not None


@pytest.mark.slow
def test_a_proposal_of_thousands_of_pairs_validates_rematches_and_diffs(tmp_path):
    """2,400 mentees x 1,200 mentors: a proposal over 2 MB, the cap of a text file a person reviews."""
    sys.path.insert(0, str(REPO / "bench"))
    from cli_repo import write_repo

    root = write_repo(tmp_path / "big", "uniform", 2400, 1200)
    runner = CliRunner()
    first = runner.invoke(main, ["match", "--root", str(root), "pilot"])
    assert first.exit_code == 0, first.output
    proposal = root / PROPOSAL
    assert proposal.stat().st_size > MAX_TEXT_BYTES
    before = proposal.read_bytes()
    (tmp_path / "first.yaml").write_bytes(before)
    valid = runner.invoke(main, ["validate", "--root", str(root)])
    assert valid.exit_code == 0, valid.output
    again = runner.invoke(main, ["match", "--root", str(root), "pilot"])
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output and proposal.read_bytes() == before
    diff = runner.invoke(main, ["diff", str(tmp_path / "first.yaml"), str(proposal)])
    assert diff.exit_code == 0, diff.output
    assert diff.output == "Proposal for pilot: No pairs changed.\n"
