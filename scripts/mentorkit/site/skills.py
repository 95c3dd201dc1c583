"""The skills page of one program: which skills the sign-ups seek and offer, for coordinators and sponsors.

The audit of `mentorkit skills` (metrics/skills_audit.py), published: per
skill how many seek it, how many offer it and with how many places, the
skills sought and offered by no one, and what mentors to recruit. It is the
shareable version only: a number of people from 1 to reports.min_group_size
- 1 reads "fewer than k", places stand only beside a number of mentors that
is shown, and nobody is named (metrics/skills_text.py says why no secondary
suppression is needed). Pure function of the Workspace.
"""

from __future__ import annotations

from dataclasses import replace

from ..metrics.skills_audit import SkillsAudit, skills_audit
from ..metrics.skills_text import Counts, needs_section, people_phrase, recruiting_advice, supply_table
from ..model import Workspace
from . import text as t


def skills_uri(pid: str) -> str:
    return f"programs/{pid}/skills.md"


def _escaped(audit: SkillsAudit) -> SkillsAudit:
    """The audit with its skill labels (the vocabulary's words) as Markdown that shows them exactly."""
    needs = audit.needs
    if needs is not None:
        needs = replace(needs, departments=tuple(replace(a, label=t.plain(a.label)) for a in needs.departments))
    return replace(audit, skills=tuple(replace(s, label=t.plain(s.label)) for s in audit.skills), needs=needs)


def render_skills_page(ws: Workspace, program_id: str) -> str:
    """Markdown of the skills page."""
    program = ws.program(program_id)
    audit = _escaped(skills_audit(ws, program_id))
    count = Counts(audit.min_group_size, exact=False)
    k = audit.min_group_size
    out = [f"# Skills: {t.plain(program.title)}", ""]
    out += ['!!! info "For coordinators and sponsors"', "",
            "    Which skills the people who signed up want to learn and can teach, before they are matched: "
            "where to recruit mentors, and which mentees may wait for one. "
            f"Any number of people from 1 to {k - 1} reads \"fewer than {k}\", so that no number points to a "
            "person, and nobody is named.", ""]
    needs = needs_section(audit, count)
    if not audit.mentees and not audit.mentors:
        out += ["Nobody has signed up for this program yet: the figures appear once the sign-ups are in.", ""]
        out += [*needs, "", "## Recruiting mentors", "", *recruiting_advice(audit, count)] if needs else []
        return "\n".join(out).rstrip() + "\n"
    out += [f"Signed up: {people_phrase(audit, count)}.", ""]
    out += ["## Supply and demand per skill", ""]
    if audit.skills:
        out += ["Each skill someone seeks or offers, in the order of the program's list of skills. A person may "
                "seek or offer several skills, so the rows do not add up to the number who signed up.", "",
                supply_table(audit, count, narrow=True), ""]
    else:
        out += ["No one seeks or offers a skill yet.", ""]
    out += ["## Skills sought and not offered", ""]
    out.append(", ".join(f"**{s.label}**" for s in audit.gaps) + "." if audit.gaps
               else "None: every skill a mentee seeks is offered by at least one mentor.")
    n = len(audit.unserved)
    if n:
        out += ["", f"**{count(n, 'mentee', 'mentees')}** {'has' if n == 1 else 'have'} no mentor who offers any "
                    "skill they seek, nor a related one: they cannot be matched until such a mentor joins."]
    out += ["", *needs] if needs else []
    out += ["", "## Recruiting mentors", "", *recruiting_advice(audit, count)]
    return "\n".join(out).rstrip() + "\n"
