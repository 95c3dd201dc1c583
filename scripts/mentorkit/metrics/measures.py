"""The measures: each defined once, here, as a function of a program's records.

Every function takes the program's `Context` and an optional set of people
(a breakdown group; None means everyone in the program) and returns a
`Result`. docs/metrics.md gives the same formulas in words; keep them in step.
"""

from __future__ import annotations

import datetime as dt
import statistics
from bisect import bisect_right
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import attrgetter

from ..model import Metric
from ..model.dates import add_months
from ..model.schedule import survey_dates
from ..text.counts import counted
from .context import DAYS_PER_MONTH, Context, Round
from .model import long_date

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
_date = attrgetter("date")
NO_RECORDS = "no data yet: nothing has been recorded for this program"
NO_COMPARISON = "not measured: this program has no comparison group of colleagues who did not take part"


def _missing(why: str, detail: Detail = ()) -> Result:
    """No value, and why, in the reader's words: every "no data" says what is missing."""
    return Result(None, 0, note=why, detail=detail)


def _share(hits: int, n: int, *, note: str = "", detail: Detail = (), interim: bool = False,
           empty: str = "no data yet") -> Result:
    return Result(hits / n, n, n, note=note, detail=detail, interim=interim) if n else _missing(empty)


def _no_outcomes(since: dt.date) -> Result:
    return _missing(f"no data yet: no promotions or departures have been recorded since {long_date(since)}")


def participation_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Enrolled members / program.eligible_population."""
    n = len(ctx.in_scope(people))
    eligible = ctx.program.eligible_population
    if not eligible:
        return _missing("not measured: the program does not say how many people could have joined")
    if not n:
        return _missing("no data yet: no one has signed up")
    return Result(n / eligible, n, eligible, detail=(("eligible_population", eligible),))


def match_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Seekers with at least one approved (or ended) pair / seekers."""
    seekers = ctx.seekers & ctx.in_scope(people)
    return _share(sum(1 for s in seekers if ctx.pairs_of.get(s)), len(seekers),
                  empty="no data yet: no one has signed up to be mentored")


def time_to_match_days(ctx: Context, people: set[str] | None = None) -> Result:
    """Median days from sign-up (`joined`) to the first check-in of the person's first pair."""
    days = []
    for s in sorted(ctx.seekers & ctx.in_scope(people)):
        firsts = [p.first for p in ctx.pairs_of.get(s, ()) if p.first]
        joined = ctx.members[s].joined
        if firsts and joined:
            days.append(max(0, (min(firsts) - joined).days))
    if not days:
        return _missing("no data yet: no pair has recorded a first meeting")
    return Result(float(statistics.median(days)), len(days), len(days))


def meetings_per_pair_month(ctx: Context, people: set[str] | None = None) -> Result:
    """All check-ins of the pairs / all months the pairs were running (pooled).

    A pair runs from its own start (approved_on, else when both could begin, and
    never before the program start) to the as-of date; an ended pair to its last
    check-in. Months are days / 30.4375.
    """
    if ctx.as_of is None:
        return _missing(NO_RECORDS)
    meetings, months, n = 0, 0.0, 0
    for pair in ctx.pairs_in(people):
        start = max(ctx.program.timeline.start, pair.start)
        end = ctx.as_of if pair.current else pair.last
        if end is None or (end - start).days <= 0:
            continue
        meetings += bisect_right(pair.checkins, end, key=_date)  # the check-ins up to `end` (they are by date)
        months += (end - start).days / DAYS_PER_MONTH
        n += 1
    if not months:
        return _missing("no data yet: no pair has been running for a day yet")
    expected = ctx.expected_per_month
    note = f"the cadence asks for {expected:.2f}" if expected else ""
    return Result(meetings / months, n, months, note=note,
                  detail=(("cadence_per_month", round(expected, 4)),) if expected else ())


def active_pair_share(ctx: Context, people: set[str] | None = None) -> Result:
    """Current pairs whose last check-in is at most 1.5 x the cadence interval before the as-of date / current pairs."""
    if ctx.as_of is None:
        return _missing(NO_RECORDS)
    current = [p for p in ctx.pairs_in(people) if p.current]
    return _share(sum(1 for p in current if ctx.is_active(p)), len(current), empty="no data: no pair is running")


def completion_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """Pairs not ended early and still meeting at the end / all pairs ever approved."""
    if ctx.as_of is None:
        return _missing(NO_RECORDS)
    pairs = ctx.pairs_in(people)
    note = ""
    if ctx.as_of < ctx.program.timeline.end:
        note = (f"interim: the program runs until {long_date(ctx.program.timeline.end)}; pairs still meeting on "
                f"{long_date(ctx.as_of)}")
    return _share(sum(1 for p in pairs if p.current and ctx.is_active(p)), len(pairs), note=note, interim=bool(note),
                  empty="no data yet: no pair has been approved")


def _answered(r: Round, attr: str, members: AbstractSet[str]) -> dict[str, int]:
    """The members' answers, by pseudonym (only those who answered are sorted)."""
    everyone = r.answered(attr)
    return {p: everyone[p] for p in sorted(everyone.keys() & members)}


def _round_of(ctx: Context, attr: str, *, later_than_baseline: bool = False) -> Round | None:
    """The latest closed survey round in which a member answered the question: the program's, for every group."""
    return ctx.latest_round(attr, later_than_baseline)


def _round_note(r: Round) -> str:
    span = long_date(r.closes) if r.opens == r.closes else f"{long_date(r.opens)} to {long_date(r.closes)}"
    return f"the {r.survey} survey of {span}"


def _no_round(ctx: Context, attr: str) -> Result:
    if any(getattr(a, attr) is not None for person in ctx.members for a in ctx.surveys.get(person, ())):
        return _missing("no data yet: survey figures appear once a survey round has closed")
    return _missing("no data yet: no one has answered this survey question")


def _latest_round(ctx: Context, people: set[str] | None, attr: str) -> tuple[list[int], Round | None]:
    """The answers to one question in the latest closed round that has any (one answer per person)."""
    r = _round_of(ctx, attr)
    return ([], None) if r is None else (list(_answered(r, attr, ctx.in_scope(people)).values()), r)


def satisfaction(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean satisfaction (1-5) in the latest closed survey round."""
    scores, r = _latest_round(ctx, people, "satisfaction")
    if r is None:
        return _no_round(ctx, "satisfaction")
    if not scores:
        return _missing(f"no data: no one in this group answered {_round_note(r)}")
    return Result(sum(scores) / len(scores), len(scores), len(scores), note=f"from {_round_note(r)}")


def nps(ctx: Context, people: set[str] | None = None) -> Result:
    """% promoters (9-10) - % detractors (0-6), in the latest closed survey round."""
    scores, r = _latest_round(ctx, people, "nps")
    if r is None:
        return _no_round(ctx, "nps")
    if not scores:
        return _missing(f"no data: no one in this group answered {_round_note(r)}")
    n = len(scores)
    promoters = sum(1 for s in scores if s >= 9) / n
    detractors = sum(1 for s in scores if s <= 6) / n
    return Result(100 * (promoters - detractors), n, n, note=f"from {_round_note(r)}", detail=(
        ("promoters", promoters), ("passives", 1 - promoters - detractors), ("detractors", detractors)))


def goal_achievement_rate(ctx: Context, people: set[str] | None = None) -> Result:
    """(achieved + 0.5 x partly-achieved) / goals assessed (achieved, partly or not achieved)."""
    per_person = ctx.goal_credits()
    owners, goals, assessed, credit = 0, 0, 0, 0.0
    for person in per_person.keys() & ctx.in_scope(people):
        n, k, c = per_person[person]
        goals += n
        if k:
            owners += 1
            assessed += k
            credit += c  # halves and wholes: exact in any order
    if not assessed:
        return _missing(f"no data yet: {_count(goals, 'goal')} set, none assessed yet" if goals
                        else "no data yet: no goals have been recorded")
    return Result(credit / assessed, owners, assessed, detail=(("goals", assessed),))


def skill_pairs(ctx: Context, people: set[str] | None = None) -> list[tuple[str, str, int, int]]:
    """(person, skill, baseline, final) for every skill a person rated in both surveys, by person and skill."""
    by_person = ctx.skill_rows_by_person()
    return [row for person in sorted(by_person.keys() & ctx.in_scope(people)) for row in by_person[person]]


def proficiency_change(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of (final - baseline) self-rated proficiency over every (person, skill) rated in both surveys."""
    rows = skill_pairs(ctx, people)
    if rows and not ctx.ratings_closed():
        return _missing(f"no data yet: skill figures appear once the final survey has closed, on "
                        f"{long_date(ctx.final_closes())}")
    if not rows:
        rated = {r.pseudonym for person in ctx.in_scope(people) for r in ctx.ratings.get(person, ())
                 if r.survey == "baseline"}
        if rated:
            return _missing(f"no data yet: {_count(len(rated), 'person', 'people')} rated their skills at the start; "
                            "no one has rated them again in the final skills survey yet")
        return _missing("no data yet: no one has rated their skills")
    return Result(sum(f - b for _, _, b, f in rows) / len(rows), len({r[0] for r in rows}), len(rows))


def confidence_change(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of (answer in the latest closed later round - baseline answer) of self-reported confidence (1-5)."""
    scope = ctx.in_scope(people)
    baseline: dict[str, int] = {}
    for r in ctx.rounds:
        if r.survey == "baseline":
            baseline.update(_answered(r, "confidence", scope))
    later = _round_of(ctx, "confidence", later_than_baseline=True)
    changes = [] if later is None else [v - baseline[p] for p, v in _answered(later, "confidence", scope).items()
                                        if p in baseline]
    if not changes:
        if not baseline:
            return _no_round(ctx, "confidence")
        return _missing(f"no data yet: {_count(len(baseline), 'person', 'people')} answered at the start; no one has "
                        "answered again in a survey round that has closed")
    assert later is not None
    return Result(sum(changes) / len(changes), len(changes), len(changes), note=f"against the start, {_round_note(later)}")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _no_one_mentored(ctx: Context, people: set[str] | None) -> Result:
    enrolled = len(ctx.seekers & ctx.in_scope(people))
    return _missing("no data yet: no one has signed up to be mentored" if not enrolled else
                    f"no data: none of the {_count(enrolled, 'mentee')} was matched for the whole period measured")


def _outcome_rate(ctx: Context, people: set[str] | None, months: int, outcome: str = "promotion") -> Result:
    """Mentored seekers with an `outcome` dated from the program start to `months` later / mentored seekers."""
    start = ctx.program.timeline.start
    window_end = add_months(start, months)
    if ctx.outcomes_to is None or ctx.outcomes_to < start:
        return _no_outcomes(start)
    mentored = ctx.mentored(start, min(window_end - dt.timedelta(days=1), ctx.outcomes_to), people)
    if not mentored:
        return _no_one_mentored(ctx, people)
    hits = len(mentored & ctx.with_outcome(outcome, start, window_end))
    note = ""
    detail: list[tuple[str, float | int | str]] = [("mentored", len(mentored)),
                                                   ("enrolled", len(ctx.seekers & ctx.in_scope(people)))]
    if ctx.outcomes_to < window_end:
        what = "promotions" if outcome == "promotion" else "role changes"
        note = (f"interim: the {months}-month window ends on {long_date(window_end)}; {what} are recorded up "
                f"to {long_date(ctx.outcomes_to)}")
    c = ctx.program.comparison
    if c and outcome == "promotion":
        detail.append(("comparison_promotion_rate", c.promotions / c.headcount))
    elif c and c.role_changes is not None:
        detail.append(("comparison_role_change_rate", c.role_changes / c.headcount))
    return _share(hits, len(mentored), note=note, detail=tuple(detail), interim=bool(note))


def internal_mobility_12m(ctx: Context, people: set[str] | None = None) -> Result:
    """Mentored seekers with a `role-change` outcome in the 12 months from the program start / mentored seekers.

    The same window and the same "mentored" as the 12-month promotion rate; the comparison group's share
    (`comparison.role_changes / comparison.headcount`) is reported beside it when the program file gives it.
    """
    return _outcome_rate(ctx, people, 12, "role-change")


def promotion_rate_12m(ctx: Context, people: set[str] | None = None) -> Result:
    return _outcome_rate(ctx, people, 12)


def promotion_rate_18m(ctx: Context, people: set[str] | None = None) -> Result:
    return _outcome_rate(ctx, people, 18)


def covered_period(ctx: Context) -> tuple[dt.date, dt.date, float] | None:
    """(first day, last day covered by the outcome records, share of the comparison period covered) or None."""
    c = ctx.program.comparison
    if c is None or ctx.outcomes_to is None or ctx.outcomes_to < c.period_start:
        return None
    last = min(c.period_end, ctx.outcomes_to)
    fraction = ((last - c.period_start).days + 1) / ((c.period_end - c.period_start).days + 1)
    return c.period_start, last, fraction


def retention(ctx: Context, people: set[str] | None = None) -> Result:
    """1 - mentored seekers who left during the comparison period (as far as the records go) / mentored seekers."""
    period = covered_period(ctx)
    if period is None:
        return NONE
    first, last, _ = period
    mentored = ctx.mentored(first, last, people)
    if not mentored:
        return _no_one_mentored(ctx, people)
    left = len(mentored & ctx.left_between(first, last))
    return Result(1 - left / len(mentored), len(mentored), len(mentored),
                  detail=(("mentored", len(mentored)), ("enrolled", len(ctx.seekers & ctx.in_scope(people)))))


def retention_difference(ctx: Context, people: set[str] | None = None) -> Result:
    """Participants' retention - comparison group's retention (1 - leavers / headcount), in points.

    When the records stop before the comparison period ends, the comparison
    group's leavers are counted pro rata for the part of the period covered.
    """
    c = ctx.program.comparison
    if c is None:
        return _missing(NO_COMPARISON)
    period = covered_period(ctx)
    ours = retention(ctx, people)
    if period is None:
        return _no_outcomes(c.period_start)
    if ours.value is None:
        return ours
    _, last, fraction = period
    theirs = 1 - c.leavers / c.headcount * fraction
    mentored = dict(ours.detail)
    note = (f"mentees matched for the whole period ({mentored['mentored']} of {mentored['enrolled']}) against "
            f"{c.headcount:,} colleagues who did not take part")
    if fraction < 1:
        note = (f"interim: departures are recorded up to {long_date(last)}, {fraction:.0%} of the comparison period, "
                f"so the colleagues' leavers are counted for that part only; {note}")
    return Result(ours.value - theirs, ours.n, ours.n, note=note, interim=fraction < 1, detail=(
        ("participant_retention", ours.value), ("comparison_retention", theirs), ("period_covered", fraction),
        *ours.detail, ("comparison_headcount", c.headcount)))


def program_costs(ctx: Context) -> tuple[float, float, float]:
    """(fixed costs, participants' time in meetings, meeting hours) from the program file's `roi.costs`."""
    assert ctx.program.roi is not None
    k = ctx.program.roi.costs
    hours = sum(c.minutes for c in ctx.checkins) / 60
    return k.staff_time + k.platform + k.materials + k.events, hours * 2 * k.participant_hour_value, hours


def roi_percent(ctx: Context, people: set[str] | None = None) -> Result:
    """(benefits - costs) / costs x 100.

    benefits = retention difference x seekers x replacement_cost
             + seekers in a completed pair x productivity_value
    costs    = staff_time + platform + materials + events
             + check-in hours x 2 people x participant_hour_value
    """
    roi = ctx.program.roi
    if roi is None:
        return _missing("not measured: this program sets out no costs and benefits to weigh")
    if ctx.as_of is None:
        return _missing(NO_RECORDS)
    notes = []
    diff = retention_difference(ctx)
    c = ctx.program.comparison
    if c is None:
        return _missing(NO_COMPARISON)
    if diff.value is None or diff.interim:
        reach = (f"they reach {long_date(ctx.outcomes_to)}" if ctx.outcomes_to else "none are recorded yet")
        return _missing(f"not yet measurable: needs departures recorded up to {long_date(c.period_end)}, the end of "
                        f"the comparison period; {reach}")
    mentored = ctx.mentored(c.period_start, c.period_end)
    n = len(mentored)
    retention_benefit = diff.value * n * roi.replacement_cost
    completed = {s for s in mentored for p in ctx.pairs_of.get(s, ()) if p.current and ctx.is_active(p)}
    productivity_benefit = len(completed) * roi.productivity_value
    if ctx.as_of < ctx.program.timeline.end:
        notes.append(f"interim: completion counts pairs still meeting on {ctx.as_of}")
    fixed, time_cost, hours = program_costs(ctx)
    costs = fixed + time_cost
    benefits = retention_benefit + productivity_benefit
    detail = (("benefit_retention", retention_benefit), ("benefit_productivity", productivity_benefit),
              ("benefits", benefits), ("cost_fixed", fixed), ("cost_participant_time", time_cost),
              ("costs", costs), ("meeting_hours", hours), ("completed_participants", len(completed)))
    if not costs:
        return Result(None, n, note="not measured: the program's costs are zero", detail=detail)
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
        answers = sum(1 for person in ctx.in_scope(people) for _ in ctx.surveys.get(person, ()))
        why = "not measured: the program has no survey calendar, so who was asked when is not known"
        return _missing(f"{why} ({_count(answers, 'answer')} received)" if answers else why)
    closed = [r for r in rounds if ctx.data_to is not None and r.closes <= ctx.data_to]  # a final round may close after the end
    if not closed:
        return _missing(f"no data yet: the first survey round closes on {long_date(rounds[0].closes)}")
    members = ctx.in_scope(people)
    if not members:
        return _missing("no data yet: no one has signed up")
    answered = sum(1 for r in closed for person in members
                   if any(a.survey == r.survey and r.opens <= a.date <= r.closes for a in ctx.surveys.get(person, ())))
    asked = len(members) * len(closed)
    later = len(rounds) - len(closed)
    note = f"interim: {counted(later, 'more round')} to come" if later else ""
    return Result(answered / asked, len(members), asked, note=note, interim=bool(later),
                  detail=(("rounds", len(closed)), ("answers", answered), ("asked", asked)))


def _manager_answers(ctx: Context, people: set[str] | None, field: str) -> list[int]:
    """Each participant's latest manager answer to one question (rows without it are skipped)."""
    latest: dict[str, tuple[dt.date, int]] = {}
    scope = ctx.in_scope(people)
    for f in ctx.program_rows("manager_feedback"):
        answer = getattr(f, field)
        if (f.pseudonym in scope and answer is not None
                and (f.pseudonym not in latest or f.date >= latest[f.pseudonym][0])):
            latest[f.pseudonym] = (f.date, answer)
    return [latest[p][1] for p in sorted(latest)]


NO_MANAGER_FEEDBACK = "no data yet: no manager has answered the feedback form"


def manager_observed_behaviour(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of each participant's latest manager answer to "how often do they apply what they learned" (1-5)."""
    scores = _manager_answers(ctx, people, "applies")
    if not scores:
        return _missing(NO_MANAGER_FEEDBACK)
    often = sum(1 for s in scores if s >= 4) / len(scores)
    return Result(sum(scores) / len(scores), len(scores), len(scores), detail=(("often_or_always", often),))


def manager_observed_effectiveness(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of each participant's latest manager answer to "how has their effectiveness changed" (1-5; 3 the same)."""
    scores = _manager_answers(ctx, people, "effectiveness")
    if not scores:
        if _manager_answers(ctx, people, "applies"):
            return _missing("no data yet: managers gave feedback but none answered the question about effectiveness")
        return _missing(NO_MANAGER_FEEDBACK)
    more = sum(1 for s in scores if s >= 4) / len(scores)
    return Result(sum(scores) / len(scores), len(scores), len(scores), detail=(("more_effective", more),))


def cost_per_promotion(ctx: Context, people: set[str] | None = None) -> Result:
    """The program's costs (as for ROI) / mentored mentees promoted within 18 months of the start.

    `n` is the number promoted, not the mentored: anyone who knows the program's total cost could divide it by
    this figure, so it is hidden unless at least `reports.min_group_size` people were promoted.
    """
    if ctx.program.roi is None:
        return _missing("not measured: this program sets out no costs to divide")
    if ctx.as_of is None:
        return _missing(NO_RECORDS)
    promoted = _outcome_rate(ctx, people, 18)
    if promoted.value is None:
        return promoted
    count = round(promoted.value * promoted.n)
    fixed, time_cost, _ = program_costs(ctx)
    if not count:
        return _missing("no data yet: no mentored participant has been promoted since the program began")
    if not fixed + time_cost:
        return _missing("not measured: the program's costs are zero")
    return Result((fixed + time_cost) / count, count, count, note=promoted.note, interim=promoted.interim,
                  detail=(("costs", fixed + time_cost), ("promoted", count)))


def team_performance(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean of each participant's latest manager answer to "how have the results of their team changed" (1-5)."""
    scores = _manager_answers(ctx, people, "team_performance")
    if not scores:
        if _manager_answers(ctx, people, "applies"):
            return _missing("no data yet: managers gave feedback but none answered the question about their "
                            "team's results")
        return _missing(NO_MANAGER_FEEDBACK)
    better = sum(1 for s in scores if s >= 4) / len(scores)
    return Result(sum(scores) / len(scores), len(scores), len(scores), detail=(("better", better),))


MIN_360_RATERS = 3  # a person's 360 rating counts only with this many colleagues in each round: no rater stands out


def feedback_360_scores(ctx: Context, people: set[str] | None = None) -> dict[str, tuple[float, float]]:
    """Person -> (baseline, final) mean 360 rating, for people rated by at least `MIN_360_RATERS` in both rounds.

    A rater's rating is the mean of their four behaviours; a person's, the mean of their raters'.
    """
    scope = ctx.in_scope(people)
    by: dict[tuple[str, str], list[float]] = {}
    for f in ctx.program_rows("feedback_360"):
        if f.pseudonym in scope:
            by.setdefault((f.pseudonym, f.survey), []).append(
                (f.communicates + f.listens + f.collaborates + f.develops_others) / 4)
    out = {}
    for person in sorted({p for p, _ in by}):
        before, after = by.get((person, "baseline"), []), by.get((person, "final"), [])
        if len(before) >= MIN_360_RATERS and len(after) >= MIN_360_RATERS:
            out[person] = (sum(before) / len(before), sum(after) / len(after))
    return out


def feedback_360_change(ctx: Context, people: set[str] | None = None) -> Result:
    """Mean over participants of (final - baseline) 360 rating, each from at least MIN_360_RATERS raters a round."""
    scores = feedback_360_scores(ctx, people)
    if not scores:
        scope = ctx.in_scope(people)
        rated = {f.pseudonym for f in ctx.program_rows("feedback_360") if f.pseudonym in scope}
        if not rated:
            return _missing("no data yet: no colleague has answered the 360 feedback form")
        return _missing(f"no data yet: a person's 360 rating counts once at least {MIN_360_RATERS} colleagues have "
                        "rated them both at the start and at the end, and no one has that yet")
    n = len(scores)
    before = sum(b for b, _ in scores.values()) / n
    after = sum(a for _, a in scores.values()) / n
    return Result(after - before, n, n, note=f"people rated by at least {MIN_360_RATERS} colleagues at the start "
                                             "and at the end", detail=(("baseline", before), ("final", after)))


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
    Metric.MANAGER_OBSERVED_EFFECTIVENESS: manager_observed_effectiveness,
    Metric.FEEDBACK_360_CHANGE: feedback_360_change,
    Metric.INTERNAL_MOBILITY_12M: internal_mobility_12m,
    Metric.TEAM_PERFORMANCE: team_performance,
    Metric.COST_PER_PROMOTION: cost_per_promotion,
}
assert set(FUNCTIONS) == set(Metric), "every Metric needs a function"
