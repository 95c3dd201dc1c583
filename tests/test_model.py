"""The pydantic models in mentorkit.model: what a coordinator may write, and what it means when omitted.

The YAML reader hands every value over as a string (or None), so the models are
fed strings here too, as they are in real use. Errors are compared as
(location, pydantic error type) pairs; repo/model_problems.py turns those types
into problem codes.
"""

import datetime as dt

import pytest
from pydantic import ValidationError

from mentorkit.errors import UnknownProgram
from mentorkit.model import (
    AgendaKind,
    AgendaMeta,
    Cadence,
    CheckinMapping,
    Format,
    FormColumn,
    IntakeSettings,
    LevelGap,
    Matching,
    Metric,
    Pair,
    PairStatus,
    Participant,
    Program,
    Proposal,
    ProposedPair,
    Reports,
    SignUpMapping,
    SurveyMapping,
    Vocabulary,
    Weights,
    Workspace,
)

GOAL = {"id": "data-skills", "statement": "Mentees raise their data skills.", "metric": "proficiency_change",
        "target": "1", "achievable": "Pilots gained one point.", "relevant": "We cannot hire fast enough.",
        "due": "2026-06-30", "readjust": "Add a module."}
PROGRAM = {"title": "Pilot", "purpose": "Build data skills.", "audience": "Analysts.", "format": "one-to-one",
           "timeline": {"start": "2026-01-05", "end": "2026-06-30"}, "goals": [GOAL]}


def errors(model, data) -> set[tuple]:
    """(dotted location, error type) of every validation error."""
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return {(".".join(map(str, e["loc"])), e["type"]) for e in info.value.errors()}


def program(**changes) -> Program:
    return Program.model_validate({**PROGRAM, **changes})


# --- Program --------------------------------------------------------------------------------


def test_a_minimal_program_gets_the_documented_defaults():
    p = program()
    assert p.format is Format.ONE_TO_ONE
    assert p.timeline.start == dt.date(2026, 1, 5) and p.timeline.enrolment_opens is None
    assert p.goals[0].target == 1.0 and p.goals[0].metric is Metric.PROFICIENCY_CHANGE and p.goals[0].review_on == []
    assert p.cadence == Cadence(every="monthly", session_minutes=60, reminder_days_before=3)
    assert p.matching == Matching()
    m = p.matching
    assert (m.mode, m.suggestions, m.mentors_per_mentee, m.department) == ("assign", 3, 1, "cross")
    assert (m.max_time_zone_difference, m.shared_language_required, m.exclude_reporting_line) == (6, True, True)
    assert (m.one_mentee_per_team, m.fairness_floor, m.cooldown, m.forbidden, m.locked) == (False, False, [], [], [])
    assert m.level_gap == LevelGap(min=1, max=4, ideal=2)
    assert m.weights.model_dump() == {"skills": 40, "goals": 10, "interests": 10, "department": 10, "level": 15,
                                      "time_zone": 10, "language": 5, "meeting_mode": 5, "communication_style": 0}
    assert (m.min_score, m.shared_skill_required, m.teams) == (None, None, [])
    assert p.reports == Reports(min_group_size=5)
    assert (p.milestones, p.session_plan, p.contacts, p.targets, p.roi, p.comparison) == ([], [], [], {}, None, None)
    assert p.intake == IntakeSettings() and p.intake.sign_up.use_defaults and p.intake.sign_up.date_order == "auto"


def test_a_program_needs_its_required_keys_and_at_least_one_goal():
    assert errors(Program, {}) == {(k, "missing") for k in ("title", "purpose", "audience", "format", "timeline", "goals")}
    assert errors(Program, {**PROGRAM, "goals": []}) == {("goals", "too_short")}


def test_unknown_keys_are_refused_at_every_level():
    assert errors(Program, {**PROGRAM, "cadance": {"every": "weekly"}}) == {("cadance", "extra_forbidden")}
    assert errors(Program, {**PROGRAM, "cadence": {"evry": "weekly"}}) == {("cadence.evry", "extra_forbidden")}
    assert errors(Program, {**PROGRAM, "goals": [{**GOAL, "smart": "yes"}]}) == {("goals.0.smart", "extra_forbidden")}
    assert errors(Program, {**PROGRAM, "matching": {"weights": {"skill": "10"}}}) == {
        ("matching.weights.skill", "extra_forbidden")}


def test_values_are_checked_for_kind_choice_form_and_range():
    bad = {**PROGRAM, "format": "buddy", "timeline": {"start": "2026-02-30", "end": "soon"},
           "cadence": {"every": "daily", "session_minutes": "sixty", "reminder_days_before": "31"},
           "goals": [{**GOAL, "id": "Data Skills", "metric": "happiness", "statement": ""}],
           "targets": {"happiness": "1"}, "roi": {"currency": "euro", "replacement_cost": "-1"}}
    assert errors(Program, bad) == {
        ("format", "enum"), ("timeline.start", "date_from_datetime_parsing"), ("timeline.end", "date_from_datetime_parsing"),
        ("cadence.every", "literal_error"), ("cadence.session_minutes", "int_parsing"),
        ("cadence.reminder_days_before", "less_than_equal"), ("goals.0.id", "string_pattern_mismatch"),
        ("goals.0.metric", "enum"), ("goals.0.statement", "string_too_short"), ("targets.happiness.[key]", "enum"),
        ("roi.currency", "string_pattern_mismatch"), ("roi.replacement_cost", "greater_than_equal")}


def test_strings_from_yaml_become_numbers_dates_and_booleans():
    p = program(cadence={"session_minutes": "45"}, eligible_population="120",
                matching={"shared_language_required": "false", "max_time_zone_difference": "2.5",
                          "weights": {"skills": "0"}, "locked": [{"mentee": "mk-0000000c", "mentor": "mk-0000000a"}]},
                targets={"match_rate": "0.9"})
    assert p.cadence.session_minutes == 45 and p.eligible_population == 120
    assert p.matching.shared_language_required is False and p.matching.max_time_zone_difference == 2.5
    assert p.matching.weights.skills == 0 and p.matching.locked == [Pair(mentee="mk-0000000c", mentor="mk-0000000a")]
    assert p.targets == {Metric.MATCH_RATE: 0.9}


def test_an_empty_value_for_an_optional_limit_switches_it_off():
    assert program(matching={"max_time_zone_difference": None}).matching.max_time_zone_difference is None


def test_pseudonyms_and_slugs_have_a_fixed_form():
    assert errors(Pair, {"mentee": "alice", "mentor": "mk-0000000A"}) == {("mentee", "string_pattern_mismatch"),
                                                                          ("mentor", "string_pattern_mismatch")}
    assert errors(Program, {**PROGRAM, "session_plan": ["first-meeting", "-kickoff", "x" * 61]}) == {
        ("session_plan.1", "string_pattern_mismatch"), ("session_plan.2", "string_too_long")}


def test_weights_and_level_gap_bounds():
    assert errors(Weights, {"skills": "1001", "level": "-1"}) == {("skills", "less_than_equal"),
                                                                  ("level", "greater_than_equal")}
    assert errors(LevelGap, {"min": "3", "ideal": "2", "max": "4"}) == {("", "value_error")}
    assert LevelGap(min=0, ideal=0, max=0).ideal == 0


def test_models_are_frozen():
    p = program()
    with pytest.raises(ValidationError):
        p.title = "Other"
    with pytest.raises(ValidationError):
        p.cadence.every = "weekly"


# --- form mappings (intake:) ------------------------------------------------------------------


def test_a_column_may_only_map_to_a_field_of_its_form():
    assert SignUpMapping.model_validate({"columns": {"Your team": "team", "Skip me": "ignore"}}).columns["Skip me"] == "ignore"
    with pytest.raises(ValidationError, match="column 'Mood': 'mood' is not a field of this form"):
        SignUpMapping.model_validate({"columns": {"Mood": "mood"}})
    with pytest.raises(ValidationError, match="'team' is not a field of this form"):
        CheckinMapping.model_validate({"columns": {"Team": {"field": "team", "safe": "true"}}})
    mapping = SignUpMapping.model_validate({"columns": {"Team": {"field": "team", "safe": "true",
                                                                 "values": {"Data team": "eng-data"}}}})
    assert mapping.columns["Team"] == FormColumn(field="team", safe=True, values={"Data team": "eng-data"})


def test_survey_ratings_name_a_skill_id():
    assert SurveyMapping.allows("rating:data-analysis")
    assert not SurveyMapping.allows("rating:Data Analysis") and not SurveyMapping.allows("rating:")
    assert not SignUpMapping.allows("rating:sql")
    with pytest.raises(ValidationError):
        SurveyMapping.model_validate({"columns": {"How good at SQL?": "rating:SQL"}})


def test_defaults_are_for_non_identifying_fields_of_the_form():
    assert SignUpMapping.model_validate({"defaults": {"languages": ["en"], "meeting_mode": "virtual"}}).defaults == {
        "languages": ["en"], "meeting_mode": "virtual"}
    for name in ("email", "name", "reports_to"):
        with pytest.raises(ValidationError, match=f"defaults: '{name}' is not a field that can have a default"):
            SignUpMapping.model_validate({"defaults": {name: "x"}})
    with pytest.raises(ValidationError, match="'health' is not a field"):
        SignUpMapping.model_validate({"defaults": {"health": "3"}})


def test_date_order_is_a_closed_choice():
    assert errors(SignUpMapping, {"date_order": "european"}) == {("date_order", "literal_error")}
    assert errors(IntakeSettings, {"signup": {}}) == {("signup", "extra_forbidden")}


# --- agendas, vocabulary, proposals -----------------------------------------------------------


def test_agenda_front_matter():
    meta = AgendaMeta.model_validate({"title": "First meeting", "kind": "session", "summary": "Get to know each other."})
    assert (meta.kind, meta.minutes, meta.formats, meta.prepare) == (AgendaKind.SESSION, None, [], [])
    assert errors(AgendaMeta, {"title": "", "kind": "meeting", "summary": "x", "minutes": "5", "formats": ["solo"]}) == {
        ("title", "string_too_short"), ("kind", "enum"), ("minutes", "greater_than_equal"), ("formats.0", "enum")}


def test_vocabulary_needs_skills_and_departments():
    assert errors(Vocabulary, {}) == {("skills", "missing"), ("departments", "missing")}
    vocab = Vocabulary.model_validate({"skills": [{"id": "sql", "label": "SQL"}], "departments": []})
    assert vocab.skills[0].related == [] and vocab.interests == vocab.goals == vocab.locations == []
    assert errors(Vocabulary, {"skills": [{"id": "SQL", "label": "SQL", "level": "1"}], "departments": []}) == {
        ("skills.0.id", "string_pattern_mismatch"), ("skills.0.level", "extra_forbidden")}


def test_proposed_pairs_default_to_proposed_and_statuses_are_closed():
    pair = ProposedPair.model_validate({"mentee": "mk-0000000c", "mentor": "mk-0000000a", "score": 75.0})
    assert pair.status is PairStatus.PROPOSED and pair.why == {} and pair.rank is None and pair.next_best is None
    assert [s.value for s in PairStatus] == ["proposed", "approved", "ended"]
    assert errors(ProposedPair, {"mentee": "mk-0000000c", "mentor": "mk-0000000a", "status": "accepted"}) == {
        ("status", "enum"), ("score", "missing")}
    proposal = Proposal.model_validate({"program": "pilot", "format": "group",
                                        "summary": {"matched": 3, "rate": 0.5, "ok": True, "note": None}})
    assert (proposal.pairs, proposal.unmatched, proposal.notes, proposal.solver) == ([], [], [], {})
    nested = errors(Proposal, {"program": "pilot", "format": "group", "summary": {"nested": {"a": 1}}})
    assert nested and all(loc.startswith("summary.nested") for loc, _ in nested)  # summary values are scalars only


# --- records and the workspace ----------------------------------------------------------------


def person(pseudonym, role, capacity, programs=("pilot",)):
    return Participant(pseudonym=pseudonym, role=role, programs=programs, department="engineering", level=3,
                       time_zone="Europe/Berlin", languages=("en",), mentor_capacity=capacity)


def test_who_can_mentor_and_who_can_be_mentored():
    cases = {("mentor", 2): (True, False), ("mentor", 0): (False, False), ("both", 1): (True, True),
             ("both", 0): (False, True), ("mentee", 0): (False, True)}
    for (role, capacity), expected in cases.items():
        p = person("mk-0000000a", role, capacity)
        assert (p.can_mentor, p.can_be_mentee) == expected, (role, capacity)


def test_workspace_program_lookup_and_members_in_file_order():
    ws = Workspace(root=None, programs={"pilot": program(), "grow": program()})
    ws.participants = {p.pseudonym: p for p in (person("mk-0000000b", "mentee", 0), person("mk-0000000a", "mentor", 1),
                                                person("mk-0000000c", "mentee", 0, programs=("grow",)))}
    assert ws.program("pilot") is ws.programs["pilot"]
    with pytest.raises(UnknownProgram, match=r"there is no program 'pilott' \(programs: grow, pilot\)"):
        ws.program("pilott")
    with pytest.raises(UnknownProgram, match=r"\(programs: none\)"):
        Workspace(root=None).program("pilot")
    assert [p.pseudonym for p in ws.members("pilot")] == ["mk-0000000b", "mk-0000000a"]
    assert ws.members("nothing") == []
