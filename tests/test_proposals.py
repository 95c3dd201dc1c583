"""Proposal files: deterministic text that reads back; differences in words and tables for a reviewer."""

import datetime as dt
import random

import pytest
import yaml

from matching_helpers import person, pid, program, random_people, workspace
from mentorkit.errors import MentorkitError
from mentorkit.matching import propose
from mentorkit.model import Proposal, ProposedPair, Unmatched
from mentorkit.proposals.diff import diff_proposals
from mentorkit.repo.proposal_files import parse_proposal, proposal_to_yaml, read_proposal, write_proposal
from mentorkit.repo.yaml_writer import dump_yaml


@pytest.fixture(scope="module")
def proposal():
    rng = random.Random(4)
    return propose(workspace(random_people(rng, 12, 5)), "pilot")


def test_file_starts_with_a_header_and_reads_back(proposal):
    text = proposal_to_yaml(proposal)
    assert text.startswith("# Match proposal for the program 'pilot', written by `mentorkit match pilot`.\n")
    assert "change its status from proposed to approved and merge" in text
    back = parse_proposal(text)
    assert [(p.mentee, p.mentor, p.status, p.score, p.why) for p in back.pairs] == \
        [(p.mentee, p.mentor, p.status, p.score, p.why) for p in proposal.pairs]
    assert back.unmatched == proposal.unmatched
    data = yaml.safe_load(text)
    assert list(data)[:6] == ["program", "format", "solver", "summary", "pairs", "unmatched"]
    assert list(data["pairs"][0]) == ["mentee", "mentor", "status", "score", "why", "reasons", "fit", "next_best"]
    assert back.pairs == proposal.pairs and back.unused == proposal.unused  # reasons and fit read back as written


def test_numbers_are_written_as_hundredths():
    p = Proposal(program="pilot", format="one-to-one",
                 pairs=[ProposedPair(mentee=pid(1), mentor=pid(2), score=0.1 + 0.2, why={"skills": 10 / 3})])
    text = proposal_to_yaml(p)
    assert "score: 0.3\n" in text and "skills: 3.33\n" in text


def test_write_is_atomic_and_reports_no_change(tmp_path, proposal):
    path = tmp_path / "participants" / "matches" / "pilot.yaml"
    assert write_proposal(path, proposal) is True
    assert write_proposal(path, proposal) is False
    assert path.read_text(encoding="utf-8") == proposal_to_yaml(proposal)
    assert [f.name for f in path.parent.iterdir()] == ["pilot.yaml"]  # no temporary file left behind
    assert read_proposal(path).pairs[0].mentee == proposal.pairs[0].mentee


def test_unreadable_proposals_are_named(tmp_path):
    with pytest.raises(MentorkitError, match=r"not a valid proposal: pairs\.0\.mentee"):
        parse_proposal("program: pilot\nformat: one-to-one\npairs:\n- mentee: bob\n  mentor: mk-00000001\n"
                       "  score: 1\n", "old.yaml")
    with pytest.raises(MentorkitError, match="not a readable proposal"):
        parse_proposal("program: [", "old.yaml")


PURE = type("Pure", (yaml.SafeDumper,), {"ignore_aliases": lambda self, d: True})


def _pure(data):
    """PyYAML's own representer, serializer and emitter, all in Python: the reference for the kit's writer."""
    return yaml.dump(data, Dumper=PURE, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


def test_the_writer_gives_the_bytes_of_pyyamls_safe_dumper(proposal):
    """The kit writes events straight to libyaml's emitter (repo/yaml_writer.py): the bytes must be those of
    `yaml.dump` with PyYAML's pure-Python safe dumper, so files do not depend on the writer or on libyaml."""
    data = yaml.safe_load(proposal_to_yaml(proposal))
    data["notes"] = ["a: b", "it's \"quoted\" – ü", "x" * 300, "- dash", "yes", "123", "", " lead", "two\nlines",
                     "#hash", "tab\there", "null", "~", "{x}", "@at", "2026-01-01", "a #b"]
    assert dump_yaml(data) == _pure(data)


def test_the_writer_agrees_with_pyyaml_on_every_kind_of_value():
    texts = ["", " ", "yes", "No", "on", "~", "null", "1", "-1.5", "0x1f", "0o7", "1_000", "1e3", ".inf", "-", "a: b",
             "#x", "é", "multi\nline", "trail ", "'q'", '"', "2024-01-01", "2024-01-01 10:00:00", "true", "...",
             "---", "*a", "&a", "!t", "%x", "@x", "`x", "x\ty", "\u2028", "ü" * 200, "a " * 80, "- x", "? x", ": x",
             "a #b", "a\\b", "=", "<<"]  # no C1 controls: libyaml and PyYAML escape them apart (the kit refuses them)
    values = [*texts, None, True, False, 0, -1, 10**20, 1.0, 0.1, 1e20, 1e-7, -0.0, float("inf"), float("-inf"),
              float("nan"), [], {}, [[]], {"a": []}, dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4, 5)]
    rng = random.Random(5)
    for _ in range(2000):
        data = {rng.choice(texts) or "k": rng.choice(values), "list": [rng.choice(values) for _ in range(3)],
                "nested": {"x": rng.choice(values), 3: [{"y": rng.choice(values)}]}}
        assert dump_yaml(data) == _pure(data), data


def test_what_the_writer_writes_the_kits_reader_reads_back_as_it_was():
    """Proposals are read back typed (numbers as numbers): a text the writer leaves plain must come back a text.
    "1e3" is no number to the YAML the writer follows (a float has a dot, an exponent a sign), so it goes plain;
    read as a number it came back as 1000.0 (a program called "1e3" lost its proposal)."""
    from mentorkit.repo.strict_yaml import parse_yaml

    texts = ["1e3", "1E3", "1.5e3", "-2e-3", "1.0e+3", ".5", "1.", "+1", "0x1f", "1_000", "yes", "~", "null", "1",
             "-1.5", "2026-01-05", "12:30", ".inf", ".nan", "true", "007", "1e", "e3"]
    values = [*texts, 1, -1, 0.5, 1e20, 1e-7, 12.0, True, None]
    for value in values:
        doc, problems = parse_yaml(dump_yaml({"v": value, "l": [value]}), "x.yaml", typed=True)
        assert not problems and doc is not None
        assert doc.data == {"v": value, "l": [value]}, value
        assert [type(doc.data["v"])] == [type(value)], value


def _p(pairs, unmatched=(), summary=None):
    return Proposal(program="pilot", format="one-to-one", summary=summary or {},
                    pairs=[ProposedPair(mentee=pid(a), mentor=pid(b), status=s, score=sc) for a, b, s, sc in pairs],
                    unmatched=[Unmatched(mentee=pid(m), reason=r) for m, r in unmatched])


def test_diff_names_added_removed_reassigned_and_changed_pairs():
    old = _p([(1, 10, "proposed", 50.0), (2, 11, "proposed", 60.0), (3, 12, "proposed", 70.0), (4, 13, "approved", 40.0)],
             summary={"matched": "4", "total_score": "220.0"})
    new = _p([(1, 10, "approved", 50.0), (2, 14, "proposed", 65.5), (4, 13, "approved", 42.0), (5, 12, "proposed", 30.0)],
             unmatched=[(3, "capacity exhausted: the 1 eligible mentor is fully booked")],
             summary={"matched": 4, "total_score": 187.5})
    d = diff_proposals(old, new)
    assert [(c.mentee, c.mentor) for c in d.added] == [(pid(5), pid(12))]
    assert [(c.mentee, c.mentor) for c in d.removed] == [(pid(3), pid(12))]
    assert [(r.mentee, r.old_mentors, r.new_mentors) for r in d.reassigned] == [(pid(2), (pid(11),), (pid(14),))]
    assert [(c.mentee, c.old_status, c.new_status, c.move) for c in d.changed] == [
        (pid(1), "proposed", "approved", 0.0), (pid(4), "approved", "approved", 2.0)]
    assert d.headline() == "1 pair added, 1 removed, 1 reassigned, 2 changed."
    text = d.to_text()
    assert f"  {pid(2)}: {pid(11)} → {pid(14)} (score 60.00 → 65.50)" in text
    assert f"  {pid(1)} with {pid(10)}: proposed → approved" in text
    assert "total score: 220.00 → 187.50 (-32.5)" in text
    assert f"  {pid(3)} (new): capacity exhausted" in text
    md = d.to_markdown()
    assert md.startswith("**1 pair added, 1 removed, 1 reassigned, 2 changed.**\n\nTotal score: 220.00 → 187.50 (-32.5).")
    assert f"| `{pid(5)}` | `{pid(12)}` | proposed | 30.00 |  |" in md
    assert f"| `{pid(4)}` | `{pid(13)}` | score 40.00 → 42.00 (+2.00) |  |" in md
    assert f"| `{pid(3)}` | this change | capacity exhausted: the 1 eligible mentor is fully booked | – |" in md


def test_diff_from_nothing_and_of_identical_proposals(proposal):
    first = diff_proposals(None, proposal)
    assert len(first.added) == len(proposal.pairs) and not first.removed
    same = diff_proposals(proposal, proposal)
    assert same.empty and same.headline() == "No pairs changed." and same.to_text().startswith("Proposal for pilot:")


def test_a_rerun_diff_shows_only_what_a_newcomer_changed():
    people = [person(k, sought=("python",), level=2) for k in range(1, 7)]
    people += [person(20 + k, "mentor", offered=("python",), level=4, capacity=2) for k in range(4)]
    first = propose(workspace(people), "pilot")
    again = propose(workspace(people + [person(7, sought=("python",), level=2)]), "pilot", first)
    d = diff_proposals(first, again)
    assert [c.mentee for c in d.added] == [pid(7)] and not d.removed and not d.reassigned and not d.changed


def test_header_names_the_program():
    p = Proposal(program="grow", format="group")
    assert proposal_to_yaml(p).splitlines()[0] == "# Match proposal for the program 'grow', written by `mentorkit match grow`."
    assert parse_proposal(proposal_to_yaml(p)).program == "grow"
    assert "notes:" not in proposal_to_yaml(p)
    assert program().matching.weights.skills == 40
