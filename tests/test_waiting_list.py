"""The waiting list, first come first: mentees left out only because the mentors who fit them are full wait in
sign-up order (joined, then pseudonym for the same day) in `mentorkit due`, the review packet and the
not-matched e-mails, which tell each person their place in words."""

import datetime as dt
import re

from mentorkit.coordinator.due import due
from mentorkit.coordinator.messages import place_in_words, waiting_list, write_messages
from mentorkit.coordinator.review import write_review
from mentorkit.repo.load import load_workspace
from test_imports import enrolled
from test_intake import DAY, EXPORTS, code, intake
from test_intros import set_fields
from test_messages import bodies, with_templates

FULL = "the only mentor who fits is fully booked"


def waiting_room(tmp_path, reasons):
    """Tobiah, Ines and Wendeline unmatched in pilot with `reasons` (by first name); Zofia mentors no one, so a
    place is free. Wendeline signed up first; Ines and Tobiah on the same later day."""
    root, private, out, tobiah, _ = enrolled(tmp_path)
    assert intake(root, EXPORTS / "microsoft-forms-signup.csv", "pilot", private, today=DAY).ok
    with_templates(root)
    people = {"Tobiah": tobiah, "Ines": code(private, "ines.mo@example.com"),
              "Wendeline": code(private, "wendeline.ashcombe@example.com")}
    for name, joined in (("Wendeline", "2025-11-01"), ("Ines", "2025-11-20"), ("Tobiah", "2025-11-20")):
        set_fields(root, people[name], joined=joined)
    lines = ["program: pilot", "format: one-to-one", "pairs: []", "unmatched:"]
    for name, reason in reasons.items():
        lines += [f"  - mentee: {people[name]}", f"    reason: {reason}"]
    (root / "participants" / "matches" / "pilot.yaml").write_text("\n".join(lines) + "\n")
    return root, private, out, people


def first_come(people):
    """The expected order: Wendeline (earliest), then Ines and Tobiah (same day) by pseudonym."""
    return [people["Wendeline"], *sorted((people["Ines"], people["Tobiah"]))]


def test_the_waiting_list_is_in_sign_up_order_then_pseudonym(tmp_path):
    root, _, _, people = waiting_room(tmp_path, {"Tobiah": FULL, "Ines": FULL, "Wendeline": FULL})
    assert waiting_list(load_workspace(root), "pilot") == first_come(people)


def test_due_lists_the_waiting_mentees_first_come_first(tmp_path):
    root, private, _, people = waiting_room(tmp_path, {"Tobiah": FULL, "Ines": FULL, "Wendeline": FULL})
    item = next(i for i in due(root, dt.date(2026, 2, 2), private).items if "waiting list" in i.what)
    named = re.findall(r"mk-[0-9a-f]{8}", item.what)
    assert named == first_come(people)
    assert f"{people['Wendeline']} (signed up 2025-11-01)" in item.what


def test_each_waiting_mentee_is_told_their_place_in_words(tmp_path):
    root, private, out, people = waiting_room(tmp_path, {"Tobiah": FULL, "Ines": FULL, "Wendeline": FULL})
    report = write_messages(root, "pilot", "not-matched", private, out, today=dt.date(2026, 1, 5))
    told = {w.to[0]: bodies(w.path)[1] for w in report.written}
    for place, who in enumerate(first_come(people), start=1):
        assert (f"You are {place_in_words(place)} on the waiting list, which we keep in the order people signed up. "
                "When a place opens with a mentor who fits you, we will propose you and write to you again.") in told[who]
        assert not re.search(r"\d", told[who].split("QUESTIONS")[0].split("Contacts")[0]), "no number to puzzle over"


def test_someone_not_waiting_for_a_place_is_not_on_the_list(tmp_path):
    root, private, out, people = waiting_room(tmp_path, {"Tobiah": FULL, "Ines": "none of the skills sought is "
                                                         "offered by a mentor in this program", "Wendeline": FULL})
    assert waiting_list(load_workspace(root), "pilot") == [people["Wendeline"], people["Tobiah"]]
    report = write_messages(root, "pilot", "not-matched", private, out, today=dt.date(2026, 1, 5))
    told = {w.to[0]: bodies(w.path)[1] for w in report.written}
    assert "waiting list" not in told[people["Ines"]]
    assert "You are second on the waiting list" in told[people["Tobiah"]]


def test_the_review_packet_lists_the_waiting_list_in_order_by_name(tmp_path):
    root, private, out, people = waiting_room(tmp_path, {"Tobiah": FULL, "Ines": FULL, "Wendeline": FULL})
    page = write_review(root, "pilot", private, out).path.read_text(encoding="utf-8")
    section = page.split('id="waiting-list"')[1].split("</ol>")[0]
    items = re.findall(r"<li>(.*?)</li>", section)
    # the roster's names, escaped (Wendeline's export gives a spreadsheet formula as her name)
    names = {people["Wendeline"]: "=HYPERLINK(&quot;", people["Ines"]: "Ines", people["Tobiah"]: "Tobiah"}
    assert len(items) == 3
    assert all(names[c] in item for c, item in zip(first_come(people), items, strict=True)), items
    assert items[0].endswith("signed up Saturday 1 November 2025")
    assert "mk-" not in section


def test_ordinals_read_as_words_then_as_numbers():
    assert [place_in_words(n) for n in (1, 2, 10, 11)] == ["first", "second", "tenth", "number 11"]
