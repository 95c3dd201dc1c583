"""Small-cell suppression: pure functions, no knowledge of mentoring.

A published count below `k` (the program's reports.min_group_size) could point
at a handful of people, so it is hidden ("primary" suppression). Hiding it is
not enough when totals are shown: a row total minus the visible cells of the
row gives it back, and so can a sum of rows minus a sum of columns. So further
values are hidden ("secondary" suppression) until no hidden value follows
from the published ones by any such arithmetic:

- every row and column (totals included) has no hidden value or at least two;
- and no hidden value is the only link between two groups of hidden values
  (in graph terms: the hidden values, seen as edges between the lines they
  belong to, form no bridge; a bridge is exactly a value that adding and
  subtracting lines gives back).

Zero cells are published (a zero points at nobody) and are used as
complements only when nothing else is left. The choice is deterministic: the
smallest non-zero value, then the first position.

    table = suppress([[12, 3], [9, 7]], k=5)
    table.cell_hidden == (("secondary", "primary"), ("secondary", "secondary"))
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

PRIMARY = "primary"
SECONDARY = "secondary"

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
        out = [v for row, hid in zip(self.cells, self.cell_hidden) for v, h in zip(row, hid) if not h]
        out += [v for v, h in zip(self.row_totals, self.row_hidden) if not h]
        out += [v for v, h in zip(self.col_totals, self.col_hidden) if not h]
        return out + ([self.total] if not self.total_hidden else [])


def _ends(element: tuple) -> tuple[tuple, tuple]:
    kind = element[0]
    if kind == "c":
        return ("R", element[1]), ("C", element[2])
    if kind == "r":
        return ("R", element[1]), ("MC",)
    if kind == "k":
        return ("C", element[1]), ("MR",)
    return ("MR",), ("MC",)


def suppress(counts: Sequence[Sequence[int]], k: int) -> SuppressedTable:
    """Hide counts below `k` (but above 0) and enough others that none can be worked out from the rest.

    A row or column whose total is below `k` is hidden as a whole: the group it
    stands for is too small to show at all.
    """
    cells = tuple(tuple(int(v) for v in row) for row in counts)
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    if any(len(row) != n_cols for row in cells):
        raise ValueError("every row needs the same number of columns")
    if any(v < 0 for row in cells for v in row):
        raise ValueError("counts cannot be negative")
    row_totals = tuple(sum(row) for row in cells)
    col_totals = tuple(sum(cells[i][j] for i in range(n_rows)) for j in range(n_cols))
    total = sum(row_totals)

    value: dict[tuple, int] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            value[("c", i, j)] = cells[i][j]
    for i in range(n_rows):
        value[("r", i)] = row_totals[i]
    for j in range(n_cols):
        value[("k", j)] = col_totals[j]
    value[("t",)] = total
    on_line: dict[tuple, list[tuple]] = defaultdict(list)
    for element in value:
        for line in _ends(element):
            on_line[line].append(element)

    def small(v: int) -> bool:
        return 0 < v < k

    hidden: dict[tuple, str] = {}
    for element, v in value.items():
        if small(v):
            hidden[element] = PRIMARY
    for i in range(n_rows):  # a small group: the whole row
        if small(row_totals[i]):
            hidden.update({("c", i, j): PRIMARY for j in range(n_cols)})
    for j in range(n_cols):
        if small(col_totals[j]):
            hidden.update({("c", i, j): PRIMARY for i in range(n_rows)})
    if small(total):
        hidden.update({element: PRIMARY for element in value})

    def cost(element: tuple) -> tuple:
        # non-zero values first (smallest loses least), then zeros; cells before totals at equal value
        return (value[element] == 0, value[element], element[0] != "c", element)

    while True:
        pick = _pendant(on_line, hidden, cost) or _bridge(on_line, value, hidden, cost)
        if pick is None:
            break
        hidden[pick] = SECONDARY

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


def _pendant(on_line, hidden, cost) -> tuple | None:
    """A value to hide on a line that has exactly one hidden value (which subtraction would give back)."""
    for line in sorted(on_line):
        elements = on_line[line]
        if sum(1 for e in elements if e in hidden) == 1:
            candidates = [e for e in elements if e not in hidden]
            if candidates:
                return min(candidates, key=cost)
    return None


def _bridge(on_line, value, hidden, cost) -> tuple | None:
    """A value to hide so that a hidden value linking two groups of hidden values no longer does so alone."""
    adjacent: dict[tuple, list[tuple]] = defaultdict(list)
    for e in hidden:
        a, b = _ends(e)
        adjacent[a].append(e)
        adjacent[b].append(e)
    for e in sorted(hidden):
        a, b = _ends(e)
        side_a = _reach(a, adjacent, skip=e)
        if b in side_a:
            continue
        side_b = _reach(b, adjacent, skip=e)
        candidates = [x for x in value if x not in hidden
                      and ((_ends(x)[0] in side_a and _ends(x)[1] in side_b)
                           or (_ends(x)[0] in side_b and _ends(x)[1] in side_a))]
        if candidates:
            return min(candidates, key=cost)
    return None


def _reach(start: tuple, adjacent: dict, skip: tuple) -> set[tuple]:
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
