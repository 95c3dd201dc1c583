"""`mentorkit import-choices`: the suggestions e-mail, the mentees' answers, approved pairs, introductions."""

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.choices import import_choices
from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.messages import write_messages
from mentorkit.errors import MentorkitError, UnsafePath
from mentorkit.repo.load import load_workspace
from test_imports import enrolled
from test_intake import code
from test_intros import parse
from test_messages import TODAY, choice_program, with_templates


def approved(root):
    return {(p.mentee, p.mentor) for p in load_workspace(root).proposals["pilot"].pairs if p.status == "approved"}


def letters_offered(path):
    """The letters an e-mail offers, and each one's profile line, as the mentee reads them."""
    text = parse(path).get_body(preferencelist=("plain",)).get_content()
    return dict(re.findall(r"^- Mentor ([A-J]): (.+)$", text, re.MULTILINE))


def test_the_choice_mode_round_trip(tmp_path):
    root, private, out = choice_program(tmp_path)
    mail = write_messages(root, "pilot", "suggestions", private, out, today=TODAY)
    tobiah, ines = code(private, "tobiah.qm@example.com"), code(private, "ines.mo@example.com")
    offered = letters_offered(next(w.path for w in mail.written if w.to[0] == tobiah))
    assert sorted(offered) == ["A", "B"]
    proposal = load_workspace(root).proposals["pilot"]
    known = {code(private, e) for e in ("zofia.kowalczyk@example.com", "ines.mo@example.com")}  # in the roster

    def choose(mentee):
        """The letter of the mentee's suggestion whose mentor the roster knows (so it can be introduced)."""
        mine = sorted((p for p in proposal.pairs if p.mentee == mentee), key=lambda p: p.rank)
        index = next(i for i, p in enumerate(mine) if p.mentor in known)
        return "AB"[index], mine[index].mentor

    (t_letter, t_mentor), (i_letter, i_mentor) = choose(tobiah), choose(ines)
    answers = tmp_path / "choices.csv"
    answers.write_text("Timestamp,Email address,First choice,Second choice\n"
                       f"2026/01/05 10:00:00,Tobiah.QM@example.com,Mentor {t_letter},\n"
                       f"2026/01/05 11:00:00,ines.mo@example.com,{i_letter.lower()},\n")
    report = import_choices(root, answers, "pilot", private)
    assert report.ok, report.as_text()
    assert [(c.row, c.detail) for c in report.added] == [(2, "choice 1"), (3, "choice 1")]
    assert approved(root) == {(tobiah, t_mentor), (ines, i_mentor)}, "each letter is that mentee's suggestion"
    # the unchosen suggestions stay proposed; the chosen pairs are introduced
    assert sum(1 for p in load_workspace(root).proposals["pilot"].pairs if p.status == "proposed") == \
        len(proposal.pairs) - 2
    intros = write_intros(root, "pilot", private, out, today=dt.date(2026, 1, 6))
    assert intros.ok and sorted((i.mentee, i.mentor) for i in intros.written) == sorted(approved(root))
    again = write_messages(root, "pilot", "suggestions", private, out, today=TODAY)
    assert tobiah not in {w.to[0] for w in again.written}, "a mentee who chose gets no more suggestions"


def _hand_proposal(root, private):
    """Tobiah and Ines both offered mk-0000000b (1 place) first, then Zofia (2 places)."""
    tobiah, ines = code(private, "tobiah.qm@example.com"), code(private, "ines.mo@example.com")
    zofia = code(private, "zofia.kowalczyk@example.com")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text() + "matching:\n  mode: choice\n  suggestions: 2\n")
    lines = ["program: pilot", "format: one-to-one", "pairs:"]
    for mentee in (tobiah, ines):
        lines += [f"  - {{mentee: {mentee}, mentor: mk-0000000b, score: 50, rank: 1}}",
                  f"  - {{mentee: {mentee}, mentor: {zofia}, score: 40, rank: 2}}"]
    (root / "participants" / "matches" / "pilot.yaml").write_text("\n".join(lines) + "\n")
    return tobiah, ines, zofia


def test_first_come_first_served_then_the_next_choice(tmp_path):
    root, private, _, *_ = enrolled(tmp_path)
    tobiah, ines, zofia = _hand_proposal(root, private)
    answers = tmp_path / "choices.csv"
    answers.write_text("Email address,First choice,Second choice\n"
                       "ines.mo@example.com,A,B\ntobiah.qm@example.com,A,B\n")
    report = import_choices(root, answers, "pilot", private)
    assert report.ok, report.as_text()
    assert [(c.row, c.detail) for c in report.added] == [(2, "choice 1"), (3, "choice 2")]
    assert approved(root) == {(ines, "mk-0000000b"), (tobiah, zofia)}


def test_rows_that_cannot_be_used_name_row_and_column(tmp_path):
    root, private, _, *_ = enrolled(tmp_path)
    _hand_proposal(root, private)
    answers = tmp_path / "choices.csv"
    answers.write_text("Email address,First choice\n"
                       "ines.mo@example.com,A\n"
                       "tobiah.qm@example.com,A\n"
                       "nobody@example.com,B\n"
                       "tobiah.qm@example.com,Z\n")
    report = import_choices(root, answers, "pilot", private)
    assert {(p.row, p.field, p.code) for p in report.problems} == {
        (3, "First choice", "mentor-full"), (4, "Email address", "unknown-person"),
        (5, "First choice", "invalid-answer")}
    assert len(approved(root)) == 1, "the good row is used"
    assert "'Z' is not one of this mentee's letters (A, B)" in report.as_text()


def test_dry_run_and_refusals(tmp_path):
    root, private, _, *_ = enrolled(tmp_path)
    _hand_proposal(root, private)
    answers = tmp_path / "choices.csv"
    answers.write_text("Email address,First choice\nines.mo@example.com,A\n")
    before = (root / "participants" / "matches" / "pilot.yaml").read_bytes()
    report = import_choices(root, answers, "pilot", private, dry_run=True)
    assert len(report.added) == 1 and (root / "participants" / "matches" / "pilot.yaml").read_bytes() == before
    inside = root / "choices.csv"
    inside.write_text(answers.read_text())
    with pytest.raises(UnsafePath, match="inside the repository"):
        import_choices(root, inside, "pilot", private)
    inside.unlink()  # an export left in the repository is personal data: validate refuses it (private-file)
    no_choice = tmp_path / "bad.csv"
    no_choice.write_text("Email address,Mentor\nines.mo@example.com,A\n")
    with pytest.raises(MentorkitError, match="no a choice column"):
        import_choices(root, no_choice, "pilot", private)


def test_assign_mode_is_refused(tmp_path):
    root, private, _, *_ = enrolled(tmp_path)
    answers = tmp_path / "choices.csv"
    answers.write_text("Email address,First choice\nines.mo@example.com,A\n")
    with pytest.raises(MentorkitError, match="assign mode"):
        import_choices(root, answers, "pilot", private)


def test_cli_import_choices(tmp_path):
    root, private, *_ = enrolled(tmp_path)
    with_templates(root)
    _hand_proposal(root, private)
    answers = tmp_path / "choices.csv"
    answers.write_text("Email address,First choice\nines.mo@example.com,Mentor B\n")
    result = CliRunner().invoke(main, ["import-choices", str(answers), "--program", "pilot", "--private",
                                       str(private), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "choice 1" in result.output and "ines" not in result.output.lower()
