"""The e-mail templates a program repository holds under templates/, as data: the one catalogue.

Each template is a Markdown file with front matter (``subject:`` and, for some, other settings) whose
``{placeholders}`` are filled in for every message. `CATALOGUE` says, per template, which placeholder names
exist (with what each holds, for hints and documentation) and which front-matter settings it takes. The
loader (`repo.templates`) checks every template against it, so `mentorkit validate` reports a misspelt
placeholder; the coordinator's `intros` and `messages` fill in the same templates from the workspace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# A placeholder: {name}; {{ and }} are literal braces. Anything else with a brace is a mistake.
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")

# The participant fields a mentor profile may show (in this order); suggestions.md's share: picks among them.
PROFILE_FIELDS = ("department", "skills_offered", "skills_sought", "goals", "interests", "languages", "time_zone",
                  "meeting_mode", "location")


@dataclass(frozen=True)
class Setting:
    """A front-matter key besides subject: a list of names chosen from `choices`."""

    meaning: str
    choices: tuple[str, ...]
    default: tuple[str, ...]  # when the key is left out
    refused: str = "is not one of the choices"  # of a name not in `choices`: "<name>, which ..."


@dataclass(frozen=True)
class TemplateKind:
    """One template of the catalogue: its placeholders (name -> what it holds) and settings."""

    name: str  # the file stem under templates/
    command: str  # what fills it in
    placeholders: Mapping[str, str]
    settings: Mapping[str, Setting] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    """A template that passed every check: ready to fill in."""

    file: str  # relative to the repository root
    subject: str
    body: str
    body_line: int  # line of the body's first line in the file
    settings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # front-matter keys besides subject


INTRO_PLACEHOLDERS = {
    "mentee_name": "the mentee's full name (a group: every mentee's)",
    "mentor_name": "the mentor's full name (a team: every mentor's)",
    "mentee_first_name": "the mentee's first name (a group: every mentee's)",
    "mentor_first_name": "the mentor's first name (a team: every mentor's)",
    "everyone_first_names": "every first name, mentees first", "roles": "who is mentor and who mentee, a list",
    "why_matched": "why you were matched, a list", "profiles": "what each person answered, a list",
    "program_title": "the program's title", "program_purpose": "why the program exists",
    "session_minutes": "length of a regular session in minutes", "cadence": "how often pairs meet",
    "start_date": "the program's first day", "end_date": "the program's last day",
    "first_meeting_date": "the proposed first meeting's date", "first_meeting_time": "its time in each time zone",
    "first_meeting_note": "a warning when no time suits everyone's working day (else empty)",
    "first_meeting_minutes": "its length in minutes", "agenda_title": "the first-meeting agenda's title",
    "agenda_summary": "its summary", "agenda_prepare": "what to prepare, one line each",
    "agenda": "the whole first-meeting agenda", "contacts": "the program's contacts, one line each",
}

# What every message of `mentorkit messages` fills in, besides its kind's own names.
MESSAGE_COMMON = {
    "first_name": "the person's first name", "name": "the person's full name",
    "program_title": "the program's title", "program_purpose": "why the program exists",
    "start_date": "the program's first day", "end_date": "the program's last day",
    "contacts": "the program's contacts, one line each",
}
MESSAGE_PLACEHOLDERS: dict[str, dict[str, str]] = {
    "suggestions": {"profiles": "the suggested mentors, a lettered list", "letters": "the letters, e.g. 'A, B or C'",
                    "count": "how many mentors are suggested", "reply_by": "the date to answer by"},
    "nudge": {"partner_names": "the other people of the pair", "noticed": "what the program noticed, a list"},
    "not-matched": {"reason": "why there is no match this time, in words",
                    "would_match": "what would match them (else empty)",
                    "waiting_list": "for a mentee waiting only for a place: their place on the waiting list (kept in "
                                    "sign-up order) and what happens when one opens, in a sentence (else empty)"},
    "closure": {"partner_names": "the other people of the pair", "meetings": "meetings the pair recorded",
                "meetings_recorded": "the same in words ('1 meeting', '3 meetings'); empty when none"},
    "partner-left": {"partner_names": "the partner who left (their first name)", "left_on": "the day they left"},
}
MESSAGE_KINDS = tuple(MESSAGE_PLACEHOLDERS)  # the kinds of `mentorkit messages PROGRAM KIND`

SHARE = Setting("the sign-up answers a mentor profile shows", PROFILE_FIELDS, PROFILE_FIELDS,
                "a profile cannot show")

INTRO = "intro-email"
CATALOGUE: dict[str, TemplateKind] = {
    INTRO: TemplateKind(INTRO, "mentorkit intros", INTRO_PLACEHOLDERS),
    **{kind: TemplateKind(kind, f"mentorkit messages PROGRAM {kind}", {**MESSAGE_COMMON, **names},
                          {"share": SHARE} if kind == "suggestions" else {})
       for kind, names in MESSAGE_PLACEHOLDERS.items()},
}

__all__ = ["CATALOGUE", "INTRO", "MESSAGE_KINDS", "PLACEHOLDER", "PROFILE_FIELDS", "Setting", "Template",
           "TemplateKind"]
