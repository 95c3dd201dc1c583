"""Everything the measures of one program read, indexed once.

Which pairs count:
- where a match proposal exists (participants/matches/<program>.yaml), the
  program's pairs are its pairs with status `approved` (current) or `ended`
  (ended early: the match did not work or someone left); `proposed` pairs are
  not pairs yet;
- where no proposal exists, or it has no approved or ended pair yet, the pairs are the distinct (mentee, mentor)
  combinations found in the program's check-ins, all counted as current.

Who counts as a participant being mentored ("seekers"): members with role
`mentee`, and members with role `both` unless they appear in pairs only as a
mentor. In peer programs every member is both mentor and mentee, so every
member is a seeker and a pair counts for both people.

Who counts as mentored (`Context.mentored`): for an outcome measured over a
period (promotions, retention, ROI), a seeker who was in a pair (approved, or
ended) through the whole part of that period that falls in the program, up to
their own departure if they left; a pair that began within a month of that
part's start, or ended within a month of its end, still counts (matching and
closing take a few days). Sign-ups never matched, and pairs that ended early,
are neither mentored nor the comparison group (the program file's `comparison:`
counts colleagues who did not sign up).

Outcome measures (promotions, retention, ROI) count only as far as the outcome
records reach: up to the latest outcome record in participants/outcomes.csv,
anyone's (an HR export covers everyone it lists up to its date); without an
outcome record since the period began they have no data.

The "as of" date is the latest date in the program's own records (check-ins,
survey responses, goals set or closed, outcomes of its members), capped at the
program end. It never comes from the clock, so the same files give the same
figures on any day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from ..model import Checkin, Format, GoalRecord, Outcome, PairStatus, Participant, Program, SkillRating, SurveyResponse, Workspace
from ..model.pairs import pair_start, pair_times
from ..model.schedule import survey_dates

DAYS_PER_MONTH = 365.25 / 12  # 30.4375
GOAL_CREDIT = {"achieved": 1.0, "partly-achieved": 0.5, "not-achieved": 0.0}  # open and dropped goals do not count
# Days between two regular sessions of one pair.
INTERVAL_DAYS = {
    "weekly": 7.0,
    "fortnightly": 14.0,
    "monthly": DAYS_PER_MONTH,
    "quarterly": 3 * DAYS_PER_MONTH,
    "once": DAYS_PER_MONTH,  # one session: a pair that has not met within about a month is flagged
}
QUIET_FACTOR = 1.5  # a pair is quiet after 1.5 times its interval without a check-in
LOW_SCORE = 2  # satisfaction or relationship health at or below this needs attention
RECORD_DATE = attrgetter("date")  # the key records are sorted and searched by
ROUND_GAP = dt.timedelta(days=21)  # no survey calendar: answers of one survey further apart are separate rounds
MATCH_GRACE = dt.timedelta(days=31)  # matching or closing a pair takes a few days: still mentored for the period


@dataclass
class PairRecord:
    mentee: str
    mentor: str
    status: PairStatus  # approved (current) or ended
    checkins: list[Checkin] = field(default_factory=list)  # sorted by date
    start: dt.date = dt.date.min  # the pair's own clock starts here (`model.pairs.pair_times`)
    end: dt.date | None = None  # an ended pair's last day: its `ended_on`, else its last check-in

    def covers(self, day: dt.date) -> bool:
        """Whether a record of `day` belongs to this pair's time (from its start to its end, if it ended)."""
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def current(self) -> bool:
        return self.status == PairStatus.APPROVED

    @property
    def first(self) -> dt.date | None:
        return self.checkins[0].date if self.checkins else None

    @property
    def last(self) -> dt.date | None:
        return self.checkins[-1].date if self.checkins else None


@dataclass(frozen=True)
class Round:
    """One survey round that has closed: the answers published survey measures are computed on."""

    survey: str  # baseline | pulse | final
    opens: dt.date
    closes: dt.date
    answers: dict[str, SurveyResponse]  # person -> their latest answer in the round
    _by_question: dict[str, dict[str, int]] = field(default_factory=dict, init=False, compare=False, repr=False)

    def answered(self, question: str) -> dict[str, int]:
        """person -> their answer to one question (a `SurveyResponse` field), by pseudonym, left-out answers
        left out; worked out once per round (every measure of every breakdown group reads it)."""
        got = self._by_question.get(question)
        if got is None:
            got = self._by_question[question] = {p: v for p, a in sorted(self.answers.items())
                                                 if (v := getattr(a, question)) is not None}
        return got


def _round(survey: str, opens: dt.date, closes: dt.date, answers: list[SurveyResponse]) -> Round:
    return Round(survey, opens, closes, {a.pseudonym: a for a in sorted(answers, key=lambda a: a.date)})


def closed_rounds(program: Program, answers: list[SurveyResponse], data_to: dt.date | None) -> list[Round]:
    """The survey rounds whose answers are complete, in closing order.

    With a survey calendar (`surveys:`), a round is its window, complete once
    the records reach its closing day; an answer outside every window belongs to
    no round. Without one, the answers to one survey form a round while each
    comes within `ROUND_GAP` of the one before, complete once the records run
    `ROUND_GAP` past its last answer. Published survey figures use one round's
    answers, never a running total, so two publications never differ by one
    answer (docs/metrics.md, "Between two publications").
    """
    if data_to is None:
        return []
    rounds = []
    schedule = survey_dates(program)
    if schedule:
        for r in schedule:
            if r.closes <= data_to:
                inside = [a for a in answers if a.survey == r.survey and r.opens <= a.date <= r.closes]
                rounds.append(_round(r.survey, r.opens, r.closes, inside))
    else:
        for survey in sorted({a.survey for a in answers}):
            run: list[SurveyResponse] = []
            for a in sorted((a for a in answers if a.survey == survey), key=lambda a: (a.date, a.pseudonym)):
                if run and a.date - run[-1].date > ROUND_GAP:
                    rounds.append(_round(survey, run[0].date, run[-1].date, run))
                    run = []
                run.append(a)
            if run and run[-1].date + ROUND_GAP <= data_to:
                rounds.append(_round(survey, run[0].date, run[-1].date, run))
    return sorted((r for r in rounds if r.answers), key=lambda r: (r.closes, r.opens, r.survey))


@dataclass
class Context:
    ws: Workspace
    pid: str
    program: Program
    as_of: dt.date | None  # latest record date, capped at the program end
    data_to: dt.date | None  # latest record date, not capped (outcomes may come after the end)
    outcomes_to: dt.date | None  # the latest outcome record of anyone: how far the HR exports reach
    members: dict[str, Participant]
    pairs: list[PairRecord]
    pairs_source: str  # proposal | checkins
    seekers: set[str]
    pairs_of: dict[str, list[PairRecord]]  # seeker -> their pairs
    checkins: list[Checkin]  # by date (a day's in file order)
    surveys: dict[str, list[SurveyResponse]]  # person -> responses, by date
    ratings: dict[str, list[SkillRating]]
    goals: dict[str, list[GoalRecord]]
    outcomes: dict[str, list[Outcome]]  # members only, by date
    rounds: list[Round] = field(default_factory=list)  # closed survey rounds, members' answers only
    # the program's rows of each table in `PROGRAM_TABLES`, in file order (`program_rows`)
    own_rows: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)
    # (first, last) -> every seeker mentored over that period: each breakdown group asks again for its part
    _mentored: dict[tuple[dt.date, dt.date], set[str]] = field(default_factory=dict, init=False, repr=False,
                                                               compare=False)
    _member_set: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)
    _latest_rounds: dict[tuple[str, bool], Round | None] = field(default_factory=dict, init=False, repr=False,
                                                                 compare=False)
    _skill_rows: list[tuple[str, list[tuple[str, str, int, int]]]] | None = field(default=None, init=False,
                                                                                  repr=False, compare=False)
    # Worked out once for every group of every breakdown (each asks about its own people): see the methods.
    _skill_rows_by_person: dict[str, list[tuple[str, str, int, int]]] | None = field(default=None, init=False,
                                                                                     repr=False, compare=False)
    _goal_credits: dict[str, tuple[int, int, float]] | None = field(default=None, init=False, repr=False,
                                                                    compare=False)
    _with_outcome: dict[tuple[str, dt.date, dt.date], frozenset[str]] = field(default_factory=dict, init=False,
                                                                              repr=False, compare=False)
    _left_between: dict[tuple[dt.date, dt.date], frozenset[str]] = field(default_factory=dict, init=False,
                                                                         repr=False, compare=False)

    @property
    def min_group_size(self) -> int:
        return self.program.reports.min_group_size

    @property
    def peer(self) -> bool:
        return self.program.format == Format.PEER

    @property
    def pair_interval(self) -> float:
        """Expected days between two meetings of one pair (a mosaic mentee shares the cadence among mentors)."""
        return INTERVAL_DAYS[self.program.cadence.every] * self.program.matching.mentors_per_mentee

    @property
    def expected_per_month(self) -> float | None:
        """Meetings per pair per month the cadence asks for; None for a single-session program."""
        if self.program.cadence.every == "once":
            return None
        return DAYS_PER_MONTH / self.pair_interval

    def quiet_after(self) -> float:
        return QUIET_FACTOR * self.pair_interval

    def is_active(self, pair: PairRecord) -> bool:
        """Met recently enough on the as-of date (a single-session program: met at all)."""
        if pair.last is None or self.as_of is None:
            return False
        if self.program.cadence.every == "once":
            return True
        return (self.as_of - pair.last).days <= self.quiet_after()

    def in_scope(self, people: AbstractSet[str] | None) -> frozenset[str]:
        """The members among `people` (None: every member); the set of members is made once, every measure of
        every breakdown group asks."""
        if self._member_set is None:
            self._member_set = frozenset(self.members)
        return self._member_set if people is None else self._member_set & people

    def final_closes(self) -> dt.date:
        """When the final skills survey closes: the calendar's last final round, else `ROUND_GAP` after the end.

        Skill ratings carry no date, so the skill figures wait for the whole
        final round rather than change with each rating (see `closed_rounds`).
        """
        finals = [r.closes for r in survey_dates(self.program) if r.survey == "final"]
        return max(finals) if finals else self.program.timeline.end + ROUND_GAP

    def ratings_closed(self) -> bool:
        return self.data_to is not None and self.data_to >= self.final_closes()

    def left_on(self, person: str, since: dt.date) -> dt.date | None:
        """The person's first departure (leaving the organisation) on or after `since`, from the outcome records."""
        return next((o.date for o in self.outcomes.get(person, ()) if o.outcome == "departure" and o.date >= since),
                    None)

    def mentored_until(self, person: str, first: dt.date, last: dt.date) -> dt.date:
        """The last day the person must have been matched over [first, last]: leaving the organisation cuts it.

        The one place to add other dates that end a person's part in the measures.
        """
        left = self.left_on(person, first)
        return last if left is None else min(last, left)

    def mentored(self, first: dt.date, last: dt.date, people: set[str] | None = None) -> set[str]:
        """Seekers (in `people`) who count as mentored over [first, last]: the one rule for outcome measures.

        Only the part of the period inside the program counts (from its start to
        its end). A seeker counts when a pair of theirs was running on that
        part's first day and one was still running on its last day, or on the
        day they left the organisation (`mentored_until`); `MATCH_GRACE` at
        either end. Over a period that does not reach the program, those who were matched at all.
        """
        seekers = self.seekers & self.in_scope(people)
        everyone = self._mentored.get((first, last))
        if everyone is None:
            everyone = self._mentored[(first, last)] = self._mentored_seekers(first, last)
        return {s for s in seekers if s in everyone}

    def _mentored_seekers(self, first: dt.date, last: dt.date) -> set[str]:
        """Every seeker who counts as mentored over [first, last] (see `mentored`)."""
        start = max(first, self.program.timeline.start)
        if start > min(last, self.program.timeline.end):
            return {s for s in self.seekers if self.pairs_of.get(s)}
        out = set()
        for s in self.seekers:
            end = min(self.mentored_until(s, first, last), self.program.timeline.end)
            pairs = self.pairs_of.get(s, ())
            began = any(p.start <= start + MATCH_GRACE and (p.end is None or p.end >= start) for p in pairs)
            lasted = any(p.end is None or p.end >= end - MATCH_GRACE for p in pairs if p.start <= end)
            if began and lasted:
                out.add(s)
        return out

    def latest_round(self, question: str, later_than_baseline: bool = False) -> Round | None:
        """The latest closed survey round in which a member answered `question` (a `SurveyResponse` field), later
        than the baseline if asked: the program's, for every group (worked out once per question)."""
        key = (question, later_than_baseline)
        if key not in self._latest_rounds:
            rounds = [r for r in self.rounds if any(p in self.members for p in r.answered(question))
                      and not (later_than_baseline and r.survey == "baseline")]
            self._latest_rounds[key] = rounds[-1] if rounds else None
        return self._latest_rounds[key]

    def skill_rows(self) -> list[tuple[str, list[tuple[str, str, int, int]]]]:
        """(person, their (person, skill, baseline, final) for each skill rated in both surveys, by skill), by
        person: worked out once (every breakdown group reads it)."""
        if self._skill_rows is None:
            self._skill_rows = []
            for person in sorted(self.ratings):
                by_skill: dict[str, dict[str, int]] = {}
                for r in self.ratings[person]:
                    by_skill.setdefault(r.skill, {})[r.survey] = r.proficiency
                rows = [(person, skill, s["baseline"], s["final"]) for skill, s in sorted(by_skill.items())
                        if "baseline" in s and "final" in s]
                if rows:
                    self._skill_rows.append((person, rows))
        return self._skill_rows

    def program_rows(self, table: str) -> list[Any]:
        """This program's rows of a table in `PROGRAM_TABLES`, in file order: filtered once (`build`), each
        measure of each group reads them."""
        return self.own_rows[table]

    def skill_rows_by_person(self) -> dict[str, list[tuple[str, str, int, int]]]:
        """`skill_rows` by person."""
        if self._skill_rows_by_person is None:
            self._skill_rows_by_person = dict(self.skill_rows())
        return self._skill_rows_by_person

    def goal_credits(self) -> dict[str, tuple[int, int, float]]:
        """person -> (goals set, goals assessed, their credit (`GOAL_CREDIT`) summed), for people with goals."""
        if self._goal_credits is None:
            self._goal_credits = {}
            for person, goals in self.goals.items():
                assessed = [GOAL_CREDIT[g.status] for g in goals if g.status in GOAL_CREDIT]
                self._goal_credits[person] = (len(goals), len(assessed), sum(assessed))
        return self._goal_credits

    def with_outcome(self, outcome: str, first: dt.date, before: dt.date) -> frozenset[str]:
        """Members with an `outcome` dated from `first` to the day before `before`."""
        key = (outcome, first, before)
        if key not in self._with_outcome:
            self._with_outcome[key] = frozenset(
                person for person, records in self.outcomes.items()
                if any(o.outcome == outcome and first <= o.date < before for o in records))
        return self._with_outcome[key]

    def left_between(self, first: dt.date, last: dt.date) -> frozenset[str]:
        """Members whose first departure on or after `first` (`left_on`) is on or before `last`."""
        key = (first, last)
        if key not in self._left_between:
            self._left_between[key] = frozenset(
                person for person in self.outcomes if (d := self.left_on(person, first)) is not None and d <= last)
        return self._left_between[key]

    def pairs_in(self, people: set[str] | None) -> list[PairRecord]:
        """Pairs whose mentee is in `people` (a breakdown group follows the mentee)."""
        return [p for p in self.pairs if people is None or p.mentee in people]


# The workspace's tables of records that each name their program.
PROGRAM_TABLES = ("checkins", "survey_responses", "skill_ratings", "goals", "feedback_360", "manager_feedback")
ByProgram = dict[str, dict[str, list[Any]]]  # table -> program -> its rows, in file order


def rows_by_program(ws: Workspace) -> ByProgram:
    """Every program's rows of each table in `PROGRAM_TABLES`: one pass over each table for all the programs'
    contexts (`build`), where each context would go through every table for its own."""
    out: ByProgram = {}
    for table in PROGRAM_TABLES:
        groups: dict[str, list[Any]] = defaultdict(list)
        for row in getattr(ws, table):
            groups[row.program].append(row)
        out[table] = dict(groups)
    return out


def build(ws: Workspace, pid: str, by_program: ByProgram | None = None) -> Context:
    """The program's context; `by_program`: `rows_by_program(ws)`, when the caller builds every program's."""
    program = ws.program(pid)
    members = {p.pseudonym: p for p in ws.members(pid)}
    by_program = rows_by_program(ws) if by_program is None else by_program
    own = {table: by_program[table].get(pid, []) for table in PROGRAM_TABLES}  # the program's rows of each table
    # By date, a day's in file order: each pair's check-ins in the order of its records, and what reads them all
    # counts or adds them (a key of (date, mentee, mentor) took twice as long and gave each pair the same order).
    checkins = sorted(own["checkins"], key=RECORD_DATE)
    by_pair: dict[tuple[str, str], list[Checkin]] = defaultdict(list)
    for c in checkins:
        by_pair[(c.mentee, c.mentor)].append(c)
    pairs, source = _pairs(ws, pid, program, members, by_pair)
    seekers = _seekers(program, members, pairs)
    pairs_of: dict[str, list[PairRecord]] = defaultdict(list)
    for pair in pairs:
        pairs_of[pair.mentee].append(pair)
        if program.format == Format.PEER:
            pairs_of[pair.mentor].append(pair)
    surveys, ratings, goals, outcomes = _records_by_person(ws, members, own)
    data_to = _data_to(checkins, surveys, goals, outcomes)
    as_of = min(data_to, program.timeline.end) if data_to else None
    outcomes_to = max((o.date for o in ws.outcomes), default=None)
    rounds = closed_rounds(program, [r for person in sorted(surveys) for r in surveys[person]], data_to)
    return Context(ws, pid, program, as_of, data_to, outcomes_to, members, pairs, source, seekers, dict(pairs_of),
                   checkins, dict(surveys), dict(ratings), dict(goals), dict(outcomes), rounds, own)


def _pairs(ws: Workspace, pid: str, program: Program, members: dict[str, Participant],
           by_pair: dict[tuple[str, str], list[Checkin]]) -> tuple[list[PairRecord], str]:
    """The program's pairs, sorted, and where they come from: the approved and ended pairs of its match proposal,
    else (no proposal decided yet) every pair that has check-ins."""
    proposal = ws.proposals.get(pid)
    pairs: list[PairRecord] = []
    if proposal is not None and any(p.status != PairStatus.PROPOSED for p in proposal.pairs):
        source = "proposal"
        seen = set()
        times = pair_times(program, members, proposal, {key: cs[-1].date for key, cs in by_pair.items()})
        for p in proposal.pairs:
            status = p.status
            if status == PairStatus.PROPOSED or (p.mentee, p.mentor) in seen:
                continue
            seen.add((p.mentee, p.mentor))
            start, end = times[(p.mentee, p.mentor)]
            pairs.append(PairRecord(p.mentee, p.mentor, status, by_pair.get((p.mentee, p.mentor), []), start, end))
    else:
        source = "checkins"
        pairs = [PairRecord(mentee, mentor, PairStatus.APPROVED, cs,
                            pair_start(program, members, mentee, mentor))
                 for (mentee, mentor), cs in by_pair.items()]
    pairs.sort(key=attrgetter("mentee", "mentor"))
    return pairs, source


def _seekers(program: Program, members: dict[str, Participant], pairs: list[PairRecord]) -> set[str]:
    """Who seeks mentoring: every member of a peer program; else the mentees, and those signed up as both who
    are mentored or not mentoring."""
    if program.format == Format.PEER:
        return set(members)
    as_mentee = {p.mentee for p in pairs}
    as_mentor = {p.mentor for p in pairs}
    return {m for m, p in members.items()
            if p.role == "mentee" or (p.role == "both" and (m in as_mentee or m not in as_mentor))}


def _records_by_person(ws: Workspace, members: dict[str, Participant], rows: dict[str, list[Any]]) -> tuple[
        dict[str, list[SurveyResponse]], dict[str, list[SkillRating]], dict[str, list[GoalRecord]],
        dict[str, list[Outcome]]]:
    """The program's survey responses (by date), skill ratings, goals and its members' outcomes (by date), by
    person; `rows`: the program's rows of each table."""
    surveys: dict[str, list[SurveyResponse]] = defaultdict(list)
    for r in sorted(rows["survey_responses"], key=attrgetter("date", "survey")):
        surveys[r.pseudonym].append(r)
    ratings: dict[str, list[SkillRating]] = defaultdict(list)
    for rating in rows["skill_ratings"]:
        ratings[rating.pseudonym].append(rating)
    goals: dict[str, list[GoalRecord]] = defaultdict(list)
    for g in rows["goals"]:
        goals[g.pseudonym].append(g)
    outcomes: dict[str, list[Outcome]] = defaultdict(list)
    for o in sorted(ws.outcomes, key=lambda o: (o.date, o.outcome)):
        if o.pseudonym in members:
            outcomes[o.pseudonym].append(o)
    return surveys, ratings, goals, outcomes


def _data_to(checkins: list[Checkin], surveys: dict[str, list[SurveyResponse]], goals: dict[str, list[GoalRecord]],
             outcomes: dict[str, list[Outcome]]) -> dt.date | None:
    """The last date any of the program's records holds."""
    dates = [c.date for c in checkins]
    dates += [r.date for rs in surveys.values() for r in rs]
    dates += [d for gs in goals.values() for g in gs for d in (g.set_on, g.closed_on) if d is not None]
    dates += [o.date for os in outcomes.values() for o in os]
    return max(dates) if dates else None

