"""How form exports map onto participant fields (`intake:` in a program file; mentorkit intake / import-*)."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal, Self, TypeVar

from pydantic import Field, StringConstraints, model_validator

from .base import Strict

Header = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Answer = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class FormColumn(Strict):
    """How one column of a form export is read."""

    field: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(
        description="The field the answers go to (see the coordinator handbook for each form's fields), or 'ignore'.")
    safe: bool = Field(False, description="The answers are codes, not free text (needed for the team field).")
    values: dict[Answer, Answer] = Field(
        default_factory=dict, description="Answer as the form writes it -> value to store, e.g. 'I want a mentor': mentee.")


class FormMapping(Strict):
    """Column title in the export -> field; titles are matched ignoring case, spaces and a trailing '?' or ':'."""

    FIELDS: ClassVar[frozenset[str]] = frozenset()
    FREE_TEXT: ClassVar[frozenset[str]] = frozenset()  # fields whose answers are free-form: need `safe: true`
    IDENTIFYING: ClassVar[frozenset[str]] = frozenset(
        {"email", "name", "phone", "reports_to", "partner_email", "mentee_email", "mentor_email"})

    columns: dict[Header, Annotated[str, StringConstraints(min_length=1, max_length=60)] | FormColumn] = Field(
        default_factory=dict)
    use_defaults: bool = Field(True, description="Also recognise common question titles not listed in columns.")
    defaults: dict[Annotated[str, StringConstraints(min_length=1, max_length=60)], str | list[str]] = Field(
        default_factory=dict, description="Answers for questions the form does not ask, e.g. languages: [en].")
    date_order: Literal["auto", "dmy", "mdy", "ymd"] = Field(
        "auto", description="How to read dates such as 03/04/2026: auto refuses ambiguous columns.")

    @classmethod
    def allows(cls, name: str) -> bool:
        return name in cls.FIELDS

    @model_validator(mode="after")
    def _known_fields(self) -> Self:
        for header, target in self.columns.items():
            name = target.field if isinstance(target, FormColumn) else target
            if name != "ignore" and not self.allows(name):
                raise ValueError(f"column '{header}': '{name}' is not a field of this form "
                                 f"(fields: {', '.join(sorted(self.FIELDS | {'ignore'}))})")
        for name in self.defaults:
            if name not in self.FIELDS or name in self.IDENTIFYING:
                raise ValueError(f"defaults: '{name}' is not a field that can have a default")
        return self


class SignUpMapping(FormMapping):
    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "phone", "role", "department", "team", "level", "time_zone", "languages",
        "skills_offered", "skills_sought", "interests", "goals", "meeting_mode", "location", "mentor_capacity",
        "reports_to", "joined", "gender", "age_band", "underrepresented", "communication_style", "working_hours"})
    FREE_TEXT: ClassVar[frozenset[str]] = frozenset({"team"})


class CheckinMapping(FormMapping):
    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "partner_email", "mentee_email", "mentor_email", "date", "submitted", "minutes", "mode",
        "health"})


class SurveyMapping(FormMapping):
    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "survey", "date", "submitted", "satisfaction", "nps", "confidence"})

    @classmethod
    def allows(cls, name: str) -> bool:  # rating:<skill id> is checked against the vocabulary at import
        return name in cls.FIELDS or re.fullmatch(r"rating:[a-z0-9][a-z0-9-]*", name) is not None


class OutcomeMapping(FormMapping):
    """An HR system's employee list: one row per employee, with the dates of their latest events."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({"email", "name", "hired", "left", "promoted", "role_changed"})


class GoalMapping(FormMapping):
    """The goals form: one row per goal a mentee sets or reviews."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "submitted", "skill", "set_on", "due", "status", "closed_on"})


class ManagerFeedbackMapping(FormMapping):
    """The manager feedback form: one row per participant a manager answers about."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({"email", "name", "submitted", "date", "applies", "effectiveness",
                                                  "team_performance"})


class Feedback360Mapping(FormMapping):
    """The 360 feedback form: one row per colleague's answers about one participant."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "email", "name", "submitted", "date", "relation", "communicates", "listens", "collaborates",
        "develops_others"})


class NeedsSurveyMapping(FormMapping):
    """The anonymous staff needs survey: no e-mail, no name; its answers are only ever counted."""

    FIELDS: ClassVar[frozenset[str]] = frozenset({
        "department", "level_band", "skills_wanted", "formats", "hours", "would_mentor"})


class IntakeSettings(Strict):
    """`intake:` in a program file: how this program's form exports are read, where they differ from forms/mappings.yaml."""

    sign_up: SignUpMapping = SignUpMapping()
    check_in: CheckinMapping = CheckinMapping()
    survey: SurveyMapping = SurveyMapping()
    goals: GoalMapping = GoalMapping()
    outcomes: OutcomeMapping = OutcomeMapping()
    manager_feedback: ManagerFeedbackMapping = ManagerFeedbackMapping()
    feedback_360: Feedback360Mapping = Feedback360Mapping()
    needs_survey: NeedsSurveyMapping = NeedsSurveyMapping()


class FormMappings(IntakeSettings):
    """forms/mappings.yaml: how the organisation's form exports are read, once for every program.

    The same settings as a program's `intake:`; a program file's own mapping
    is laid over this one (its columns, defaults and settings win).
    """


M = TypeVar("M", bound=FormMapping)
FormName = Literal["sign_up", "check_in", "survey", "goals", "outcomes", "manager_feedback", "feedback_360",
                   "needs_survey"]


def merged(shared: M, own: M) -> M:
    """`own` (a program's mapping) laid over `shared` (forms/mappings.yaml): what `own` sets wins."""
    if not own.model_fields_set:
        return shared
    if not shared.model_fields_set:
        return own
    update: dict[str, object] = {name: getattr(own, name) for name in own.model_fields_set}
    update["columns"] = {**shared.columns, **own.columns}
    update["defaults"] = {**shared.defaults, **own.defaults}
    return type(own).model_validate({**shared.model_dump(), **update})


def mapping_for(shared: IntakeSettings, own: IntakeSettings, form: FormName) -> FormMapping:
    """The mapping one program reads one form's exports with."""
    mapping: FormMapping = merged(getattr(shared, form), getattr(own, form))  # each form's field is a FormMapping
    return mapping
