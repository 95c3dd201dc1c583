"""The attacker of test_disclosure, taken further: row existence, nested measures, other tables, and the previous
publication.

The intruder solves exact integer programs (PuLP's CBC) with everything it knows:
- every published count and each column's total; that counts are whole numbers, never negative, and not zero
  when hidden (zeros are published); that a listed row holds somebody, and (the rule is documented) that each
  listed row holds at least k mentees;
- for promotions, every group's size, the published 12- and 18-month figures, and that nobody promoted within
  12 months is missing from the 18-month count;
- the comparison by format next to the programs' own pages;
- the publication before one more survey answer, or one more colleague, came in.
Each test first shows the attack working on what the kit published before (where that is a table it can
rebuild), then finds nothing on what it publishes now.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pulp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.metrics import format_breakdown, program_metrics
from mentorkit.metrics import measures as m
from mentorkit.metrics.breakdowns import _group_of
from mentorkit.metrics.context import build
from mentorkit.metrics.suppression import suppress_counts
from mentorkit.repo.load import load_workspace
from test_disclosure import attack_rates
from test_metrics_support import D, checkin, make_program, outcome, person, survey, workspace

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PuLP 3 announces its 4.0 API


def _integer(problem, name: str, low: int, high: int | None):
    """An integer variable of `problem`, on PuLP 4 (`add_variable`) and PuLP 3 (`LpVariable`) alike."""
    make = getattr(problem, "add_variable", None)
    return make(name, low, high, "Integer") if make else pulp.LpVariable(name, low, high, "Integer")


def _bounds(problem_of, target) -> tuple[int, int]:
    out = []
    for sense in (pulp.LpMinimize, pulp.LpMaximize):
        problem, variables = problem_of(sense)
        problem += variables[target]
        outcome = problem.solve(pulp.HiGHS(msg=False, threads=1))  # the solver every PuLP (3 and 4) runs here
        assert int(getattr(outcome, "status", outcome)) == 1  # optimal: PuLP 3 returns the code, PuLP 4 stats
        out.append(round(pulp.value(variables[target])))
    return out[0], out[1]


def attack_table(cells: list[list[int | None]], totals: list[int], *, mentees_at_least: int = 0,
                 whole_hidden: tuple[bool, ...] = ()) -> dict[tuple[int, int], tuple[int, int]]:
    """(smallest, largest) of each hidden count of a table whose rows are listed groups and columns known totals.

    `mentees_at_least`: what the reader knows of every listed row's first column (the kit's rule: k);
    `whole_hidden[c]`: column c is hidden whole, zeros too (its hidden counts may be zero).
    """
    hidden = [(i, c) for i, row in enumerate(cells) for c, v in enumerate(row) if v is None]

    def problem_of(sense):
        problem = pulp.LpProblem("attack", sense)
        x = {}
        for i, c in hidden:
            low = 0 if (whole_hidden and whole_hidden[c]) else 1
            x[(i, c)] = _integer(problem, f"x_{i}_{c}", low, None)
        value = {(i, c): x.get((i, c), cells[i][c]) for i in range(len(cells)) for c in range(len(totals))}
        for c, total in enumerate(totals):
            problem += pulp.lpSum(value[(i, c)] for i in range(len(cells))) == total
        for i in range(len(cells)):
            problem += pulp.lpSum(value[(i, c)] for c in range(len(totals))) >= 1  # the row is listed
            if mentees_at_least and (i, 0) in x:
                problem += x[(i, 0)] >= mentees_at_least
        return problem, x

    return {cell: _bounds(problem_of, cell) for cell in hidden}


def _assert_safe(found: dict, totals: list[int], k: int, where: object) -> None:
    for (_, c), (low, high) in found.items():
        assert low < high, (where, found)
        assert high >= min(k, totals[c]), (where, found)


def _published(b, ctx):
    """The count table of a breakdown as a reader sees it, and its column totals (known from the program)."""
    cells = [[None if cell.hidden else int(cell.value) for cell in row.counts] for row in b.rows]
    seekers = len(ctx.seekers)
    totals = [seekers] if len(b.columns) == 1 else [seekers, len(ctx.members) - seekers]
    if b.note.startswith("Counts the people enrolled by"):  # self-reported: the people enrolled by the start
        counted = {x for x, p in ctx.members.items() if p.joined is None or p.joined <= ctx.program.timeline.start}
        totals = [len(counted & ctx.seekers)] + ([len(counted - ctx.seekers)] if len(b.columns) == 2 else [])
    whole = tuple(all(row[c] is None for row in cells) for c in range(len(totals)))
    return cells, totals, whole


# --- row existence --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return load_workspace(REPO)


def test_row_existence_gave_lead_circles_mentors_away_before(demo):
    """The issue's table: each level listed with its own column suppression; a level with no mentees is listed
    because of its mentors, so its hidden mentor count is 1..4, below k."""
    ctx = build(demo, "lead-circles")
    levels = sorted({_group_of(p, "level") for p in ctx.members.values()}, key=int)
    mentees = [sum(1 for x, p in ctx.members.items() if _group_of(p, "level") == g and x in ctx.seekers) for g in levels]
    mentors = [sum(1 for x, p in ctx.members.items() if _group_of(p, "level") == g and x not in ctx.seekers)
               for g in levels]
    columns = [mentees, mentors]
    hidden = [suppress_counts(col, 5) for col in columns]
    cells = [[None if hidden[c][i] else columns[c][i] for c in range(2)] for i in range(len(levels))]
    whole = tuple(all(h[i] for i in range(len(levels))) for h in hidden)
    found = attack_table(cells, [sum(mentees), sum(mentors)], whole_hidden=whole)
    assert any(high < 5 for (_, c), (low, high) in found.items() if c == 1)


@pytest.mark.slow
def test_the_demo_tables_give_nothing_away(demo):
    checked = 0
    for pid in sorted(demo.programs):
        pm, ctx = program_metrics(demo, pid, attention=False), build(demo, pid)
        for b in pm.breakdowns:
            cells, totals, whole = _published(b, ctx)
            assert all(row[0] is not None and row[0] >= pm.min_group_size for row in cells), (pid, b.dimension)
            found = attack_table(cells, totals, mentees_at_least=pm.min_group_size, whole_hidden=whole)
            _assert_safe(found, totals, pm.min_group_size, (pid, b.dimension))
            checked += len(found)
            # match rate: hits are whole numbers of mentees; the overall figure is known when published
            if pm.measure("match_rate").value is not None and b.rows:
                j = b.measures.index("match_rate")
                results = [m.match_rate(ctx, s) for s in _row_people(ctx, b)]
                hidden = [r.measures[j].hidden for r in b.rows]
                for low, high in attack_rates([r.n for r in results],
                                              [round((r.value or 0) * r.n) for r in results], hidden):
                    assert low < high, (pid, b.dimension, "match_rate")
                    checked += 1
    assert checked >= 10  # the demo's tables hide mentor counts: the attack really ran


def _row_people(ctx, b) -> list[set[str]]:
    """The mentees behind each row; "Other" holds everyone the listed groups do not."""
    counted = ctx.seekers
    if b.note.startswith("Counts the people enrolled by"):
        start = ctx.program.timeline.start
        counted = {x for x in ctx.seekers if ctx.members[x].joined is None or ctx.members[x].joined <= start}
    shown = {r.group: {x for x in counted if _group_of(ctx.members[x], b.dimension) == r.group}
             for r in b.rows if r.group != "other"}
    rest = counted - set().union(*shown.values())
    return [shown.get(r.group, rest) for r in b.rows]


def _people(groups: list[tuple[int, int]]):
    """Mentees and mentors per department d0, d1, ...; mentors paired one to one with mentees where possible."""
    people, n = [], 0
    mentees, mentors = [], []
    for d, (a, b) in enumerate(groups):
        for _ in range(a):
            n += 1
            people.append(person(n, department=f"d{d}"))
            mentees.append(n)
        for _ in range(b):
            n += 1
            people.append(person(n, "mentor", department=f"d{d}"))
            mentors.append(n)
    return people, mentees, mentors


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9]), st.sampled_from([0, 1, 2, 3, 6])),
                min_size=2, max_size=6))
def test_no_listed_row_gives_a_count_away(groups):
    k = 5
    people, mentees, _ = _people(groups)
    if not mentees:
        return
    ws = workspace(make_program(reports={"min_group_size": k}), people)
    pm, ctx = program_metrics(ws, "p", attention=False), build(ws, "p")
    b = next((b for b in pm.breakdowns if b.dimension == "department"), None)
    if b is None or not b.rows:
        return
    cells, totals, whole = _published(b, ctx)
    assert all(row[0] is not None and row[0] >= k for row in cells)  # small groups are merged, never listed
    _assert_safe(attack_table(cells, totals, mentees_at_least=k, whole_hidden=whole), totals, k, groups)


# --- nested measures -------------------------------------------------------------------------------------------------


def _promotions(sizes: list[int], hits12: list[int], hits18: list[int], k: int = 5, unmatched=()):
    """Departments of mentees, matched from the start but for `unmatched[d]` in each; hits: promoted within
    12 (and 18) months, among the matched."""
    people, n, outcomes, pairs = [], 0, [], []
    for d, size in enumerate(sizes):
        for _ in range(unmatched[d] if unmatched else 0):
            n += 1
            people.append(person(n, department=f"d{d}"))
        for i in range(size):
            n += 1
            people.append(person(n, department=f"d{d}"))
            people.append(person(500 + n, "mentor", department="m"))
            pairs.append((n, 500 + n, "approved"))
            if i < hits12[d]:
                outcomes.append(outcome(n, "promotion", D(2026, 6, 1)))
            elif i < hits18[d]:
                outcomes.append(outcome(n, "promotion", D(2027, 3, 1)))
    outcomes.append(outcome(1, "role-change", D(2027, 8, 1)))  # the records run past both windows
    program = make_program(timeline={"start": "2026-01-01", "end": "2026-12-31"}, reports={"min_group_size": k})
    return workspace(program, people, pairs=pairs, outcomes=outcomes,
                     checkins=[checkin(a, b, D(2026, 2, 1)) for a, b, _ in pairs])


def attack_nested(sizes, pm, b, published_18m=None):
    """(fewest, most) promoted within 12 months in each hidden group (of `sizes` matched mentees), from everything
    published (`published_18m`: as if the 18-month figure were published with that value)."""
    j = b.measures.index("promotion_rate_12m")
    m12, m18 = pm.measure("promotion_rate_12m"), pm.measure("promotion_rate_18m")
    if published_18m is not None:
        m18 = replace(m18, value=published_18m)
    secret = [i for i, row in enumerate(b.rows) if row.measures[j].hidden]

    def problem_of(sense):
        problem = pulp.LpProblem("nested", sense)
        h12 = [_integer(problem, f"a{i}", 0, sizes[i]) for i in range(len(sizes))]
        h18 = [_integer(problem, f"b{i}", 0, sizes[i]) for i in range(len(sizes))]
        for i, row in enumerate(b.rows):
            problem += h12[i] <= h18[i]
            if not row.measures[j].hidden:
                problem += h12[i] == round(row.measures[j].value * sizes[i])
        if m12.value is not None:
            problem += pulp.lpSum(h12) == round(m12.value * sum(sizes))
        if m18.value is not None:
            problem += pulp.lpSum(h18) == round(m18.value * sum(sizes))
        return problem, h12

    return [_bounds(problem_of, i) for i in secret]


def test_18_months_at_0_gave_the_hidden_12_month_figure_away_and_now_is_hidden():
    """The issue's case: every group 0% at 12 months, one group's figure hidden (three of its six mentees were
    matched), and "18 months: 0%" published beside the hidden 12-month figure."""
    ws = _promotions([6, 6, 3], [0, 0, 0], [0, 0, 0], unmatched=[0, 0, 3])
    pm = program_metrics(ws, "p", attention=False)
    b = next(b for b in pm.breakdowns if b.dimension == "department")
    assert b.rows[2].measures[b.measures.index("promotion_rate_12m")].hidden
    assert pm.measure("promotion_rate_12m").value is None
    m18 = pm.measure("promotion_rate_18m")
    assert m18.value is None and m18.status == "suppressed" and "Promoted within 12 months" in m18.note
    # the attack on what was published before: the 18-month figure of 0% pins every hidden group at 0
    sizes = [6, 6, 3]
    before = attack_nested(sizes, pm, b, published_18m=0.0)
    assert before and all(low == high == 0 for low, high in before)
    assert all(low < high for low, high in attack_nested(sizes, pm, b))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([2, 3, 5, 6, 8]), st.integers(0, 8), st.integers(0, 8)), min_size=2,
                max_size=4))
def test_nested_promotions_give_no_hidden_group_away(groups):
    sizes = [s for s, _, _ in groups]
    hits12 = [min(a, s) for s, a, _ in groups]
    hits18 = [max(h, min(b, s)) for h, (s, _, b) in zip(hits12, groups, strict=True)]
    # groups of fewer than five matched mentees get unmatched colleagues: listed, with a hidden figure
    ws = _promotions(sizes, hits12, hits18, unmatched=[max(0, 5 - s) for s in sizes])
    pm = program_metrics(ws, "p", attention=False)
    b = next(b for b in pm.breakdowns if b.dimension == "department")
    if [r.group for r in b.rows] != [f"d{d}" for d in range(len(sizes))]:
        return  # groups merged into "other": the rows are not the departments the attack assumes any more
    for low, high in attack_nested(sizes, pm, b):
        assert low < high, (groups, pm.measure("promotion_rate_12m").value, pm.measure("promotion_rate_18m").value)


# --- other tables: the comparison by format ----------------------------------------------------------------------


def _two_programs():
    """"a" (one-to-one) hides its satisfaction: everyone who answered gave 5, and only two in sales answered.
    "b" (peer) publishes its own. Each is the only program of its format."""
    people = [person(n, department="eng", programs=("p",)) for n in range(1, 7)]
    people += [person(n, department="sales", programs=("p",)) for n in range(7, 13)]
    people += [person(n, "mentor", department="ops", programs=("p",)) for n in range(21, 33)]
    people += [person(n, department="eng", programs=("b",)) for n in range(41, 49)]
    answers = [survey(n, "pulse", D(2026, 3, 1), satisfaction=5) for n in range(1, 9)]
    answers += [survey(n, "pulse", D(2026, 3, 1), satisfaction=3 + n % 2, program="b") for n in range(41, 49)]
    checkins = [checkin(n, n + 20, D(2026, 2, 10)) for n in range(1, 13)] + [checkin(1, 21, D(2026, 4, 1))]
    checkins += [checkin(n, n + 1, D(2026, 4, 1), program="b") for n in range(41, 48, 2)]
    ws = workspace(make_program(reports={"min_group_size": 5}), people, surveys=answers, checkins=checkins,
                   pairs=[(n, n + 20, "approved") for n in range(1, 13)],
                   extra_programs={"b": make_program(format="peer", reports={"min_group_size": 5})})
    return ws


def test_the_format_table_does_not_repeat_a_figure_its_program_hides():
    """Before, the format row of a program alone in its format was that program's figures (the issue's mosaic
    match rate of 100%, which gave away every hidden group of career-mosaic)."""
    ws = _two_programs()
    a, b = (program_metrics(ws, pid, attention=False) for pid in ("p", "b"))
    assert a.measure("satisfaction").status == "suppressed" and b.measure("satisfaction").value is not None
    formats = format_breakdown(ws)
    j = formats.measures.index("satisfaction")
    row = {r.group: r for r in formats.rows}
    assert row["one-to-one"].measures[j].hidden  # would be 5.00: program a's hidden figure
    # and the one other format's figure with it: else the pooled figure of all programs would give it back
    assert row["peer"].measures[j].hidden == "secondary"
    assert row["peer"].counts[0].value == 8


@pytest.mark.slow
def test_no_format_cell_repeats_a_figure_a_program_hides(demo):
    results = [program_metrics(demo, pid, attention=False) for pid in sorted(demo.programs)]
    formats = format_breakdown(demo, results)
    for pm in results:
        fmt = demo.program(pm.program).format.value
        row = next(r for r in formats.rows if r.group == fmt)
        for x, cell in zip(formats.measures, row.measures, strict=True):
            if pm.measure(x).status == "suppressed":
                assert cell.hidden, (pm.program, x)


# --- the previous publication --------------------------------------------------------------------------------------


def _survey_program(extra=(), extra_people=(), records_to=D(2026, 6, 5)):  # noqa: B008 - a date is immutable
    """Twelve mentees answered a pulse survey in March; check-ins run on to `records_to`."""
    people = [person(n, gender="woman" if n % 2 else "man", joined=D(2025, 12, 1)) for n in range(1, 13)]
    people += [person(n, "mentor") for n in range(21, 33)] + list(extra_people)
    answers = [survey(n, "pulse", D(2026, 3, 2), satisfaction=3 + n % 3, nps=6 + n % 5) for n in range(1, 13)]
    return workspace(make_program(reports={"min_group_size": 5}), people, surveys=answers + list(extra),
                     checkins=[checkin(n, n + 20, d) for n in range(1, 13) for d in (D(2026, 2, 5), records_to)])


def _figures(ws):
    pm = program_metrics(ws, "p", attention=False)
    return tuple((x, pm.measure(x).value, pm.measure(x).n, pm.measure(x).status, pm.measure(x).note)
                 for x in ("satisfaction", "nps", "confidence_change"))


@pytest.mark.parametrize(("day", "records_to"), [
    (D(2026, 5, 20), D(2026, 6, 5)),  # a new round, still open: not published yet
    (D(2026, 6, 5), D(2026, 6, 5)),  # the latest record of all
    (D(2026, 5, 20), D(2026, 7, 30)),  # a new round of one answer, closed: hidden, whatever the answer
])
def test_one_new_survey_answer_is_not_recoverable_from_two_publications(day, records_to):
    """Before: mean x n of two publications gave the new answer (and the promoter count its NPS class). Now
    the figures come from one closed round of at least k answers: whatever the new answer, the same figures."""
    after = {(s, r): _figures(_survey_program([survey(13, "pulse", day, satisfaction=s, nps=r, confidence=s)],
                                              [person(13, joined=D(2025, 12, 1))], records_to))
             for s in (1, 3, 5) for r in (0, 8, 10)}
    assert len(set(after.values())) == 1, "the published figures depend on the new answer"
    figures = next(iter(after.values()))
    before = _figures(_survey_program(records_to=records_to))
    if records_to == D(2026, 6, 5):
        assert figures[:2] == before[:2]  # nothing published changed
    else:
        assert figures[0][1] is None and figures[0][3] == "suppressed"  # the lone round: hidden


def test_the_old_running_mean_gave_the_answer_away():
    """The attack itself, on running means (each person's latest answer): it recovers the answer exactly."""
    def running_mean(answers):
        return sum(answers) / len(answers), len(answers)

    base = [3 + n % 3 for n in range(1, 13)]
    for new in range(1, 6):
        (m1, n1), (m2, n2) = running_mean(base), running_mean([*base, new])
        assert round(m2 * n2 - m1 * n1) == new  # what the kit must not publish


@pytest.mark.parametrize("gender", ["woman", "man", "non-binary", None])
def test_a_colleague_joining_later_changes_no_self_reported_table(gender):
    before = program_metrics(_survey_program(), "p", attention=False)
    joiner = person(40, gender=gender, age_band="25-34", underrepresented="yes", joined=D(2026, 4, 1))
    after = program_metrics(_survey_program(extra_people=[joiner]), "p", attention=False)
    for dim in ("gender", "age_band", "underrepresented"):
        old = next((b for b in before.breakdowns if b.dimension == dim), None)
        new = next((b for b in after.breakdowns if b.dimension == dim), None)
        assert old == new, dim
    department = next(b for b in after.breakdowns if b.dimension == "department")
    assert department.totals[0].value == 13  # they are counted where their answers play no part


def test_before_the_start_no_self_reported_table_is_shown():
    people = [person(n, gender="woman", joined=D(2025, 12, 1)) for n in range(1, 13)]
    ws = workspace(make_program(reports={"min_group_size": 5}), people,
                   surveys=[survey(1, "baseline", D(2025, 12, 20), confidence=3)])
    pm = program_metrics(ws, "p", attention=False)
    assert {b.dimension for b in pm.breakdowns} == {"department", "level"}


@pytest.mark.parametrize("records_to", [D(2026, 7, 5), D(2026, 8, 1)])
def test_skill_ratings_wait_for_the_whole_final_round(records_to):
    """Ratings carry no date: while the final round may still grow, one more final rating would change the
    published change by that person's own change. The figures wait for the round to close (21 days after the
    end without a survey calendar), then describe the whole round."""
    from test_metrics_support import rating

    def figures(extra):
        ratings = [r for n in range(1, 7) for r in (rating(n, "baseline", "sql", 2), rating(n, "final", "sql", 3))]
        ws = _survey_program(records_to=records_to)
        ws.skill_ratings = ratings + [rating(7, "baseline", "sql", 2), *extra]
        pm = program_metrics(ws, "p", attention=False)
        return pm.measure("proficiency_change"), pm.skills

    outcomes = {f: figures([rating(7, "final", "sql", f)]) for f in (1, 3, 5)}
    if records_to < D(2026, 7, 21):
        assert len({(m.value, m.note, s) for m, s in outcomes.values()}) == 1
        m, skills = outcomes[1]
        assert m.value is None and "once the final survey has closed, on 21 July 2026" in m.note and skills == ()
    else:
        assert outcomes[1][0].value == pytest.approx((6 - 1) / 7)  # the whole round: seven people


@pytest.mark.parametrize(("mentees", "shown", "other"), [
    ({"a": 9, "b": 6, "c": 2, "d": 1}, ["a"], ["b", "c", "d"]),  # 3 under k: the smallest shown joins
    ({"a": 9, "b": 6, "c": 2, "d": 3}, ["a", "b"], ["c", "d"]),  # Other holds 5: enough
    ({"a": 9, "b": 6, "c": 0}, ["a"], ["b", "c"]),  # mentors only: Other would list them without mentees
    ({"a": 9, "b": 6}, ["a", "b"], []),
    ({"a": 3, "b": 1}, [], ["a", "b"]),  # nothing reaches k: no rows at all
])
def test_small_groups_merge_into_other(mentees, shown, other):
    from mentorkit.metrics.breakdowns import merge_small

    assert merge_small(list(mentees), mentees, 5) == (shown, other)


def test_the_tables_say_who_they_count():
    ws = _survey_program(extra_people=[person(50 + n, department="sales", gender="non-binary") for n in range(2)])
    pm = program_metrics(ws, "p", attention=False)
    gender = next(b for b in pm.breakdowns if b.dimension == "gender")
    # two non-binary mentees are not listed (nor hidden); with six men (the later of two groups of six) they
    # make an Other row of eight
    assert [(r.label, r.counts[0].value) for r in gender.rows] == [("Woman", 6), ("Other answers", 8)]
    assert gender.note == ("Counts the people enrolled by the program start, 1 January 2026. \"Other answers\" counts "
                           "together every group of fewer than 5 mentees, and the next smallest so that it holds at "
                           "least 5.")


def test_a_report_shares_each_program_context_without_changing_a_figure():
    """`report` builds each program's context once for its measures and the format table; the same figures,
    hidden cells included, as each computed from a context of its own."""
    from mentorkit.metrics import report, to_json

    ws = _two_programs()
    results = [program_metrics(ws, pid) for pid in sorted(ws.programs)]
    assert report(ws, fmt="json") == to_json(results, attention=True, formats=format_breakdown(ws))
