"""Excel's exports: Windows-1252 "CSV", UTF-8 with BOM, UTF-16 "Unicode text"; semicolons and tabs."""

from __future__ import annotations

import pytest

from mentorkit.coordinator.exports import read_export
from mentorkit.errors import ExportError
from test_intake import DAY, EXPORTS, intake, make_repo

HEADER = ["Timestamp", "Email address", "Name", "Department", "Which skills can you offer?"]
ROWS = [["2025-12-01 10:00", "perpetua.vance@example.com", "Perpétua Vance", "Finance", "Analyse, Budget"],
        ["2025-12-02 11:00", "jörg.ße@example.com", "Jörg Straße – “Jo”", "Engineering", "SQL"]]


def text(delimiter: str) -> str:
    def cell(c):
        return f'"{c}"' if delimiter in c or "," in c else c
    return "".join(delimiter.join(cell(c) for c in row) + "\r\n" for row in [HEADER, *ROWS])


@pytest.mark.parametrize("encoding, delimiter, note", [
    ("cp1252", ";", "read as Windows-1252 text (Excel's 'CSV') and semicolon-separated"),
    ("utf-8-sig", ";", "read as semicolon-separated"),
    ("utf-16", "\t", "read as UTF-16 text (Excel's 'Unicode text') and tab-separated"),
    ("utf-8", ",", None),
])
def test_excel_encodings_and_delimiters_are_detected(tmp_path, encoding, delimiter, note):
    path = tmp_path / "export.csv"
    path.write_bytes(text(delimiter).encode(encoding))  # Python's own codecs write what Excel writes
    export = read_export(path)
    assert export.delimiter == delimiter
    assert export.header == HEADER
    assert [cells for _, cells in export.rows] == ROWS, "every accent, dash and quote read back exactly"
    assert export.note() == note


def test_the_cp1252_fixture_once_refused_is_read(tmp_path):
    export = read_export(EXPORTS / "malformed-not-utf8.csv")
    assert export.encoding == "cp1252"
    assert export.rows[0][1][2] == "Perpétua Vance"


def test_bytes_that_are_neither_utf8_nor_cp1252_are_refused_with_the_line(tmp_path):
    with pytest.raises(ExportError, match=r"neither UTF-8 nor Windows-1252 \(byte 0x81 on line 2\)") as caught:
        read_export(EXPORTS / "malformed-not-text.csv")
    assert caught.value.problems[0].line == 2


def test_valid_utf8_is_never_read_as_cp1252(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(text(",").encode("utf-8"))
    assert read_export(path).encoding == "utf-8"  # 'é' in UTF-8 is also two valid cp1252 characters ('Ã©')


def test_commas_inside_semicolon_cells_and_semicolons_inside_comma_cells(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Email;Skills\na@example.com;SQL, Python\n")
    assert read_export(path).delimiter == ";"
    path.write_text('Email,Skills\na@example.com,"SQL;Python"\n')
    assert read_export(path).delimiter == ","
    path.write_text("Email address\na@example.com\n")
    assert read_export(path).delimiter == ","  # one column: nothing to detect


def test_intake_reads_an_excel_csv_and_says_how(tmp_path):
    root, private, _ = make_repo(tmp_path)
    good = (EXPORTS / "microsoft-forms-signup.csv").read_bytes().decode("utf-8-sig")
    path = tmp_path / "excel.csv"
    good = good.replace("Zofia Kowalczyk-Brennan", "Zofía Kowalczyk-Brennan")  # í: not UTF-8 once in cp1252
    assert "í" in good
    path.write_bytes(good.encode("cp1252", errors="strict"))
    report = intake(root, path, "pilot", private, today=DAY, dry_run=True)
    reference = intake(root, EXPORTS / "microsoft-forms-signup.csv", "pilot", private, today=DAY, dry_run=True)
    assert report.ok and [c.row for c in report.added] == [c.row for c in reference.added] != []
    assert "read as Windows-1252 text (Excel's 'CSV') and semicolon-separated" in report.notes
