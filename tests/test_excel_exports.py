"""Excel's exports: Windows-1252 and Windows-1250 "CSV", UTF-8 with BOM, UTF-16 "Unicode text"; semicolons and tabs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mentorkit.cli import main
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
    with pytest.raises(ExportError, match=r"neither UTF-8 nor Windows-1252 nor Windows-1250 \(byte 0x81 on line 2\)") as caught:
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


def _central_european_export(tmp_path, names: dict[str, str], encoding: str = "cp1250"):
    """The Microsoft Forms fixture with its people renamed, saved as Central-European Excel saves 'CSV'."""
    good = (EXPORTS / "microsoft-forms-signup.csv").read_bytes().decode("utf-8-sig")
    for old, new in names.items():
        assert old in good
        good = good.replace(old, new)
    path = tmp_path / "excel-cz.csv"
    path.write_bytes(good.encode(encoding))
    return path


def test_a_central_european_excel_csv_is_read_as_windows_1250_and_the_roster_has_the_names(tmp_path):
    """Polish 'ł' is '³' in Windows-1252: a symbol inside a word, so the reading that makes it a letter wins."""
    root, private, _ = make_repo(tmp_path)
    path = _central_european_export(tmp_path, {"Zofia Kowalczyk-Brennan": "Zofia Łukasiewicz-Wróbel"})
    assert read_export(path).note() == "read as Windows-1250 text (Central-European Excel's 'CSV') and semicolon-separated"
    report = intake(root, path, "pilot", private, today=DAY)
    assert report.ok, report.as_text()
    roster = (private / "roster.csv").read_text(encoding="utf-8")
    assert "Zofia Łukasiewicz-Wróbel" in roster and "Wróbel" in roster and "³" not in roster


def test_a_code_page_guess_that_could_go_either_way_is_refused_naming_the_option(tmp_path):
    """Czech 'č' and French 'è' are one byte: the file is refused with the word in both readings, not guessed."""
    root, private, _ = make_repo(tmp_path)
    path = _central_european_export(tmp_path, {"Zofia Kowalczyk-Brennan": "Zofia Dvořáková"})
    with pytest.raises(ExportError) as caught:
        read_export(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.code) == ("excel-cz.csv", 2, "encoding")
    assert "'Dvoøáková'" in problem.message and "'Dvořáková'" in problem.message
    assert "--encoding cp1252" in problem.hint and "--encoding cp1250" in problem.hint
    result = CliRunner().invoke(main, ["intake", str(path), "--program", "pilot", "--private", str(private),
                                       "--root", str(root), "--new-population"])
    assert result.exit_code == 1 and "--encoding cp1250" in result.output and "Traceback" not in result.output
    assert not private.exists(), "nothing written"
    result = CliRunner().invoke(main, ["intake", str(path), "--program", "pilot", "--private", str(private),
                                       "--root", str(root), "--encoding", "cp1250", "--date", "2025-12-10",
                                       "--new-population"])
    assert result.exit_code == 0, result.output
    assert "Zofia Dvořáková" in (private / "roster.csv").read_text(encoding="utf-8")


def test_western_text_stays_windows_1252(tmp_path):
    """Spanish '¿' opens a word; read as Windows-1250 it would be 'ż': punctuation before a word is not a misreading."""
    path = tmp_path / "es.csv"
    path.write_bytes("Email address,Name,Note\r\nana@example.org,Ana,¿Qué tal? 5 £\r\n".encode("cp1252"))
    export = read_export(path)
    assert export.encoding == "cp1252" and export.rows[0][1][2] == "¿Qué tal? 5 £"
    path.write_bytes("Email address,Name,Note\r\nana@example.org,Hélène,à demain\r\n".encode("cp1252"))
    assert read_export(path).encoding == "cp1252"  # 'Hélčne' would be Czech-looking, but 'ŕ demain' is no word


def test_utf16_without_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes(text("\t").encode("utf-16-le"))
    export = read_export(path)
    assert export.encoding == "utf-16" and [cells for _, cells in export.rows] == ROWS


@pytest.mark.parametrize("given, read_as", [("utf-8", "utf-8"), ("UTF8", "utf-8"), ("latin-1", "iso8859-1"),
                                             ("cp1250", "cp1250"), ("utf-16", "utf-16")])
def test_the_encoding_option_reads_the_file_as_it_says(tmp_path, given, read_as):
    path = tmp_path / "export.csv"
    codec = {"UTF8": "utf-8-sig", "utf-8": "utf-8-sig"}.get(given, given)
    path.write_bytes(text(",").replace("–", "-").replace("“", "'").replace("”", "'").encode(codec))
    export = read_export(path, encoding=given)
    assert export.encoding == read_as and export.header == HEADER and export.rows[0][1][2] == "Perpétua Vance"


def test_a_wrong_or_unknown_encoding_option_is_explained(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(text(",").encode("cp1252"))
    with pytest.raises(ExportError, match=r"not UTF-8 text \(byte 0xe9 on line 2\)"):
        read_export(path, encoding="utf-8")
    with pytest.raises(ExportError, match="no text encoding called 'klingon'") as caught:
        read_export(path, encoding="klingon")
    assert "cp1250" in caught.value.problems[0].hint
