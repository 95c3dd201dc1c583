"""The typed, cross-checked view of a whole repository that every command reads.

Built once by `mentorkit.repo.load`; nothing downstream re-parses files or re-validates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnknownProgram
from .agenda import Agenda
from .forms import FormMapping, FormMappings, FormName, mapping_for
from .program import Program
from .proposal import PairStatus, Proposal
from .records import (
    Checkin,
    Feedback360,
    GoalRecord,
    ManagerFeedback,
    NeedsSurveyCount,
    Outcome,
    Participant,
    SkillRating,
    SurveyResponse,
)
from .templates import Template
from .themes import ThemeRound
from .vocabulary import Vocabulary

LEAVING = ("departure", "withdrawal")  # outcomes that end a person's part in a program: the organisation, or the program


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
    feedback_360: list[Feedback360] = field(default_factory=list)  # participants/feedback_360.csv
    needs_survey: list[NeedsSurveyCount] = field(default_factory=list)  # participants/needs_survey.csv (counts)
    proposals: dict[str, Proposal] = field(default_factory=dict)  # program id -> participants/matches/<id>.yaml
    form_mappings: FormMappings = field(default_factory=FormMappings)  # forms/mappings.yaml, for every program
    templates: dict[str, Template] = field(default_factory=dict)  # e-mail templates by name (model.templates)
    themes: list[ThemeRound] = field(default_factory=list)  # themes/<program>-<round>.md, in file order

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

    def leavers(self, program_id: str) -> dict[str, dt.date]:
        """Who left while the program was open (from its enrolment opening, or its start, to its end), with the day:
        they take no part in its matching from then on. A `departure` (from the organisation) counts for every
        program; a `withdrawal` (outcomes name no program) for the one where it ended a pair that day, or where
        the person had no pair (a sign-up who withdrew before a match), never where they still have a pair."""
        program = self.program(program_id)
        first = program.timeline.enrolment_opens or program.timeline.start
        proposal = self.proposals.get(program_id)
        pairs = proposal.pairs if proposal is not None else []
        out: dict[str, dt.date] = {}
        for o in self.outcomes:
            if o.outcome not in LEAVING or not first <= o.date <= program.timeline.end:
                continue
            if o.outcome == "withdrawal":
                own = [p for p in pairs if o.pseudonym in (p.mentee, p.mentor) and p.status != PairStatus.PROPOSED]
                if own and not any(p.status == PairStatus.ENDED and p.ended_on == o.date for p in own):
                    continue
            out[o.pseudonym] = min(o.date, out.get(o.pseudonym, o.date))
        return out
