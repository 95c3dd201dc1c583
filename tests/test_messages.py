"""`mentorkit messages`: every batch parses as multipart text + HTML, says only what is true, names no pseudonym."""

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.checkins import import_checkins
from mentorkit.coordinator.messages import write_messages
from mentorkit.errors import MentorkitError, TemplateError, UnsafePath
from mentorkit.matching import match
from mentorkit.repo.load import load_workspace
from mentorkit.repo.proposal_files import save_proposal
from test_imports import enrolled
from test_intake import DAY, EXPORTS, code, identifying_values, intake, leaks, make_repo
from test_intros import approve, assert_multipart, assert_no_markdown, parse

TODAY = dt.date(2026, 1, 2)
PSEUDONYM = re.compile(r"mk-[0-9a-f]{8}")
TEMPLATES = ("suggestions", "nudge", "not-matched", "closure", "partner-left")


def choice_program(tmp_path):
    """Pilot in choice mode (2 suggestions each), its sign-ups through intake, matched by the real matcher."""
    root, private, out = make_repo(tmp_path)
    with_templates(root)
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text() + "matching:\n  mode: choice\n  suggestions: 2\n")
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok
    save_proposal(root, match(load_workspace(root), "pilot", None).proposal)
    return root, private, out


def with_templates(root):
    """The kit's message templates, as `mentorkit new` ships them."""
    for name in TEMPLATES:
        (root / "templates" / f"{name}.md").write_bytes((EXPORTS.parents[2] / "templates" / f"{name}.md").read_bytes())


def bodies(path):
    msg = parse(path)
    assert_multipart(msg)
    text = msg.get_body(preferencelist=("plain",)).get_content()
    assert_no_markdown(text)
    raw = path.read_text(errors="replace")
    assert not PSEUDONYM.search(raw), "a participant could look a pseudonym up in the repository"
    return msg, " ".join(text.split()), msg.get_body(preferencelist=("html",)).get_content()


def test_suggestions_show_only_shared_fields_and_how_to_answer(tmp_path):
    root, private, out = choice_program(tmp_path)
    report = write_messages(root, "pilot", "suggestions", private, out, today=TODAY)
    written = {w.to[0]: w.path for w in report.written}
    tobiah = code(private, "tobiah.qm@example.com")
    assert tobiah in written and code(private, "ines.mo@example.com") in written
    # the fixture's other mentees are not in this private roster: said, not skipped silently
    assert {p.code for p in report.problems} == {"not-in-roster"}
    msg, text, page = bodies(written[tobiah])
    assert [a.addr_spec for a in msg["To"].addresses] == ["tobiah.qm@example.com"]
    assert msg["Subject"] == "Pilot mentoring program: choose your mentor"
    assert "- Mentor A: offers" in text and "- Mentor B: offers" in text and "Mentor C" not in text
    assert "(A or B)" in text and "by 9 January 2026" in text
    assert "<strong>Mentor A</strong>" in page
    for hidden in ("works in", "Zofia", "Ines", "Kowalczyk", "career level", "woman"):
        assert hidden not in text, f"{hidden!r} is not among the shared fields"
    assert leaks(root, identifying_values("google-forms-signup.csv")) == []


def test_the_share_list_decides_what_a_profile_shows(tmp_path):
    root, private, out = choice_program(tmp_path)
    template = root / "templates" / "suggestions.md"
    template.write_text(template.read_text().replace("share: [skills_offered, languages, time_zone, meeting_mode]",
                                                     "share: [department]"))
    report = write_messages(root, "pilot", "suggestions", private, out, today=TODAY)
    _, text, _ = bodies(report.written[0].path)
    assert "works in" in text and "offers" not in text and "speaks" not in text
    template.write_text(template.read_text().replace("share: [department]", "share: [gender]"))
    with pytest.raises(MentorkitError, match="gender, which a profile cannot show"):
        write_messages(root, "pilot", "suggestions", private, out, today=TODAY)


def test_suggestions_need_choice_mode(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    with pytest.raises(MentorkitError, match=r"matching\.mode: choice"):
        write_messages(root, "pilot", "suggestions", private, out, today=TODAY)


def test_an_unknown_placeholder_names_file_line_and_name(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    path = root / "templates" / "closure.md"
    path.write_text(path.read_text().replace("Hello {first_name}", "Hello {frist_name}"))
    with pytest.raises(TemplateError) as caught:
        write_messages(root, "pilot", "closure", private, out, today=TODAY)
    problem = caught.value.problems[0]
    assert (problem.file, problem.code) == ("templates/closure.md", "unknown-placeholder")
    assert path.read_text().splitlines()[problem.line - 1] == "Hello {frist_name},"
    assert "'{frist_name}'" in problem.message and problem.hint == "did you mean '{first_name}'?"
    assert not out.exists()


def test_a_nudge_goes_to_each_person_of_a_quiet_pair(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    approve(root, private, ("tobiah.qm@example.com", "zofia.kowalczyk@example.com", "approved"),
            ("ines.mo@example.com", "zofia.kowalczyk@example.com", "approved"))
    import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)  # Tobiah and Zofia met
    ines, zofia = code(private, "ines.mo@example.com"), code(private, "zofia.kowalczyk@example.com")
    tobiah = code(private, "tobiah.qm@example.com")
    # the day after Tobiah and Zofia last met: only Ines and Zofia, who never met since the start (5 January), are quiet
    report = write_messages(root, "pilot", "nudge", private, out, today=dt.date(2026, 3, 13))
    assert report.ok, report.as_text()
    assert sorted(w.to[0] for w in report.written) == sorted([ines, zofia])
    _, text, _ = bodies(next(w.path for w in report.written if w.to[0] == ines))
    assert "between you and Zofia" in text
    assert "We have no record of a meeting yet, 9 weeks after your mentoring began." in text  # 67 days
    # seven weeks on, Tobiah and Zofia have not met since 12 March either; Zofia, in both, gets one message per pair
    report = write_messages(root, "pilot", "nudge", private, out, today=dt.date(2026, 5, 1))
    assert sorted(w.to[0] for w in report.written) == sorted([ines, zofia, tobiah, zofia])
    for w in report.written:
        msg, text, _ = bodies(w.path)
        assert len(msg["To"].addresses) == 1, "each person their own message"
        assert re.search(r"We have no record of a meeting (in the last 7 weeks|yet, 16 weeks after)", text), text
        assert "satisf" not in text and "of 5" not in text, "no one's survey answer is told to another"


def test_not_matched_says_why_without_pseudonyms(tmp_path):
    root, private, out, mentee, mentor = enrolled(tmp_path)
    with_templates(root)
    (root / "participants" / "matches" / "pilot.yaml").write_text(
        "program: pilot\nformat: one-to-one\npairs: []\nunmatched:\n"
        f"  - mentee: {mentee}\n    reason: 'all 3 mentors who fit are fully booked'\n"
        f"    would_match: 'one more place with {mentor} (their best option, 61.5 points), or another mentor who "
        "offers sql'\n")
    report = write_messages(root, "pilot", "not-matched", private, out, today=TODAY)
    _, text, _ = bodies(report.written[0].path)
    assert "Why: The mentors who fit you best have no places left in this round." in text
    assert ("What would help: A place opening with a mentor who fits you: you are on the waiting list, and we will "
            "propose you as soon as one does." in " ".join(text.split()))
    assert "What happens next".upper() in text
    assert not re.search(r"mk-|\d|points|sql", text.split("QUESTIONS")[0]), "no pseudonym, count, score or id"


def test_closure_thanks_everyone_with_their_meetings(tmp_path):
    root, private, out, mentee, mentor = enrolled(tmp_path)
    with_templates(root)
    import_checkins(root, EXPORTS / "google-forms-checkins.csv", "pilot", private)
    report = write_messages(root, "pilot", "closure", private, out, today=dt.date(2026, 6, 30))
    assert sorted(w.to[0] for w in report.written) == sorted([mentee, mentor])
    _, text, _ = bodies(next(w.path for w in report.written if w.to[0] == mentee))
    assert "you gave to it with Zofia." in text and "recorded 2 meetings" in text


def test_batches_are_deterministic_and_refused_inside_the_repository(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    end = dt.date(2026, 6, 30)
    first = write_messages(root, "pilot", "closure", private, out, today=end).written[0].path.read_bytes()
    again = write_messages(root, "pilot", "closure", private, out, today=end).written[0].path.read_bytes()
    assert first == again
    with pytest.raises(UnsafePath, match="output folder"):
        write_messages(root, "pilot", "closure", private, root / "mail", today=end)
    dry = write_messages(root, "pilot", "closure", private, tmp_path / "dry", today=end, dry_run=True)
    assert dry.written and not (tmp_path / "dry").exists()


def test_cli_messages(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    result = CliRunner().invoke(main, ["messages", "pilot", "closure", "--private", str(private), "--out", str(out),
                                       "--root", str(root), "--date", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("closure-pilot-*.eml"))) == 2 and "zofia" not in result.output.lower()
    wrong = CliRunner().invoke(main, ["messages", "pilot", "thanks", "--private", str(private), "--out", str(out),
                                      "--root", str(root)])
    assert wrong.exit_code == 2 and "closure" in wrong.output


def test_closure_waits_for_the_end_unless_forced(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    args = ["messages", "pilot", "closure", "--private", str(private), "--out", str(out), "--root", str(root),
            "--date", "2026-01-15"]
    early = CliRunner().invoke(main, args)
    assert early.exit_code == 1 and "Traceback" not in early.output
    assert "pilot ends on 2026-06-30" in early.output and "--force" in early.output
    assert not out.exists(), "nothing written ten days after the start"
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert len(list(out.glob("closure-pilot-*.eml"))) == 2
