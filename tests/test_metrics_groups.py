"""Measures of a breakdown group read indexes the context works out once; they give what the records give.

Each breakdown asks every measure again for each group of people, so the
context keeps what every group reads (goal credits by person, who had an
outcome in a window, who left in a period, skill rows by person, the program's
rows of a table). These tests compute the same figures straight from the
records, the way the measures did before the indexes, for the demo's programs
and many random groups, and compare them exactly (the same floats, the same
order).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import pytest

from mentorkit.metrics import measures as m
from mentorkit.metrics.compute import monthly_meetings
from mentorkit.metrics.context import GOAL_CREDIT, Context, build
from mentorkit.model.dates import add_months
from mentorkit.repo.load import load_workspace

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def contexts() -> list[Context]:
    ws = load_workspace(REPO)
    return [build(ws, pid) for pid in sorted(ws.programs)]


def _groups(ctx: Context, n: int = 25) -> list[set[str] | None]:
    """Everyone, nobody, people outside the program, and random groups of every size."""
    rng = random.Random(ctx.pid)
    people = sorted(ctx.members)
    out: list[set[str] | None] = [None, set(), {"mk-00000000"}, set(people)]
    for _ in range(n):
        group = set(rng.sample(people, rng.randint(1, len(people)))) if people else set()
        out.append(group | ({"mk-ffffffff"} if rng.random() < 0.3 else set()))
    return out


def _goal_rate_from_records(ctx: Context, people: set[str] | None) -> tuple[float, int, int] | None:
    credits, owners, goals = [], set(), 0
    for person in ctx.in_scope(people):
        for g in ctx.goals.get(person, ()):
            goals += 1
            if g.status in GOAL_CREDIT:
                credits.append(GOAL_CREDIT[g.status])
                owners.add(person)
    return (sum(credits) / len(credits), len(owners), len(credits)) if credits else None


def _hits_from_records(ctx: Context, mentored: set[str], outcome: str, start: dt.date, end: dt.date) -> int:
    return sum(1 for s in mentored
               if any(o.outcome == outcome and start <= o.date < end for o in ctx.outcomes.get(s, ())))


def test_goal_achievement_by_group_is_what_the_goal_records_give(contexts):
    assessed = 0
    for ctx in contexts:
        for group in _groups(ctx):
            r = m.goal_achievement_rate(ctx, group)
            expected = _goal_rate_from_records(ctx, group)
            if expected is None:
                assert r.value is None
            else:
                assert (r.value, r.n, r.weight) == expected
                assessed += 1
    assert assessed > 20, "the demo has assessed goals to compare"


def test_outcomes_and_departures_by_group_are_what_the_outcome_records_give(contexts):
    compared = 0
    for ctx in contexts:
        start = ctx.program.timeline.start
        for months, outcome in ((12, "promotion"), (18, "promotion"), (12, "role-change")):
            end = add_months(start, months)
            for group in _groups(ctx):
                mentored = ctx.mentored(start, end - dt.timedelta(days=1), group)
                assert len(mentored & ctx.with_outcome(outcome, start, end)) == _hits_from_records(
                    ctx, mentored, outcome, start, end)
                compared += bool(mentored)
        for first, last in ((start, ctx.program.timeline.end), (start - dt.timedelta(days=400), start)):
            for group in _groups(ctx):
                mentored = ctx.mentored(first, last, group)
                left = sum(1 for s in mentored if (d := ctx.left_on(s, first)) is not None and d <= last)
                assert len(mentored & ctx.left_between(first, last)) == left
    assert compared > 20
    assert any(ctx.with_outcome("promotion", ctx.program.timeline.start, dt.date(2100, 1, 1)) for ctx in contexts)


def test_skill_rows_and_survey_answers_by_group_are_in_the_order_of_the_records(contexts):
    rated = answered = 0
    for ctx in contexts:
        for group in _groups(ctx):
            scope = ctx.in_scope(group)
            expected = [row for person, rows in ctx.skill_rows() if person in scope for row in rows]
            assert m.skill_pairs(ctx, group) == expected
            rated += len(expected)
            for r in ctx.rounds:
                for question in ("satisfaction", "nps", "confidence"):
                    everyone = r.answered(question)
                    got = m._answered(r, question, scope)
                    assert list(got.items()) == [(p, everyone[p]) for p in sorted(scope) if p in everyone]
                    answered += len(got)
    assert rated and answered


def test_the_program_rows_are_the_tables_rows_of_the_program_in_file_order(contexts):
    for ctx in contexts:
        for table in ("manager_feedback", "feedback_360", "checkins"):
            assert ctx.program_rows(table) == [r for r in getattr(ctx.ws, table) if r.program == ctx.pid]
    assert any(ctx.program_rows("manager_feedback") for ctx in contexts)


def test_meetings_per_month_are_the_check_ins_counted_month_by_month(contexts):
    counted = 0
    for ctx in contexts:
        if ctx.as_of is None:
            continue
        counts = Counter((c.date.year, c.date.month) for c in ctx.checkins if c.date <= ctx.as_of)
        got = monthly_meetings(ctx)
        assert [n for _, n in got] == [counts.get((int(k[:4]), int(k[5:])), 0) for k, _ in got]
        assert sum(n for _, n in got) == sum(1 for c in ctx.checkins if ctx.program.timeline.start.replace(day=1)
                                             <= c.date <= ctx.as_of)
        counted += sum(n for _, n in got)
    assert counted


def test_outcome_windows_that_begin_or_end_on_a_records_day(contexts):
    """Windows whose ends fall on the days of the records: who is in them, straight from the records."""
    checked = 0
    for ctx in contexts:
        days = sorted({o.date for records in ctx.outcomes.values() for o in records})
        for d in days[:: max(1, len(days) // 15)]:
            for first, before in ((d, d), (d, d + dt.timedelta(days=1)), (d - dt.timedelta(days=30), d),
                                  (d - dt.timedelta(days=1), d + dt.timedelta(days=1))):
                for outcome in ("promotion", "role-change", "departure"):
                    expected = {s for s, records in ctx.outcomes.items()
                                if any(o.outcome == outcome and first <= o.date < before for o in records)}
                    assert ctx.with_outcome(outcome, first, before) == expected
                last = before - dt.timedelta(days=1)
                expected = {s for s in ctx.outcomes if (left := ctx.left_on(s, first)) is not None and left <= last}
                assert ctx.left_between(first, last) == expected
                checked += bool(expected)
    assert checked, "some windows hold a departure"


def test_contexts_built_from_the_tables_gone_through_once_are_the_contexts_built_alone():
    from mentorkit.metrics.compute import contexts as all_contexts
    from mentorkit.metrics.context import PROGRAM_TABLES, rows_by_program
    from mentorkit.site.results import render_results_page

    ws = load_workspace(REPO)
    grouped = rows_by_program(ws)
    assert {pid for groups in grouped.values() for pid in groups} <= set(ws.programs)
    for ctx in all_contexts(ws):
        alone = build(ws, ctx.pid)
        assert ctx == alone
        for table in PROGRAM_TABLES:
            assert ctx.program_rows(table) == alone.program_rows(table)
        assert render_results_page(ws, ctx.pid, context=ctx) == render_results_page(ws, ctx.pid)
    assert sum(len(rows) for groups in grouped.values() for rows in groups.values()) == sum(
        len(getattr(ws, table)) for table in PROGRAM_TABLES)
