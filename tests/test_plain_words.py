"""What participants and managers read of a proposal: its reasons retold without rule names, ids or numbers."""

import re

import pytest

from mentorkit.coordinator.messages import write_messages
from mentorkit.coordinator.plain import for_participant, guarantee_in_words
from mentorkit.coordinator.review import write_review
from test_imports import enrolled
from test_intake import code
from test_intros import approve
from test_messages import bodies, with_templates

JARGON = re.compile(r"\d|matching\.|level gap|points|reduced cost|unimodular|\bLP\b|\bdual|integer|mk-[0-9a-f]{8}|"
                    r"eligible|score", re.IGNORECASE)

# reasons and hints as `matching.reasons` writes them (the examples among them)
CASES = [
    ("no mentor fits the program rules: of 9 mentors, 6 offer none of the skills they seek (sql), nor a related one",
     "3 mentors who offer sql or leadership would fit, but on the wrong side of the career-stage gap (level gap -6 "
     "to -1; allowed 1 to 4): this mentee needs a mentor at another level", "career stage"),
    ("no mentor fits the program rules: the only mentor is more than 6 hours away",
     "no mentor offers sql within 6 hours of Asia/Tokyo; 2 offer it 8 to 9 hours away "
     "(matching.max_time_zone_difference)", "time zones"),
    ("no mentor fits the program rules: of 4 mentors, 4 share no language with them",
     "2 mentors would fit but speak de, fr, not en (matching.shared_language_required)", "language"),
    ("no mentor fits the program rules: of 3 mentors, 3 offer none of the skills they seek (negotiation)",
     "no mentor in this program offers negotiation or a related skill: recruit one who does, or list related "
     "skills in participants/vocabulary.yaml", "skills you want to develop"),
    ("all 3 mentors who fit are fully booked",
     "one more place with mk-0a1b2c3d (their best option, 61.5 points), or another mentor who offers sql",
     "no places left"),
    ("every mentor who fits and has room is needed to match as many people as possible", None, "needed"),
    ("one mentee per team: every mentor who fits and has room already has someone from team fin-core", None,
     "your team"),
    ("no eligible mentor: the program has no mentors", None, "signed up"),
    ("something the kit says one day that this table does not know", None, "could not find"),
]


@pytest.mark.parametrize(("reason", "hint", "expected"), CASES)
def test_a_reason_is_retold_without_rule_names_ids_or_numbers(reason, hint, expected):
    why, helps = for_participant(reason, hint)
    assert expected in why
    for said in (why, helps):
        assert not JARGON.search(said), said
        assert "sql" not in said and "negotiation" not in said, "no vocabulary id"


def test_the_guarantee_is_one_sentence_a_manager_understands():
    for proof in ("proven optimal over all 494 eligible pairs: integer prices for every mentee and mentor leave no "
                  "eligible pair a positive reduced cost ... totally unimodular",
                  "optimal among each mentee's 20 best candidates (400 of 9000 eligible pairs): too many pairs"):
        said = guarantee_in_words(proof)
        assert said.count(". ") == 0 and said.endswith(".") and "proposal file" in said
        assert not JARGON.search(said), said


def test_a_both_sign_up_who_only_mentors_is_told_and_listed(tmp_path):
    root, private, out, *_ = enrolled(tmp_path)
    with_templates(root)
    approve(root, private, ("tobiah.qm@example.com", "ines.mo@example.com", "approved"))  # Ines mentors Tobiah
    report = write_messages(root, "pilot", "not-matched", private, out)
    assert [w.to[0] for w in report.written] == [code(private, "ines.mo@example.com")]
    _, text, _ = bodies(report.written[0].path)
    flat = " ".join(text.split())
    assert "Hello Ines" in flat and "you will mentor Tobiah" in flat
    assert "WHAT HAPPENS NEXT" in text and not JARGON.search(flat.split("QUESTIONS")[0])
    packet = write_review(root, "pilot", private, out).path.read_text()
    assert "signed up as both mentor and mentee; mentors Tobiah Quennell-Marsh" in packet

