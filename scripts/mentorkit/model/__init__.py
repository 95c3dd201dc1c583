"""Pure data, no I/O: the models of every file a program repository holds.

Import from here (`from mentorkit.model import Program, Workspace`); the modules
below say where each model lives.
"""

from .agenda import Agenda, AgendaKind, AgendaMeta
from .base import PSEUDONYM_PATTERN, Format, Pseudonym, Slug, Strict, Text, Weight
from .forms import CheckinMapping, FormColumn, FormMapping, IntakeSettings, SignUpMapping, SurveyMapping
from .program import (
    CADENCES,
    SCHEMA_VERSION,
    Cadence,
    Comparison,
    Contact,
    Costs,
    Goal,
    LevelGap,
    Matching,
    MentorTeam,
    Metric,
    Milestone,
    MilestoneKind,
    Pair,
    Pilot,
    Program,
    Reports,
    Roi,
    Timeline,
    Weights,
)
from .proposal import PairFit, PairStatus, Proposal, ProposedPair, Scalar, Unmatched, UnusedPlaces
from .records import Checkin, GoalRecord, GoalStatus, Outcome, OutcomeKind, Participant, Role, SkillRating, SurveyResponse
from .vocabulary import Skill, Term, Vocabulary
from .workspace import Workspace

__all__ = [
    "CADENCES",
    "PSEUDONYM_PATTERN",
    "SCHEMA_VERSION",
    "Agenda",
    "AgendaKind",
    "AgendaMeta",
    "Cadence",
    "Checkin",
    "CheckinMapping",
    "Comparison",
    "Contact",
    "Costs",
    "FormColumn",
    "FormMapping",
    "Format",
    "Goal",
    "GoalRecord",
    "GoalStatus",
    "IntakeSettings",
    "LevelGap",
    "Matching",
    "MentorTeam",
    "Metric",
    "Milestone",
    "MilestoneKind",
    "Outcome",
    "OutcomeKind",
    "Pair",
    "PairFit",
    "PairStatus",
    "Participant",
    "Pilot",
    "Program",
    "Proposal",
    "ProposedPair",
    "Pseudonym",
    "Reports",
    "Roi",
    "Role",
    "Scalar",
    "SignUpMapping",
    "Skill",
    "SkillRating",
    "Slug",
    "Strict",
    "SurveyMapping",
    "SurveyResponse",
    "Term",
    "Text",
    "Timeline",
    "Unmatched",
    "UnusedPlaces",
    "Vocabulary",
    "Weight",
    "Weights",
    "Workspace",
]
