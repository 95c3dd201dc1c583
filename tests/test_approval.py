"""proposals/approval.py and `mentorkit approve`: a reviewer's decision, and nothing else, lands in the file.

The demo's grow proposal has three proposed pairs, one ended pair and many
approved ones; the command runs on a copy of the demo in tmp_path.
"""

import datetime as dt
import difflib
import shutil

import pytest
from click.testing import CliRunner

from conftest import REPO
from mentorkit.cli import main
from mentorkit.errors import MentorkitError, UnknownProgram
from mentorkit.model import PairStatus, Proposal, ProposedPair
from mentorkit.proposals.approval import approve, approve_in
from mentorkit.repo.proposal_files import parse_proposal as read_proposal_text
from mentorkit.repo.proposal_files import read_proposal

GROW = "participants/matches/grow.yaml"
PROPOSED = [("mk-96af6c6d", "mk-2d6df2bb"), ("mk-ff14e7c9", "mk-558bf4fd"), ("mk-6dd433dd", "mk-5b94e78c")]
ENDED = ("mk-87ccb725", "mk-e234dff5")
APPROVED = ("mk-06c7eb5a", "mk-0acd9250")

M = [f"mk-0000000{i}" for i in range(6)]


def proposal(*statuses: str) -> Proposal:
    return Proposal(program="pilot", format="one-to-one",
                    pairs=[ProposedPair(mentee=M[i], mentor=M[5], status=s, score=50.0) for i, s in enumerate(statuses)])


def statuses(p: Proposal) -> list[str]:
    return [pair.status.value for pair in p.pairs]


# --- approve(): the decision on a Proposal ----------------------------------------------------


def test_approving_everything_approves_only_proposed_pairs():
    before = proposal("proposed", "approved", "ended", "proposed")
    after, changed = approve(before)
    assert changed == 2
    assert statuses(after) == ["approved", "approved", "ended", "approved"]
    assert statuses(before) == ["proposed", "approved", "ended", "proposed"]  # the input is not changed
    assert [(p.mentee, p.mentor, p.score, p.why) for p in after.pairs] == [(p.mentee, p.mentor, p.score, p.why)
                                                                           for p in before.pairs]


def test_approving_some_pairs():
    after, changed = approve(proposal("proposed", "proposed", "proposed"), [(M[2], M[5]), (M[0], M[5])])
    assert (changed, statuses(after)) == (2, ["approved", "proposed", "approved"])


def test_approving_an_approved_or_ended_pair_changes_nothing():
    before = proposal("approved", "ended")
    after, changed = approve(before, [(M[0], M[5]), (M[1], M[5])])
    assert (changed, statuses(after)) == (0, ["approved", "ended"])
    assert approve(before) == (before, 0)


def test_approving_on_a_day_stamps_only_the_newly_approved_pairs():
    before = proposal("proposed", "approved", "proposed")
    after, _ = approve(before, [(M[0], M[5]), (M[1], M[5])], on=dt.date(2026, 3, 2))
    assert [p.approved_on for p in after.pairs] == [dt.date(2026, 3, 2), None, None]
    assert [p.approved_on for p in approve(before)[0].pairs] == [None, None, None]  # no day given, none recorded


def test_an_empty_selection_approves_nothing():
    assert approve(proposal("proposed"), [])[1] == 0


def test_a_pair_not_in_the_proposal_is_refused_and_named():
    with pytest.raises(MentorkitError) as info:
        approve(proposal("proposed"), [(M[0], M[5]), (M[5], M[0]), (M[3], M[4])])
    assert str(info.value) == (f"not in the pilot proposal: {M[3]}:{M[4]}, {M[5]}:{M[0]} (give pairs as MENTEE:MENTOR)")


def test_approve_in_needs_a_known_program_with_a_proposal():
    from mentorkit.repo.load import load_workspace

    ws = load_workspace(REPO)
    with pytest.raises(UnknownProgram, match="there is no program 'grw'"):
        approve_in(ws, "grw")
    del ws.proposals["grow"]
    with pytest.raises(MentorkitError, match=r"there is no proposal for grow yet: run `mentorkit match grow` first"):
        approve_in(ws, "grow")


# --- `mentorkit approve` on a copy of the demo ------------------------------------------------


@pytest.fixture
def demo(tmp_path):
    for folder in ("program", "agendas", "participants"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def run(root, *args):
    return CliRunner().invoke(main, ["approve", *args, "--root", str(root)], catch_exceptions=False)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(removed, added) line pairs of the change; an added line with nothing removed pairs with ''."""
    out, removed = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            out.append((removed.pop(0) if removed else "", line[2:]))
    assert not removed
    return out


def test_approve_every_proposed_pair_changes_only_their_status_and_records_the_day(demo):
    before = (demo / GROW).read_text(encoding="utf-8")
    result = run(demo, "grow", "--date", "2026-03-02")
    assert (result.exit_code, result.output) == (0, "participants/matches/grow.yaml: 3 pairs approved\n")
    after = (demo / GROW).read_text(encoding="utf-8")
    approved_before = read_proposal_text(before).summary["approved"]
    changes = changed_lines(before, after)
    assert changes[0] == (f"  approved: {approved_before}", f"  approved: {approved_before + 3}")  # summary
    assert changes[1:] == [("  status: proposed", "  status: approved"), ("", "  approved_on: '2026-03-02'")] * 3
    pairs = {(p.mentee, p.mentor): p for p in read_proposal(demo / GROW).pairs}
    assert {pairs[pair].status for pair in PROPOSED} == {PairStatus.APPROVED}
    assert {pairs[pair].approved_on for pair in PROPOSED} == {dt.date(2026, 3, 2)}
    assert pairs[ENDED].status is PairStatus.ENDED
    assert pairs[APPROVED].approved_on is None  # approved earlier: its day is not rewritten
    assert {p.status for p in pairs.values()} == {PairStatus.APPROVED, PairStatus.ENDED}


def test_approve_records_today_without_a_date(demo):
    run(demo, "grow", "--pair", ":".join(PROPOSED[0]))
    pairs = {(p.mentee, p.mentor): p for p in read_proposal(demo / GROW).pairs}
    assert pairs[PROPOSED[0]].approved_on == dt.date.today()
    assert pairs[PROPOSED[1]].approved_on is None


def test_approve_one_pair_and_then_nothing_is_left_to_change(demo):
    mentee, mentor = PROPOSED[1]
    result = run(demo, "grow", "--pair", f"{mentee}:{mentor}")
    assert (result.exit_code, result.output) == (0, "participants/matches/grow.yaml: 1 pair approved\n")
    pairs = {(p.mentee, p.mentor): p.status for p in read_proposal(demo / GROW).pairs}
    assert [pairs[pair] for pair in PROPOSED] == [PairStatus.PROPOSED, PairStatus.APPROVED, PairStatus.PROPOSED]
    once = (demo / GROW).read_bytes()
    result = run(demo, "grow", "--pair", f"{mentee}:{mentor}", "--pair", ":".join(APPROVED), "--pair", ":".join(ENDED))
    assert (result.exit_code, result.output) == (0, "participants/matches/grow.yaml: 0 pairs approved\n")
    assert (demo / GROW).read_bytes() == once


def test_other_programs_files_are_not_touched(demo):
    others = {p.name: p.read_bytes() for p in (demo / "participants" / "matches").glob("*.yaml") if p.name != "grow.yaml"}
    assert run(demo, "grow").exit_code == 0
    assert {name: (demo / "participants" / "matches" / name).read_bytes() for name in others} == others


def test_an_unknown_pair_exits_1_and_writes_nothing(demo):
    before = (demo / GROW).read_bytes()
    result = CliRunner().invoke(main, ["approve", "grow", "--root", str(demo), "--pair", ":".join(PROPOSED[0]),
                                       "--pair", "mk-00000000:mk-11111111"])
    assert result.exit_code == 1
    assert "Error: not in the grow proposal: mk-00000000:mk-11111111 (give pairs as MENTEE:MENTOR)" in result.output
    assert "Traceback" not in result.output
    assert (demo / GROW).read_bytes() == before  # the valid pair given with it is not approved either


def test_a_malformed_pair_is_a_usage_error(demo):
    before = (demo / GROW).read_bytes()
    for bad in ("mk-96af6c6d", "a:b:c"):
        result = CliRunner().invoke(main, ["approve", "grow", "--root", str(demo), "--pair", bad])
        assert result.exit_code == 2
        assert "give each pair as MENTEE:MENTOR, e.g. mk-1a2b3c4d:mk-5e6f7a8b" in result.output
    assert (demo / GROW).read_bytes() == before


def test_an_unknown_program_or_a_missing_proposal_exits_1(demo):
    result = CliRunner().invoke(main, ["approve", "grw", "--root", str(demo)])
    assert result.exit_code == 1 and "Error: there is no program 'grw'" in result.output
    (demo / GROW).unlink()
    result = CliRunner().invoke(main, ["approve", "grow", "--root", str(demo)])
    assert result.exit_code == 1
    assert "Error: there is no proposal for grow yet: run `mentorkit match grow` first" in result.output
    assert not (demo / GROW).exists()


def test_an_invalid_repository_is_refused_with_its_problems(demo):
    before = (demo / GROW).read_bytes()
    program = demo / "program" / "grow.yaml"
    program.write_text(program.read_text(encoding="utf-8").replace("cadence:", "cadance:", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["approve", "grow", "--root", str(demo)])
    assert result.exit_code == 1
    assert "[unknown-key]" in result.output and "run `mentorkit validate` to see them" in result.output
    assert (demo / GROW).read_bytes() == before
