"""The communication-style criterion: a vocabulary list, a participant column and a weight."""

from __future__ import annotations

import random
from dataclasses import replace

from matching_helpers import person, program, random_people, reference, vocabulary, workspace
from mentorkit.matching import propose
from mentorkit.matching.candidates import CandidateIndex
from mentorkit.matching.scoring import Criteria, score_pair
from mentorkit.model import Term
from mentorkit.repo.load import read_workspace

STYLES = ["direct", "reflective", "structured", "exploratory"]
VOCAB = vocabulary().model_copy(update={"communication_styles": [Term(id=s, label=s) for s in STYLES]})


def styled(people, rng):
    return [replace(p, communication_style=tuple(rng.sample(STYLES, rng.randint(0, 2)))) for p in people]


def test_points_for_shared_styles_by_hand():
    prog = program(weights={"communication_style": 10})
    ann = replace(person(1, sought=("python",), level=2), communication_style=("direct", "structured"))
    carl = replace(person(2, "mentor", offered=("python",), level=4), communication_style=("direct",))
    s = score_pair(prog, VOCAB, ann, carl)
    assert s.parts["communication_style"] == 5.0  # one of Ann's two styles
    prop = propose(workspace([ann, carl], {"pilot": prog}, vocab=VOCAB), "pilot")
    [pair] = prop.pairs
    assert pair.why["communication_style"] == 5.0 and pair.reasons["communication_style"] == "both prefer direct"
    assert pair.fit is not None and pair.fit.communication_style == ["direct"]


def test_off_by_default_and_noted_when_nobody_answered():
    ann, carl = person(1, level=2), person(2, "mentor", level=4)
    assert "communication_style" not in score_pair(program(), VOCAB, ann, carl).parts
    prop = propose(workspace([ann, carl], {"pilot": program(weights={"communication_style": 10})}, vocab=VOCAB), "pilot")
    assert any("weight 'communication_style' is 10 but no mentee has communication style" in n for n in prop.notes)


def test_the_fast_index_and_the_optimum_agree_with_the_reference():
    for seed in range(6):
        rng = random.Random(seed)
        people = styled(random_people(rng, 30, 15, capacity=(1, 2)), rng)
        prog = program(weights={"communication_style": 25})
        ws = workspace(people, {"pilot": prog}, vocab=VOCAB)
        crit = Criteria(prog, VOCAB)
        mentees = sorted((p for p in people if p.role == "mentee"), key=lambda p: p.pseudonym)
        mentors = sorted((p for p in people if p.role == "mentor"), key=lambda p: p.pseudonym)
        ix = CandidateIndex(crit, mentees, mentors)
        for i, a in enumerate(mentees):
            row = {ix.decode(k)[1]: ix.decode(k)[0] for k in ix.rows[i]}
            for j, b in enumerate(mentors):
                ref = crit.score(a, b)
                assert ref.eligible == (j in row) and (not ref.eligible or row[j] == ref.cents)
        prop = propose(ws, "pilot")
        assert (len(prop.pairs), round(sum(p.score for p in prop.pairs) * 100)) == reference(ws), seed
        assert any(p.why["communication_style"] > 0 for p in prop.pairs)


def test_the_column_is_read_and_checked_against_the_vocabulary(base_workspace):
    root = base_workspace
    csv = root / "participants" / "participants.csv"
    lines = csv.read_text().splitlines()
    lines[1] = lines[1][:-1] + "direct;reflective,"  # the cell before the last (working_hours), empty in the base
    lines[2] = lines[2][:-1] + "gossipy,"
    csv.write_text("\n".join(lines) + "\n")
    vocab = root / "participants" / "vocabulary.yaml"
    vocab.write_text(vocab.read_text() + "communication_styles:\n  - {id: direct, label: Direct}\n"
                     "  - {id: reflective, label: Reflective}\n")
    ws, report = read_workspace(root)
    first = sorted(ws.participants)[0]
    assert ws.participants[first].communication_style == ("direct", "reflective")
    assert [(p.row, p.field, p.code) for p in report.problems] == [(3, "communication_style", "unknown-term")]
