"""The fairness report of a match proposal: how its mentees fare, group by group, before anyone approves it.

For each breakdown dimension of the results page (department, level and the
self-reported gender, age band and under-represented group) and each of its
groups: the number of mentees, the share of them the proposal matches, the
mean score and the share of cross-department pairs of their pairs, and why the
others are not matched. Small groups are hidden exactly as on the results page
(`suppression`, with the program's reports.min_group_size): a count, rate or
mean on fewer than min_group_size people is hidden, and further values with it
where the overall figures would give a hidden one back.

A group whose published match rate is more than matching.fairness_warning_points
percentage points below the overall rate is a warning (docs/matching.md says
how to act on one). Groups too small to show are never warned about: one
person moves their rate by more than any sensible threshold, and a warning
would say what the hidden rate is.

The mentees of a proposal are the people it lists: with a current (proposed
or approved) pair, or in its unmatched list; in a peer program a pair counts
for both of its people. In choice mode a mentee's pairs
are suggestions: the mean score and the cross-department share read the first
suggestion only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Format, PairStatus, Participant, Proposal, Workspace
from .breakdowns import DIMENSIONS, SCALE_ENDS, _group_of, _label, _ordered
from .model import Cell
from .suppression import SECONDARY, suppress_counts, suppress_measure

# Why a mentee is not matched, from the matcher's sentence (matching/reasons.py), in a few words a table can hold.
# The first phrase found decides; a sentence none of them names is "another reason".
REASONS: tuple[tuple[str, str], ...] = (
    ("no eligible", "no mentor in the program"),
    ("fits the program rules", "no mentor fits the rules"),
    ("fully booked", "every mentor who fits is full"),
    ("is full", "every mentor who fits is full"),
    ("one mentee per team", "one mentee per team"),
    ("cross-department rule", "the cross-department rule"),
    ("needed to match", "places went to others"),
)
OTHER_REASON = "another reason"
REASON_ORDER = tuple(dict.fromkeys([label for _, label in REASONS] + [OTHER_REASON]))
SHARE_ENDS = SCALE_ENDS["share"]


def reason_label(sentence: str) -> str:
    """The category of an unmatched mentee's reason."""
    text = sentence.lower()
    return next((label for phrase, label in REASONS if phrase in text), OTHER_REASON)


@dataclass(frozen=True)
class GroupFairness:
    group: str  # the group's id ("all" for the overall row)
    label: str
    mentees: Cell
    match_rate: Cell
    mean_score: Cell
    cross_department: Cell
    unmatched: tuple[tuple[str, Cell], ...]  # (reason label, number of mentees), reasons that occur in the program


@dataclass(frozen=True)
class DimensionFairness:
    dimension: str
    label: str
    groups: tuple[GroupFairness, ...]


@dataclass(frozen=True)
class FairnessWarning:
    dimension: str  # its label
    group: str  # its label
    rate: float
    overall: float

    @property
    def points(self) -> float:
        return (self.overall - self.rate) * 100


@dataclass(frozen=True)
class FairnessReport:
    program: str
    min_group_size: int
    threshold: float | None  # matching.fairness_warning_points
    overall: GroupFairness
    dimensions: tuple[DimensionFairness, ...]
    warnings: tuple[FairnessWarning, ...]

    @property
    def too_small(self) -> bool:
        """Fewer mentees than min_group_size: nothing by group can be shown."""
        return not self.dimensions


@dataclass(frozen=True)
class _Mentee:
    person: Participant
    matched: bool
    scores: tuple[float, ...]  # of the pairs that count (the first suggestion in choice mode)
    cross: tuple[bool, ...]  # per pair that counts: the mentor is in another department
    reason: str | None  # the category, when unmatched


def _mentees(ws: Workspace, program_id: str, proposal: Proposal) -> list[_Mentee]:
    people = ws.participants
    peer = proposal.format == Format.PEER
    current = [p for p in proposal.pairs if PairStatus(p.status) != PairStatus.ENDED]
    # (person, partner, score) for every pair that counts; in a peer program a pair counts for both people
    sides = [(p.mentee, p.mentor, p.score) for p in current if p.rank in (None, 1)]
    sides += [(b, a, score) for a, b, score in sides] if peer else []
    matched = {p.mentee for p in current} | ({p.mentor for p in current} if peer else set())
    reasons = {u.mentee: reason_label(u.reason) for u in proposal.unmatched}
    out = []
    for pseudonym in sorted(matched | set(reasons)):
        person = people.get(pseudonym)
        if person is None:  # the loader refuses a proposal naming an unknown person; nothing to count
            continue
        mine = [(partner, score) for who, partner, score in sides if who == pseudonym]
        cross = tuple(partner in people and people[partner].department != person.department for partner, _ in mine)
        out.append(_Mentee(person, pseudonym in matched, tuple(score for _, score in mine), cross,
                           None if pseudonym in matched else reasons[pseudonym]))
    return out


def _rate(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _figures(ms: Sequence[_Mentee]) -> tuple[float | None, float | None, float | None, int, int]:
    """Match rate, mean score, cross-department share, and the numbers behind the last two (mentees, pairs)."""
    scores = [s for m in ms for s in m.scores]
    cross = [c for m in ms for c in m.cross]
    return (_rate([m.matched for m in ms]), _mean(scores), _rate(cross),
            sum(1 for m in ms if m.scores), len(scores))


def _cell(value: float | int | None, hidden: str | None) -> Cell:
    return Cell(None, hidden) if hidden else Cell(value)


def _dimension(dim: str, label: str, ws: Workspace, mentees: list[_Mentee], reasons: list[str], k: int
               ) -> DimensionFairness:
    """One dimension's groups, hidden as the results page hides a breakdown.

    Mentees per group are a column of counts against a known total (`suppress_counts`); match rate, mean
    score and cross-department share are columns of rates and means (`suppress_measure`), hidden with the
    group's count. Each reason not to be matched is a column of counts against its known total; a group
    whose count and rate are shown gives its number of unmatched away, so where that would give back its
    only hidden reason count, its rate is hidden too. A group whose rate is hidden shows no reasons.
    """
    by_group: dict[str, list[_Mentee]] = {}
    for m in mentees:
        by_group.setdefault(_group_of(m.person, dim), []).append(m)
    order = _ordered(ws, dim, set(by_group))
    sizes = [len(by_group[g]) for g in order]
    figures = [_figures(by_group[g]) for g in order]
    count_hidden = suppress_counts(sizes, k)
    why = [[sum(1 for m in by_group[g] if m.reason == r) for g in order] for r in reasons]  # by reason, then group
    why_hidden = [suppress_counts(column, k) for column in why]
    rate_hidden = _rate_hidden(sizes, [f[0] for f in figures], count_hidden, why, why_hidden, k)
    paired = [f[3] for f in figures]
    pair_weights = [float(f[4]) for f in figures]
    score_hidden, _ = suppress_measure(paired, [f[1] for f in figures], pair_weights, k, (), rate_hidden)
    cross_hidden, _ = suppress_measure(paired, [f[2] for f in figures], pair_weights, k, SHARE_ENDS, rate_hidden)
    groups = []
    for i, g in enumerate(order):
        groups.append(GroupFairness(
            group=g, label=_label(ws, dim, g),
            mentees=_cell(sizes[i], count_hidden[i]),
            match_rate=_cell(figures[i][0], rate_hidden[i]),
            mean_score=_cell(figures[i][1], score_hidden[i]),
            cross_department=_cell(figures[i][2], cross_hidden[i]),
            unmatched=tuple((r, _cell(why[j][i], rate_hidden[i] or why_hidden[j][i]))
                            for j, r in enumerate(reasons))))
    return DimensionFairness(dim, label, tuple(groups))


def _rate_hidden(sizes: list[int], rates: list[float | None], count_hidden: list[str | None], why: list[list[int]],
                 why_hidden: list[list[str | None]], k: int) -> list[str | None]:
    """Which groups' match rates to hide: as a measure on the group's size, and where a shown count and rate
    would give back the group's only hidden reason count."""
    already = list(count_hidden)
    while True:
        rate_hidden, _ = suppress_measure(sizes, rates, [float(n) for n in sizes], k, SHARE_ENDS, already)
        # a shown count and rate give the group's number of unmatched: one hidden reason count would follow from it
        more = [i for i in range(len(sizes)) if not rate_hidden[i]
                and sum(1 for col, hid in zip(why, why_hidden, strict=True) if hid[i] and col[i]) == 1]
        if not more:
            return rate_hidden
        for i in more:
            already[i] = SECONDARY


def fairness_report(ws: Workspace, program_id: str, proposal: Proposal) -> FairnessReport:
    """The fairness report of `proposal` for the program `program_id` of `ws`.

    The first row, all mentees, is never hidden: it is the proposal's own totals, which the proposal file
    states anyway (every pair, every unmatched mentee and why). Groups are hidden as on the results page.
    """
    program = ws.program(program_id)
    k = program.reports.min_group_size
    mentees = _mentees(ws, program_id, proposal)
    present = {m.reason for m in mentees if m.reason}
    reasons = [r for r in REASON_ORDER if r in present]
    dimensions = []
    if len(mentees) >= k:
        for dim, label in DIMENSIONS.items():
            present_groups = {_group_of(m.person, dim) for m in mentees}
            if len(present_groups) < 2:  # one group (everyone, or no one answered): the overall row says it all
                continue
            dimensions.append(_dimension(dim, label, ws, mentees, reasons, k))
    rate, score, cross, _, _ = _figures(mentees)
    overall = GroupFairness(
        group="all", label="All mentees", mentees=Cell(len(mentees)), match_rate=Cell(rate), mean_score=Cell(score),
        cross_department=Cell(cross),
        unmatched=tuple((r, Cell(sum(1 for m in mentees if m.reason == r))) for r in reasons))
    threshold = program.matching.fairness_warning_points
    return FairnessReport(program_id, k, threshold, overall, tuple(dimensions),
                          _warnings(dimensions, overall, threshold))


def _warnings(dimensions: Sequence[DimensionFairness], overall: GroupFairness, threshold: float | None
              ) -> tuple[FairnessWarning, ...]:
    if threshold is None or overall.match_rate.value is None:
        return ()
    base = float(overall.match_rate.value)
    out = []
    for d in dimensions:
        for g in d.groups:
            rate = g.match_rate.value
            if rate is not None and (base - float(rate)) * 100 > threshold + 1e-9:
                out.append(FairnessWarning(d.label, g.label, float(rate), base))
    return tuple(out)


def fairness_reports(ws: Workspace, program_ids: Sequence[str] | None = None) -> dict[str, FairnessReport]:
    """The fairness report of each program's proposal in `ws` (of `program_ids` only, when given)."""
    wanted = sorted(ws.proposals) if program_ids is None else sorted(set(program_ids) & set(ws.proposals))
    return {pid: fairness_report(ws, pid, ws.proposals[pid]) for pid in wanted if pid in ws.programs}
