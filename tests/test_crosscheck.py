"""repo/crosscheck.py: the checks that span files (references, vocabularies, dates, capacities).

Each test builds a small workspace in memory (program and vocabulary parsed from
YAML text so problems have lines, table rows as records with row numbers), calls
`crosscheck.check` and compares (file, line or row, field, code) tuples.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

import pytest

from conftest import DATA
from mentorkit.model import (
    Agenda,
    AgendaMeta,
    Checkin,
    GoalRecord,
    Outcome,
    Participant,
    Program,
    Proposal,
    ProposedPair,
    SkillRating,
    Vocabulary,
    Workspace,
)
from mentorkit.repo import crosscheck
from mentorkit.repo.strict_yaml import parse_yaml
from mentorkit.repo.tables import Table

P = "program/pilot.yaml"
V = "participants/vocabulary.yaml"
PC = "participants/participants.csv"
CHECKINS = "participants/checkins.csv"
GOALS = "participants/goals.csv"
RATINGS = "participants/skill_ratings.csv"
PILOT = (DATA / "base" / "program" / "pilot.yaml").read_text(encoding="utf-8")
VOCAB = """\
skills:
  - id: data-analysis
    label: Data analysis
    related: [sql]
  - id: sql
    label: SQL
interests:
  - id: hiking
    label: Hiking
goals:
  - id: leadership
    label: Leadership
departments:
  - id: engineering
    label: Engineering
  - id: finance
    label: Finance
locations:
  - id: berlin
    label: Berlin
"""

A, B, C, D, E = (f"mk-0000000{x}" for x in "abcde")


def person(pseudonym: str, role: str = "mentee", **changes) -> Participant:
    values = dict(pseudonym=pseudonym, role=role, programs=("pilot",), department="engineering", level=3,
                  time_zone="Europe/Berlin", languages=("en",), mentor_capacity=2 if role == "mentor" else 0)
    return Participant(**{**values, **changes})


PEOPLE = [person(A, "mentor"), person(B, "mentor", department="finance"), person(C, reports_to=A), person(D)]
AGENDA = Agenda("first-meeting", AgendaMeta(title="First meeting", kind="session", summary="Get to know each other."), "")


def parsed(rel: str, text: str, model):
    doc, problems = parse_yaml(text, rel, typed=rel.startswith("participants/matches/"))
    assert problems == [], problems
    return model.model_validate(doc.data), doc


@dataclass
class World:
    """The inputs of `crosscheck.check`, valid until a test changes them."""

    programs: dict[str, str] = field(default_factory=lambda: {"pilot": PILOT})
    vocabulary: str | None = VOCAB
    people: list = field(default_factory=lambda: list(PEOPLE))
    records: dict[str, list] = field(default_factory=dict)  # table name -> records, rows numbered from 2
    proposals: dict[str, str] = field(default_factory=dict)
    agendas: dict = field(default_factory=lambda: {"first-meeting": AGENDA})
    unreadable: set = field(default_factory=set)
    participants_readable: bool = True
    rejected: set = field(default_factory=set)  # first cells of participant rows the table reader refused

    def check(self):
        ws, docs = Workspace(root=DATA / "base"), {}
        for pid, text in self.programs.items():
            ws.programs[pid], docs[f"program/{pid}.yaml"] = parsed(f"program/{pid}.yaml", text, Program)
        if self.vocabulary is not None:
            ws.vocabulary, docs[V] = parsed(V, self.vocabulary, Vocabulary)
        for pid, text in self.proposals.items():
            rel = f"participants/matches/{pid}.yaml"
            ws.proposals[pid], docs[rel] = parsed(rel, text, Proposal)
        ws.agendas = dict(self.agendas)
        tables = {"participants": Table("participants", PC, rows=[(i, p) for i, p in enumerate(self.people, start=2)],
                                        readable=self.participants_readable, rejected=set(self.rejected))}
        ws.participants = {p.pseudonym: p for p in self.people}
        for name, records in self.records.items():
            tables[name] = Table(name, f"participants/{name}.csv", rows=list(enumerate(records, start=2)))
            setattr(ws, name, list(records))
        return crosscheck.check(ws, docs, tables, self.unreadable)


def tuples(problems) -> set[tuple]:
    return {(p.file, p.line if p.line is not None else p.row, p.field, p.code) for p in problems}


def hints(problems) -> dict[str | None, str | None]:
    return {p.field: p.hint for p in problems}


def test_the_valid_world_has_no_problems():
    assert World().check() == []


# --- vocabulary -------------------------------------------------------------------------------


def test_vocabulary_ids_repeated_in_a_list():
    world = World(vocabulary=VOCAB + "  - id: berlin\n    label: Berlin again\n")
    assert tuples(world.check()) == {(V, 21, "locations[1].id", "duplicate-id")}


def test_a_related_skill_must_be_a_skill_with_a_suggestion():
    found = World(vocabulary=VOCAB.replace("related: [sql]", "related: [sqll, cooking]")).check()
    assert tuples(found) == {(V, 4, "skills[0].related[0]", "dangling-reference"),
                             (V, 4, "skills[0].related[1]", "dangling-reference")}
    assert hints(found) == {"skills[0].related[0]": "did you mean 'sql'?", "skills[0].related[1]": None}


# --- program files ----------------------------------------------------------------------------


def test_timeline_dates_in_the_wrong_order():
    text = PILOT.replace("  start: 2026-01-05\n", "  enrolment_opens: 2026-01-01\n  enrolment_closes: 2025-12-01\n"
                         "  start: 2026-01-05\n").replace("end: 2026-06-30\ncadence", "end: 2026-01-05\ncadence")
    found = World(programs={"pilot": text}).check()
    assert tuples(found) == {(P, 9, "timeline.end", "dates-out-of-order"),
                             (P, 7, "timeline.enrolment_closes", "dates-out-of-order")}
    late = PILOT.replace("  start: 2026-01-05\n", "  enrolment_closes: 2026-02-01\n  start: 2026-01-05\n")
    found = World(programs={"pilot": late}).check()
    assert [(p.field, p.code, p.message) for p in found] == [
        ("timeline.enrolment_closes", "dates-out-of-order", "enrolment closes after the program starts")]


def test_milestones_unique_inside_the_timeline_and_with_an_agenda():
    text = PILOT.replace("session_plan:", """\
  - id: kickoff
    title: Wrap-up
    kind: celebration
    date: 2026-07-01
    agenda: first-meting
session_plan:""")
    found = World(programs={"pilot": text}).check()
    assert tuples(found) == {(P, 22, "milestones[0].id", "duplicate-id"), (P, 27, "milestones[1].id", "duplicate-id"),
                             (P, 30, "milestones[1].date", "milestone-outside-timeline"),
                             (P, 31, "milestones[1].agenda", "dangling-reference")}
    assert hints(found)["milestones[1].agenda"] == "did you mean 'first-meeting'?"
    assert hints(found)["milestones[1].date"] == "move the milestone or extend the timeline"


def test_an_agenda_whose_file_failed_to_load_is_not_reported_again_as_missing():
    world = World(agendas={}, unreadable={"agenda:first-meeting"})
    assert world.check() == []
    world.unreadable = set()
    assert tuples(world.check()) == {(P, 26, "milestones[0].agenda", "dangling-reference"),
                                     (P, 27, "session_plan[0]", "dangling-reference")}


def test_goals_unique_and_reviewed_before_they_are_due():
    goal = PILOT[PILOT.index("  - id: data-skills"):PILOT.index("milestones:")]
    text = PILOT.replace("milestones:", goal.replace("[2026-03-31]", "[2026-03-31, 2026-07-01]") + "milestones:")
    found = World(programs={"pilot": text}).check()
    assert tuples(found) == {(P, 12, "goals[0].id", "duplicate-id"), (P, 21, "goals[1].id", "duplicate-id"),
                             (P, 28, "goals[1].review_on[1]", "dates-out-of-order")}


def test_a_comparison_period_must_end_after_it_starts():
    text = PILOT + "comparison:\n  period_start: 2026-01-01\n  period_end: 2026-01-01\n  headcount: 100\n" \
                   "  leavers: 5\n  promotions: 3\n"
    assert tuples(World(programs={"pilot": text}).check()) == {(P, 30, "comparison.period_end", "dates-out-of-order")}


def test_several_mentors_per_mentee_is_the_mosaic_format():
    text = PILOT + "matching:\n  mentors_per_mentee: 2\n"
    found = World(programs={"pilot": text}).check()
    assert tuples(found) == {(P, 29, "matching.mentors_per_mentee", "invalid-value")}
    assert World(programs={"pilot": text.replace("format: one-to-one", "format: mosaic")}).check() == []


def test_cooldown_names_programs_that_exist_or_failed_to_load():
    text = PILOT + "matching:\n  cooldown: [pilott, spring]\n"
    world = World(programs={"pilot": text}, unreadable={"spring"})
    found = world.check()
    assert tuples(found) == {(P, 29, "matching.cooldown[0]", "dangling-reference")}
    assert found[0].hint == "did you mean 'pilot'?"


def test_locked_and_forbidden_pairs_name_enrolled_participants():
    text = PILOT + f"matching:\n  locked:\n    - {{mentee: {C}, mentor: mk-000000ff}}\n" \
                   f"  forbidden:\n    - {{mentee: {E}, mentor: {B}}}\n"
    world = World(programs={"pilot": text}, people=[*PEOPLE, person(E, programs=("other",))], unreadable={"other"})
    found = world.check()
    assert tuples(found) == {(P, 30, "matching.locked[0].mentor", "dangling-reference"),
                             (P, 32, "matching.forbidden[0].mentee", "dangling-reference")}
    by_field = {p.field: p for p in found}
    assert by_field["matching.locked[0].mentor"].message == "there is no participant 'mk-000000ff'"
    assert by_field["matching.forbidden[0].mentee"].message == f"'{E}' is not enrolled in pilot"
    assert by_field["matching.forbidden[0].mentee"].hint == "add pilot to their programs in participants/participants.csv"


def test_nobody_is_called_unknown_when_the_participant_table_could_not_be_read():
    text = PILOT + "matching:\n  locked:\n    - {mentee: mk-000000fe, mentor: mk-000000ff}\n"
    assert World(programs={"pilot": text}, participants_readable=False).check() == []


# --- participant rows -------------------------------------------------------------------------


def test_participant_terms_are_in_the_vocabulary_with_suggestions():
    people = [person(A, "mentor", department="enginering", location="berln", skills_offered=("sql", "sqll")),
              person(B, "mentor", interests=("hiking", "chess"), goals=("leadership", "leadershp")),
              person(C, skills_sought=("painting",))]
    found = World(people=people).check()
    assert tuples(found) == {(PC, 2, "department", "unknown-term"), (PC, 2, "location", "unknown-term"),
                             (PC, 2, "skills_offered", "unknown-term"), (PC, 3, "interests", "unknown-term"),
                             (PC, 3, "goals", "unknown-term"), (PC, 4, "skills_sought", "unknown-term")}
    by_place = {(p.row, p.field): p.hint for p in found}
    assert by_place[(2, "department")] == "did you mean 'engineering'?"
    assert by_place[(2, "location")] == "did you mean 'berlin'?"
    assert by_place[(2, "skills_offered")] == "did you mean 'sql'?"
    assert by_place[(3, "goals")] == "did you mean 'leadership'?"
    assert by_place[(3, "interests")] == "add it to participants/vocabulary.yaml, or pick a listed term"


def test_participant_programs_languages_and_time_zones():
    people = [person(A, "mentor", programs=("pilot", "pilto")), person(B, "mentor", languages=("en", "eng", "DE")),
              person(C, time_zone="Europe/Berln"), person(D, time_zone="+02:00")]
    found = World(people=people).check()
    assert tuples(found) == {(PC, 2, "programs", "dangling-reference"), (PC, 3, "languages", "invalid-format"),
                             (PC, 4, "time_zone", "invalid-time-zone"), (PC, 5, "time_zone", "invalid-time-zone")}
    assert [p.message for p in found if p.field == "languages"] == ["'eng' is not a two-letter language code",
                                                                   "'DE' is not a two-letter language code"]
    by_row = {p.row: p.hint for p in found}
    assert by_row[2] == "did you mean 'pilot'?"
    assert by_row[4] == "did you mean 'Europe/Berlin'?"
    assert by_row[5] == "use an IANA name such as Europe/Berlin"


def test_a_program_that_failed_to_load_still_counts_as_existing():
    world = World(people=[*PEOPLE[:3], person(D, programs=("pilot", "spring"))], unreadable={"spring"})
    assert world.check() == []


def test_reporting_line_and_capacities():
    people = [person(A, "mentor", mentor_capacity=0), person(B, "mentor"), person(C, reports_to=C),
              person(D, mentor_capacity=1), person(E, "both", mentor_capacity=0)]
    found = World(people=people).check()
    assert tuples(found) == {(PC, 2, "mentor_capacity", "no-capacity"), (PC, 4, "reports_to", "invalid-value"),
                             (PC, 5, "mentor_capacity", "invalid-value")}


def test_participants_are_not_checked_against_a_vocabulary_that_failed_to_load():
    assert World(vocabulary=None, people=[person(A, "mentor", department="nowhere")]).check() == []


# --- other tables: references, dates, skills --------------------------------------------------


def checkin(mentee=C, mentor=A, day=dt.date(2026, 2, 2), program="pilot"):
    return Checkin(program=program, mentee=mentee, mentor=mentor, date=day, minutes=60, mode="virtual")


def test_checkins_name_enrolled_people_of_an_existing_program_inside_its_timeline():
    people = [*PEOPLE, person(E, programs=("other",))]
    records = {"checkins": [checkin(), checkin(mentee="mk-000000ff"), checkin(mentee=E), checkin(program="pilott"),
                            checkin(mentee=A), checkin(day=dt.date(2026, 7, 1))]}
    found = World(people=people, records=records, unreadable={"other"}).check()
    assert tuples(found) == {(CHECKINS, 3, "mentee", "dangling-reference"), (CHECKINS, 4, "mentee", "dangling-reference"),
                             (CHECKINS, 5, "program", "dangling-reference"), (CHECKINS, 6, "mentor", "invalid-value"),
                             (CHECKINS, 7, "date", "date-outside-timeline")}
    by_row = {p.row: p for p in found}
    assert by_row[3].hint == "add them to participants/participants.csv, or fix the pseudonym"
    assert by_row[4].message == f"'{E}' is not enrolled in pilot"
    assert by_row[5].hint == "did you mean 'pilot'?"
    assert by_row[7].message == "2026-07-01 is outside pilot (2026-01-05 to 2026-06-30)"


def test_rows_of_a_program_that_failed_to_load_are_not_checked_further():
    records = {"checkins": [checkin(program="spring", day=dt.date(2030, 1, 1))]}
    assert World(records=records, unreadable={"spring"}).check() == []


def test_skills_in_ratings_and_goals_come_from_the_vocabulary():
    records = {"skill_ratings": [SkillRating(program="pilot", pseudonym=C, survey="baseline", skill="sqll", proficiency=2)],
               "goals": [GoalRecord(goal_id="g-1", program="pilot", pseudonym=C, skill="painting",
                                    set_on=dt.date(2026, 1, 20), due=dt.date(2026, 6, 30), status="open")]}
    found = World(records=records).check()
    assert tuples(found) == {(RATINGS, 2, "skill", "unknown-term"), (GOALS, 2, "skill", "unknown-term")}
    assert {p.file: p.hint for p in found} == {RATINGS: "did you mean 'sql'?", GOALS: None}


def test_goal_dates_and_status_agree():
    base = GoalRecord(goal_id="g-1", program="pilot", pseudonym=C, skill="sql", set_on=dt.date(2026, 2, 1),
                      due=dt.date(2026, 6, 30), status="open")
    records = {"goals": [base, replace(base, due=dt.date(2026, 1, 1)), replace(base, closed_on=dt.date(2026, 3, 1)),
                         replace(base, status="achieved"), replace(base, status="achieved", closed_on=dt.date(2026, 1, 2)),
                         replace(base, status="dropped", closed_on=dt.date(2026, 3, 1))]}
    found = World(records=records).check()
    assert tuples(found) == {(GOALS, 3, "due", "dates-out-of-order"), (GOALS, 4, "closed_on", "invalid-value"),
                             (GOALS, 5, "closed_on", "missing-value"), (GOALS, 6, "closed_on", "dates-out-of-order")}
    assert [p.message for p in found if p.row == 5] == ["a goal with status 'achieved' needs closed_on"]


def test_outcomes_name_known_people():
    records = {"outcomes": [Outcome(pseudonym=D, outcome="promotion", date=dt.date(2026, 5, 1)),
                            Outcome(pseudonym="mk-000000ff", outcome="departure", date=dt.date(2026, 5, 1))]}
    assert tuples(World(records=records).check()) == {("participants/outcomes.csv", 3, "pseudonym", "dangling-reference")}


def test_a_rejected_participant_row_still_counts_as_known():
    """Its own problem is reported by the table reader: references to it must not cascade."""
    world = World(records={"checkins": [checkin(mentee=E)]})
    assert tuples(world.check()) == {(CHECKINS, 2, "mentee", "dangling-reference")}
    world.rejected = {E}
    assert world.check() == []


# --- proposals --------------------------------------------------------------------------------


def proposal_text(program="pilot", pairs=((C, A),)) -> str:
    from mentorkit.repo.proposal_files import proposal_to_yaml

    return proposal_to_yaml(Proposal(program=program, format="one-to-one",
                                     pairs=[ProposedPair(mentee=m, mentor=n, score=50.0) for m, n in pairs]))


def test_a_proposal_names_known_participants():
    found = World(proposals={"pilot": proposal_text(pairs=((C, A), ("mk-000000ff", B)))}).check()
    assert {(p.file, p.field, p.code) for p in found} == {
        ("participants/matches/pilot.yaml", "pairs[1].mentee", "dangling-reference")}
    assert found[0].line is not None
    assert found[0].hint == "re-run `mentorkit match` to refresh the proposal"


def test_a_proposal_belongs_to_an_existing_program_of_its_own_name():
    found = World(proposals={"gone": proposal_text("gone")}).check()
    assert [(p.file, p.field, p.code) for p in found] == [("participants/matches/gone.yaml", None, "dangling-reference")]
    assert found[0].hint == "delete the file, or restore the program"
    found = World(proposals={"pilot": proposal_text("other")}).check()
    assert [(p.field, p.code) for p in found] == [("program", "invalid-value")]
    assert World(proposals={"spring": proposal_text("spring")}, unreadable={"spring"}).check() == []


GOAL = GoalRecord(goal_id="g-1", program="pilot", pseudonym=C, skill="sql", set_on=dt.date(2026, 2, 1),
                  due=dt.date(2026, 6, 30), status="open")
RATING = SkillRating(program="pilot", pseudonym=C, survey="baseline", skill="sql", proficiency=2)
ONE_WRONG_ROW = {  # one wrong row among good ones: (table, the wrong record, where its problem is)
    "unknown program": ("checkins", checkin(program="pilott"), (CHECKINS, 4, "program", "dangling-reference")),
    "unknown person": ("checkins", checkin(mentor="mk-000000ff"), (CHECKINS, 4, "mentor", "dangling-reference")),
    "not enrolled": ("skill_ratings", replace(RATING, pseudonym="mk-0000000e"),
                     (RATINGS, 4, "pseudonym", "dangling-reference")),
    "the same person twice": ("checkins", checkin(mentee=A), (CHECKINS, 4, "mentor", "invalid-value")),
    "outside the timeline": ("checkins", checkin(day=dt.date(2026, 7, 1)), (CHECKINS, 4, "date", "date-outside-timeline")),
    "unknown skill": ("skill_ratings", replace(RATING, skill="sqll"), (RATINGS, 4, "skill", "unknown-term")),
    "goal out of order": ("goals", replace(GOAL, goal_id="g-3", due=dt.date(2026, 1, 1)),
                          (GOALS, 4, "due", "dates-out-of-order")),
    "outcome of no one": ("outcomes", Outcome(pseudonym="mk-000000ff", outcome="departure", date=dt.date(2026, 5, 1)),
                          ("participants/outcomes.csv", 4, "pseudonym", "dangling-reference")),
}
GOOD_ROWS = {"checkins": [checkin(), checkin(mentee=D)], "skill_ratings": [RATING, replace(RATING, pseudonym=D)],
             "goals": [GOAL, replace(GOAL, goal_id="g-2", pseudonym=D)],
             "outcomes": [Outcome(pseudonym=D, outcome="promotion", date=dt.date(2026, 5, 1))] * 2}


@pytest.mark.parametrize("case", ONE_WRONG_ROW)
def test_one_wrong_row_among_good_ones_is_found(case):
    """A table whose rows are all fine is checked set-wise at once (`_nothing_to_say`): one wrong row is enough
    for the row-by-row checks to run and name it."""
    name, wrong, where = ONE_WRONG_ROW[case]
    people = [*PEOPLE, person("mk-0000000e", programs=("other",))]
    assert tuples(World(people=people, records={name: [*GOOD_ROWS[name], wrong]}, unreadable={"other"}).check()) == {where}
    assert World(people=people, records={name: GOOD_ROWS[name]}, unreadable={"other"}).check() == []
