"""`mentorkit leave`: a participant withdraws (or leaves the organisation); their pairs end, the matcher leaves them
out, their partner is told, and the later messages no longer count them."""

import datetime as dt

import pytest
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.lifecycle import leave
from mentorkit.coordinator.messages import write_messages
from mentorkit.errors import MentorkitError
from mentorkit.matching import match
from mentorkit.model import PairStatus
from mentorkit.repo.load import load_workspace
from test_intake import code
from test_meeting_slots import INES, season
from test_messages import bodies, with_templates

LEFT = dt.date(2026, 2, 2)


def test_a_withdrawal_ends_the_pair_and_removes_them_from_matching(tmp_path):
    root, private, out = season(tmp_path)
    with_templates(root)
    ines, zofia = code(private, INES), code(private, "zofia.kowalczyk@example.com")
    before = (root / "participants" / "outcomes.csv").read_bytes()
    dry = leave(root, INES, "pilot", private, on=LEFT, dry_run=True)
    assert dry.ended == [(ines, zofia)] and (root / "participants" / "outcomes.csv").read_bytes() == before
    report = leave(root, INES, "pilot", private, on=LEFT)
    assert report.ok, report.as_text()
    ws = load_workspace(root)
    pair = next(p for p in ws.proposals["pilot"].pairs if p.mentee == ines)
    assert (pair.status, pair.ended_on) == (PairStatus.ENDED, LEFT)
    assert ws.leavers("pilot") == {ines: LEFT} and ws.leavers("pilot2") == {}, "only while the program was open"
    assert any(o.pseudonym == ines and o.outcome == "withdrawal" for o in ws.outcomes)
    proposal = match(ws, "pilot", ws.proposals["pilot"]).proposal
    current = [p for p in proposal.pairs if p.status != PairStatus.ENDED]
    assert ines not in {p.mentee for p in current} | {p.mentor for p in current}
    assert ines not in {u.mentee for u in proposal.unmatched}, "a leaver is no match candidate ('no mentor yet')"
    # the partner is told; the leaver is not nudged, and gets no closure thanks
    told = write_messages(root, "pilot", "partner-left", private, out / "left", today=LEFT)
    assert [w.to[0] for w in told.written] == [zofia]
    _, text, _ = bodies(told.written[0].path)
    flat = " ".join(text.split())
    assert "Ines has left Pilot mentoring program" in flat and "2 February 2026" in flat and "WHAT HAPPENS NEXT" in text
    nudged = write_messages(root, "pilot", "nudge", private, out / "nudge", today=dt.date(2026, 4, 1))
    assert ines not in {w.to[0] for w in nudged.written}
    closure = write_messages(root, "pilot", "closure", private, out / "closure", today=dt.date(2026, 6, 30))
    assert ines not in {w.to[0] for w in closure.written} and zofia in {w.to[0] for w in closure.written}


def test_leaving_the_organisation_is_a_departure(tmp_path):
    root, private, _ = season(tmp_path)
    result = CliRunner().invoke(main, ["leave", "tobiah.qm@example.com", "--program", "pilot", "--private", str(private),
                                       "--date", "2026-03-01", "--left-organisation", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "departure on 2026-03-01" in result.output and "partner-left" in result.output
    assert "tobiah" not in result.output.lower(), "the terminal shows the pseudonym only"
    ws = load_workspace(root)
    assert [o.outcome for o in ws.outcomes if o.pseudonym == code(private, "tobiah.qm@example.com")] == ["departure"]


def test_mistakes_are_refused_in_words(tmp_path):
    root, private, _ = season(tmp_path)
    with pytest.raises(MentorkitError, match="not in the private roster"):
        leave(root, "nobody@example.com", "pilot", private, on=LEFT)
    with pytest.raises(MentorkitError, match="after pilot ended"):
        leave(root, INES, "pilot", private, on=dt.date(2027, 1, 1))
