"""An attacker against the published breakdowns: exact integer bounds by integer programming (PuLP, HiGHS).

The attacker knows every published count, each column's total (the program's
own figures give it), that counts are whole numbers, and that a hidden count
is not zero whenever zeros are published. For rates it also knows every
group's size and the overall figure when that is published. It solves for
the smallest and largest value each hidden cell can take. Nothing it finds
may be exact, and no hidden count may be proven below the threshold.
The solver is independent of the closed form in `suppression.count_bounds`.
"""

from __future__ import annotations

from pathlib import Path

import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.metrics import measures as m
from mentorkit.metrics import program_metrics
from mentorkit.metrics.breakdowns import DIMENSIONS, _group_of, _ordered
from mentorkit.metrics.context import build
from mentorkit.metrics.suppression import suppress_counts, suppress_measure
from mentorkit.repo.load import load_workspace

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PuLP 3 announces its 4.0 API


def _solve(n_vars: int, low: list[int], high: list[int | None], total: int, target: int, sense: int) -> int:
    problem = pulp.LpProblem("attack", sense)
    make = getattr(problem, "add_variable", None) or (lambda name, lo, up, cat: pulp.LpVariable(name, lo, up, cat))
    xs = [make(f"x{i}", low[i], high[i], "Integer") for i in range(n_vars)]
    problem += xs[target]
    problem += pulp.lpSum(xs) == total
    outcome = problem.solve(pulp.HiGHS(msg=False, threads=1))  # the solver every PuLP (3 and 4) runs here
    assert int(getattr(outcome, "status", outcome)) == 1  # optimal: PuLP 3 returns the code, PuLP 4 stats holding it
    return round(pulp.value(xs[target]))


def attack_counts(values: list[int], hidden: list[str | None]) -> list[tuple[int, int]]:
    """(smallest, largest) of each hidden count, from the published ones and the total."""
    secret = [i for i, h in enumerate(hidden) if h]
    if not secret:
        return []
    # Zeros are published, so a hidden count is not zero; a column hidden whole shows no zeros and so promises nothing
    zeros_published = len(secret) < len(values)
    rest = sum(values) - sum(v for v, h in zip(values, hidden, strict=True) if not h)
    low = [1 if zeros_published else 0] * len(secret)
    high: list[int | None] = [None] * len(secret)
    return [(_solve(len(secret), low, high, rest, t, pulp.LpMinimize),
             _solve(len(secret), low, high, rest, t, pulp.LpMaximize)) for t in range(len(secret))]


def attack_rates(sizes: list[int], hits: list[int], hidden: list[str | None]) -> list[tuple[int, int]]:
    """(fewest, most) hits of each hidden group, knowing every group's size and the overall rate."""
    secret = [i for i, h in enumerate(hidden) if h and sizes[i]]
    if not secret:
        return []
    rest = sum(hits) - sum(hits[i] for i, h in enumerate(hidden) if not h)
    low = [0] * len(secret)
    high: list[int | None] = [sizes[i] for i in secret]
    return [(_solve(len(secret), low, high, rest, t, pulp.LpMinimize),
             _solve(len(secret), low, high, rest, t, pulp.LpMaximize)) for t in range(len(secret))]


COUNTS = [0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 20]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(COUNTS), min_size=1, max_size=7), st.sampled_from([3, 5, 10]))
def test_no_hidden_count_is_recovered(values, k):
    hidden = suppress_counts(values, k)
    assert all(hidden[i] for i, v in enumerate(values) if 0 < v < k)
    if len(values) == 1:
        return  # one group is the whole column: its count is the total, published with the program
    for low, high in attack_counts(values, hidden):
        assert low < high, (values, hidden)
        assert high >= min(k, sum(values)), (values, hidden)  # a column under k people: not even its total


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 12), st.floats(0, 1)), min_size=2, max_size=6), st.sampled_from([3, 5]))
def test_no_hidden_rate_is_recovered(groups, k):
    sizes = [n for n, _ in groups]
    hits = [round(n * share) for n, share in groups]
    rates = [h / n if n else None for h, n in zip(hits, sizes, strict=True)]
    hidden, overall_hidden = suppress_measure(sizes, rates, [float(n) for n in sizes], k, (0.0, 1.0))
    assert all(hidden[i] for i, n in enumerate(sizes) if 0 < n < k)
    if overall_hidden:
        return  # the overall figure is not published: nothing pins the hidden groups
    for low, high in attack_rates(sizes, hits, hidden):
        assert low < high, (sizes, hits, hidden)


def test_the_issues_example_is_protected():
    """grow by gender: 51 - 20 - 28 = 3 over three hidden groups gave each away as 1."""
    values = [20, 28, 1, 1, 1]
    hidden = suppress_counts(values, 5)
    assert hidden[2:] == ["primary"] * 3 and hidden[0] == "secondary" and hidden[1] is None
    assert all(low < high and high >= 5 for low, high in attack_counts(values, hidden))


def test_a_rate_of_everyone_hides_the_overall_figure():
    hidden, overall = suppress_measure([10, 8, 2], [1.0, 1.0, 1.0], [10.0, 8.0, 2.0], 5, (0.0, 1.0))
    assert hidden[2] == "primary" and overall


@pytest.fixture(scope="module")
def demo():
    return load_workspace(REPO)


@pytest.mark.slow
def test_the_demo_gives_nothing_away(demo):
    checked = 0
    for pid in sorted(demo.programs):
        pm = program_metrics(demo, pid, attention=False)
        ctx = build(demo, pid)
        for b in pm.breakdowns:
            by_group = {}
            for p in ctx.members.values():
                by_group.setdefault(_group_of(p, b.dimension), set()).add(p.pseudonym)
            order = _ordered(demo, b.dimension, set(by_group))
            assert [r.group for r in b.rows] == order
            seekers = [by_group[g] & ctx.seekers for g in order]
            columns = [[len(s) for s in seekers]]
            if len(b.columns) == 2:
                columns.append([len(by_group[g]) - len(s) for g, s in zip(order, seekers, strict=True)])
            for c, values in enumerate(columns):
                hidden = [r.counts[c].hidden for r in b.rows]
                for row, v in zip(b.rows, values, strict=True):
                    assert row.counts[c].hidden or row.counts[c].value == v
                for low, high in attack_counts(values, hidden):
                    assert low < high and high >= min(pm.min_group_size, sum(values)), (pid, b.dimension, c)
                    checked += 1
            # match rate: hits are whole numbers of mentees; the overall figure is known when published
            j = b.measures.index("match_rate")
            results = [m.match_rate(ctx, s) for s in seekers]
            sizes = [r.n for r in results]
            hits = [round((r.value or 0) * r.n) for r in results]
            hidden = [r.measures[j].hidden for r in b.rows]
            if pm.measure("match_rate").value is not None:
                for low, high in attack_rates(sizes, hits, hidden):
                    assert low < high, (pid, b.dimension, "match_rate")
                    checked += 1
    assert checked > 50  # the demo has many hidden cells: the attack really ran
    assert set(DIMENSIONS) >= {"department", "gender"}


def test_a_program_figure_that_would_give_a_small_group_away_is_hidden():
    """Everyone matched, and two mentees in sales: "100%" would say that both were matched."""
    from test_metrics_support import D, checkin, make_program, person, workspace

    people = [person(n, department="eng") for n in range(1, 9)] + [person(n, department="sales") for n in (9, 10)]
    people += [person(n, "mentor", department="ops") for n in range(11, 21)]
    pairs = [(n, n + 10, "approved") for n in range(1, 11)]
    ws = workspace(make_program(reports={"min_group_size": 5}), people, pairs=pairs,
                   checkins=[checkin(n, n + 10, D(2026, 2, 10)) for n in range(1, 11)])
    pm = program_metrics(ws, "p", attention=False)
    match = pm.measure("match_rate")
    assert match.value is None and match.status == "suppressed"
    assert "would give away" in match.note
    department = next(b for b in pm.breakdowns if b.dimension == "department")
    assert "match_rate" in department.overall_hidden
    # the check-in measures, not at an end of their scale, stay published
    assert pm.measure("meetings_per_pair_month").value is not None
