"""`mentorkit upgrade` brings an adopter's participant tables to the kit's columns: a person's working hours (new,
empty) and both partners' ratings of a meeting (the one rating kept before becomes the mentee's column).

`data/upgrade/datapackage-before-both-ratings.yaml` is the descriptor as the kit shipped it before these columns.
"""

import csv
import io
import shutil

import pytest
from click.testing import CliRunner

from conftest import DATA, REPO
from mentorkit.cli import main
from mentorkit.repo import upgrade
from mentorkit.repo.load import read_workspace
from mentorkit.repo.migrations import TABLE_STEPS, convert_table

OLD_DESCRIPTOR = DATA / "upgrade" / "datapackage-before-both-ratings.yaml"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def older(text: str, drop: set[str], rename: dict[str, str] | None = None) -> str:
    """A table as the earlier kit wrote it: columns in `drop` removed, those in `rename` renamed."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    keep = [i for i, name in enumerate(rows[0]) if name not in drop]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([(rename or {}).get(rows[0][i], rows[0][i]) for i in keep])
    for row in rows[1:]:
        writer.writerow([row[i] for i in keep])
    return out.getvalue()


@pytest.fixture
def old_repo(tmp_path):
    """The demo repository as an adopter of the earlier kit has it: the old descriptor, the old columns."""
    root = tmp_path / "repo"
    for folder in ("program", "participants", "agendas"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(OLD_DESCRIPTOR, root / "participants" / "datapackage.yaml")
    for name, drop, rename in (("participants", {"working_hours"}, None),
                               ("checkins", {"mentor_health"}, {"mentee_health": "health"}),
                               ("manager_feedback", {"team_performance"}, None)):
        path = root / "participants" / f"{name}.csv"
        path.write_text(older(path.read_text(encoding="utf-8"), drop, rename), encoding="utf-8")
    return root


def test_the_old_tables_are_refused_with_the_upgrade_as_the_fix(old_repo):
    _, report = read_workspace(old_repo)
    found = [p for p in report.problems if p.code == "invalid-datapackage"]
    assert len(found) == 1 and "'health'" in found[0].message and "mentorkit upgrade" in (found[0].hint or "")


def test_upgrade_brings_the_tables_to_the_kits_columns_exactly(old_repo):
    result = run("upgrade", "--root", str(old_repo))
    assert result.exit_code == 0, result.output
    assert "participants/datapackage.yaml: participants gain working_hours" in result.output
    assert "participants/checkins.csv: the columns mentee_health, mentor_health replace health" in result.output
    assert "participants/manager_feedback.csv: the column team_performance added" in result.output
    feedback = (old_repo / "participants" / "manager_feedback.csv").read_text().splitlines()
    assert feedback[0] == (REPO / "participants" / "manager_feedback.csv").read_text().splitlines()[0]
    assert all(line.endswith(",") for line in feedback[1:])  # no one answered the new question before
    for name in ("datapackage.yaml", "participants.csv", "checkins.csv"):
        assert (old_repo / "participants" / name).read_bytes() == (REPO / "participants" / name).read_bytes(), name
    _, report = read_workspace(old_repo)
    assert report.ok, report.problems
    again = run("upgrade", "--root", str(old_repo), "--check")
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_an_edited_descriptor_keeps_its_comments_and_own_descriptions(old_repo):
    path = old_repo / "participants" / "datapackage.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "# The participant tables", "# Acme's tables: ask the people team before adding a column.\n# The participant tables")
    text = text.replace('description: "Relationship health, 1 (poor) to 5 (excellent)."', 'description: "Acme rating."')
    path.write_text(text, encoding="utf-8")
    plan = upgrade.plan_upgrade(old_repo)
    new = plan.texts["participants/datapackage.yaml"]
    assert new.startswith("# Acme's tables: ask the people team before adding a column.\n")
    assert "Acme rating" not in new and "name: mentee_health" in new and "name: health," not in new
    assert "name: working_hours" in new


def test_an_old_rating_moves_to_the_mentees_column_keeping_bom_and_line_endings():
    step = next(s for s in TABLE_STEPS if s.resource == "checkins")
    old = ("\ufeffprogram,mentee,mentor,date,minutes,mode,health\r\n"
           "pilot,mk-0000000c,mk-0000000b,2026-02-02,60,virtual,4\r\n"
           "pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,\r\n")
    assert convert_table(old, step) == (
        "\ufeffprogram,mentee,mentor,date,minutes,mode,mentee_health,mentor_health\r\n"
        "pilot,mk-0000000c,mk-0000000b,2026-02-02,60,virtual,4,\r\n"
        "pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,,\r\n")
    assert convert_table(convert_table(old, step), step) == convert_table(old, step), "a second run changes nothing"


def test_a_descriptor_written_another_way_is_refused_with_the_lines_to_add(old_repo):
    path = old_repo / "participants" / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{name: communication_style, type: list,", "{type: list, name: communication_style,"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["upgrade", "--root", str(old_repo)])
    assert result.exit_code == 1
    assert "cannot find its column 'communication_style'" in result.output
    assert "{name: working_hours, type: string" in result.output


def test_a_column_added_by_hand_is_refused_with_its_removal_as_the_fix(tmp_path):
    root = tmp_path / "repo"
    for folder in ("program", "participants"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "participants" / "datapackage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        - {name: mentor_health,", "        - {name: notes, type: string}\n        - {name: mentor_health,"),
        encoding="utf-8")
    _, report = read_workspace(root)
    found = [p for p in report.problems if p.code == "invalid-datapackage"]
    assert len(found) == 1 and "'notes'" in found[0].message and "remove the column" in (found[0].hint or "")
