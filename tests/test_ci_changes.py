"""What a pull request changes between its base and head workspaces (mentorkit.ci.changes).

Also the home of the fixture helpers the other CI tests use: a proposal file's
data, writing it into a fixture workspace, loading a valid workspace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import make_workspace
from mentorkit.ci.changes import Changes, changed_proposals, changes, proposal_diffs
from mentorkit.ci.text import changes_markdown
from mentorkit.repo.load import read_workspace

# --------------------------------------------------------------------------
# Fixture workspaces
# --------------------------------------------------------------------------


def proposal(pairs, unmatched=(), program="pilot"):
    return {"program": program, "format": "one-to-one", "solver": {"name": "test"}, "summary": {"pairs": len(pairs)},
            "pairs": [{"mentee": a, "mentor": b, "status": s, "score": 70.0, "why": {"skills": 40.0}}
                      for a, b, s in pairs],
            "unmatched": [{"mentee": m, "reason": r} for m, r in unmatched]}


def write_proposal(root: Path, data: dict) -> None:
    path = root / "participants" / "matches" / f"{data['program']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def load(root: Path):
    ws, report = read_workspace(root)
    assert report.ok, [p.where + ": " + p.message for p in report.problems]
    return ws


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@pytest.fixture
def base_and_head(tmp_path):
    base = make_workspace(tmp_path / "base")
    head = make_workspace(tmp_path / "head")
    return base, head


# --------------------------------------------------------------------------
# What changed
# --------------------------------------------------------------------------


def test_no_change_is_said_in_words(base_and_head):
    base, head = base_and_head
    ch = changes(load(base), load(head))
    assert ch.empty
    assert changes_markdown(ch) == ("Nothing changed in the programs, agendas, participant tables or match "
                                    "proposals.")


def test_changes_name_programs_people_records_agendas_and_proposals(base_and_head):
    base, head = base_and_head
    program = head / "program" / "pilot.yaml"
    program.write_text(program.read_text().replace("session_minutes: 60", "session_minutes: 75"))
    people = head / "participants" / "participants.csv"
    rows = people.read_text().splitlines()
    rows = [r.replace(",virtual,,1,", ",virtual,,2,") for r in rows]  # b's capacity changes
    rows.append(rows[-1].replace("mk-0000000d", "mk-0000000e"))  # e joins
    people.write_text("\n".join(rows) + "\n")
    append(head / "participants" / "checkins.csv", "pilot,mk-0000000c,mk-0000000b,2026-03-02,45,in-person,5,")
    (head / "agendas" / "first-meeting.md").write_text(
        (head / "agendas" / "first-meeting.md").read_text() + "\nOne more prompt.\n")
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000a", "proposed")]))
    old, new = load(base), load(head)

    ch = changes(old, new)
    assert ch.programs_edited == {"pilot": ("cadence",)}
    assert ch.joined == {"pilot": ("mk-0000000e",)} and ch.left == {}
    assert ch.updated == ("mk-0000000b",)
    assert ch.records == {"checkins": (1, 0)}
    assert ch.agendas_edited == ("first-meeting",)
    assert ch.proposals == ("pilot",)
    text = changes_markdown(ch)
    assert "- **Programs:** edited `pilot` (cadence)." in text
    assert "- **Participants in `pilot`:** 1 joined (`mk-0000000e`)." in text
    assert "- **Participant rows edited:** 1 person (`mk-0000000b`)." in text
    assert "- **Records:** 1 check-in added." in text
    assert "- **Agendas:** edited `first-meeting`." in text
    assert "- **Match proposals:** `pilot` (see below)." in text


def test_long_lists_of_pseudonyms_are_cut_short():
    names = [f"mk-{i:08x}" for i in range(14)]
    text = changes_markdown(Changes(joined={"grow": tuple(names)}))
    assert text == ("- **Participants in `grow`:** 14 joined (" + ", ".join(f"`{n}`" for n in names[:10])
                    + " and 4 more).")


def test_changed_proposals_covers_added_removed_and_edited(base_and_head):
    base, head = base_and_head
    write_proposal(base, proposal([("mk-0000000c", "mk-0000000a", "approved")]))
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000b", "proposed")]))
    assert changed_proposals(load(base), load(head)) == ["pilot"]
    assert changed_proposals(load(base), load(base)) == []
    assert changed_proposals(None, load(head)) == ["pilot"]


def test_proposal_diffs_are_told_in_words_and_a_removed_proposal_too(base_and_head):
    base, head = base_and_head
    write_proposal(base, proposal([("mk-0000000c", "mk-0000000a", "approved")]))
    write_proposal(head, proposal([("mk-0000000c", "mk-0000000b", "proposed")]))
    [(pid, text)] = proposal_diffs(load(base), load(head)).items()
    assert pid == "pilot" and "mk-0000000b" in text
    assert proposal_diffs(load(head), load(make_workspace(base.parent / "empty"))) == {
        "pilot": "The proposal for `pilot` was removed.\n"}
    assert proposal_diffs(None, load(head)) == {}
