"""What the anonymous staff needs survey says about a program's demand (participants/needs_survey.csv).

The table holds one-way counts only (coordinator/needs_survey.py). Here they
become the survey's demand for each skill, and the answers to its closed
questions (department, career stage, kinds of mentoring, time, willingness to
mentor) with labels. Published counts of a question with one answer per
person add up to the number of answers, so a small count hidden alone could
be worked out from the others: each such question is suppressed as one
column against that known total (`suppression.suppress_counts`), which hides
the next smallest counts too where needed. The skills and the kinds of
mentoring are several answers per person, with no total to work back from:
there a small count is hidden on its own (the text bands it).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Workspace
from ..model.questions import NEEDS_CHOICES
from .suppression import suppress_counts


@dataclass(frozen=True)
class AnswerCount:
    answer: str  # the code or vocabulary id
    label: str
    count: int
    hidden: str | None = None  # None, "primary" (a small count) or "secondary" (hidden so a small one stays so)


@dataclass(frozen=True)
class NeedsDemand:
    responses: int
    skills: dict[str, int]  # skill id -> respondents who want to grow it
    departments: tuple[AnswerCount, ...]
    level_bands: tuple[AnswerCount, ...]
    formats: tuple[AnswerCount, ...]
    hours: tuple[AnswerCount, ...]
    would_mentor: tuple[AnswerCount, ...]

    def mentors(self, answer: str) -> AnswerCount:
        return next(a for a in self.would_mentor if a.answer == answer)


def _single(counts: dict[str, int], labels: dict[str, str], k: int) -> tuple[AnswerCount, ...]:
    """The answers of a one-answer question, in the form's order, suppressed against their known total."""
    values = [counts.get(code, 0) for code in labels]
    hidden = suppress_counts(values, k)
    return tuple(AnswerCount(code, label, n, h) for (code, label), n, h in zip(labels.items(), values, hidden,
                                                                            strict=True))


def needs_demand(ws: Workspace, program_id: str) -> NeedsDemand | None:
    """The program's needs survey, or None when it has none."""
    rows = [r for r in ws.needs_survey if r.program == program_id]
    if not rows:
        return None
    by: dict[str, dict[str, int]] = {}
    for r in rows:
        by.setdefault(r.question, {})[r.answer] = r.count
    k = ws.program(program_id).reports.min_group_size
    vocab = ws.vocabulary
    departments = {t.id: t.label for t in vocab.departments} if vocab else {}
    departments |= {d: d for d in by.get("department", {}) if d not in departments}
    multi = by.get("format", {})
    return NeedsDemand(
        responses=by.get("responses", {}).get("all", 0),
        skills=dict(by.get("skill", {})),
        departments=tuple(a for a in _single(by.get("department", {}), departments, k) if a.count),
        level_bands=_single(by.get("level_band", {}), NEEDS_CHOICES["level_band"], k),
        formats=tuple(AnswerCount(code, label, multi.get(code, 0), "primary" if 0 < multi.get(code, 0) < k else None)
                      for code, label in NEEDS_CHOICES["formats"].items()),
        hours=_single(by.get("hours", {}), NEEDS_CHOICES["hours"], k),
        would_mentor=_single(by.get("would_mentor", {}), NEEDS_CHOICES["would_mentor"], k),
    )
