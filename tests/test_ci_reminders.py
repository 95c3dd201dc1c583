"""What the reminder is about: dates coming up and pairs needing attention on a day (mentorkit.ci.reminders)."""

from __future__ import annotations

import datetime as dt

from conftest import make_workspace
from mentorkit.ci.reminders import attention, upcoming
from test_ci_changes import load, proposal, write_proposal


def test_upcoming_lists_milestones_timeline_and_goal_reviews_in_the_window(tmp_path):
    ws = load(make_workspace(tmp_path / "ws"))
    items = upcoming(ws, dt.date(2026, 1, 1), horizon_days=45)
    assert [(u.date.isoformat(), u.what) for u in items] == [
        ("2026-01-05", "Program starts"),
        ("2026-01-05", "Kickoff"),
    ]
    items = upcoming(ws, dt.date(2026, 3, 1), horizon_days=30)
    assert [(u.date.isoformat(), u.what) for u in items] == [
        ("2026-03-31", "Review goal `data-skills`: compare proficiency_change with its target 1")]
    assert upcoming(ws, dt.date(2026, 3, 1), horizon_days=29) == []


def test_attention_follows_the_metrics_definition_on_the_reminder_date(tmp_path):
    root = make_workspace(tmp_path / "ws")
    write_proposal(root, proposal([("mk-0000000c", "mk-0000000b", "approved"),
                                   ("mk-0000000d", "mk-0000000a", "proposed")],
                                  unmatched=[("mk-0000000d", "no mentor shares a time zone")]))
    ws = load(root)
    # c met b on 2026-02-02 (monthly: quiet after ~46 days); proposed pairs are not pairs yet
    assert [(a.mentee, a.mentor) for a in attention(ws, dt.date(2026, 3, 1))] == [("mk-0000000d", None)]
    later = attention(ws, dt.date(2026, 4, 1))
    assert [(a.mentee, a.mentor) for a in later] == [("mk-0000000c", "mk-0000000b"), ("mk-0000000d", None)]
    assert later[0].why.startswith("no check-in for 58 days")
    assert later[1].why == "no mentor yet: no mentor shares a time zone"
    assert attention(ws, dt.date(2026, 7, 1)) == []  # the program has ended


def test_a_started_program_without_a_proposal_needs_one(tmp_path):
    ws = load(make_workspace(tmp_path / "ws"))
    [item] = attention(ws, dt.date(2026, 2, 1))
    assert (item.program, item.mentee, item.mentor) == ("pilot", "", None)
    assert "has no match proposal" in item.why
    assert attention(ws, dt.date(2025, 12, 1)) == []  # not started yet
