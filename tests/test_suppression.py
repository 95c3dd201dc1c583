"""Small-cell suppression: no published count below the threshold, and no hidden count recoverable.

The attacks here are written independently of the code under test: a reader
subtracting visible cells from a visible total (repeatedly, using what earlier
steps gave back), a reader solving the whole system of row and column sums by
linear algebra, and (with scipy) a reader who also knows counts are never
negative.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.metrics.suppression import PRIMARY, SECONDARY, suppress, suppress_column


def equations(table):
    """Every published element (value, hidden?) and the sums a reader knows: rows, columns, both margins."""
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    elements = {("c", i, j): (table.cells[i][j], table.cell_hidden[i][j]) for i in range(rows) for j in range(cols)}
    elements.update({("r", i): (table.row_totals[i], table.row_hidden[i]) for i in range(rows)})
    elements.update({("k", j): (table.col_totals[j], table.col_hidden[j]) for j in range(cols)})
    elements[("t",)] = (table.total, table.total_hidden)
    eqs = [{**{("c", i, j): 1 for j in range(cols)}, ("r", i): -1} for i in range(rows)]
    eqs += [{**{("c", i, j): 1 for i in range(rows)}, ("k", j): -1} for j in range(cols)]
    eqs.append({**{("r", i): 1 for i in range(rows)}, ("t",): -1})
    eqs.append({**{("k", j): 1 for j in range(cols)}, ("t",): -1})
    return elements, eqs


def recovered_by_subtraction(table) -> set:
    """Hidden values a reader gets by subtracting known values from a total, repeating while it works."""
    elements, eqs = equations(table)
    known = {e for e, (_, hidden) in elements.items() if not hidden}
    found = set()
    progress = True
    while progress:
        progress = False
        for eq in eqs:
            unknown = [e for e in eq if e not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found.add(unknown[0])
                progress = True
    return found


def determined_by_linear_algebra(table) -> set:
    """Hidden non-zero values fixed by the system of sums (hidden zeros are treated as known: worst case)."""
    elements, eqs = equations(table)
    unknown = [e for e, (v, hidden) in elements.items() if hidden and v > 0]
    if not unknown:
        return set()
    a = np.array([[eq.get(e, 0) for e in unknown] for eq in eqs], dtype=float)
    rank = np.linalg.matrix_rank(a)
    out = set()
    for n, e in enumerate(unknown):
        unit = np.zeros(len(unknown))
        unit[n] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.add(e)
    return out


def published_values(table):
    elements, _ = equations(table)
    return [v for v, hidden in elements.values() if not hidden]


VALUES = [0, 0, 1, 2, 3, 4, 5, 6, 8, 13, 40]  # zeros, small counts, counts at and above common thresholds


@st.composite
def tables(draw):
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    flat = draw(st.lists(st.sampled_from(VALUES), min_size=rows * cols, max_size=rows * cols))
    return [flat[i * cols:(i + 1) * cols] for i in range(rows)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), k=st.integers(2, 10))
def test_no_published_count_below_threshold(counts, k):
    table = suppress(counts, k)
    assert all(v == 0 or v >= k for v in published_values(table))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), k=st.integers(2, 10))
def test_no_hidden_count_recoverable_by_subtraction(counts, k):
    table = suppress(counts, k)
    assert recovered_by_subtraction(table) == set()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), k=st.integers(2, 10))
def test_no_hidden_count_determined_by_any_combination_of_sums(counts, k):
    assert determined_by_linear_algebra(suppress(counts, k)) == set()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), k=st.integers(2, 10))
def test_no_hidden_count_pinned_even_knowing_counts_are_not_negative(counts, k):
    linprog = pytest.importorskip("scipy.optimize").linprog
    table = suppress(counts, k)
    elements, eqs = equations(table)
    unknown = [e for e, (v, hidden) in elements.items() if hidden and v > 0]
    known = {e: v for e, (v, hidden) in elements.items() if e not in unknown}
    a = np.array([[eq.get(e, 0) for e in unknown] for eq in eqs], dtype=float)
    b = np.array([-sum(c * known[e] for e, c in eq.items() if e in known) for eq in eqs], dtype=float)
    for n, e in enumerate(unknown):
        c = np.zeros(len(unknown))
        c[n] = 1
        low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None))
        high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None))
        top = float("inf") if high.status == 3 else -high.fun
        assert top - low.fun > 0.5, f"{e} = {elements[e][0]} is pinned"


def test_worked_example():
    # 3 is below 5: primary. Row 1 would give it back (15 - 12), so 12 is hidden; column 2 then needs 7 hidden
    # (10 - 3), which leaves 9 alone in column 1 (21 - 12): hidden too. Totals stay.
    table = suppress([[12, 3], [9, 7]], 5)
    assert table.cell_hidden == ((SECONDARY, PRIMARY), (SECONDARY, SECONDARY))
    assert table.row_hidden == (None, None) and table.col_hidden == (None, None) and table.total_hidden is None


def test_nothing_small_nothing_hidden():
    table = suppress([[5, 0], [7, 12]], 5)
    assert table.cell_hidden == ((None, None), (None, None))
    assert table.published() == [5, 0, 7, 12, 5, 19, 12, 12, 24]


def test_a_small_group_is_hidden_as_a_whole():
    # row 2 has 3 people in all (< 5): its cells and its total are hidden, but a zero points at nobody
    table = suppress([[10, 6], [3, 0], [8, 9]], 5)
    assert table.cell_hidden[1] == (PRIMARY, None)
    assert table.row_hidden[1] == PRIMARY
    assert recovered_by_subtraction(table) == set()
    # its total (3) must not follow from the grand total minus the other rows
    assert sum(1 for h in table.row_hidden if h) >= 2 or table.total_hidden


def test_zeros_are_published_and_never_complements():
    table = suppress([[0, 2, 9], [0, 9, 2], [0, 7, 7]], 5)
    assert all(h is None for h in (row[0] for row in table.cell_hidden))
    assert recovered_by_subtraction(table) == set()


def test_two_small_blocks_joined_by_one_cell_are_not_recoverable():
    # hiding only the small cells would leave the 1 as the only link between two blocks:
    # (row 1 + row 2) - (column 1 + column 2) would give it back
    counts = [[3, 2, 0, 0], [2, 3, 1, 0], [0, 0, 3, 2], [0, 0, 2, 3]]
    table = suppress(counts, 4)
    assert determined_by_linear_algebra(table) == set()


def test_deterministic():
    counts = [[1, 7, 8], [9, 2, 30], [6, 6, 1]]
    assert suppress(counts, 5) == suppress(counts, 5)


def test_rejects_ragged_or_negative():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]], 5)
    with pytest.raises(ValueError):
        suppress([[1, -2]], 5)


def test_suppress_column_hides_a_second_value():
    # group sizes 12, 3, 8, 0: 3 is hidden (primary), so the smallest other group with data (8) goes too
    assert suppress_column([12, 3, 8, 0], 5) == [None, PRIMARY, SECONDARY, None]
    # two small groups protect each other
    assert suppress_column([12, 3, 4], 5) == [None, PRIMARY, PRIMARY]
    # a value already hidden with its group counts as hidden
    assert suppress_column([12, 9, 8], 5, already=[None, SECONDARY, None]) == [None, SECONDARY, SECONDARY]
