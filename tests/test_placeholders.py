"""`{{ name }}` placeholders: found outside code only, filled in one pass, unknown ones reported with a hint."""

from __future__ import annotations

import pytest

from mentorkit.text import placeholders as ph

VALUES = {
    "mk.grow.cadence": "monthly",
    "mk.grow.session_minutes": "60",
    "mk.grow.title": "Grow",
    "mk.connect.cadence": "fortnightly",
    "mk.link": lambda page: f"[calendar]({'../' if '/' in page else ''}calendar.md)",
    "mk.tricky": "{{ mk.grow.cadence }}",
}


def render(text, **kw):
    return ph.render(text, VALUES, file="docs/page.md", **kw)


def test_fills_values_with_or_without_spaces():
    out, problems = render("We meet {{ mk.grow.cadence }} for {{mk.grow.session_minutes}} minutes.")
    assert out == "We meet monthly for 60 minutes."
    assert problems == []


def test_text_without_placeholders_is_unchanged():
    text = "No braces here, only { single } ones and a }} stray pair.\n"
    assert render(text) == (text, [])


def test_link_values_are_relative_to_the_page():
    assert render("See the {{ mk.link }}.", page="handbooks/mentor.md")[0] == "See the [calendar](../calendar.md)."
    assert render("See the {{ mk.link }}.", page="index.md")[0] == "See the [calendar](calendar.md)."


def test_single_pass_values_are_not_expanded_again():
    assert render("{{ mk.tricky }}")[0] == "{{ mk.grow.cadence }}"


def test_inline_code_and_fences_are_left_alone():
    text = (
        "Write `{{ mk.grow.cadence }}` to show the cadence: {{ mk.grow.cadence }}.\n"
        "``code with ` and {{ mk.nope }}``\n"
        "```yaml\n"
        "x: {{ mk.unknown }}\n"
        "```\n"
        "    ~~~\n"
        "    {{ mk.also_unknown }}\n"
        "    ~~~\n"
        "After: {{ mk.grow.title }}\n"
    )
    out, problems = render(text)
    assert problems == []
    assert "`{{ mk.grow.cadence }}` to show the cadence: monthly." in out
    assert "{{ mk.nope }}" in out and "{{ mk.unknown }}" in out and "{{ mk.also_unknown }}" in out
    assert out.endswith("After: Grow\n")


def test_unmatched_backtick_does_not_hide_placeholders():
    out, problems = render("a ` stray backtick then {{ mk.grow.cadence }}")
    assert out == "a ` stray backtick then monthly"
    assert problems == []


def test_unclosed_fence_protects_the_rest_like_markdown():
    out, problems = render("```\n{{ mk.unknown }}\n")
    assert problems == [] and "{{ mk.unknown }}" in out


def test_unknown_placeholder_reports_file_line_column_and_did_you_mean():
    text = "line one\nline two has {{ mk.grow.cadance }} here\n"
    out, problems = render(text, line_offset=3)
    assert out == text  # left as written
    [p] = problems
    assert (p.file, p.code, p.line, p.column) == ("docs/page.md", "unknown-placeholder", 5, 14)
    assert "mk.grow.cadance" in p.message
    assert p.hint == "did you mean '{{ mk.grow.cadence }}'?"
    assert p.where == "docs/page.md:5:14"


def test_unknown_program_suggests_the_close_one_and_unknown_field_lists_fields():
    [p] = render("{{ mk.conect.cadence }}")[1]
    assert p.hint == "did you mean '{{ mk.connect.cadence }}'?"
    [p] = render("{{ mk.grow.colour_of_the_logo }}")[1]
    assert p.hint.startswith("'mk.grow.' has: ")
    assert "cadence" in p.hint and "session_minutes" in p.hint


def test_unknown_root_lists_the_roots():
    [p] = render("{{ xyz.qqq }}")[1]
    assert p.hint == "placeholders start with 'mk.'"


def test_every_problem_is_reported_not_just_the_first():
    _, problems = render("{{ mk.a }} and {{ mk.b }}\n{{ mk.c }}")
    assert [(p.line, p.message) for p in problems] == [
        (1, "there is no value called 'mk.a'"), (1, "there is no value called 'mk.b'"), (2, "there is no value called 'mk.c'")]


@pytest.mark.parametrize("text", ["{{ }}", "{{ mk grow }}", "{{ mk.grow.cadence | upper }}", "{{ 1 + 1 }}"])
def test_malformed_placeholders_are_problems(text):
    out, [p] = render(text)
    assert p.code == "bad-placeholder"
    assert out == text


def test_find_and_names():
    text = "{{ a.b }} `{{ c.d }}` {{ e.f }}"
    assert ph.names(text) == ["a.b", "e.f"]
    assert [(f.line, f.column) for f in ph.find(text)] == [(1, 1), (1, 23)]


def test_body_line_offset():
    source = "---\ntitle: x\n---\n\n# Body\ntext\n"
    assert ph.body_line_offset(source, "# Body\ntext\n") == 4
    assert ph.body_line_offset("\ufeff---\r\na: 1\r\n---\r\nbody\r\n", "body\n") == 3
    assert ph.body_line_offset("something else", "body") == 0
