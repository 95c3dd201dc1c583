"""The typed, cross-checked view of a whole repository that every command reads.

Built once by `mentorkit.repo.load`; nothing downstream re-parses files or re-validates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnknownProgram
from .agenda import Agenda
from .forms import FormMapping, FormMappings, FormName, mapping_for
from .program import Program
from .proposal import Proposal
from .records import Checkin, GoalRecord, ManagerFeedback, Outcome, Participant, SkillRating, SurveyResponse
from .templates import Template
from .vocabulary import Vocabulary


@dataclass
class Workspace:
    root: Path
    programs: dict[str, Program] = field(default_factory=dict)  # id (file stem) -> program
    agendas: dict[str, Agenda] = field(default_factory=dict)
    vocabulary: Vocabulary | None = None
    participants: dict[str, Participant] = field(default_factory=dict)  # in file order
    checkins: list[Checkin] = field(default_factory=list)
    survey_responses: list[SurveyResponse] = field(default_factory=list)
    skill_ratings: list[SkillRating] = field(default_factory=list)
    goals: list[GoalRecord] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    manager_feedback: list[ManagerFeedback] = field(default_factory=list)  # participants/manager_feedback.csv
    proposals: dict[str, Proposal] = field(default_factory=dict)  # program id -> participants/matches/<id>.yaml
    form_mappings: FormMappings = field(default_factory=FormMappings)  # forms/mappings.yaml, for every program
    templates: dict[str, Template] = field(default_factory=dict)  # e-mail templates by name (model.templates)

    def program(self, program_id: str) -> Program:
        if program_id not in self.programs:
            known = ", ".join(sorted(self.programs)) or "none"
            raise UnknownProgram(f"there is no program '{program_id}' (programs: {known})")
        return self.programs[program_id]

    def form_mapping(self, program_id: str, form: FormName) -> FormMapping:
        """How a program reads one form's exports: forms/mappings.yaml with the program's `intake:` laid over it."""
        return mapping_for(self.form_mappings, self.program(program_id).intake, form)

    def members(self, program_id: str) -> list[Participant]:
        """Participants enrolled in a program, in file order."""
        return [p for p in self.participants.values() if program_id in p.programs]
