"""Per-pair clocks: attention and reminders count from the pair's own start; an ended pair's records stay with it."""

from __future__ import annotations

from conftest import make_workspace
from mentorkit.ci import reminders
from mentorkit.metrics import pairs_needing_attention
from mentorkit.metrics.context import build
from mentorkit.metrics.measures import meetings_per_pair_month
from mentorkit.model import Proposal, ProposedPair
from mentorkit.repo.load import read_workspace
from mentorkit.repo.proposal_files import proposal_to_yaml
from mentorkit.repo.strict_yaml import parse_yaml
from test_metrics_support import PID, D, checkin, make_program, person, pseudo, survey, workspace

# The program runs 2026-01-01 to 2026-06-30, monthly: a pair is quiet after 45.66 days without a check-in.


def ws_with(pairs, people=None, checkins=(), surveys=()):
    """`pairs`: [(mentee, mentor, status, approved_on, ended_on)]."""
    program = make_program()
    ws = workspace(program, people or [person(n) for n in range(1, 5)] + [person(n, "mentor") for n in range(11, 15)],
                   checkins=checkins, surveys=surveys)
    ws.proposals[PID] = Proposal(program=PID, format=program.format, pairs=[
        ProposedPair(mentee=pseudo(a), mentor=pseudo(b), status=s, score=1.0, approved_on=on, ended_on=end)
        for a, b, s, on, end in pairs])
    return ws


def flagged(ws, day):
    return {(a.mentee, a.mentor): a for a in pairs_needing_attention(ws, PID, day)}


def test_a_pair_approved_late_is_not_quiet_from_the_program_start():
    ws = ws_with([(1, 11, "approved", D(2026, 3, 20), None), (2, 12, "approved", None, None)])
    items = flagged(ws, D(2026, 4, 10))
    assert (pseudo(1), pseudo(11)) not in items, "approved 21 days ago: not quiet yet"
    assert items[(pseudo(2), pseudo(12))].details == ("no check-in for 99 days (never met); the cadence allows 46",)
    items = flagged(ws, D(2026, 5, 6))  # 47 days after its approval
    assert items[(pseudo(1), pseudo(11))].details == ("no check-in for 47 days (never met); the cadence allows 46",)


def test_a_late_sign_up_starts_the_clock_when_no_approval_date_is_given():
    people = [person(1, joined=D(2026, 3, 1)), person(11, "mentor")]
    ws = ws_with([(1, 11, "approved", None, None)], people=people)
    assert build(ws, PID).pairs[0].start == D(2026, 3, 1)
    assert not flagged(ws, D(2026, 4, 15))  # 45 days after the sign-up
    assert flagged(ws, D(2026, 4, 17))


def test_a_rematched_mentee_does_not_carry_the_old_pairs_satisfaction():
    surveys = [survey(1, "pulse", D(2026, 2, 10), satisfaction=1)]  # about the pair with 11
    checkins = [checkin(1, 11, D(2026, 2, 1)), checkin(1, 12, D(2026, 3, 25))]
    ws = ws_with([(1, 11, "ended", None, D(2026, 2, 20)), (1, 12, "approved", D(2026, 3, 1), None)],
                 checkins=checkins, surveys=surveys)
    assert flagged(ws, D(2026, 4, 1)) == {}, "the low answer was given in the ended pair"
    ws.survey_responses.append(survey(1, "pulse", D(2026, 3, 28), satisfaction=2))
    assert flagged(ws, D(2026, 4, 1))[(pseudo(1), pseudo(12))].reasons == ("low-satisfaction",)


def test_a_rematch_without_a_date_starts_when_the_old_pair_ended():
    checkins = [checkin(1, 11, D(2026, 2, 15))]
    ws = ws_with([(1, 12, "approved", None, None), (1, 11, "ended", None, None)], checkins=checkins)
    pairs = {p.mentor: p for p in build(ws, PID).pairs}
    assert pairs[pseudo(11)].end == D(2026, 2, 15), "an ended pair without ended_on ends at its last check-in"
    assert pairs[pseudo(12)].start == D(2026, 2, 15)
    assert not flagged(ws, D(2026, 3, 31)), "44 days since the re-match"
    assert pairs[pseudo(11)].covers(D(2026, 2, 1)) and not pairs[pseudo(12)].covers(D(2026, 2, 1))


def test_the_reminder_issue_counts_from_the_pairs_start():
    ws = ws_with([(1, 11, "approved", D(2026, 3, 20), None), (2, 12, "approved", None, None)])
    told = {(a.mentee, a.mentor): a.why for a in reminders.attention(ws, D(2026, 4, 10))}
    assert (pseudo(1), pseudo(11)) not in told
    assert told[(pseudo(2), pseudo(12))].startswith("no check-in for 99 days")


def test_the_proposal_file_keeps_the_pairs_dates():
    proposal = Proposal(program=PID, format="one-to-one", pairs=[
        ProposedPair(mentee=pseudo(1), mentor=pseudo(11), status="ended", score=1.0, approved_on=D(2026, 1, 5),
                     ended_on=D(2026, 2, 20))])
    text = proposal_to_yaml(proposal)
    assert "approved_on: '2026-01-05'" in text or "approved_on: 2026-01-05" in text
    doc, problems = parse_yaml(text, "p.yaml", typed=True)
    assert not problems
    again = Proposal.model_validate(doc.data)
    assert (again.pairs[0].approved_on, again.pairs[0].ended_on) == (D(2026, 1, 5), D(2026, 2, 20))


def test_a_pairs_dates_must_make_sense(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "participants" / "matches").mkdir(exist_ok=True)
    (root / "participants" / "matches" / "pilot.yaml").write_text(
        "program: pilot\nformat: one-to-one\npairs:\n  - mentee: mk-0000000c\n    mentor: mk-0000000b\n"
        "    status: approved\n    approved_on: 2026-02-01\n    ended_on: 2026-01-20\n    score: 5\n")
    _, report = read_workspace(root)
    assert [p.file for p in report.problems] == ["participants/matches/pilot.yaml"]
    assert "ended_on is for a pair whose status is ended" in report.problems[0].message


def test_meetings_per_month_count_the_months_since_the_pairs_own_start():
    # approved 2026-04-01, two check-ins; as of 2026-06-01 the pair has run 61 days, not the 151 since the start
    checkins = [checkin(1, 11, D(2026, 4, 20)), checkin(1, 11, D(2026, 6, 1))]
    ws = ws_with([(1, 11, "approved", D(2026, 4, 1), None)], checkins=checkins)
    result = meetings_per_pair_month(build(ws, PID))
    assert round(result.value, 4) == round(2 / (61 / 30.4375), 4)
