"""`mentorkit skills`: supply and demand per skill from the sign-ups, on skewed sign-ups and on the demo."""

import re
from pathlib import Path

from click.testing import CliRunner

from matching_helpers import person, workspace
from mentorkit.cli import main
from mentorkit.metrics.skills_audit import skills_audit
from mentorkit.metrics.skills_text import skills_markdown
from mentorkit.repo.load import load_workspace

ROOT = Path(__file__).resolve().parents[1]


def skewed():
    """Eight mentees want python and two mentors offer it; design is sought and offered by no one (nor a related
    skill); finance is offered by no one but its related skill strategy is; one person offers only what they seek
    themselves; one mentor offers hiring, which no one seeks (nor its related coaching)."""
    people = [person(n, sought=("python",)) for n in range(1, 9)]
    people += [person(9, sought=("design",)), person(10, sought=("design",)), person(11, sought=("finance",))]
    people.append(person(12, "both", sought=("writing",), offered=("writing",), capacity=1))
    people += [person(20, "mentor", offered=("python",), capacity=2), person(21, "mentor", offered=("python",), capacity=2),
               person(22, "mentor", offered=("strategy",), capacity=1), person(23, "mentor", offered=("hiring",), capacity=3)]
    return workspace(people)


def test_the_figures_of_skewed_sign_ups():
    a = skills_audit(skewed(), "pilot")
    assert (a.mentees, a.mentors, a.places) == (12, 5, 9)
    rows = {s.skill: (len(s.sought_by), len(s.offered_by), s.places, s.shortfall) for s in a.skills}
    assert list(rows) == ["python", "writing", "finance", "design", "hiring", "strategy"]  # the vocabulary's order
    assert rows == {"python": (8, 2, 4, 4), "writing": (1, 1, 1, 0), "finance": (1, 0, 0, 1), "design": (2, 0, 0, 2),
                    "hiring": (0, 1, 3, 0), "strategy": (0, 1, 1, 0)}
    assert [s.skill for s in a.gaps] == ["finance", "design"]
    assert [s.skill for s in a.short] == ["python"]
    assert next(s for s in a.skills if s.skill == "finance").related_by == ("mk-00000016",)  # person 22
    assert [(u.mentee, u.why) for u in a.unserved] == [
        ("mk-00000009", "seeks design: no mentor in the program offers it, nor a related skill"),
        ("mk-0000000a", "seeks design: no mentor in the program offers it, nor a related skill"),
        ("mk-0000000c", "seeks writing: they offer it themselves, and no other mentor does (nor a related skill)")]
    assert [(m.mentor, m.offered, m.places) for m in a.unsought] == [("mk-00000017", ("hiring",), 3)]


def test_the_shareable_page_bands_small_numbers_and_names_nobody():
    page = skills_markdown(skills_audit(skewed(), "pilot"))
    assert "mk-" not in page
    assert "| python | 8 | fewer than 5 | hidden |" in page  # 2 mentors: their places would tell their capacities
    assert "| hiring | 0 | fewer than 5 | hidden |" in page
    assert "**fewer than 5 mentees** have no mentor who offers any skill they seek" in page
    assert "- **design**: sought by fewer than 5 mentees, offered by no mentor. Recruit mentors who offer it." in page
    assert ("- **finance**: sought by fewer than 5 mentees, offered by no mentor; fewer than 5 mentors offer a related "
            "skill, a partial match.") in page
    assert ("- **python**: sought by 8 mentees, offered by fewer than 5 mentors, with fewer places than mentees. "
            "Find more places") in page
    assert "From the sign-ups of `pilot`: 12 mentees and 5 mentors with 9 places." in page
    assert "fewer than 5 mentors offer only skills no mentee seeks" in page
    for cell in re.findall(r"\| (\d+) ", page):  # every exact number of people is 0 or at least min_group_size
        assert int(cell) == 0 or int(cell) >= 5


def test_the_coordinators_page_is_exact_and_lists_people():
    page = skills_markdown(skills_audit(skewed(), "pilot"), pseudonyms=True)
    assert page.startswith("# Skills supply and demand: Pilot\n\n> [!WARNING]")
    assert "| python | 8 | 2 | 4 |" in page
    assert "Find at least 4 more places" in page
    assert "| `mk-00000009` | design | seeks design: no mentor in the program offers it, nor a related skill |" in page
    assert "| `mk-00000017` | hiring | 3 |" in page


def test_a_balanced_program_needs_no_recruiting_and_a_related_skill_serves_but_is_still_a_gap():
    balanced = workspace([person(1, sought=("python",)), person(2, "mentor", offered=("python",))])
    page = skills_markdown(skills_audit(balanced, "pilot"), pseudonyms=True)
    assert "Every skill a mentee seeks is offered, with places for everyone who seeks it." in page
    related = workspace([person(1, sought=("python",)), person(2, "mentor", offered=("sql",))])
    a = skills_audit(related, "pilot")
    assert not a.unserved and [s.skill for s in a.gaps] == ["python"]  # served for half the points; recruit anyway


def test_mentorkit_skills_on_the_demo():
    ws = load_workspace(ROOT)
    grow = [p for p in ws.members("grow") if p.can_be_mentee]
    data = sum(1 for p in grow if "data-analysis" in p.skills_sought)
    result = CliRunner().invoke(main, ["skills", "grow", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert data >= 5 and f"| Data analysis | {data} |" in result.output
    assert "mk-" not in result.output
    assert "**Product discovery**" in result.output  # sought in grow, offered by no mentor of grow
    assert not [p for p in ws.members("grow") if p.can_mentor and "product-discovery" in p.skills_offered]
    every = CliRunner().invoke(main, ["skills", "--root", str(ROOT)])
    assert every.output.count("# Skills supply and demand: ") == len(ws.programs)
    private = CliRunner().invoke(main, ["skills", "grow", "--pseudonyms", "--root", str(ROOT)])
    assert "## Mentees no mentor can serve" in private.output
    unknown = CliRunner().invoke(main, ["skills", "nope", "--root", str(ROOT)])
    assert unknown.exit_code == 1 and "there is no program 'nope'" in unknown.output
