"""The skills audit as a Markdown page for coordinators and sponsors (`mentorkit skills`).

Shareable by default: a number of people from 1 to min_group_size - 1 reads
"fewer than k" (zeros and larger numbers are exact), places are shown only
beside a number of mentors that is, and nobody is named. With `pseudonyms`
the page is the coordinator's own: exact numbers, and the mentees no mentor
can serve and the mentors no one seeks, by pseudonym.

Only this primary suppression applies, not the secondary suppression of the
results page's breakdowns (metrics/suppression.py): a person seeks or offers
several skills, so the rows overlap and sum to no published total from which
a hidden number could be worked out. The site's skills page (site/skills.py)
is built from the same pieces (`Counts`, `supply_table`, `recruiting_advice`).
"""

from __future__ import annotations

from ..model import Workspace
from ..text.counts import counted, plural
from ..text.markdown import code, table
from .needs_demand import AnswerCount
from .skills_audit import SkillsAudit, SkillSupply, skills_audit


class Counts:
    """How a number of people reads on the page."""

    def __init__(self, k: int, exact: bool):
        self.k, self.exact = k, exact

    def small(self, n: int) -> bool:
        return not self.exact and 0 < n < self.k

    def __call__(self, n: int, one: str = "", many: str = "") -> str:
        words = f" {one if n == 1 else many}" if one else ""
        if self.small(n):
            return f"fewer than {self.k}{' ' + many if many else ''}"
        return f"{n}{words}"


def _places(s: SkillSupply, count: Counts) -> str:
    if s.places is None:
        return "–"
    return "hidden" if count.small(len(s.offered_by)) else str(s.places)


def supply_table(audit: SkillsAudit, count: Counts, *, narrow: bool = False) -> str:
    """One row per skill someone seeks or offers: how many seek it, how many offer it, their places.

    `narrow` (the site's page, read on phones too): three columns, the places beside the mentors who offer them."""
    who = ("peers", "peers") if audit.peer else ("mentees", "mentors")
    if narrow:
        header = ["Skill", f"Sought by ({who[0]})", f"Offered by ({who[1]})"]
        rows = [[s.label, count(len(s.sought_by)), _offered(s, count)] for s in audit.skills]
        return table(header, rows)
    header = ["Skill", f"Sought by ({who[0]})", f"Offered by ({who[1]})", "Places"]
    rows = [[s.label, count(len(s.sought_by)), count(len(s.offered_by)), _places(s, count)] for s in audit.skills]
    if audit.peer:
        header, rows = header[:3], [r[:3] for r in rows]
    return table(header, rows)


def _offered(s: SkillSupply, count: Counts) -> str:
    """"8, with 16 places": the places only where the number of mentors is shown."""
    n = len(s.offered_by)
    if s.places is None or n == 0 or count.small(n):
        return count(n)
    return f"{n}, with {counted(s.places, 'place')}"


def recruiting_advice(audit: SkillsAudit, count: Counts) -> list[str]:
    """What to recruit, skill by skill, as Markdown lines."""
    out = []
    for s in audit.gaps:
        near = f"; {count(len(s.related_by), 'mentor offers', 'mentors offer')} a related skill, a partial match" \
            if s.related_by else ""
        out.append(f"- **{s.label}**: sought by {count(len(s.sought_by), 'mentee', 'mentees')}, offered by no "
                   f"mentor{near}. Recruit mentors who offer it.")
    for s in audit.short:
        if count.small(len(s.sought_by)) or count.small(len(s.offered_by)):
            more = "more places"
        else:
            more = f"at least {counted(s.shortfall, 'more place')}"
        if count.small(len(s.offered_by)):
            places = f"offered by {count(len(s.offered_by), 'mentor', 'mentors')}, with fewer places than mentees"
        else:
            places = f"{_places(s, count)} {plural(s.places or 0, 'place')} among the mentors who offer it"
        out.append(f"- **{s.label}**: sought by {count(len(s.sought_by), 'mentee', 'mentees')}, {places}. "
                   f"Find {more}: new mentors who offer it, or a second mentee for those who have room.")
    for s in audit.survey_gaps:
        out.append(f"- **{s.label}**: {count(s.wanted or 0, 'colleague wants', 'colleagues want')} to grow it (needs "
                   "survey), no sign-up seeks it yet and no mentor offers it. Recruit a mentor before the "
                   "sign-ups ask for it.")
    if audit.needs is not None:
        yes, maybe = audit.needs.mentors("yes"), audit.needs.mentors("maybe")
        if yes.count or maybe.count:
            out.append(f"- In the needs survey, {answer_text(yes, count)} said they would mentor and "
                       f"{answer_text(maybe, count)} maybe, with some support. The survey was anonymous: ask "
                       "everyone again to sign up as a mentor, naming the skills above, and offer the maybes a "
                       "mentor briefing.")
    if audit.unsought:
        out.append(f"- {count(len(audit.unsought), 'mentor offers', 'mentors offer')} only skills no mentee seeks: "
                   "ask them what else they could offer (a related skill, their goals and interests still count), "
                   "or keep them for the next cohort.")
    if not out:
        return ["Every skill a mentee seeks is offered, with places for everyone who seeks it."]
    return [*out, "", "Where to find mentors: earlier mentees of the program, the managers of the departments "
                      "short of a skill, and people who recently changed role."]


def answer_text(a: AnswerCount, count: Counts) -> str:
    """A count of one answer of the needs survey: banded when small, "hidden" when hidden to protect a small one."""
    if a.hidden and not count.exact:
        return f"fewer than {count.k}" if a.hidden == "primary" else "a hidden number"
    return str(a.count)


def _answers(answers: tuple[AnswerCount, ...], count: Counts) -> str:
    shown = [f"{a.label}: {answer_text(a, count)}" for a in answers if a.count]
    return "; ".join(shown) + "." if shown else "no answers."


def needs_section(audit: SkillsAudit, count: Counts) -> list[str]:
    """The needs survey beside the sign-ups: each skill's demand in both, and the survey's other answers."""
    needs = audit.needs
    if needs is None:
        return []
    who = "peers" if audit.peer else "mentees"
    out = ["## Demand from the staff needs survey", "",
           f"{count(needs.responses, 'colleague', 'colleagues')} answered the anonymous needs survey before "
           "sign-up. The skills they want to grow, beside the sign-ups that seek them:", ""]
    rows = [[s.label, count(s.wanted or 0), count(len(s.sought_by))] for s in audit.skills if s.wanted]
    out.append(table(["Skill", "Want to grow it (needs survey)", f"Sought at sign-up ({who})"], rows) if rows
               else "No skill was named.")
    out += ["", f"- **Would mentor:** {_answers(needs.would_mentor, count)}",
            f"- **Kinds of mentoring that would suit them:** {_answers(needs.formats, count)}",
            f"- **Time they could give:** {_answers(needs.hours, count)}",
            f"- **Career stage:** {_answers(needs.level_bands, count)}",
            f"- **Department:** {_answers(needs.departments, count)}"]
    single = (*needs.would_mentor, *needs.hours, *needs.level_bands, *needs.departments)
    if not count.exact and any(a.hidden == "secondary" for a in single):
        out += ["", "A number hidden beside small ones would let the small ones be worked out from the number "
                    "who answered, so it is hidden too."]
    return out


def _private(audit: SkillsAudit) -> list[str]:
    out = ["", "## Mentees no mentor can serve", ""]
    if audit.unserved:
        out.append(table(["Mentee", "Seeks", "Why"], ([code(u.mentee), ", ".join(u.sought), u.why]
                                                       for u in audit.unserved)))
    else:
        out.append("None: every mentee who seeks a skill has a mentor who offers it, or a related one.")
    out += ["", "## Mentors no one seeks", ""]
    if audit.unsought:
        out.append(table(["Mentor", "Offers", "Places"], ([code(m.mentor), ", ".join(m.offered) or "no skill",
                                                            str(m.places)] for m in audit.unsought)))
    else:
        out.append("None: every mentor offers a skill some mentee seeks.")
    return out


def people_phrase(audit: SkillsAudit, count: Counts) -> str:
    """Who signed up: "12 mentees and 5 mentors with 9 places" (a small number banded, its places left out)."""
    if audit.peer:
        return f"{count(audit.mentees, 'peer', 'peers')}, each mentee and mentor"
    places = "" if count.small(audit.mentors) else f" with {counted(audit.places or 0, 'place')}"
    return f"{count(audit.mentees, 'mentee', 'mentees')} and {count(audit.mentors, 'mentor', 'mentors')}{places}"


def skills_markdown(audit: SkillsAudit, *, pseudonyms: bool = False) -> str:
    """The audit of one program as a Markdown page."""
    count = Counts(audit.min_group_size, pseudonyms)
    people = people_phrase(audit, count)
    out = [f"# Skills supply and demand: {audit.title}", ""]
    if pseudonyms:
        out += ["> [!WARNING]", "> For the coordinator: this page lists people by pseudonym. Share the version "
                "without `--pseudonyms`.", ""]
    out += [f"From the sign-ups of {code(audit.program)}: {people}. Skills someone seeks or offers, in the "
            "vocabulary's order." + ("" if pseudonyms else f" Numbers from 1 to {audit.min_group_size - 1} read "
                                     f"\"fewer than {audit.min_group_size}\" (reports.min_group_size)."), ""]
    out.append(supply_table(audit, count) if audit.skills else "No one seeks or offers a skill yet.")
    out += ["", "## Skills sought and not offered", ""]
    out.append(", ".join(f"**{s.label}**" for s in audit.gaps) + "." if audit.gaps
               else "None: every skill a mentee seeks is offered by at least one mentor.")
    n = len(audit.unserved)
    out += ["", f"**{count(n, 'mentee', 'mentees')}** {'has' if n == 1 else 'have'} no mentor who offers any skill "
                "they seek, nor a related one: the matcher cannot pair them while skills are required "
                "(matching.shared_skill_required)." if n else
            "Every mentee who seeks a skill has at least one mentor who offers it, or a related one."]
    needs = needs_section(audit, count)
    out += ["", *needs] if needs else []
    out += ["", "## Recruiting mentors", "", *recruiting_advice(audit, count)]
    if pseudonyms:
        out += _private(audit)
    return "\n".join(out) + "\n"


def skills_report(ws: Workspace, program_id: str | None = None, *, pseudonyms: bool = False) -> str:
    """The page of one program, or of every program one after the other."""
    ids = [program_id] if program_id else sorted(ws.programs)
    return "\n".join(skills_markdown(skills_audit(ws, pid), pseudonyms=pseudonyms) for pid in ids)
