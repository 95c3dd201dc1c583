"""repo/strict_yaml.py: strict where YAML is lenient, with a line and column for everything.

Every parsing test runs twice: with the pure-Python parser and with libyaml's C
parser (used when PyYAML has it). A coordinator must get the same data, the
same problems and the same positions whichever is installed.
"""

import time

import pytest
import yaml

from mentorkit.repo import strict_yaml
from mentorkit.repo.sources import Source
from mentorkit.repo.strict_yaml import dotted, parse_yaml, read_text
from mentorkit.repo.yaml_writer import dump_yaml

F = "program/pilot.yaml"
LIBYAML = getattr(yaml, "__with_libyaml__", False)
CHOSEN_LOADER = strict_yaml.FAST_LOADER  # the module's own choice, read before any test swaps it


@pytest.fixture(params=["python", pytest.param("libyaml", marks=pytest.mark.skipif(not LIBYAML, reason="no libyaml"))],
                autouse=True)
def loader(request, monkeypatch):
    """Parse with the pure-Python loader, then with libyaml's (the module's FAST_LOADER)."""
    monkeypatch.setattr(strict_yaml, "FAST_LOADER", yaml.CSafeLoader if request.param == "libyaml" else None)
    return request.param


def parse(text: str, typed: bool = False):
    return parse_yaml(text, F, typed)


def problems(text: str) -> list[tuple]:
    """(line, column, field, code) of each problem, in order."""
    return [(p.line, p.column, p.field, p.code) for p in parse(text)[1]]


def data(text: str, typed: bool = False):
    doc, found = parse(text, typed)
    assert found == [], found
    return doc.data


def test_the_fast_loader_is_libyaml_when_pyyaml_has_it():
    assert CHOSEN_LOADER is (yaml.CSafeLoader if LIBYAML else None)


# --- no implicit typing -----------------------------------------------------------------------


def test_plain_scalars_stay_strings_as_written():
    assert data("a: 0123\nb: NO\nc: 1e3\nd: true\ne: yes\nf: 2026-03-01\ng: 1.50\nh: 0x1F\ni: none\n") == {
        "a": "0123", "b": "NO", "c": "1e3", "d": "true", "e": "yes", "f": "2026-03-01", "g": "1.50", "h": "0x1F",
        "i": "none"}


def test_empty_and_null_plain_scalars_are_none_but_quoted_ones_are_text():
    assert data("a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: 'null'\ng: ''\nh: \"~\"\n") == {
        "a": None, "b": None, "c": None, "d": None, "e": None, "f": "null", "g": "", "h": "~"}


def test_keys_stay_strings_too():
    assert data("1: a\ntrue: b\n2026-01-01: c\n") == {"1": "a", "true": "b", "2026-01-01": "c"}


def test_typed_resolves_numbers_and_booleans_of_kit_written_files_as_the_writer_wrote_them():
    text = "a: 0123\nb: NO\nc: 1e3\nd: true\ne: False\nf: -7\ng: 75.25\nh: '12'\ni:\nj: yes\nk: 2026-03-01\nl: 1.0e+20\n"
    assert data(text, typed=True) == {"a": 123, "b": "NO", "c": "1e3", "l": 1e20, "d": True, "e": False, "f": -7, "g": 75.25,
                                      "h": "12", "i": None, "j": "yes", "k": "2026-03-01"}
    assert isinstance(data("x: 1\n", typed=True)["x"], int) and isinstance(data("x: 1.0\n", typed=True)["x"], float)


def test_a_top_level_sequence_and_nested_structures_are_kept_in_order():
    assert data("- b\n- a\n") == ["b", "a"]
    assert list(data("z: 1\na: 2\nm: {y: 1, b: [x, y]}\n")) == ["z", "a", "m"]


# --- refused constructs -----------------------------------------------------------------------


def test_duplicate_keys_are_reported_where_the_second_one_is():
    doc, found = parse("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert [(p.line, p.column, p.field, p.code) for p in found] == [
        (4, 3, "b.c", "duplicate-key"), (5, 1, "a", "duplicate-key")]
    assert found[0].message == "the key 'c' appears twice (first on line 3)"
    assert doc.data == {"a": "1", "b": {"c": "2"}}  # the first one counts, not YAML's silent last


def test_duplicate_keys_inside_list_items_name_the_item():
    assert problems("items:\n  - id: a\n    id: b\n") == [(3, 5, "items[0].id", "duplicate-key")]


def test_an_alias_is_refused_with_one_problem_and_no_data():
    doc, found = parse("a: &x [1, 2]\nb: *x\n")
    assert doc is None
    # the field is where the alias is used; the line and column are those of the anchored value
    assert [(p.line, p.column, p.field, p.code) for p in found] == [(1, 4, "b", "yaml-alias")]


def test_an_alias_bomb_fails_fast():
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    found = problems("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 2
    assert found == [(1, 4, "b[0]", "yaml-alias")]


def test_merge_keys_and_complex_keys_are_refused():
    assert problems("base: {x: 1}\nmore:\n  <<: {y: 2}\n  z: 3\n") == [(3, 3, "more", "yaml-syntax")]
    assert problems("? [a, b]\n: c\n") == [(1, 3, None, "yaml-syntax")]


def test_tags_are_refused_except_the_standard_scalar_ones():
    doc, found = parse("a: !!python/object:os.system x\nb: !custom y\nc: !!str 5\nd: !!binary aGVsbG8=\n")
    assert [(p.line, p.column, p.field, p.code) for p in found] == [
        (1, 4, "a", "yaml-tag"), (2, 4, "b", "yaml-tag"), (4, 4, "d", "yaml-tag")]
    assert doc.data == {"a": None, "b": None, "c": "5", "d": None}


def test_a_plain_value_cut_by_a_comment_is_reported_at_the_cut():
    doc, found = parse("how: Post in #mentoring\nquoted: \"Post in #x\"\njoined: a#b\nspaced: a # a real comment\n")
    assert [(p.line, p.column, p.field, p.code) for p in found] == [(1, 13, None, "yaml-cut-value")]
    assert found[0].message == "the value is cut at '#': YAML reads only 'Post in'"
    assert doc.data == {"how": "Post in", "quoted": "Post in #x", "joined": "a#b", "spaced": "a"}


# --- syntax errors: the same message and position from either parser --------------------------


def test_a_syntax_error_has_line_column_and_the_parser_message():
    doc, found = parse("title: x\na: b: c\n")
    assert doc is None
    assert [(p.line, p.column, p.code) for p in found] == [(2, 5, "yaml-syntax")]
    assert found[0].message == "this is not valid YAML: mapping values are not allowed here"
    assert found[0].hint == "check indentation and quoting around this line"


def test_tabs_get_their_own_hint():
    for text, line in (("a:\n\tb: 1\n", 2), ("a:\n  b: 1\n\t\n", 3)):
        doc, found = parse(text)
        assert doc is None
        assert [(p.line, p.column, p.code) for p in found] == [(line, 1, "yaml-syntax")]
        assert found[0].hint == "YAML does not allow tabs for indentation: replace them with spaces"


def test_several_documents_are_refused_at_the_second():
    doc, found = parse("a: 1\n---\nb: 2\n")
    assert doc is None
    assert [(p.line, p.code) for p in found] == [(3, "yaml-syntax")]
    assert "more than one YAML document" in found[0].message


def test_an_unclosed_flow_sequence_points_where_it_was_opened():
    doc, found = parse("a: [1, 2\nb: 3\n")
    assert doc is None
    assert [(p.line, p.column, p.code) for p in found] == [(1, 4, "yaml-syntax")]
    assert found[0].message == ("this bracket is never closed (YAML gave up at line 2: "
                                "expected ',' or ']', but got ':')")


def test_an_unclosed_bracket_far_up_is_reported_on_its_own_line():
    text = "a: 1\nb: 2\nc: {x: 1\n" + "".join(f"k{i}: {i}\n" for i in range(11))
    _doc, found = parse(text)
    assert [(p.line, p.column) for p in found] == [(3, 4)]
    assert "YAML gave up at line 4" in found[0].message


def test_an_unclosed_quote_is_reported_where_it_opens():
    _doc, found = parse('a: 1\nb: "never closed\nc: 2\n')
    assert [(p.line, p.column, p.code) for p in found] == [(2, 4, "yaml-syntax")]
    assert found[0].message.startswith("this quote is never closed")


# --- empty files ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n", "   \n\n", "# only a comment\n", "# a\n\n# b\n"])
def test_empty_files_are_one_problem_on_line_1(text):
    doc, found = parse(text)
    assert doc is None
    assert [(p.line, p.field, p.code) for p in found] == [(1, None, "empty-file")]


# --- positions --------------------------------------------------------------------------------


POSITIONS = """\
top:
  - id: x
    name:  Ümlaut é
  - id: y
next: 'q'
"""


def test_values_and_keys_keep_their_line_and_column():
    doc = parse(POSITIONS)[0]
    assert doc.positions == {
        (): (1, 1), ("top",): (2, 3), ("top", 0): (2, 5), ("top", 0, "id"): (2, 9), ("top", 0, "name"): (3, 12),
        ("top", 1): (4, 5), ("top", 1, "id"): (4, 9), ("next",): (5, 7)}
    assert doc.key_positions == {
        ("top",): (1, 1), ("top", 0, "id"): (2, 5), ("top", 0, "name"): (3, 5), ("top", 1, "id"): (4, 5),
        ("next",): (5, 1)}


def test_columns_count_characters_not_bytes():
    found = parse("wie: Grüße über #kanal\nnext: 1\n")[1]
    assert [(p.line, p.column) for p in found] == [(1, 16)]
    assert parse("ä: ö\nü: x\n")[0].positions[("ü",)] == (2, 4)


def test_locate_falls_back_to_the_nearest_existing_parent():
    doc = parse(POSITIONS)[0]
    assert doc.locate(("top", 0, "name")) == (3, 12)
    assert doc.locate(("top", 0, "name"), key=True) == (3, 5)
    assert doc.locate(("top", 1, "name")) == (4, 5)  # missing key: its mapping
    assert doc.locate(("top", 1, "name"), key=True) == (4, 5)
    assert doc.locate(("elsewhere", "deep")) == (1, 1)


def test_dotted_paths():
    assert dotted(()) is None
    assert dotted(("cadence",)) == "cadence"
    assert dotted(("milestones", 2, "date")) == "milestones[2].date"
    assert dotted(("b", 0)) == "b[0]"
    assert dotted(("matching", "locked", 0, "mentor")) == "matching.locked[0].mentor"


# --- reading the file: size, encoding, BOM ----------------------------------------------------


def write(tmp_path, raw: bytes, rel: str = F):
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return Source(tmp_path)


def test_a_bom_is_accepted_and_removed(tmp_path):
    text, found = read_text(write(tmp_path, b"\xef\xbb\xbftitle: x\n"), F, 1000)
    assert found == [] and text == "title: x\n"
    assert data(text) == {"title": "x"}


def test_non_utf8_is_refused_with_the_line_of_the_first_bad_byte(tmp_path):
    text, found = read_text(write(tmp_path, b"title: x\npurpose: caf\xe9\n"), F, 1000)
    assert text is None
    assert [(p.file, p.line, p.code) for p in found] == [(F, 2, "encoding")]
    assert "0xe9" in found[0].message and found[0].hint == "save the file with UTF-8 encoding"


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path):
    source = write(tmp_path, b"a: " + b"x" * 100 + b"\n")
    text, found = read_text(source, F, 50)
    assert text is None
    assert [(p.line, p.code) for p in found] == [(None, "file-too-large")]
    assert "104 bytes; the limit is 50" in found[0].message
    assert read_text(source, F, 104) == ("a: " + "x" * 100 + "\n", [])  # the cap itself is allowed


def test_the_default_cap_is_a_megabyte():
    assert strict_yaml.MAX_YAML_BYTES == 1_000_000


# --- writing: dump_yaml reads back typed ------------------------------------------------------


def test_dump_yaml_keeps_order_writes_shared_values_in_full_and_reads_back_typed():
    shared = {"skills": 30.0, "goals": 5.0}
    value = {"program": "pilot", "summary": {"matched": 2, "rate": 0.5, "ok": True, "none": None},
             "pairs": [{"why": shared}, {"why": shared}], "title": "Grüße: #1 'quoted'"}
    text = dump_yaml(value)
    assert "&" not in text and "*" not in text  # no anchors even for a shared object
    assert list(yaml.safe_load(text)) == ["program", "summary", "pairs", "title"]
    assert data(text, typed=True) == value
    assert dump_yaml(value) == text


def test_a_proposal_is_read_without_positions_until_a_message_needs_them():
    """A proposal (typed, written by the kit) holds hundreds of thousands of values: its positions are read only
    when asked for, and then they are the ones an eager read gives."""
    text = "program: pilot\npairs:\n" + "".join(
        f"  - mentee: mk-{k:08x}\n    mentor: mk-{k + 1:08x}\n    score: {k}.5\n" for k in range(50))
    doc, problems = parse_yaml(text, "participants/matches/pilot.yaml", typed=True)
    assert problems == [] and doc.unread is not None and doc.where == {} and doc.key_where == {}
    assert doc.locate(("pairs", 3, "mentor")) == (13, 13)  # line 2 + 3 pairs of 3 lines + 2
    assert doc.unread is None and len(doc.positions) > 150
    eager, _ = parse_yaml(text, "participants/matches/pilot.yaml")
    assert (doc.positions, doc.key_positions) == (eager.positions, eager.key_positions)


def test_a_proposal_with_a_problem_is_read_with_positions_at_once():
    """The message of a duplicate key names the first one's line: read eagerly when anything is wrong."""
    _, problems = parse_yaml("program: pilot\nprogram: other\n", "participants/matches/pilot.yaml", typed=True)
    assert [(p.code, p.line) for p in problems] == [("duplicate-key", 2)]
    assert "first on line 1" in problems[0].message
