"""People as the coordinator's messages and review packet name them: the private roster laid over the tables.

- `Roster`: the private folder's roster (refused when the folder has none), giving each pseudonym a `Person`
  (name, address, time zone) or a problem naming the proposal's field;
- `why_matched`: what two people share, in words with their names (skills, related skills, goals, interests,
  languages, overlapping working hours), read from the participants table and the vocabulary;
- `profile`: a person's answers as a short line, from the fields given (a mentor profile of choice mode shows
  only the fields the suggestions template lists).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import PrivateDataError, Problem
from ..model import Participant, Workspace
from ..model.program import WORKDAY
from ..model.templates import PROFILE_FIELDS  # what a profile may show: never demographics, manager or team
from ..repo.pii import EMAIL
from ..text.counts import plural
from .mail import Person, names_in_words
from .pseudonyms import ROSTER_FILE, PrivateStore

LANGUAGES = {"ar": "Arabic", "bn": "Bengali", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
             "en": "English", "es": "Spanish", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
             "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
             "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
             "ru": "Russian", "sv": "Swedish", "ta": "Tamil", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian",
             "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese"}
MODES = {"virtual": "online", "in-person": "in person", "either": "online or in person"}


class Roster:
    """The private roster of one program's private folder, read once."""

    def __init__(self, private_dir: Path, root: Path, ws: Workspace):
        self.store = PrivateStore(private_dir, root, create=False)
        if not (self.store.directory / ROSTER_FILE).is_file():
            raise PrivateDataError(f"there is no {ROSTER_FILE} in {self.store.directory}: use the private folder "
                                   "that `mentorkit intake` used for this program's participants")
        self.ws = ws

    def person(self, code: str) -> Person | None:
        entry = self.store.lookup(code)
        if entry is None or not EMAIL.fullmatch(entry.email or ""):
            return None
        participant = self.ws.participants.get(code)
        return Person(code, entry.name or entry.email, entry.email, participant.time_zone if participant else "UTC")

    def name(self, code: str) -> str:
        """The person's name, or the pseudonym when the roster lacks them (the packet says so)."""
        entry = self.store.lookup(code)
        return (entry.name or entry.email) if entry else code

    def find(self, code: str, role: str, rel: str, where: str, problems: list[Problem]) -> Person | None:
        person = self.person(code)
        if person is None:
            problems.append(Problem(rel, "not-in-roster", f"the {role} {code} is not in the private roster"
                                    + (" with an e-mail address" if self.store.lookup(code) else ""), field=where,
                                    hint="use the private folder that `mentorkit intake` used for this program"))
        return person


def label(ws: Workspace, kind: str, term: str) -> str:
    vocabulary = ws.vocabulary
    terms = getattr(vocabulary, kind, None) or [] if vocabulary else []
    return next((t.label for t in terms if t.id == term), term)


def _labels(ws: Workspace, kind: str, terms: Sequence[str]) -> str:
    return names_in_words([label(ws, kind, t) for t in terms])


def _related(ws: Workspace) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for skill in (ws.vocabulary.skills if ws.vocabulary else []):
        for other in skill.related:
            out.setdefault(skill.id, set()).add(other)
            out.setdefault(other, set()).add(skill.id)
    return out


def shared_hours(zones: Sequence[str], day: dt.date) -> float:
    """Hours of the 09:00-17:00 working day everyone of `zones` is at work on `day` (in the first zone)."""
    first = zoneinfo.ZoneInfo(zones[0])
    lo = dt.datetime.combine(day, WORKDAY[0], tzinfo=first)
    hi = dt.datetime.combine(day, WORKDAY[1], tzinfo=first)
    best = 0.0
    for zone in zones[1:]:
        tz = zoneinfo.ZoneInfo(zone)
        spans = [(max(lo, dt.datetime.combine(day + dt.timedelta(days=k), WORKDAY[0], tzinfo=tz)),
                  min(hi, dt.datetime.combine(day + dt.timedelta(days=k), WORKDAY[1], tzinfo=tz))) for k in (-1, 0, 1)]
        spans = [(a, b) for a, b in spans if a < b]
        if not spans:
            return 0.0
        lo, hi = max(spans, key=lambda s: s[1] - s[0])
    best = (hi - lo).total_seconds() / 3600
    return best


def why_matched(ws: Workspace, mentee: Participant | None, mentor: Participant | None, mentee_name: str,
                mentor_name: str, day: dt.date) -> list[str]:
    """Sentences on what the two share; empty when the tables hold nothing they share."""
    if mentee is None or mentor is None:
        return []
    lines = _skill_lines(ws, mentee, mentor, mentee_name, mentor_name)
    if goals := [g for g in mentee.goals if g in mentor.goals]:
        lines.append(f"you share the development goals {_labels(ws, 'goals', goals)}")
    if interests := [i for i in mentee.interests if i in mentor.interests]:
        lines.append(f"you are both interested in {_labels(ws, 'interests', interests)}")
    if languages := [code for code in mentee.languages if code in mentor.languages]:
        lines.append(f"you can both work in {names_in_words([LANGUAGES.get(c, c) for c in languages])}")
    if mentee.time_zone == mentor.time_zone:
        lines.append(f"you work in the same time zone ({mentee.time_zone})")
    elif hours := shared_hours([mentee.time_zone, mentor.time_zone], day):
        lines.append(f"your working days overlap by {hours:g} {plural(hours, 'hour')}")
    return lines


def _skill_lines(ws: Workspace, mentee: Participant, mentor: Participant, mentee_name: str,
                 mentor_name: str) -> list[str]:
    """The skills the mentee seeks that the mentor offers; then up to three the mentor offers a related skill for."""
    lines = []
    direct = [s for s in mentee.skills_sought if s in mentor.skills_offered]
    if direct:
        lines.append(f"{mentor_name} offers {_labels(ws, 'skills', direct)}, which {mentee_name} wants to develop")
    related = _related(ws)
    near = [(s, r) for s in mentee.skills_sought if s not in direct
            for r in mentor.skills_offered if r in related.get(s, set())]
    for sought, offered in near[:3]:
        lines.append(f"{mentor_name} offers {label(ws, 'skills', offered)}, close to "
                     f"{label(ws, 'skills', sought)}, which {mentee_name} wants to develop")
    return lines


# How each shareable answer reads in a profile line, from the workspace and the answer.
_PROFILE_WORDS: dict[str, Callable[[Workspace, Any], str]] = {
    "department": lambda ws, v: f"works in {label(ws, 'departments', str(v))}",
    "skills_offered": lambda ws, v: f"offers {_labels(ws, 'skills', v)}",
    "skills_sought": lambda ws, v: f"wants to develop {_labels(ws, 'skills', v)}",
    "goals": lambda ws, v: f"development goals: {_labels(ws, 'goals', v)}",
    "interests": lambda ws, v: f"interested in {_labels(ws, 'interests', v)}",
    "languages": lambda ws, v: f"speaks {names_in_words([LANGUAGES.get(c, c) for c in v])}",
    "time_zone": lambda ws, v: f"time zone {v}",
    "meeting_mode": lambda ws, v: f"meets {MODES.get(str(v), v)}",
    "location": lambda ws, v: f"office {label(ws, 'locations', str(v))}",
    "level": lambda ws, v: f"career level {v}",
}


def profile(ws: Workspace, person: Participant | None, fields: Sequence[str] = PROFILE_FIELDS) -> str:
    """A person's answers in one line, only from `fields` (empty when none of them is answered)."""
    if person is None:
        return ""
    return "; ".join(_PROFILE_WORDS[name](ws, value) for name in fields
                     if name in _PROFILE_WORDS and (value := getattr(person, name, None)))


__all__ = ["PROFILE_FIELDS", "Roster", "label", "profile", "shared_hours", "why_matched"]
