"""repo/tables.py: the participant tables read against participants/datapackage.yaml.

Each test overwrites one table of the small valid workspace (tests/data/base)
and compares (row, field, code) triples, as frictionless' own tests do; the
typed records and the per-table flags the cross-checks rely on are checked too.
"""

import csv
import dataclasses
import datetime as dt
import io

import pytest

from conftest import make_workspace
from mentorkit.model import Checkin, Participant
from mentorkit.repo import tables as tables_module
from mentorkit.repo.sources import Source
from mentorkit.repo.tables import DATAPACKAGE, read_tables

OUTCOMES = "participants/outcomes.csv"
PARTICIPANTS = "participants/participants.csv"
OUTCOME_HEADER = "pseudonym,outcome,date\n"
PARTICIPANT_HEADER = ("pseudonym,role,programs,department,team,level,time_zone,languages,skills_offered,skills_sought,"
                      "interests,goals,meeting_mode,location,mentor_capacity,reports_to,joined,gender,age_band,"
                      "underrepresented,communication_style,working_hours\n")
ROW = ("mk-0000000a,mentor,pilot,engineering,eng-data,6,Europe/Berlin,en;de,data-analysis;sql,,,,either,,2,,"
       "2025-12-01,woman,35-44,no,,")


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


def read(ws, rel=None, content=None):
    """Write `content` (str or bytes) to `rel`, read every table; (tables, problems)."""
    if rel is not None:
        (ws / rel).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return read_tables(Source(ws))


def triples(problems, rel=None):
    return {(p.row, p.field, p.code) for p in problems if rel is None or p.file == rel}


def person(pseudonym: str, **changes) -> str:
    """A participant row like ROW, with some cells replaced (by column name)."""
    names = PARTICIPANT_HEADER.strip().split(",")
    cells = dict(zip(names, ROW.split(","), strict=True))
    cells.update(pseudonym=pseudonym, **changes)
    return ",".join(f'"{cells[n]}"' if set(cells[n]) & {",", "\n"} else cells[n] for n in names) + "\n"


# --- the valid base: typed records with their row numbers ---------------------------------------


def test_the_base_workspace_reads_cleanly_into_typed_records(ws):
    tables, problems = read(ws)
    assert problems == []
    assert set(tables) == set(tables_module.RECORD_TYPES)
    number, first = tables["participants"].rows[0]
    assert number == 2  # the header is row 1
    assert first == Participant(
        pseudonym="mk-0000000a", role="mentor", programs=("pilot",), department="engineering", level=6,
        time_zone="Europe/Berlin", languages=("en", "de"), skills_offered=("data-analysis", "sql"), skills_sought=(),
        interests=(), goals=(), meeting_mode="either", mentor_capacity=2, joined=dt.date(2025, 12, 1), team="eng-data",
        location=None, reports_to=None, gender="woman", age_band="35-44", underrepresented="no")
    assert tables["checkins"].rows == [(2, Checkin(program="pilot", mentee="mk-0000000c", mentor="mk-0000000b",
                                                   date=dt.date(2026, 2, 2), minutes=60, mode="virtual", mentee_health=4))]
    assert tables["participants"].file == PARTICIPANTS
    assert all(t.readable and not t.rejected for t in tables.values())


def test_list_cells_are_trimmed_and_empty_items_dropped(ws):
    tables, problems = read(ws, PARTICIPANTS, PARTICIPANT_HEADER + person("mk-0000000a", skills_offered=" sql ; ;python;"))
    assert problems == []
    assert tables["participants"].rows[0][1].skills_offered == ("sql", "python")


def test_a_bom_and_crlf_line_ends_are_accepted(ws):
    tables, problems = read(ws, OUTCOMES, b"\xef\xbb\xbf" + (OUTCOME_HEADER + "mk-0000000d,promotion,2026-05-01\n")
                            .replace("\n", "\r\n").encode())
    assert problems == []
    assert [(n, r.pseudonym, r.date) for n, r in tables["outcomes"].rows] == [(2, "mk-0000000d", dt.date(2026, 5, 1))]


def test_rows_are_numbered_by_record_not_by_line(ws):
    text = PARTICIPANT_HEADER + person("mk-0000000a", skills_offered="sql;\ndata-analysis") + person("mk-0000000b", level="x")
    tables, problems = read(ws, PARTICIPANTS, text)
    assert triples(problems) == {(3, "level", "wrong-type")}  # line 4 of the file, record 3
    assert tables["participants"].rows[0][1].skills_offered == ("sql", "data-analysis")


# --- the file as a whole ----------------------------------------------------------------------


def test_an_empty_file_is_one_problem_on_the_header_row(ws):
    tables, problems = read(ws, OUTCOMES, "")
    assert triples(problems) == {(1, None, "empty-file")}
    assert not tables["outcomes"].readable


def test_a_non_utf8_file_is_refused_with_the_line(ws):
    tables, problems = read(ws, OUTCOMES, (OUTCOME_HEADER + "mk-0000000d,promotion,2026-05-01\nmk-0000000c,promoção,2026-05-01\n")
                            .encode("latin-1"))
    assert [(p.file, p.line, p.row, p.code) for p in problems] == [(OUTCOMES, 3, None, "encoding")]
    assert "0xe7" in problems[0].message and "CSV UTF-8" in problems[0].hint
    assert not tables["outcomes"].readable and tables["outcomes"].rows == []


def test_an_oversized_file_is_refused_unread(ws, monkeypatch):
    monkeypatch.setattr(tables_module, "MAX_CSV_BYTES", 60)
    tables, problems = read(ws)
    too_large = {p.file for p in problems if p.code == "file-too-large"}
    assert too_large == {f"participants/{name}.csv" for name in
                         ("participants", "checkins", "survey_responses", "skill_ratings", "goals",
                          "manager_feedback", "feedback_360")}
    assert {p.file for p in problems} == too_large  # outcomes.csv (56 bytes) is under the cap and reads cleanly
    assert all(p.row is None for p in problems)
    assert not tables["participants"].readable and tables["outcomes"].readable


def test_a_missing_table_and_a_missing_descriptor(ws):
    (ws / "participants" / "goals.csv").unlink()
    tables, problems = read(ws)
    assert [(p.file, p.row, p.code) for p in problems] == [("participants/goals.csv", None, "missing-file")]
    assert not tables["goals"].readable
    (ws / DATAPACKAGE).unlink()
    assert read(ws) == ({}, [tables_module.Problem(DATAPACKAGE, "missing-file", "the data package descriptor is missing",
                                                   hint="restore participants/datapackage.yaml from the template")])


def test_an_invalid_or_unexpected_descriptor(ws):
    descriptor = ws / DATAPACKAGE
    original = descriptor.read_text(encoding="utf-8")
    descriptor.write_text("resources: 5\n", encoding="utf-8")
    tables, problems = read(ws)
    assert tables == {} and [(p.file, p.code) for p in problems] == [(DATAPACKAGE, "invalid-datapackage")]
    descriptor.write_text(original + "  - name: notes\n    path: notes.csv\n    profile: tabular-data-resource\n"
                          "    schema:\n      fields:\n        - {name: note, type: string}\n", encoding="utf-8")
    tables, problems = read(ws)
    assert "notes" not in tables
    assert [(p.file, p.code, p.message) for p in problems] == [
        (DATAPACKAGE, "invalid-datapackage", "unexpected resource 'notes'")]


# --- the header -------------------------------------------------------------------------------


def test_semicolons_are_one_wrong_delimiter_problem(ws):
    tables, problems = read(ws, OUTCOMES, "pseudonym;outcome;date\nmk-0000000d;promotion;2026-05-01\n")
    assert triples(problems) == {(1, None, "wrong-delimiter")}
    assert not tables["outcomes"].readable


def test_header_problems_are_all_reported_and_rows_are_not_read(ws):
    tables, problems = read(ws, OUTCOMES, "pseudonym,name,date,date\nmk-0000000d,Ann,2026-05-01,x\n")
    assert triples(problems) == {(1, "name", "unknown-column"), (1, "date", "duplicate-column"),
                                 (1, "outcome", "missing-column")}
    assert problems[0].message == "column 2 'name' is not declared in participants/datapackage.yaml"
    assert tables["outcomes"].rows == [] and not tables["outcomes"].readable


def test_columns_in_another_order_are_one_problem_with_the_right_header(ws):
    _, problems = read(ws, OUTCOMES, "date,pseudonym,outcome\n")
    assert triples(problems) == {(1, None, "column-order")}
    assert problems[0].hint == "use this header: pseudonym,outcome,date"


# --- rows and cells ---------------------------------------------------------------------------


def test_blank_rows_are_reported_and_skipped(ws):
    tables, problems = read(ws, OUTCOMES, OUTCOME_HEADER + "mk-0000000d,promotion,2026-05-01\n\n,,\n"
                            "mk-0000000c,promotion,2026-05-01\n\n")
    assert triples(problems) == {(3, None, "blank-row"), (4, None, "blank-row"), (6, None, "blank-row")}
    assert [n for n, _ in tables["outcomes"].rows] == [2, 5]
    assert tables["outcomes"].readable  # row problems leave the rest of the table usable


def test_rows_with_too_few_or_too_many_cells(ws):
    tables, problems = read(ws, OUTCOMES, OUTCOME_HEADER + "mk-0000000d,promotion\nmk-0000000c,promotion,2026-05-01,x\n")
    assert triples(problems) == {(2, None, "missing-cell"), (3, None, "extra-cell")}
    assert problems[0].message == "the row has 2 cells but the header has 3 columns"
    assert tables["outcomes"].rejected == {"mk-0000000d", "mk-0000000c"}


def test_cell_types_and_constraints(ws):
    text = (OUTCOME_HEADER + "mk-0000000d,promotion,01/05/2026\nmk-0000000c,boss,2026-05-01\nalice,promotion,2026-05-01\n"
            ",promotion,2026-05-01\nmk-0000000b,promotion,2026-02-30\nmk-0000000a,departure,2026-05-01\n")
    tables, problems = read(ws, OUTCOMES, text)
    assert triples(problems) == {(2, "date", "wrong-type"), (3, "outcome", "invalid-choice"),
                                 (4, "pseudonym", "invalid-format"), (5, "pseudonym", "missing-value"),
                                 (6, "date", "wrong-type")}
    by_row = {p.row: p for p in problems}
    assert by_row[2].hint == "write dates as YYYY-MM-DD"
    assert all(choice in by_row[3].hint for choice in ("promotion", "role-change", "departure"))
    assert [n for n, _ in tables["outcomes"].rows] == [7]


def test_several_problems_in_one_row_are_all_reported(ws):
    _, problems = read(ws, PARTICIPANTS, PARTICIPANT_HEADER + person("mk-0000000a", level="12", mentor_capacity="x"))
    assert triples(problems) == {(2, "level", "out-of-range"), (2, "mentor_capacity", "wrong-type")}
    assert problems[0].message == '12 is out of range (constraint "maximum" is "9")'


def test_a_constraint_without_its_own_code_is_a_constraint_error(ws):
    descriptor = ws / DATAPACKAGE
    text = descriptor.read_text(encoding="utf-8")
    old = "{name: outcome, type: string, constraints: {required: true, enum: [promotion, role-change, departure, withdrawal]}}"
    assert old in text
    descriptor.write_text(text.replace(old, "{name: outcome, type: string, constraints: {required: true, maxLength: 6}}"),
                          encoding="utf-8")
    _, problems = read(ws, OUTCOMES, OUTCOME_HEADER + "mk-0000000d,promotion,2026-05-01\n")
    assert triples(problems) == {(2, "outcome", "constraint-error")}


# --- primary keys -----------------------------------------------------------------------------


def test_a_repeated_primary_key_is_reported_on_the_later_row(ws):
    tables, problems = read(ws, OUTCOMES, OUTCOME_HEADER + "mk-0000000d,promotion,2026-05-01\n"
                            "mk-0000000d,promotion,2026-05-01\nmk-0000000d,promotion,2026-05-02\n")
    assert triples(problems) == {(3, "pseudonym,outcome,date", "duplicate-id")}
    assert problems[0].message == "this row repeats the key mk-0000000d, promotion, 2026-05-01 of row 2"
    assert [n for n, _ in tables["outcomes"].rows] == [2, 4]


def test_a_single_column_key_names_that_column(ws):
    _, problems = read(ws, PARTICIPANTS, PARTICIPANT_HEADER + person("mk-0000000a") + person("mk-0000000b")
                       + person("mk-0000000a", level="3"))
    assert triples(problems) == {(4, "pseudonym", "duplicate-id")}


def test_a_row_rejected_for_another_reason_does_not_claim_its_key(ws):
    _, problems = read(ws, OUTCOMES, OUTCOME_HEADER + "mk-0000000d,promotion,2026-13-01\nmk-0000000d,promotion,2026-13-01\n"
                       "mk-0000000c,promotion,2026-05-01\n")
    assert triples(problems) == {(2, "date", "wrong-type"), (3, "date", "wrong-type")}


# --- privacy: personal data and formulas never reach the repository ----------------------------


def test_personal_data_and_formulas_in_cells_are_refused(ws):
    text = (PARTICIPANT_HEADER
            + person("mk-0000000a", team="ann@example.org")
            + person("mk-0000000b", skills_offered="sql;+49 30 1234567")
            + person("mk-0000000c", team="=cmd|'/c calc'!A1")
            + person("mk-0000000d", team="+4930123456789")
            + person("mk-0000000e", skills_sought="-sql")
            + person("mk-0000000f", skills_offered="2026-01-01;sql"))  # a date in a list cell is not a phone number
    tables, problems = read(ws, PARTICIPANTS, text)
    assert triples(problems) == {(2, "team", "pii-email"), (3, "skills_offered", "pii-phone"),
                                 (4, "team", "formula-injection"), (5, "team", "pii-phone"),
                                 (6, "skills_sought", "formula-injection")}
    assert "pseudonyms only" in problems[0].message
    assert [n for n, _ in tables["participants"].rows] == [7]
    assert tables["participants"].rejected == {"mk-0000000a", "mk-0000000b", "mk-0000000c", "mk-0000000d", "mk-0000000e"}


def test_a_name_where_a_pseudonym_belongs_is_refused_by_its_pattern(ws):
    _, problems = read(ws, OUTCOMES, OUTCOME_HEADER + "Ann Example,promotion,2026-05-01\n")
    assert triples(problems) == {(2, "pseudonym", "invalid-format")}


# --- what the cross-checks rely on ------------------------------------------------------------


def test_known_counts_rejected_rows_so_references_to_them_do_not_cascade(ws):
    tables, _ = read(ws, PARTICIPANTS, PARTICIPANT_HEADER + person("mk-0000000a") + person("mk-0000000b", level="x"))
    assert tables["participants"].known() == {"mk-0000000a", "mk-0000000b"}
    assert [r.pseudonym for _, r in tables["participants"].rows] == ["mk-0000000a"]


def test_enum_columns_are_read_as_their_enums(ws):
    """The loader gives a participant's role, a goal's status and an outcome's kind as members of the enums the
    records declare, each equal to its text."""
    from mentorkit.model import GoalStatus, OutcomeKind, Role

    tables, problems = read(ws)
    assert not problems
    for table, field, kind in (("participants", "role", Role), ("goals", "status", GoalStatus),
                               ("outcomes", "outcome", OutcomeKind)):
        values = [getattr(record, field) for _, record in tables[table].rows]
        assert values and all(type(v) is kind for v in values), (table, values)
        assert {str(v) for v in values} <= {m.value for m in kind}


@pytest.mark.parametrize("name", sorted(tables_module.RECORD_TYPES))
@pytest.mark.parametrize("reordered", [False, True])
def test_records_made_without_init_are_the_records_init_makes(name, reordered):
    """The reader fills records' attributes directly (`_record_maker`, for speed): the record must be the one
    `__init__` makes, field for field and in field order, whatever the order of the columns, and still frozen."""
    record_type = tables_module.RECORD_TYPES[name]
    fields = [f.name for f in dataclasses.fields(record_type)]
    names = fields[::-1] if reordered else fields
    values = [f"value of {n}" for n in names]
    made = tables_module._record_maker(record_type, names)(values)
    expected = record_type(**dict(zip(names, values, strict=True)))
    assert type(made) is record_type
    assert made == expected and hash(made) == hash(expected)
    assert list(vars(made).items()) == list(vars(expected).items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0], "changed")


def test_columns_that_leave_a_field_to_its_default_go_through_init():
    made = tables_module._record_maker(Checkin, ["program", "mentee", "mentor", "date", "minutes", "mode"])(
        ["pilot", "mk-0000000a", "mk-0000000b", dt.date(2026, 2, 2), 60, "virtual"])
    assert made == Checkin("pilot", "mk-0000000a", "mk-0000000b", dt.date(2026, 2, 2), 60, "virtual")
    assert made.mentee_health is None and made.mentor_health is None


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n", "a,b\n1,2", "a,b\n\n1,2\n\n", "a,b\n , \n1,\n,2\n", "a\u2028b,c\nd\x0be,f\n", "a,b\n1,2,3\n4\n",
    'a,b\n"1,5",2\n', "a,b\r\n1,2\r\n", "a,b\r1,2\r",
])
def test_rows_are_the_rows_the_csv_module_reads(text):
    """Texts without quotes or carriage returns are split by lines and commas (`_rows`, for speed): the same rows,
    blank and short ones included, as csv.reader gives; any other text is read by csv.reader."""
    assert list(tables_module._rows(text)) == list(csv.reader(io.StringIO(text, newline="")))
