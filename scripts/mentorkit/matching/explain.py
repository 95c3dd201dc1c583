"""A pair in words: what the two share, and each criterion's points as a sentence.

`pair_fit` reads two people's features and returns a `model.PairFit`: the sought
skills the mentor offers (and those covered by a related skill), shared goals,
interests, communication styles and languages, the level gap, the hours of a
09:00-17:00 working day both are at work (and when, in UTC), and how they can
meet. `pair_reasons` turns the fit into one sentence per criterion of `why`, so a
reviewer reads the points and the reason side by side. Only vocabulary ids, time
zone names and numbers appear: nothing that is not in the participant table already.
"""

from __future__ import annotations

from ..model import PairFit
from .scoring import DAY_START, WORKDAY_MINUTES, Criteria, Features, hours


def _and(items: list[str] | tuple[str, ...], word: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def _clock(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def shared_window(a: int | None, b: int | None) -> tuple[int, int] | None:
    """(start in UTC minutes of the day, length in minutes) of the working hours two people at UTC offsets `a`
    and `b` share, or None when an offset is unknown. The length is 0 when their working days do not meet."""
    if a is None or b is None:
        return None
    sa, sb = DAY_START - a, DAY_START - b  # each working day in UTC minutes
    best = (sa, 0)
    for shift in (-1440, 0, 1440):
        start, end = max(sa, sb + shift), min(sa, sb + shift) + WORKDAY_MINUTES
        if end - start > best[1]:
            best = (start, end - start)
    return best[0] % 1440, best[1]


def _skills(c: Criteria, a: Features, b: Features) -> tuple[list[str], dict[str, str], list[str]]:
    offered = {s for s, h in b.credit.items() if h == 2}
    exact, related, missing = [], {}, []
    for s in a.sought:
        if s in offered:
            exact.append(s)
        elif s in b.credit:
            related[s] = min(r for r in c.related.get(s, ()) if r in offered)
        else:
            missing.append(s)
    return exact, related, missing


def _meet(c: Criteria, a: Features, b: Features) -> list[str]:
    out = []
    if a.mode != "in-person" and b.mode != "in-person":
        out.append("virtual")
    if c.can_meet("in-person", a.location, "in-person", b.location) and "virtual" not in (a.mode, b.mode):
        out.append(f"in-person at {a.location}")
    return out


def pair_fit(c: Criteria, a: Features, b: Features) -> PairFit:
    """What mentee `a` and mentor `b` share (for peers: both ways round for skills)."""
    exact, related, missing = _skills(c, a, b)
    if c.symmetric:  # peers teach each other: what b seeks and a offers counts too
        back = _skills(c, b, a)
        exact = sorted(set(exact) | set(back[0]))
        related = dict(sorted({**back[1], **related}.items()))
        missing = sorted((set(missing) | set(back[2])) - set(exact) - set(related))
    window = shared_window(a.offset, b.offset)
    return PairFit(
        skills=exact, related_skills=related, missing_skills=missing,
        goals=sorted(a.goals & b.goals), interests=sorted(a.interests & b.interests),
        communication_style=sorted(a.styles & b.styles),
        languages=[x for x in a.languages if x in b.languages], level_gap=c.level_gap(a, b),
        shared_hours=None if window is None else window[1] / 60,
        shared_hours_utc=None if not window or not window[1] else f"{_clock(window[0])}-{_clock(sum(window))}",
        meet=_meet(c, a, b))


def _skills_words(fit: PairFit, a: Features) -> str:
    if not a.sought and not fit.skills and not fit.related_skills:
        return "the mentee seeks no particular skill"
    bits = []
    if fit.skills:
        bits.append("offers " + _and(fit.skills))
    bits += [f"{s} through the related skill {r}" for s, r in fit.related_skills.items()]
    if not bits:
        return "offers none of the sought skills (" + _and(fit.missing_skills, "or") + "), nor a related one"
    if fit.missing_skills:
        bits.append("not " + _and(fit.missing_skills, "or"))
    return "; ".join(bits)


def _shared_words(items: list[str], mine: frozenset[str], verb: str, what: str) -> str:
    if items:
        return f"both {verb} {_and(items)}"
    return f"the mentee named no {what}" if not mine else f"no shared {what.rstrip('s')}"


def _zone_words(fit: PairFit, a: Features, b: Features) -> str:
    zones = a.time_zone if a.time_zone == b.time_zone else f"{a.time_zone} and {b.time_zone}"
    if fit.shared_hours is None:
        return f"unknown time zone ({zones})"
    if fit.shared_hours * 60 >= WORKDAY_MINUTES:
        return f"the whole working day in common ({zones})"
    if not fit.shared_hours:
        return f"no working hours in common ({zones})"
    return (f"{hours(fit.shared_hours * 60)} of {hours(WORKDAY_MINUTES)} working hours shared ({zones}; "
            f"{fit.shared_hours_utc} UTC)")


def pair_reasons(c: Criteria, fit: PairFit, a: Features, b: Features, criteria: list[str]) -> dict[str, str]:
    """One sentence for each criterion in `criteria` (the keys of the pair's `why`), in that order."""
    g = c.gap
    words = {
        "skills": lambda: _skills_words(fit, a),
        "goals": lambda: _shared_words(fit.goals, a.goals, "want", "goals"),
        "interests": lambda: _shared_words(fit.interests, a.interests, "enjoy", "interests"),
        "communication_style": lambda: _shared_words(fit.communication_style, a.styles, "prefer",
                                                     "communication styles"),
        "department": lambda: (f"same department ({a.department})" if a.department == b.department
                               else f"different departments ({a.department}, {b.department})"),
        "level": lambda: f"level gap {fit.level_gap} (ideal {g.ideal}, allowed {g.min} to {g.max})",
        "time_zone": lambda: _zone_words(fit, a, b),
        "language": lambda: ("both speak " + _and(fit.languages)) if fit.languages else "no shared language",
        "meeting_mode": lambda: ("can meet " + _and([m.replace("virtual", "virtually").replace("in-person", "in person")
                                                     for m in fit.meet], "or")
                                 if fit.meet else "no way of meeting that both accept"),
    }
    return {name: words[name]() for name in criteria if name in words}
