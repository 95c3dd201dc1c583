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

import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.metrics import program_metrics
from mentorkit.metrics.suppression import suppress_counts, suppress_measure

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


def test_a_program_figure_that_would_give_a_small_group_away_is_hidden():
    """Six mentees in each department; everyone who answered gave 5, and only two in sales answered:
    "5.00" overall would say what those two answered."""
    from test_metrics_support import D, checkin, make_program, person, survey, workspace

    people = [person(n, department="eng") for n in range(1, 7)] + [person(n, department="sales") for n in range(7, 13)]
    people += [person(n, "mentor", department="ops") for n in range(21, 33)]
    pairs = [(n, n + 20, "approved") for n in range(1, 13)]
    answers = [survey(n, "pulse", D(2026, 3, 1), satisfaction=5) for n in (1, 2, 3, 4, 5, 6, 7, 8)]
    ws = workspace(make_program(reports={"min_group_size": 5}), people, pairs=pairs, surveys=answers,
                   checkins=[checkin(n, n + 20, D(2026, 2, 10)) for n in range(1, 13)] + [checkin(1, 21, D(2026, 4, 1))])
    pm = program_metrics(ws, "p", attention=False)
    satisfaction = pm.measure("satisfaction")
    assert satisfaction.value is None and satisfaction.status == "suppressed"
    assert "would give away" in satisfaction.note
    department = next(b for b in pm.breakdowns if b.dimension == "department")
    assert "satisfaction" in department.overall_hidden
    # the check-in measures, not at an end of their scale, stay published
    assert pm.measure("meetings_per_pair_month").value is not None
