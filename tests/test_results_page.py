"""The public results page: aggregates only, suppressed, with charts that have their data tables."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import markdown
import pytest

from mentorkit.site.results import render_results_page
from test_metrics_support import D, checkin, goal, goal_record, make_program, outcome, person, pseudo, rating, survey, workspace

K = 5
DEPARTMENTS = [("eng", 14, 6), ("sales", 9, 3), ("finance", 3, 1), ("legal", 0, 2)]  # (id, mentees, mentors)
GENDERS = ["woman", "man", "woman", "man", None, "woman", "man", "non-binary"]


def build():
    program = make_program(
        eligible_population=120,
        timeline={"start": "2026-01-05", "end": "2026-12-18"},
        goals=[goal("proficiency_change", 0.8), goal("retention_difference", 0.05, "g2")],
        targets={"match_rate": 0.9, "meetings_per_pair_month": 0.8, "satisfaction": 4.0, "nps": 30,
                 "completion_rate": 0.8},
        comparison={"period_start": "2026-01-01", "period_end": "2026-12-31", "headcount": 900, "leavers": 117,
                    "promotions": 70},
        roi={"replacement_cost": 45000, "productivity_value": 1500,
             "costs": {"staff_time": 20000, "platform": 1000, "materials": 1000, "events": 3000,
                       "participant_hour_value": 55}},
        reports={"min_group_size": K},
    )
    people, mentees, mentors = [], [], []
    n = 0
    for dept, n_mentees, n_mentors in DEPARTMENTS:
        for _ in range(n_mentees):
            n += 1
            people.append(person(n, department=dept, level=1 + n % 4, gender=GENDERS[n % len(GENDERS)],
                                 team=f"team-{dept}-x"))
            mentees.append(n)
        for _ in range(n_mentors):
            n += 1
            people.append(person(n, "mentor", department=dept, level=6 + n % 2, gender=GENDERS[n % len(GENDERS)],
                                 team=f"team-{dept}-y"))
            mentors.append(n)
    pairs, checkins, surveys, ratings, goals, outcomes = [], [], [], [], [], []
    for i, mentee in enumerate(mentees):
        if i % 13 == 12:
            continue  # a few mentees are not matched
        mentor = mentors[i % len(mentors)]
        pairs.append((mentee, mentor, "approved"))
        last_month = 9 if i % 5 == 0 else 11  # every fifth pair went quiet in September
        checkins += [checkin(mentee, mentor, D(2026, m, 10), health=4) for m in range(2, last_month + 1)]
        surveys.append(survey(mentee, "baseline", D(2026, 1, 8), confidence=2 + i % 2))
        surveys.append(survey(mentee, "final", D(2026, 12, 1), satisfaction=3 + i % 3, nps=5 + i % 6,
                              confidence=3 + i % 3))
        ratings += [rating(mentee, "baseline", "sql", 2), rating(mentee, "final", "sql", 3 + i % 2)]
        if i % 4 == 0:
            ratings += [rating(mentee, "baseline", "python", 1), rating(mentee, "final", "python", 2)]
        goals.append(goal_record(f"g-{i}", mentee, ["achieved", "partly-achieved", "not-achieved"][i % 3],
                                 D(2026, 11, 1)))
        if i % 7 == 3:
            outcomes.append(outcome(mentee, "promotion", D(2026, 9, 1)))
    outcomes.append(outcome(mentees[5], "departure", D(2026, 10, 1)))
    outcomes.append(outcome(mentees[0], "role-change", D(2027, 1, 15)))  # the final survey round is complete
    return workspace(program, people, pairs=pairs, checkins=checkins, surveys=surveys, ratings=ratings,
                     goals=goals, outcomes=outcomes)


@pytest.fixture(scope="module")
def page():
    return render_results_page(build(), "p")


def md_tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of the page as rows of cells (header first, separator dropped)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if not all(set(c) <= {"-"} for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    return tables


def count_tables(text: str):
    """People by group: one column per role, and a Total row (rows have no total of their own)."""
    return [t for t in md_tables(text) if t[0][1:] in (["Mentees", "Mentors"], ["Participants"])]


def test_no_pseudonyms_team_codes_or_attention(page):
    assert not re.search(r"mk-[0-9a-f]{8}", page)
    assert "team-" not in page
    assert "attention" not in page.lower()


def test_data_date_comes_from_the_records(page):
    # the latest record is an outcome of 15 January 2027, after the program's end on 18 December: capped there
    assert "Records up to 18 December 2026" in page


def test_deterministic(page):
    assert render_results_page(build(), "p") == page


def test_sections(page):
    for heading in ("## Goals", "## Leading indicators", "## Lagging indicators", "### Retention",
                    "### Return on investment", "## Charts", "## By group", "### By department", "### By level",
                    "### By gender (self-reported)", "### Skill proficiency, before and after"):
        assert heading in page
    assert "### By age band" not in page  # nobody gave an age band: no empty breakdown


def test_no_published_count_below_threshold(page):
    tables = count_tables(page)
    assert len(tables) >= 3
    for table in tables:
        for row in table[1:]:
            for cell in row[1:]:
                if cell != "hidden":
                    assert int(cell) == 0 or int(cell) >= K, (table[0][0], row)
    assert any("hidden" in row for table in tables for row in table)  # the fixture has small groups


def test_no_hidden_count_recoverable_from_totals_on_the_page(page):
    for table in count_tables(page):
        assert table[-1][0] == "Total"
        body = [row[1:] for row in table[1:]]  # group rows, then the Total row
        n_cols = len(body[0])
        for j in range(n_cols):
            column = [row[j] for row in body]
            hidden = column.count("hidden")
            # the Total minus the visible cells gives back a hidden cell only if it is the only one hidden
            assert hidden != 1, (table[0][0], table[0][j + 1], column)


def test_measures_never_hide_a_single_group(page):
    for table in md_tables(page):
        if not table[0][0].endswith(": mentees"):
            continue
        for j in range(1, len(table[0])):
            column = [row[j] for row in table[1:]]
            assert column.count("hidden") != 1, (table[0][0], table[0][j])


def test_headline_values_worked_out_by_hand(page):
    # 26 mentees (14 + 9 + 3); i = 12 and 25 are not matched -> 24 / 26 = 92.3%, target 90%: met
    match = next(r for table in md_tables(page) for r in table if len(r) > 2 and r[0] == "Match rate")
    assert match[1] == "92.3% (met)", "the status sits beside the value"
    # participation: 26 mentees + 12 mentors = 38 / 120 = 31.7%
    part = next(r for table in md_tables(page) for r in table if len(r) > 2 and r[0] == "Participation rate")
    assert part[1] == "31.7%"


def test_charts_have_titles_descriptions_and_tables(page):
    figures = re.findall(r'<figure class="mk-figure" id="([^"]+)">(.*?)</figure>\n\n(\|.*?)\n\n', page, re.S)
    assert {f[0] for f in figures} >= {"chart-p-rates", "chart-p-meetings", "chart-p-skills", "chart-p-nps"}
    for chart_id, svg, table in figures:
        assert 'role="img"' in svg
        assert f'<title id="{chart_id}-title">' in svg and f'<desc id="{chart_id}-desc">' in svg
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert "<script" not in svg
        assert svg.index("<figcaption>") < svg.index("<svg"), "the chart's title is above it"
        drawing = ElementTree.fromstring(svg[svg.index("<svg"):svg.index("</svg>") + 6])  # well-formed XML
        texts = [e.text for e in drawing.iter("{http://www.w3.org/2000/svg}text")]
        assert sum(1 for x in texts if x and x[0].isdigit()) >= 2, "the axis has numbered ticks"
        assert "\n\n" not in svg  # one HTML block for Markdown
        assert table.startswith("| ")


def test_page_renders_as_html(page):
    html = markdown.markdown(page, extensions=["tables", "md_in_html", "admonition", "attr_list"])
    assert html.count("<svg") == 4
    assert "&lt;svg" not in html and "&lt;figure" not in html
    assert html.count("<table>") == len(md_tables(page))


def test_small_program_hides_its_breakdowns():
    program = make_program(reports={"min_group_size": 5})
    people = [person(1, department="eng"), person(2, department="eng"), person(3, "mentor", department="hr")]
    ws = workspace(program, people, pairs=[(1, 3, "approved")], checkins=[checkin(1, 3, D(2026, 2, 1))])
    text = render_results_page(ws, "p")
    assert "Every group is smaller than 5 people" in text
    assert "chart-p-meetings" not in text  # fewer than 5 pairs: no meeting counts either
    assert not re.search(r"mk-[0-9a-f]{8}", text)
    assert pseudo(1) not in text


def test_each_goal_has_its_own_target_and_status():
    program = make_program(goals=[goal("satisfaction", 4.5), goal("satisfaction", 3.5, "g2")])
    people = [person(1), person(2), person(11, "mentor")]
    ws = workspace(program, people, surveys=[survey(n, "final", D(2026, 6, 1), satisfaction=4) for n in (1, 2)],
                   outcomes=[outcome(1, "role-change", D(2026, 6, 30))])  # the round is complete
    lines = re.findall(r"^    Satisfaction \(1 to 5\): \*\*(.+?)\*\*; target (\S+),", render_results_page(ws, "p"), re.M)
    # mean satisfaction 4.0: below the first goal's 4.5, above the second's 3.5
    assert lines == [("4.00 (not met)", "4.50"), ("4.00 (met)", "3.50")]


def test_chart_with_negative_values_draws_left_of_the_axis():
    from mentorkit.site.charts import Bar, bar_chart

    svg = bar_chart("c", "Change", "Two bars.", [Bar("up", 1.0, "+1.00"), Bar("down", -1.0, "-1.00")])
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    rects = root.findall(f".//{ns}rect")
    axis = max((line for line in root.findall(f".//{ns}line") if line.get("x1") == line.get("x2")),
               key=lambda line: float(line.get("y2")) - float(line.get("y1")))
    zero = float(axis.get("x1"))
    # "up" starts at the axis; "down" ends there
    assert float(rects[0].get("x")) == zero
    assert float(rects[1].get("x")) + float(rects[1].get("width")) == zero
    assert root.find(f"{ns}title").text == "Change" and root.find(f"{ns}desc").text == "Two bars."



def test_value_labels_never_meet_the_target_line():
    from mentorkit.site.charts import Bar, bar_chart

    # a value just past its target: the old layout pushed the value's text over the dashed line
    svg = bar_chart("c", "Rates", "One bar.", [Bar("Match rate", 91, "91%", target=90, target_text="90%")],
                    scale=(0, 100), suffix="%")
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    target = next(line for line in root.iter(f"{ns}line") if line.get("stroke-dasharray") and
                  float(line.get("y2")) - float(line.get("y1")) > 16)
    value = next(e for e in root.iter(f"{ns}text") if e.text == "91%")
    assert float(value.get("y")) + 2 <= float(target.get("y1")), "the value is on the label's line, above the bar"
    assert [e.text for e in root.iter(f"{ns}text") if e.text and e.text.endswith("%") and e.text != "91%"] == \
        ["0%", "25%", "50%", "75%", "100%"]


def test_notes_are_plain_language_and_empty_tables_collapse():
    from mentorkit.site.results import plain_note

    assert plain_note("no manager feedback yet: import the manager feedback form (forms/manager-feedback.md) with "
                      "`mentorkit import-manager-feedback`") == "No manager feedback yet."
    assert plain_note("the program file schedules no surveys (surveys:)") == "No surveys."
    assert plain_note("interim: the program runs until 2026-12-18") == "Interim: the program runs until 18 December 2026."
    program = make_program()
    ws = workspace(program, [person(1), person(11, "mentor")])
    text = render_results_page(ws, "p")
    assert "`" not in text and "mentorkit " not in text and "(surveys:)" not in text
    assert "no data |" not in text, "measures without data are one sentence, not rows of 'no data'"
    assert "No data yet: " in text


def test_page_text_has_no_commands_or_field_names(page):
    assert "`" not in page.split("## Charts")[0]
    assert not re.search(r"\([a-z_]+:\)", page)


def test_a_measures_table_with_nothing_to_show_is_one_sentence():
    from mentorkit.metrics.model import Breakdown, BreakdownRow, Cell
    from mentorkit.site.results import _breakdown

    rows = (BreakdownRow("eng", "Engineering <R&D>", (Cell(6), Cell(5)), (Cell(None, "primary"), Cell(None))),
            BreakdownRow("hr", "People", (Cell(7), Cell(5)), (Cell(None, "secondary"), Cell(None))))
    b = Breakdown("department", "Department", ("Mentees", "Mentors"), ("match_rate", "satisfaction"), rows,
                  (Cell(13), Cell(10)))
    text = "\n".join(_breakdown(b, K))
    assert len(md_tables(text)) == 1, "the counts stay; the measures table of only 'hidden' and 'no data' goes"
    assert "all hidden or without data yet" in text
    assert "Engineering &lt;R&amp;D&gt;" in text, "group labels are shown as written, never as markup"
