"""Checks that span files: references, vocabularies, dates, capacities.

Each check reads the already-typed workspace; positions come from the YAML
documents and table row numbers the loader kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from operator import attrgetter, eq
from typing import Any, Protocol

from ..errors import Problem
from ..model import Format, GoalRecord, PairStatus, Participant, Program, Proposal, ProposedPair, Workspace
from ..model.vocabulary import MULTI_ANSWER_SEPARATORS
from . import layout
from .strict_yaml import YamlDoc, dotted
from .tables import Table

LANGUAGE = re.compile(r"^[a-z]{2}$")


class _Known:
    """What exists, counting files and rows that failed to load (their problems are already reported)."""

    def __init__(self, ws: Workspace, tables: dict[str, Table], unreadable: set[str]):
        self.programs = set(ws.programs) | {u for u in unreadable if ":" not in u}
        self.agendas = set(ws.agendas) | {u.split(":", 1)[1] for u in unreadable if u.startswith("agenda:")}
        table = tables.get("participants")
        self.all_people = table is None or not table.readable  # unreadable table: don't guess about people
        self.people = table.known() if table else set()

    def person(self, who: str) -> bool:
        return self.all_people or who in self.people


def check(ws: Workspace, docs: dict[str, YamlDoc], tables: dict[str, Table],
          unreadable: Set[str] = frozenset()) -> list[Problem]:
    known = _Known(ws, tables, set(unreadable))
    problems: list[Problem] = []
    problems += _vocabulary(ws, docs)
    problems += _programs(ws, docs, known)
    problems += _participants(ws, tables.get("participants"), known)
    problems += _records(ws, tables, known)
    problems += _proposals(ws, docs, known)
    problems += _agendas(ws, docs)
    return problems


def _agendas(ws: Workspace, docs: dict[str, YamlDoc]) -> list[Problem]:
    """Every heading an agenda's `format_sections` names is one of its headings."""
    problems = []
    for aid, agenda in sorted(ws.agendas.items()):
        rel = layout.agenda_file(aid)
        headings = agenda.headings()
        for heading in agenda.meta.format_sections:
            if heading not in headings:
                problem = _at(docs.get(rel), rel, ("format_sections", heading), "dangling-reference",
                              f"format_sections names the heading '{heading}', which the agenda does not have",
                              _did_you_mean(heading, headings) or "write the heading's text exactly, without the #s")
                # the front matter starts on the file's second line
                problems.append(dataclasses.replace(problem, line=problem.line + 1) if problem.line else problem)
    return problems


def _did_you_mean(value: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _at(doc: YamlDoc | None, rel: str, path: tuple[str | int, ...], code: str, message: str, hint: str | None = None) -> Problem:
    line, col = doc.locate(path) if doc else (None, None)
    return Problem(rel, code, message, line=line, column=col, field=dotted(path), hint=hint)


def _vocabulary(ws: Workspace, docs: dict[str, YamlDoc]) -> list[Problem]:
    vocab = ws.vocabulary
    if vocab is None:
        return []
    rel = layout.VOCABULARY
    doc = docs.get(rel)
    problems = []
    for list_name in ("skills", "interests", "goals", "communication_styles", "departments", "locations"):
        seen: set[str] = set()
        for i, term in enumerate(getattr(vocab, list_name)):
            if term.id in seen:
                problems.append(_at(doc, rel, (list_name, i, "id"), "duplicate-id", f"the id '{term.id}' is listed twice"))
            seen.add(term.id)
            problems.extend(_separator(term.label, doc, rel, (list_name, i, "label")))
    skills = {s.id for s in vocab.skills}
    for i, skill in enumerate(vocab.skills):
        for j, related in enumerate(skill.related):
            if related not in skills:
                problems.append(_at(doc, rel, ("skills", i, "related", j), "dangling-reference",
                                    f"related skill '{related}' is not in the skills list", _did_you_mean(related, skills)))
    return problems


def _separator(label: str, doc: YamlDoc | None, rel: str, path: tuple[str | int, ...]) -> list[Problem]:
    """A label holding a separator form tools join checkbox answers with, which no export could be split by."""
    found = [name for sep, name in MULTI_ANSWER_SEPARATORS.items() if sep in label]
    if not found:
        return []
    return [_at(doc, rel, path, "separator-in-label",
                f"the label '{' '.join(label.split())}' contains {' and '.join(found)}, which form tools put between "
                "the answers of a checkbox question (Google Forms joins them with ', ', Microsoft Forms with ';')",
                "reword the label without commas or semicolons, e.g. with a colon or 'and', then run "
                "`mentorkit forms` and update the answers on your forms")]


def _programs(ws: Workspace, docs: dict[str, YamlDoc], known: _Known) -> list[Problem]:
    problems = []
    for pid, program in ws.programs.items():
        rel = layout.program_file(pid)
        problems += _program(ws, pid, program, docs.get(rel), rel, known)
    return problems


def _program(ws: Workspace, pid: str, program: Program, doc: YamlDoc | None, rel: str, known: _Known) -> list[Problem]:
    """One program file: its dates in order, its references resolved, its matching rules consistent."""
    problems = []

    def at(path: tuple[str | int, ...], code: str, message: str, hint: str | None = None) -> None:
        problems.append(_at(doc, rel, path, code, message, hint))

    _timeline(program, at)
    _milestones(ws, program, known, at)
    _goals(program, at)
    if program.comparison and program.comparison.period_end <= program.comparison.period_start:
        at(("comparison", "period_end"), "dates-out-of-order", "the comparison period ends before it starts")
    _matching(ws, pid, program, known, at)
    if program.pilot:
        problems += _pilot(ws, pid, program, doc, rel)
    return problems


class _At(Protocol):
    """Adds a problem at a key path of the program file."""

    def __call__(self, path: tuple[str | int, ...], code: str, message: str, hint: str | None = None) -> None: ...


def _timeline(program: Program, at: _At) -> None:
    """The program's dates in order."""
    t = program.timeline
    if t.end <= t.start:
        at(("timeline", "end"), "dates-out-of-order", f"the program ends ({t.end}) before it starts ({t.start})")
    if t.enrolment_opens and t.enrolment_closes and t.enrolment_closes < t.enrolment_opens:
        at(("timeline", "enrolment_closes"), "dates-out-of-order", "enrolment closes before it opens")
    if t.enrolment_closes and t.enrolment_closes > t.start:
        at(("timeline", "enrolment_closes"), "dates-out-of-order", "enrolment closes after the program starts")


def _milestones(ws: Workspace, program: Program, known: _Known, at: _At) -> None:
    """Milestones: unique ids, dates within the program, agendas (and the session plan's) that exist."""
    t = program.timeline
    ids = Counter(m.id for m in program.milestones)
    for i, m in enumerate(program.milestones):
        if ids[m.id] > 1:
            at(("milestones", i, "id"), "duplicate-id", f"the milestone id '{m.id}' is used more than once")
        if not t.start <= m.date <= t.end:
            at(("milestones", i, "date"), "milestone-outside-timeline",
               f"'{m.title}' on {m.date} is outside the program ({t.start} to {t.end})",
               "move the milestone or extend the timeline")
        if m.agenda and m.agenda not in known.agendas:
            at(("milestones", i, "agenda"), "dangling-reference", f"there is no agenda '{m.agenda}' in agendas/",
               _did_you_mean(m.agenda, ws.agendas))
    for i, agenda in enumerate(program.session_plan):
        if agenda not in known.agendas:
            at(("session_plan", i), "dangling-reference", f"there is no agenda '{agenda}' in agendas/",
               _did_you_mean(agenda, ws.agendas))


def _goals(program: Program, at: _At) -> None:
    """Goals: unique ids, reviews before the due date."""
    goal_ids = Counter(g.id for g in program.goals)
    for i, g in enumerate(program.goals):
        if goal_ids[g.id] > 1:
            at(("goals", i, "id"), "duplicate-id", f"the goal id '{g.id}' is used more than once")
        for j, review in enumerate(g.review_on):
            if review > g.due:
                at(("goals", i, "review_on", j), "dates-out-of-order",
                   f"a review on {review} comes after the due date {g.due}")


def _matching(ws: Workspace, pid: str, program: Program, known: _Known, at: _At) -> None:
    """Matching rules: several mentors only in the mosaic format; programs and people that exist and are enrolled."""
    matching = program.matching
    if matching.mentors_per_mentee > 1 and program.format != "mosaic":
        at(("matching", "mentors_per_mentee"), "invalid-value",
           "several mentors per mentee is the mosaic format", "set format: mosaic, or mentors_per_mentee: 1")
    for i, other in enumerate(matching.cooldown):
        if other not in known.programs:
            at(("matching", "cooldown", i), "dangling-reference", f"there is no program '{other}'",
               _did_you_mean(other, ws.programs))
    members = {p.pseudonym for p in ws.members(pid)}
    for rule in ("forbidden", "locked"):
        for i, pair in enumerate(getattr(matching, rule)):
            for side in ("mentee", "mentor"):
                who = getattr(pair, side)
                if not known.person(who):
                    at(("matching", rule, i, side), "dangling-reference", f"there is no participant '{who}'")
                elif who in ws.participants and who not in members:
                    at(("matching", rule, i, side), "dangling-reference", f"'{who}' is not enrolled in {pid}",
                       f"add {pid} to their programs in participants/participants.csv")


def _pilot(ws: Workspace, pid: str, program: Program, doc: YamlDoc | None, rel: str) -> list[Problem]:
    """A pilot takes no more people than its cap (so intake, which validates first, refuses the extra sign-ups),
    and the full launch it prepares comes after it."""
    pilot = program.pilot
    assert pilot is not None
    problems = []
    enrolled = len(ws.members(pid))
    if enrolled > pilot.max_participants:
        problems.append(_at(doc, rel, ("pilot", "max_participants"), "pilot-full",
                            f"the pilot takes at most {pilot.max_participants} people, and {enrolled} are enrolled "
                            f"in {pid} (participants/participants.csv)",
                            f"keep the pilot small: take {enrolled - pilot.max_participants} of them out of {pid} "
                            "(they can join the full launch), or raise pilot.max_participants"))
    if pilot.launch and pilot.launch <= program.timeline.end:
        problems.append(_at(doc, rel, ("pilot", "launch"), "dates-out-of-order",
                            f"the full launch ({pilot.launch}) must come after the pilot ends ({program.timeline.end})",
                            "leave time for the pilot review: move the launch, or end the pilot earlier"))
    return problems


@dataclass(frozen=True)
class _Terms:
    """What a participant row may name: the vocabulary's ids by list column, departments, locations, time zones."""

    lists: dict[str, set[str]]  # list column -> the ids it may hold
    departments: set[str]
    locations: set[str]
    zones: set[str]


def _participants(ws: Workspace, table: Table | None, known: _Known) -> list[Problem]:
    if table is None or ws.vocabulary is None:
        return []
    vocab = ws.vocabulary
    skills = {s.id for s in vocab.skills}
    terms = _Terms(
        lists={"skills_offered": skills, "skills_sought": skills, "interests": {t.id for t in vocab.interests},
               "goals": {t.id for t in vocab.goals},
               "communication_style": {t.id for t in vocab.communication_styles}},
        departments={d.id for d in vocab.departments},
        locations={loc.id for loc in vocab.locations},
        zones=zoneinfo.available_timezones(),
    )
    problems = []
    for row, p in table.rows:
        problems += _participant(ws, p, table.file, row, terms, known)
    return problems


def _participant(ws: Workspace, p: Participant, rel: str, row: int, terms: _Terms, known: _Known) -> list[Problem]:
    """One row of participants.csv: its programs exist, its terms are in the vocabulary, its codes and capacity make sense."""
    problems = []

    def bad(field: str, code: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(rel, code, message, row=row, field=field, hint=hint))

    _vocabulary_terms(ws, p, terms, known, bad)
    _codes_and_capacity(p, terms, bad)
    return problems


class _Bad(Protocol):
    """Adds a problem at a field of the participant's row."""

    def __call__(self, field: str, code: str, message: str, hint: str | None = None) -> None: ...


def _vocabulary_terms(ws: Workspace, p: Participant, terms: _Terms, known: _Known, bad: _Bad) -> None:
    """The row's programs exist; its department, location and list terms are in the vocabulary."""
    for program in p.programs:
        if program not in known.programs:
            bad("programs", "dangling-reference", f"there is no program '{program}'", _did_you_mean(program, ws.programs))
    if p.department not in terms.departments:
        bad("department", "unknown-term", f"'{p.department}' is not a department in vocabulary.yaml",
            _did_you_mean(p.department, terms.departments))
    if p.location and p.location not in terms.locations:
        bad("location", "unknown-term", f"'{p.location}' is not a location in vocabulary.yaml",
            _did_you_mean(p.location, terms.locations))
    for field, allowed in terms.lists.items():
        for term in getattr(p, field):
            if term not in allowed:
                bad(field, "unknown-term", f"'{term}' is not in the vocabulary", _did_you_mean(term, allowed)
                    or "add it to participants/vocabulary.yaml, or pick a listed term")


def _codes_and_capacity(p: Participant, terms: _Terms, bad: _Bad) -> None:
    """The row's language and time zone codes, working day, manager and mentor capacity make sense."""
    for lang in p.languages:
        if not LANGUAGE.match(lang):
            bad("languages", "invalid-format", f"'{lang}' is not a two-letter language code",
                "use ISO 639-1 codes such as en, de, pt")
    if p.time_zone not in terms.zones:
        bad("time_zone", "invalid-time-zone", f"'{p.time_zone}' is not a time zone name",
            _did_you_mean(p.time_zone, terms.zones) or "use an IANA name such as Europe/Berlin")
    if p.working_hours and p.working_hours[:5] >= p.working_hours[6:]:
        bad("working_hours", "invalid-value", f"the working day {p.working_hours} does not end after it starts",
            "write the start first, e.g. 08:30-16:30 (a day that runs past midnight is not supported)")
    if p.reports_to == p.pseudonym:
        bad("reports_to", "invalid-value", "a person cannot report to themselves")
    if p.role == "mentor" and p.mentor_capacity == 0:
        bad("mentor_capacity", "no-capacity", "this mentor has a capacity of 0 and could never be matched",
            "set how many mentees they can take on (1 or more)")
    if p.role == "mentee" and p.mentor_capacity > 0:
        bad("mentor_capacity", "invalid-value", "a mentee has no mentor capacity", "set it to 0, or make the role 'both'")


def _records(ws: Workspace, tables: dict[str, Table], known: _Known) -> list[Problem]:
    check = _RecordCheck(ws, known)
    for name, table in tables.items():
        if name != "participants" and table.rows:
            check.table(name, table)
    return check.problems


class _RecordCheck:
    """The rows of the record tables: programs that exist, people enrolled in them, their own values."""

    def __init__(self, ws: Workspace, known: _Known):
        self.ws, self.known = ws, known
        self.skills = {s.id for s in ws.vocabulary.skills} if ws.vocabulary else set()
        self.enrolled = {(pid, p.pseudonym) for p in ws.participants.values() for pid in p.programs}
        self.problems: list[Problem] = []

    def table(self, name: str, table: Table) -> None:
        ws, enrolled = self.ws, self.enrolled
        columns = {f.name for f in dataclasses.fields(table.rows[0][1])}  # one record type per table
        has_program = "program" in columns
        people = [f for f in ("mentee", "mentor", "pseudonym") if f in columns]
        if _nothing_to_say(ws, name, [rec for _, rec in table.rows], columns, people, enrolled, self.skills):
            return
        skills = self.skills if "skill" in columns else set()
        for row, rec in table.rows:
            program = None
            if has_program and (program := ws.programs.get(rec.program)) is None:  # a known program: nothing to say
                program = self.program_ref(table, row, rec.program)
            for field in people:
                who = getattr(rec, field)
                if (rec.program, who) in enrolled if has_program else who in ws.participants:
                    continue  # enrolled in the row's program (a row without one: a participant): nothing to say
                self.person(table, row, field, who, rec.program if has_program else None)
            self.problems += _record_values(name, table.file, row, rec, program, skills)

    def person(self, table: Table, row: int, field: str, who: str, program: str | None) -> None:
        if not self.known.person(who):
            self.problems.append(Problem(table.file, "dangling-reference", f"there is no participant '{who}'", row=row,
                                         field=field, hint="add them to participants/participants.csv, or fix the pseudonym"))
        elif who in self.ws.participants and program in self.ws.programs and (program, who) not in self.enrolled:
            self.problems.append(Problem(table.file, "dangling-reference", f"'{who}' is not enrolled in {program}",
                                         row=row, field=field))

    def program_ref(self, table: Table, row: int, program: str) -> Program | None:
        if program not in self.known.programs:
            self.problems.append(Problem(table.file, "dangling-reference", f"there is no program '{program}'", row=row,
                                         field="program", hint=_did_you_mean(program, self.ws.programs)))
        return self.ws.programs.get(program)


def _nothing_to_say(ws: Workspace, name: str, records: list[Any], columns: set[str], people: Sequence[str],
                    enrolled: set[tuple[str, str]], skills: set[str]) -> bool:
    """Whether `_records` would find nothing in the table (the usual case), asked of its distinct values at
    once: known programs, people enrolled in the row's program, skills in the vocabulary, check-ins within
    their program with two people, goals in order. Row by row this was the largest part of the checks at
    100,000 check-ins; when anything is off, `_records` goes through the rows to say where."""
    if "program" in columns:
        programs = list(map(attrgetter("program"), records))
        if not set(programs) <= ws.programs.keys():
            return False
        if not all(set(zip(programs, map(attrgetter(f), records), strict=True)) <= enrolled for f in people):
            return False
    elif not all(set(map(attrgetter(f), records)) <= ws.participants.keys() for f in people):
        return False
    if skills and "skill" in columns and not set(map(attrgetter("skill"), records)) <= skills:
        return False
    if name == "checkins":
        if any(map(eq, map(attrgetter("mentee"), records), map(attrgetter("mentor"), records))):
            return False
        for program, day in set(zip(programs, map(attrgetter("date"), records), strict=True)):
            timeline = ws.programs[program].timeline
            if not timeline.start <= day <= timeline.end:
                return False
    return name != "goals" or not any(_goal("", 0, goal) for goal in records)


def _record_values(name: str, rel: str, row: int, rec: Any, program: Program | None, skills: set[str]) -> list[Problem]:
    """A record's own values: a check-in's two people and date, a skill in the vocabulary (`skills`: empty when
    the table has no skill or there is no vocabulary), a goal's dates and status."""
    problems = []
    if name == "checkins":
        if rec.mentee == rec.mentor:
            problems.append(Problem(rel, "invalid-value", "mentee and mentor are the same person", row=row,
                                    field="mentor"))
        if program and not program.timeline.start <= rec.date <= program.timeline.end:
            problems.append(Problem(rel, "date-outside-timeline",
                                    f"{rec.date} is outside {rec.program} "
                                    f"({program.timeline.start} to {program.timeline.end})",
                                    row=row, field="date"))
    if skills and rec.skill not in skills:
        problems.append(Problem(rel, "unknown-term", f"'{rec.skill}' is not a skill in the vocabulary",
                                row=row, field="skill", hint=_did_you_mean(rec.skill, skills)))
    if name == "goals":
        problems += _goal(rel, row, rec)
    return problems


def _goal(rel: str, row: int, goal: GoalRecord) -> list[Problem]:
    """A goal's dates in order, and a closing date exactly when it is no longer open."""
    problems = []

    def bad(field: str, code: str, message: str) -> None:
        problems.append(Problem(rel, code, message, row=row, field=field))

    if goal.due < goal.set_on:
        bad("due", "dates-out-of-order", "the goal is due before it was set")
    if goal.closed_on and goal.closed_on < goal.set_on:
        bad("closed_on", "dates-out-of-order", "the goal was closed before it was set")
    if goal.status in ("open",) and goal.closed_on:
        bad("closed_on", "invalid-value", "an open goal has no closing date")
    if goal.status not in ("open",) and not goal.closed_on:
        bad("closed_on", "missing-value", f"a goal with status '{goal.status}' needs closed_on")
    return problems


def _proposals(ws: Workspace, docs: dict[str, YamlDoc], known: _Known) -> list[Problem]:
    problems = []
    for pid, proposal in ws.proposals.items():
        rel = layout.proposal_file(pid)
        doc = docs.get(rel)
        if pid not in known.programs:
            problems.append(_at(doc, rel, (), "dangling-reference", f"there is no program '{pid}' for this proposal",
                                "delete the file, or restore the program"))
        elif pid in ws.programs and proposal.program != pid:
            problems.append(_at(doc, rel, ("program",), "invalid-value",
                                f"the proposal names program '{proposal.program}' but the file is {pid}.yaml"))
        for i, pair in enumerate(proposal.pairs):
            for side in ("mentee", "mentor"):
                who = getattr(pair, side)
                if not known.person(who):
                    problems.append(_at(doc, rel, ("pairs", i, side), "dangling-reference", f"there is no participant '{who}'",
                                        "re-run `mentorkit match` to refresh the proposal"))
        if pid in ws.programs:
            problems += _consistency(ws, ws.programs[pid], proposal, doc, rel)
    return problems


class _AtPair(Protocol):
    """Adds a problem at a field of the proposal's pair number i."""

    def __call__(self, i: int, field: str, code: str, message: str, hint: str) -> None: ...


def _against_rules(i: int, pair: ProposedPair, forbidden: set[tuple[str, str]], locked_to: dict[str, str],
                   mentors_per_mentee: int, at: _AtPair) -> None:
    """A forbidden pair, or a mentee paired with another mentor than the one they are locked to."""
    if (pair.mentee, pair.mentor) in forbidden:
        at(i, "mentor", "pair-forbidden", f"{pair.mentee} and {pair.mentor} are a forbidden pair "
           "(matching.forbidden)", "delete this pair, or remove it from matching.forbidden in the program file")
    elif pair.mentee in locked_to and locked_to[pair.mentee] != pair.mentor and mentors_per_mentee == 1:
        at(i, "mentor", "pair-forbidden", f"{pair.mentee} is locked to {locked_to[pair.mentee]} "
           "(matching.locked), not to this mentor", "delete this pair, or change the lock in the program file")


def _wrong_role(i: int, pair: ProposedPair, mentee: Participant | None, mentor: Participant | None, at: _AtPair) -> bool:
    """Whether the pair's mentee did not sign up as a mentee, or its mentor not as a mentor (each reported)."""
    swap = "swap mentee and mentor if they were written the wrong way round, or re-run `mentorkit match`"
    wrong = False
    if mentee is not None and not mentee.can_be_mentee:
        at(i, "mentee", "wrong-role", f"{pair.mentee} signed up as a {mentee.role}, not as a mentee", swap)
        wrong = True
    if mentor is not None and mentor.role not in ("mentor", "both"):
        at(i, "mentor", "wrong-role", f"{pair.mentor} signed up as a {mentor.role}, not as a mentor", swap)
        wrong = True
    return wrong


# Formats where each pair is one mentee with one mentor, places counted per mentor (peers pair people of one pool,
# teams and flash rounds count places their own way: the matcher's rules for those are checked by its tests).
_MENTOR_FORMATS = {Format.ONE_TO_ONE, Format.GROUP, Format.REVERSE, Format.MOSAIC}


def _consistency(ws: Workspace, program: Program, proposal: Proposal, doc: YamlDoc | None, rel: str) -> list[Problem]:
    """What a hand edit can break in a proposal that `mentorkit match` never writes.

    Forbidden pairs, a mentee paired against a lock, the same pair twice, a mentor over their places, a mentee
    with more mentors than the program gives, people in the wrong role. Ended pairs count for none of these, and in
    choice mode only approved pairs (the mentees' choices) take places.
    """
    problems: list[Problem] = []
    rules = program.matching
    forbidden = {(f.mentee, f.mentor) for f in rules.forbidden}
    locked_to = {lock.mentee: lock.mentor for lock in rules.locked}
    seen: dict[tuple[str, str], int] = {}
    per_mentor: Counter[str] = Counter()
    per_mentee: Counter[str] = Counter()
    checked = proposal.format in _MENTOR_FORMATS and program.format in _MENTOR_FORMATS

    def at(i: int, field: str, code: str, message: str, hint: str) -> None:
        problems.append(_at(doc, rel, ("pairs", i, field), code, message, hint))

    for i, pair in enumerate(proposal.pairs):
        if pair.status == PairStatus.ENDED:
            continue
        key = (pair.mentee, pair.mentor)
        if key in seen:
            at(i, "mentor", "pair-duplicate", f"{pair.mentee} and {pair.mentor} are already a pair at item "
               f"{seen[key] + 1} of pairs", "delete one of the two entries")
            continue
        seen[key] = i
        _against_rules(i, pair, forbidden, locked_to, rules.mentors_per_mentee, at)
        if not checked or pair.team is not None:
            continue
        if rules.mode == "choice" and pair.status != PairStatus.APPROVED:
            continue  # suggestions: several per mentee, a mentor offered to several; only choices take places
        mentee, mentor = ws.participants.get(pair.mentee), ws.participants.get(pair.mentor)
        if _wrong_role(i, pair, mentee, mentor, at):
            continue
        per_mentor[pair.mentor] += 1
        per_mentee[pair.mentee] += 1
        if mentor is not None and per_mentor[pair.mentor] == mentor.mentor_capacity + 1:
            at(i, "mentor", "over-capacity", f"{pair.mentor} offers {mentor.mentor_capacity} place"
               f"{'' if mentor.mentor_capacity == 1 else 's'} (mentor_capacity), and this is pair "
               f"{per_mentor[pair.mentor]} of theirs", "end or delete one of their pairs, or raise their capacity")
        if per_mentee[pair.mentee] == rules.mentors_per_mentee + 1:
            at(i, "mentee", "over-capacity", f"{pair.mentee} already has {rules.mentors_per_mentee} mentor"
               f"{'' if rules.mentors_per_mentee == 1 else 's'} in this program (matching.mentors_per_mentee)",
               "end or delete one of their pairs")
    return problems
