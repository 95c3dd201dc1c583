"""Small-cell suppression: pure functions, no knowledge of mentoring.

A published count below `k` (the program's reports.min_group_size) could point
at a handful of people, so it is hidden ("primary" suppression). Hiding it is
not enough when totals are shown: a row total minus the visible cells of the
row gives it back, and so can a sum of rows minus a sum of columns. So further
values are hidden ("secondary" suppression) until no hidden value follows
from the published ones by any such arithmetic. In particular every row and
column (totals included) then holds no hidden non-zero value or at least two.

Zero cells are published (a zero points at nobody) and never serve as
complements: a reader can often tell that a hidden cell is zero, so it
protects nothing. The choice is deterministic: the cheapest set of published
values (smallest first), then the first position.

    table = suppress([[12, 3], [9, 7]], k=5)
    table.cell_hidden == (("secondary", "primary"), ("secondary", "secondary"))

`suppress` protects a two-way table against linear arithmetic. The published
breakdowns are single columns against a known total, and there a reader who
also knows that counts are whole numbers and that a hidden count is not zero
(zeros are published) does better: `suppress_counts` protects against that
reader, and `suppress_measure` protects a column of rates or means against a
reader who pools the hidden groups from the overall figure. The method is
explained in docs/metrics.md.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

PRIMARY = "primary"
SECONDARY = "secondary"

Key = tuple[str | int, ...]  # a line or an element, as below: a letter, then the row or column numbers

# Lines (the equations a reader can use) and elements (the published values):
# a cell ("c", i, j) lies on row line ("R", i) and column line ("C", j); a row
# total ("r", i) on ("R", i) and on the line of row totals ("MC",); a column
# total ("k", j) on ("C", j) and on the line of column totals ("MR",); the grand
# total ("t",) on ("MR",) and ("MC",). Each element lies on exactly two lines.


@dataclass(frozen=True)
class SuppressedTable:
    cells: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    col_totals: tuple[int, ...]
    total: int
    cell_hidden: tuple[tuple[str | None, ...], ...]  # None: published
    row_hidden: tuple[str | None, ...]
    col_hidden: tuple[str | None, ...]
    total_hidden: str | None

    def published(self) -> list[int]:
        """Every value that is shown."""
        out = [v for row, hid in zip(self.cells, self.cell_hidden, strict=True) for v, h in zip(row, hid, strict=True) if not h]
        out += [v for v, h in zip(self.row_totals, self.row_hidden, strict=True) if not h]
        out += [v for v, h in zip(self.col_totals, self.col_hidden, strict=True) if not h]
        return out + ([self.total] if not self.total_hidden else [])


def _ends(element: Key) -> tuple[Key, Key]:
    kind = element[0]
    if kind == "c":
        return ("R", element[1]), ("C", element[2])
    if kind == "r":
        return ("R", element[1]), ("MC",)
    if kind == "k":
        return ("C", element[1]), ("MR",)
    return ("MR",), ("MC",)


def _checked_counts(counts: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """The counts as integers; a ValueError for ragged rows or a negative count."""
    cells = tuple(tuple(int(v) for v in row) for row in counts)
    n_cols = len(cells[0]) if cells else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("every row needs the same number of columns")
    if any(v < 0 for row in cells for v in row):
        raise ValueError("counts cannot be negative")
    return cells


def _elements(cells: tuple[tuple[int, ...], ...], row_totals: tuple[int, ...], col_totals: tuple[int, ...],
              total: int) -> dict[Key, int]:
    """Every published value by its element: the cells, then the row totals, the column totals, the total."""
    value: dict[Key, int] = {}
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            value[("c", i, j)] = v
    for i, v in enumerate(row_totals):
        value[("r", i)] = v
    for j, v in enumerate(col_totals):
        value[("k", j)] = v
    value[("t",)] = total
    return value


def suppress(counts: Sequence[Sequence[int]], k: int) -> SuppressedTable:
    """Hide counts below `k` (but above 0) and enough others that none can be worked out from the rest.

    A row or column whose total is below `k` (a group too small to show) has
    only cells below `k`, so all of it is hidden but its zeros.
    """
    cells = _checked_counts(counts)
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    row_totals = tuple(sum(row) for row in cells)
    col_totals = tuple(sum(cells[i][j] for i in range(n_rows)) for j in range(n_cols))
    total = sum(row_totals)
    value = _elements(cells, row_totals, col_totals, total)
    on_line: dict[Key, list[Key]] = defaultdict(list)
    for element in value:
        for line in _ends(element):
            on_line[line].append(element)

    def small(v: int) -> bool:
        return 0 < v < k

    # Every cell of a small row or column is itself small, so hiding what is below k
    # hides a small group as a whole; its zeros stay published like any zero.
    hidden: dict[Key, str] = {element: PRIMARY for element, v in value.items() if small(v)}

    while True:
        path = _protect(value, on_line, hidden)
        if not path:
            break
        hidden.update({e: SECONDARY for e in path})

    return SuppressedTable(
        cells=cells,
        row_totals=row_totals,
        col_totals=col_totals,
        total=total,
        cell_hidden=tuple(tuple(hidden.get(("c", i, j)) for j in range(n_cols)) for i in range(n_rows)),
        row_hidden=tuple(hidden.get(("r", i)) for i in range(n_rows)),
        col_hidden=tuple(hidden.get(("k", j)) for j in range(n_cols)),
        total_hidden=hidden.get(("t",)),
    )


def _protect(value: dict[Key, int], on_line: dict[Key, list[Key]], hidden: dict[Key, str]) -> list[Key]:
    """Values to hide so that the first hidden value that can still be worked out no longer can; [] if none can.

    Hidden non-zero values are edges between the two lines each lies on. A
    value can be worked out exactly when it is a bridge of that graph (no cycle
    of hidden values runs through it): then some sum of lines isolates it. Its
    two sides are joined by the cheapest path of published non-zero values
    (cost: the values themselves, so small ones go first), which puts it on a
    cycle. Hidden zeros do not protect anything (a reader can often tell they
    are zero), so they are left out of the graph.
    """
    protecting = sorted(e for e in hidden if value[e] > 0)
    adjacent: dict[Key, list[Key]] = defaultdict(list)
    for e in protecting:
        for line in _ends(e):
            adjacent[line].append(e)
    for bridge in protecting:
        a, b = _ends(bridge)
        side_a = _reach(a, adjacent, skip=bridge)
        if b in side_a:
            continue
        side_b = _reach(b, adjacent, skip=bridge)
        return _cheapest_path(value, on_line, hidden, side_a, side_b, skip=bridge)
    return []


def _reach(start: Key, adjacent: dict[Key, list[Key]], skip: Key) -> set[Key]:
    seen, todo = {start}, [start]
    while todo:
        line = todo.pop()
        for e in adjacent.get(line, ()):
            if e == skip:
                continue
            for other in _ends(e):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return seen


def _cheapest_path(value: dict[Key, int], on_line: dict[Key, list[Key]], hidden: dict[Key, str],
                   sources: set[Key], targets: set[Key], skip: Key) -> list[Key]:
    """The published values on the cheapest path of non-zero values from `sources` to `targets` (Dijkstra)."""
    best: dict[Key, tuple[int, tuple[Key, ...]]] = {v: (0, ()) for v in sources}  # line: (cost, the path to it)
    queue = [(0, v) for v in sorted(sources)]
    heapq.heapify(queue)
    done: set[Key] = set()
    while queue:
        cost, line = heapq.heappop(queue)
        if line in done:
            continue
        done.add(line)
        if line in targets:
            return [e for e in best[line][1] if e not in hidden]
        for e in sorted(on_line[line]):
            if e == skip or value[e] == 0:
                continue
            step = 0 if e in hidden else value[e]
            other = next(x for x in _ends(e) if x != line)
            new = (cost + step, best[line][1] + (e,))
            if other not in best or new < best[other]:
                best[other] = new
                heapq.heappush(queue, (new[0], other))
    raise AssertionError("the lines of a table are always connected through non-zero totals")


def suppress_column(sizes: Sequence[int], k: int, already: Sequence[str | None] | None = None) -> list[str | None]:
    """Which values of one column of means or rates to hide, given the number of people behind each.

    A value on fewer than `k` people is hidden; one already hidden (its group's
    count is hidden) stays hidden; and if that leaves exactly one hidden value
    among those with data, the visible one on the fewest people is hidden too,
    so the hidden one cannot be worked out from the overall figure.
    """
    out: list[str | None] = list(already) if already is not None else [None] * len(sizes)
    for i, n in enumerate(sizes):
        if out[i] is None and 0 < n < k:
            out[i] = PRIMARY
    with_data = [i for i, n in enumerate(sizes) if n > 0]
    if sum(1 for i in with_data if out[i]) == 1:
        visible = [i for i in with_data if not out[i]]
        if visible:
            out[min(visible, key=lambda i: (sizes[i], i))] = SECONDARY
    return out


def count_bounds(values: Sequence[int], hidden: Sequence[str | None]) -> tuple[int, int] | None:
    """The exact range a reader can give each hidden count of a column whose total is known.

    The reader knows the total, every published count, that counts are whole
    numbers and that a hidden count is not zero (zeros are published), unless
    zeros are hidden too: then a hidden count may be zero. With h hidden counts
    summing to R, each lies in [1, R - h + 1] (or [0, R]); None when nothing is hidden.
    """
    h = sum(1 for x in hidden if x)
    if not h:
        return None
    rest = sum(v for v, x in zip(values, hidden, strict=True) if x)
    if any(x and v == 0 for v, x in zip(values, hidden, strict=True)):
        return 0, rest
    return 1, rest - h + 1


def counts_protected(values: Sequence[int], hidden: Sequence[str | None], k: int) -> bool:
    """No hidden count can be worked out exactly, and none can be shown to be below `k`."""
    bounds = count_bounds(values, hidden)
    return bounds is None or (bounds[1] > bounds[0] and bounds[1] >= k)


def suppress_counts(values: Sequence[int], k: int, already: Sequence[str | None] | None = None) -> list[str | None]:
    """Which counts of one column to hide, when its total is known (published, or derivable elsewhere).

    Counts from 1 to k - 1 are hidden, and non-zero ones `already` hidden elsewhere; then the smallest published non-zero
    counts (first position on ties) until `counts_protected` holds. If even
    every non-zero count hidden is not enough (a tiny column), the column is
    hidden whole, zeros included: then no hidden count is known to be non-zero,
    and each lies anywhere from 0 to the total.
    """
    given = already or [None] * len(values)
    out: list[str | None] = [PRIMARY if 0 < v < k or (v and given[i]) else None for i, v in enumerate(values)]
    while not counts_protected(values, out, k):
        visible = [i for i, v in enumerate(values) if v > 0 and not out[i]]
        if not visible:
            return [x or SECONDARY for x in out]
        out[min(visible, key=lambda i: (values[i], i))] = SECONDARY
    return out


def _pooled(values: Sequence[float | None], weights: Sequence[float], chosen: Sequence[int]) -> float | None:
    total = sum(weights[i] for i in chosen)
    if not total:
        return None
    return sum(float(values[i] or 0.0) * weights[i] for i in chosen) / total


def suppress_measure(sizes: Sequence[int], values: Sequence[float | None], weights: Sequence[float], k: int,
                     scale: tuple[float, ...], already: Sequence[str | None] | None = None
                     ) -> tuple[list[str | None], bool]:
    """Which values of one column of rates or means to hide, and whether the overall figure gives them away.

    `suppress_column` first. A reader who knows the overall figure and every
    published group can pool the hidden groups; when that pooled value sits
    at an end of the `scale` (0% or 100%, a mean of 1 or 5), every hidden group
    has it too. So the published group on the fewest people whose value is
    not at that end is hidden as well, until the pool is off the end. When no
    such group is left, every group shares the overall value and the second
    result is True: the overall figure itself would give the hidden groups away.
    """
    out = suppress_column(sizes, k, already)
    with_data = [i for i, n in enumerate(sizes) if n > 0 and values[i] is not None]
    while True:
        hidden = [i for i in with_data if out[i]]
        if len(hidden) == 1 and len(with_data) == 1:
            return out, True  # the only group with data: the overall figure is its value
        pooled = _pooled(values, weights, hidden)
        end = next((e for e in scale if pooled is not None and abs(pooled - e) < 1e-9), None)
        if end is None:
            return out, False
        others = [i for i in with_data if not out[i] and abs(float(values[i] or 0.0) - end) >= 1e-9]
        if not others:
            return out, True
        out[min(others, key=lambda i: (sizes[i], i))] = SECONDARY
