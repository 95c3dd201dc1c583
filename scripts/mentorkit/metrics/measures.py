"""The measures: each defined once, here, as a function of a program's records.

Every function takes the program's `Context` and an optional set of people
(a breakdown group; None means everyone in the program) and returns a
`Result`. docs/metrics.md gives the same formulas in words; keep them in step.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from ..model import Metric
from ..model.dates import add_months
from ..model.schedule import survey_dates
from .context import DAYS_PER_MONTH, Context

GOAL_CREDIT = {"achieved": 1.0, "partly-achieved": 0.5, "not-achieved": 0.0}  # open and dropped goals do not count

Detail = tuple[tuple[str, float | int | str], ...]  # the named parts of a composite value


@dataclass(frozen=True)
class Result:
    value: float | None
    n: int  # people (pairs, for pair measures) behind the value: what suppression looks at
    weight: float = 0.0  # what the value is an average over, to pool groups (people, goals, pair-months, ...)
    note: str = ""
    detail: Detail = ()
    interim: bool = False  # the value can still change before it is due: compared with a target, "too early"


NONE = Result(None, 0)
NO_OUTCOMES = "import the HR system's export with `mentorkit import-outcomes`"


def _share(hits: int, n: int, *, note: str = "", detail: Detail = (), interim: bool = False) -> Result:
    return Result(hits / n, n, n, note=note, detail=detail, interim=interim) if n else NONE


def _missing(why: str) -> Result:
    """No value, and why: a measure without its inputs says so."""
    return Result(None, 0, note=why)


def participation_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Enrolled members / program.eligible_population."""
    n = len(ctx.in_scope(people))
    eligible = ctx.program.eligible_population
    if not eligible or not n:
        return Result(None, n, note="" if eligible else "the program file gives no eligible_population")
    return Result(n / eligible, n, eligible, detail=(("eligible_population", eligible),))


def match_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Seekers with at least one approved (or ended) pair / seekers."""
    seekers = ctx.seekers & ctx.in_scope(people)
    return _share(sum(1 for s in seekers if ctx.pairs_of.get(s)), len(seekers))


def time_to_match_days(ctx: Context, people: set[str] | None = None) -> Result:
    """Median days from sign-up (`joined`) to the first check-in of the person's first pair."""
    days = []
    for s in sorted(ctx.seekers & ctx.in_scope(people)):
        firsts = [p.first for p in ctx.pairs_of.get(s, ()) if p.first]
        joined = ctx.members[s].joined
        if firsts and joined:
            days.append(max(0, (min(firsts) - joined).days))
    return Result(float(statistics.median(days)), len(days), len(days)) if days else NONE


def meetings_per_pair_month(ctx: Context, people: set[str] | None = None) -> Result:
    """All check-ins of the pairs / all months the pairs were running (pooled).

    A pair runs from its own start (approved_on, else when both could begin, and
    never before the program start) to the as-of date; an ended pair to its last
    check-in. Months are days / 30.4375.
    """
    if ctx.as_of is None:
        return NONE
    meetings, months, n = 0, 0.0, 0
    for pair in ctx.pairs_in(people):
        start = max(ctx.program.timeline.start, pair.start)
        end = ctx.as_of if pair.current else pair.last
        if end is None or (end - start).days <= 0:
            continue
        meetings += sum(1 for c in pair.checkins if c.date <= end)
        months += (end - start).days / DAYS_PER_MONTH
        n += 1
    if not months:
        return NONE
    expected = ctx.expected_per_month
    note = f"the cadence asks for {expected:.2f}" if expected else ""
    return Result(meetings / months, n, months, note=note,
                  detail=(("cadence_per_month", round(expected, 4)),) if expected else ())


def active_pair_share(ctx: Context, people: set[str] | None = None) -> Result:
    """Current pairs whose last check-in is at most 1.5 x the cadence interval before the as-of date / current pairs."""
    if ctx.as_of is None:
        return NONE
    current = [p for p in ctx.pairs_in(people) if p.current]
    return _share(sum(1 for p in current if ctx.is_active(p)), len(current))


def completion_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Pairs not ended early and still meeting at the end / all pairs ever approved."""
    if ctx.as_of is None:
        return NONE
    pairs = ctx.pairs_in(people)
    note = ""
    if ctx.as_of < ctx.program.timeline.end:
        note = f"interim: the program runs until {ctx.program.timeline.end}; pairs still meeting on {ctx.as_of}"
    return _share(sum(1 for p in pairs if p.current and ctx.is_active(p)), len(pairs), note=note, interim=bool(note))


def _latest(ctx: Context, people: set[str] | None, attr: str) -> list[int]:
    """Each person's latest answer to one survey question."""
    out = []
    for person in sorted(ctx.in_scope(people)):
        answers = [getattr(r, attr) for r in ctx.surveys.get(person, ()) if getattr(r, attr) is not None]
        if answers:
            out.append(answers[-1])
    return out


def satisfaction(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of each respondent's latest satisfaction (1-5)."""
    scores = _latest(ctx, people, "satisfaction")
    return Result(sum(scores) / len(scores), len(scores), len(scores)) if scores else NONE


def nps(ctx: Context, people: set[str] | None = None) -> Result:
    """% promoters (9-10) - % detractors (0-6), over each respondent's latest answer."""
    scores = _latest(ctx, people, "nps")
    if not scores:
        return NONE
    n = len(scores)
    promoters = sum(1 for s in scores if s >= 9) / n
    detractors = sum(1 for s in scores if s <= 6) / n
    return Result(100 * (promoters - detractors), n, n, detail=(
        ("promoters", promoters), ("passives", 1 - promoters - detractors), ("detractors", detractors)))


def goal_achievement_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """(achieved + 0.5 x partly-achieved) / goals assessed (achieved, partly or not achieved)."""
    credits, owners = [], set()
    for person in ctx.in_scope(people):
        for g in ctx.goals.get(person, ()):
            if g.status in GOAL_CREDIT:
                credits.append(GOAL_CREDIT[g.status])
                owners.add(person)
    if not credits:
        return NONE
    return Result(sum(credits) / len(credits), len(owners), len(credits), detail=(("goals", len(credits)),))


def skill_pairs(ctx: Context, people: set[str] | None = None) -> list[tuple[str, str, int, int]]:
    """(person, skill, baseline, final) for every skill a person rated in both surveys."""
    out = []
    for person in sorted(ctx.in_scope(people)):
        by_skill: dict[str, dict[str, int]] = {}
        for r in ctx.ratings.get(person, ()):
            by_skill.setdefault(r.skill, {})[r.survey] = r.proficiency
        for skill in sorted(by_skill):
            s = by_skill[skill]
            if "baseline" in s and "final" in s:
                out.append((person, skill, s["baseline"], s["final"]))
    return out


def proficiency_change(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of (final - baseline) self-rated proficiency over every (person, skill) rated in both surveys."""
    rows = skill_pairs(ctx, people)
    if not rows:
        return NONE
    return Result(sum(f - b for _, _, b, f in rows) / len(rows), len({r[0] for r in rows}), len(rows))


def confidence_change(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of (latest later answer - baseline answer) of self-reported confidence (1-5)."""
    changes = []
    for person in sorted(ctx.in_scope(people)):
        answers = [(r.survey, r.date, r.confidence) for r in ctx.surveys.get(person, ()) if r.confidence is not None]
        baseline = next(((day, value) for survey, day, value in answers if survey == "baseline"), None)
        if baseline is None:
            continue
        later = [value for survey, day, value in answers if survey != "baseline" and day > baseline[0]]
        if later:
            changes.append(later[-1] - baseline[1])
    return Result(sum(changes) / len(changes), len(changes), len(changes)) if changes else NONE


def _promotion_rate(ctx: Context, people: set[str] | None, months: int) -> Result:
    """Seekers with a promotion dated from the program start to `months` later / seekers."""
    start = ctx.program.timeline.start
    window_end = add_months(start, months)
    if ctx.outcomes_to is None or ctx.outcomes_to < start:
        return _missing(f"no data: no outcome records since the program started on {start}; {NO_OUTCOMES}")
    seekers = ctx.seekers & ctx.in_scope(people)
    promoted = sum(1 for s in seekers
                   if any(o.outcome == "promotion" and start <= o.date < window_end for o in ctx.outcomes.get(s, ())))
    note, detail = "", []
    if ctx.outcomes_to < window_end:
        note = f"interim: the {months}-month window ends on {window_end}; the outcome records run to {ctx.outcomes_to}"
    c = ctx.program.comparison
    if c:
        detail.append(("comparison_promotion_rate", c.promotions / c.headcount))
    return _share(promoted, len(seekers), note=note, detail=tuple(detail), interim=bool(note))


def promotion_rate_12m(ctx: Context, people: set[str] | None = None) -> Result:
    return _promotion_rate(ctx, people, 12)


def promotion_rate_18m(ctx: Context, people: set[str] | None = None) -> Result:
    return _promotion_rate(ctx, people, 18)


def covered_period(ctx: Context) -> tuple[dt.date, dt.date, float] | None:
    """(first day, last day covered by the outcome records, share of the comparison period covered) or None."""
    c = ctx.program.comparison
    if c is None or ctx.outcomes_to is None or ctx.outcomes_to < c.period_start:
        return None
    last = min(c.period_end, ctx.outcomes_to)
    fraction = ((last - c.period_start).days + 1) / ((c.period_end - c.period_start).days + 1)
    return c.period_start, last, fraction


def retention(ctx: Context, people: set[str] | None = None) -> Result:
    """1 - seekers who left during the comparison period (as far as the records go) / seekers."""
    period = covered_period(ctx)
    if period is None:
        return NONE
    first, last, _ = period
    seekers = ctx.seekers & ctx.in_scope(people)
    left = sum(1 for s in seekers
               if any(o.outcome == "departure" and first <= o.date <= last for o in ctx.outcomes.get(s, ())))
    return Result(1 - left / len(seekers), len(seekers), len(seekers)) if seekers else NONE


def retention_difference(ctx: Context, people: set[str] | None = None) -> Result:
    """Participants' retention - comparison group's retention (1 - leavers / headcount), in points.

    When the records stop before the comparison period ends, the comparison
    group's leavers are counted pro rata for the part of the period covered.
    """
    c = ctx.program.comparison
    if c is None:
        return _missing("no data: the program file gives no comparison group")
    period = covered_period(ctx)
    ours = retention(ctx, people)
    if period is None:
        return _missing(f"no data: no outcome records since the comparison period started on {c.period_start}; "
                        f"{NO_OUTCOMES}")
    if ours.value is None:
        return NONE
    _, last, fraction = period
    theirs = 1 - c.leavers / c.headcount * fraction
    note = ""
    if fraction < 1:
        note = (f"interim: the outcome records run to {last}, {fraction:.0%} of the comparison period; "
                "the comparison group's leavers are counted pro rata")
    return Result(ours.value - theirs, ours.n, ours.n, note=note, interim=fraction < 1, detail=(
        ("participant_retention", ours.value), ("comparison_retention", theirs), ("period_covered", fraction)))


def roi_percent(ctx: Context, people: set[str] | None = None) -> Result:
    """(benefits - costs) / costs x 100.

    benefits = retention difference x seekers x replacement_cost
             + seekers in a completed pair x productivity_value
    costs    = staff_time + platform + materials + events
             + check-in hours x 2 people x participant_hour_value
    """
    roi = ctx.program.roi
    if roi is None:
        return _missing("no data: the program file gives no roi assumptions")
    if ctx.as_of is None:
        return NONE
    n = len(ctx.seekers)
    notes = []
    diff = retention_difference(ctx)
    c = ctx.program.comparison
    if c is None or diff.value is None or diff.interim:
        missing = ("the program file gives no comparison group" if c is None else
                   f"outcome records up to {c.period_end} (the end of the comparison period); they run to "
                   f"{ctx.outcomes_to or 'no date yet'}: {NO_OUTCOMES}")
        return _missing(f"not yet measurable: needs {missing}")
    retention_benefit = diff.value * n * roi.replacement_cost
    completed = {s for s in ctx.seekers for p in ctx.pairs_of.get(s, ()) if p.current and ctx.is_active(p)}
    productivity_benefit = len(completed) * roi.productivity_value
    if ctx.as_of < ctx.program.timeline.end:
        notes.append(f"interim: completion counts pairs still meeting on {ctx.as_of}")
    k = roi.costs
    fixed = k.staff_time + k.platform + k.materials + k.events
    hours = sum(c.minutes for c in ctx.checkins) / 60
    time_cost = hours * 2 * k.participant_hour_value
    costs = fixed + time_cost
    benefits = retention_benefit + productivity_benefit
    detail = (("benefit_retention", retention_benefit), ("benefit_productivity", productivity_benefit),
              ("benefits", benefits), ("cost_fixed", fixed), ("cost_participant_time", time_cost),
              ("costs", costs), ("meeting_hours", hours), ("completed_participants", len(completed)))
    if not costs:
        return Result(None, n, note="the program's costs are zero: ROI is undefined", detail=detail)
    return Result((benefits - costs) / costs * 100, n, n, note="; ".join(notes), detail=detail, interim=bool(notes))


def survey_response_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Answers given within each scheduled survey round's window / (members x rounds closed by the as-of date).

    The rounds are the program file's `surveys:` (`model.schedule`); everyone
    enrolled is asked in every round; an answer counts for the round of its
    survey whose window (opens to closes) holds its date. A round counts once
    the records reach its closing day (the latest record, not capped at the
    program end: a final survey closes after it); later rounds are to come.
    """
    rounds = survey_dates(ctx.program)
    if not rounds:
        return _missing("the program file schedules no surveys (surveys:)")
    closed = [r for r in rounds if ctx.data_to is not None and r.closes <= ctx.data_to]  # a final round may close after the end
    if not closed:
        return _missing(f"no survey round has closed yet (the first closes on {rounds[0].closes})")
    members = ctx.in_scope(people)
    if not members:
        return NONE
    answered = sum(1 for r in closed for person in members
                   if any(a.survey == r.survey and r.opens <= a.date <= r.closes for a in ctx.surveys.get(person, ())))
    asked = len(members) * len(closed)
    later = len(rounds) - len(closed)
    note = f"interim: {later} more round{'s' if later != 1 else ''} to come" if later else ""
    return Result(answered / asked, len(members), asked, note=note, interim=bool(later),
                  detail=(("rounds", len(closed)), ("answers", answered), ("asked", asked)))


def manager_observed_behaviour(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of each participant's latest manager answer to "how often do they apply what they learned" (1-5)."""
    latest: dict[str, tuple[dt.date, int]] = {}
    scope = ctx.in_scope(people)
    for f in ctx.ws.manager_feedback:
        if f.program == ctx.pid and f.pseudonym in scope and (f.pseudonym not in latest
                                                               or f.date >= latest[f.pseudonym][0]):
            latest[f.pseudonym] = (f.date, f.applies)
    if not latest:
        return _missing("no manager feedback yet: import the manager feedback form (forms/manager-feedback.md) "
                        "with `mentorkit import-manager-feedback`")
    scores = [s for _, s in latest.values()]
    often = sum(1 for s in scores if s >= 4) / len(scores)
    return Result(sum(scores) / len(scores), len(scores), len(scores), detail=(("often_or_always", often),))


FUNCTIONS = {
    Metric.PARTICIPATION_RATE: participation_rate,
    Metric.MATCH_RATE: match_rate,
    Metric.TIME_TO_MATCH_DAYS: time_to_match_days,
    Metric.MEETINGS_PER_PAIR_MONTH: meetings_per_pair_month,
    Metric.ACTIVE_PAIR_SHARE: active_pair_share,
    Metric.COMPLETION_RATE: completion_rate,
    Metric.SATISFACTION: satisfaction,
    Metric.NPS: nps,
    Metric.GOAL_ACHIEVEMENT_RATE: goal_achievement_rate,
    Metric.PROFICIENCY_CHANGE: proficiency_change,
    Metric.CONFIDENCE_CHANGE: confidence_change,
    Metric.PROMOTION_RATE_12M: promotion_rate_12m,
    Metric.PROMOTION_RATE_18M: promotion_rate_18m,
    Metric.RETENTION_DIFFERENCE: retention_difference,
    Metric.ROI_PERCENT: roi_percent,
    Metric.SURVEY_RESPONSE_RATE: survey_response_rate,
    Metric.MANAGER_OBSERVED_BEHAVIOUR: manager_observed_behaviour,
}
assert set(FUNCTIONS) == set(Metric), "every Metric needs a function"
