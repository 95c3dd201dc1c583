"""Text, JSON and Markdown renderings: deterministic, rounded, sorted; attention only when asked for."""

from __future__ import annotations

import json

import pytest

from mentorkit.metrics import (
    format_breakdown,
    format_value,
    program_metrics,
    report,
    to_json,
    to_markdown,
    to_text,
)
from mentorkit.model import Metric
from test_metrics_support import D, checkin, goal, make_program, person, pseudo, survey, workspace


def build():
    program = make_program(goals=[goal("meetings_per_pair_month", 0.9)], reports={"min_group_size": 2})
    people = [person(1, department="eng"), person(2, department="eng"), person(3, department="ops"),
              person(11, "mentor", department="ops"), person(12, "mentor", department="eng")]
    pairs = [(1, 11, "approved"), (2, 12, "approved"), (3, 11, "approved")]
    checkins = [checkin(1, 11, D(2026, 1, 20)), checkin(2, 12, D(2026, 2, 20)), checkin(1, 11, D(2026, 3, 3))]
    surveys = [survey(n, "pulse", D(2026, 3, 1), satisfaction=4, nps=9) for n in (1, 2, 11)]
    return workspace(program, people, pairs=pairs, checkins=checkins, surveys=surveys)


@pytest.mark.parametrize("unit, value, text", [
    ("share", 0.925, "92.5%"), ("share", 0.5, "50%"), ("days", 40.0, "40 days"), ("per_month", 0.81529, "0.82"),
    ("score", 4.1, "4.10"), ("nps", 20.0, "+20"), ("nps", -7.6, "-8"), ("nps", 0.2, "0"),
    ("change", 1.25, "+1.25"), ("change", -0.5, "-0.50"), ("points", 0.05, "+5.0 points"),
    ("points", -0.016, "-1.6 points"), ("percent", 525.0, "525%"), ("money", -34549.2, "-EUR 34,549"),
    ("share", None, "no data"),
])
def test_format_value(unit, value, text):
    assert format_value(unit, value, "EUR") == text


def test_json_is_sorted_rounded_and_complete():
    pm = program_metrics(build(), "p")
    text = to_json(pm)
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert [m["id"] for m in data["measures"]] == [m.value for m in Metric]
    assert data["as_of"] == "2026-03-03"
    meetings = next(m for m in data["measures"] if m["id"] == "meetings_per_pair_month")
    # 3 meetings over 3 pairs x 61 days (2026-01-01 .. 2026-03-03): 3 x 30.4375 / 183 = 0.498975.. -> 0.499
    assert meetings["value"] == 0.499
    assert meetings["goal"] == "g1" and meetings["status"] == "not-met"
    assert {b["dimension"] for b in data["breakdowns"]} == {"department", "level"}
    assert "attention" in data
    assert "attention" not in json.loads(to_json(pm, attention=False))


def test_outputs_are_deterministic():
    a, b = program_metrics(build(), "p"), program_metrics(build(), "p")
    for render in (to_text, to_json, to_markdown):
        assert render(a) == render(b)


def test_text_lists_every_measure_by_level():
    text = to_text(program_metrics(build(), "p"))
    for heading in ("Process", "Level 1, reaction", "Level 2, learning", "Level 3, behaviour", "Level 4, results"):
        assert f"\n{heading}\n" in text
    assert "Records up to 2026-03-03" in text
    assert "Meetings per pair per month" in text and "the cadence asks for 1.00" in text


def test_markdown_for_the_ci_summary():
    md = to_markdown(program_metrics(build(), "p"))
    assert md.startswith("## Test program\n")
    assert "| Level | Measure | Value | Target | Status | n | Note |" in md
    assert "### Pairs needing attention (1)" in md  # 3-11 never met
    assert pseudo(3) in md


def test_report_for_all_programs_adds_the_format_comparison():
    ws = build()
    text = report(ws, fmt="markdown", attention=False)
    assert "## Programs by format" in text and "mk-" not in text
    data = json.loads(report(ws, fmt="json"))
    assert [p["program"] for p in data["programs"]] == ["p"]
    assert data["formats"]["rows"][0]["group"] == "one-to-one"
    with pytest.raises(ValueError):
        report(ws, fmt="yaml")


def test_format_comparison_pools_programs_of_a_format():
    ws = build()
    other = make_program(title="Other", reports={"min_group_size": 2})
    ws.programs["q"] = other
    ws.participants.update({p.pseudonym: p for p in [person(21, programs=("q",)), person(22, programs=("q",)),
                                                     person(31, "mentor", programs=("q",))]})
    ws.checkins.append(checkin(21, 31, D(2026, 2, 1), program="q"))
    b = format_breakdown(ws)
    row = b.rows[0]
    # one-to-one: p has 3 mentees (3 matched), q has 2 (1 matched, from its check-ins): 4 / 5 = 0.8
    assert row.counts[0].value == 5
    assert row.measures[b.measures.index("match_rate")].value == pytest.approx(0.8)
