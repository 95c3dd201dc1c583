"""The fairness report of a proposal: exact figures on a skewed population, suppression as on the results page,
the warning setting, and the report in the pull-request comment and the review packet (demo and skewed)."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from matching_helpers import person, program, workspace
from mentorkit.ci import text as ci_text
from mentorkit.cli import main
from mentorkit.metrics.breakdowns import DIMENSIONS
from mentorkit.metrics.fairness import OTHER_REASON, fairness_report, reason_label
from mentorkit.metrics.fairness_text import fairness_markdown, rows
from mentorkit.metrics.suppression import counts_protected
from mentorkit.model import PairStatus, Proposal, ProposedPair, Unmatched
from mentorkit.repo.load import load_workspace

ROOT = Path(__file__).resolve().parents[1]
RULES = "no mentor fits the program rules: of 3 mentors, 3 are outside the career-stage window (level gap 1 to 4)"
FULL = "all 2 mentors who fit are fully booked"


def skewed(*, with_pnts=True, points=10.0):
    """Women matched half as often as men, with other scores; two groups of three people.

    woman: 20 mentees, 10 matched (score 50, mentor in sales), 10 where no mentor fits the rules
    man: 20 mentees, all matched (score 80, mentor in eng)
    non-binary: 3 mentees, 1 matched (score 60, mentor in sales), 2 where every mentor who fits is full
    prefer-not-to-say (with_pnts): 3 mentees, all matched (score 70, mentor in eng)
    Every mentee is in eng at level 3; no age band or under-represented answer.
    """
    people, pairs, unmatched = [], [], []
    n = 0

    def mentee(gender, outcome, score=0.0, mentor_dept="eng"):
        nonlocal n
        n += 1
        m = replace(person(n), gender=gender)
        people.append(m)
        if outcome in (RULES, FULL):
            unmatched.append(Unmatched(mentee=m.pseudonym, reason=outcome))
        else:
            mentor = person(1000 + n, "mentor", department=mentor_dept)
            people.append(mentor)
            pairs.append(ProposedPair(mentee=m.pseudonym, mentor=mentor.pseudonym, score=score))

    for i in range(20):
        mentee("woman", "pair" if i < 10 else RULES, 50, "sales")
    for _ in range(20):
        mentee("man", "pair", 80)
    mentee("non-binary", "pair", 60, "sales")
    mentee("non-binary", FULL)
    mentee("non-binary", FULL)
    if with_pnts:
        for _ in range(3):
            mentee("prefer-not-to-say", "pair", 70)
    proposal = Proposal(program="pilot", format="one-to-one", pairs=pairs, unmatched=unmatched)
    ws = workspace(people, {"pilot": program(fairness_warning_points=points)}, {"pilot": proposal})
    return ws, proposal


def groups(report, dim):
    return {g.group: g for d in report.dimensions if d.dimension == dim for g in d.groups}


def test_exact_figures_of_a_skewed_proposal():
    ws, proposal = skewed()
    r = fairness_report(ws, "pilot", proposal)
    assert r.overall.mentees.value == 46
    assert r.overall.match_rate.value == pytest.approx(34 / 46)
    assert r.overall.mean_score.value == pytest.approx((10 * 50 + 20 * 80 + 60 + 3 * 70) / 34)
    assert r.overall.cross_department.value == pytest.approx(11 / 34)
    assert dict((k, c.value) for k, c in r.overall.unmatched) == {
        "no mentor fits the rules": 10, "every mentor who fits is full": 2}
    g = groups(r, "gender")
    assert list(g) == ["woman", "man", "non-binary", "prefer-not-to-say"]
    assert (g["woman"].mentees.value, g["woman"].match_rate.value, g["woman"].mean_score.value,
            g["woman"].cross_department.value) == (20, 0.5, 50.0, 1.0)
    assert (g["man"].mentees.value, g["man"].match_rate.value, g["man"].mean_score.value,
            g["man"].cross_department.value) == (20, 1.0, 80.0, 0.0)
    assert dict(g["woman"].unmatched)["no mentor fits the rules"].value == 10
    # the groups of three are hidden whole, their reasons with them
    for small in ("non-binary", "prefer-not-to-say"):
        cells = [g[small].mentees, g[small].match_rate, g[small].mean_score, g[small].cross_department,
                 *(c for _, c in g[small].unmatched)]
        assert all(c.value is None and c.hidden for c in cells)
    # the two non-binary mentees left because mentors were full are the only ones of that reason: the column
    # of that reason is hidden for every group, or the overall 2 minus the shown zeros would point at them
    assert all(dict(x.unmatched)["every mentor who fits is full"].hidden for x in g.values())
    # no age band or under-represented answers, one department and one level: those dimensions are left out
    assert [d.dimension for d in r.dimensions] == ["gender"]


def test_a_gap_beyond_the_setting_is_a_warning_and_only_then():
    ws, proposal = skewed(points=10)
    r = fairness_report(ws, "pilot", proposal)
    assert [(w.dimension, w.group) for w in r.warnings] == [("Gender (self-reported)", "Woman")]
    assert r.warnings[0].points == pytest.approx((34 / 46 - 0.5) * 100)  # 23.9 points
    md = fairness_markdown(r)
    assert "> [!WARNING]" in md
    assert "Gender (self-reported), Woman: 50% matched, 24 points below the overall 73.9%" in md
    assert not fairness_report(skewed(points=24)[0], "pilot", proposal).warnings  # 23.9 points is within 24
    assert fairness_report(skewed(points=23.8)[0], "pilot", proposal).warnings
    off = fairness_report(skewed(points=None)[0], "pilot", proposal)
    assert not off.warnings and "`matching.fairness_warning_points` is empty" in fairness_markdown(off)


def test_a_small_group_and_its_complement_are_hidden_and_a_hidden_gap_is_not_warned_about():
    # Without the three "prefer not to say" mentees, non-binary (3) is the only small group: 46 - 3 - 20 - 20
    # would give it back, so the smallest other group (woman, 20: first on ties) is hidden too.
    ws, proposal = skewed(with_pnts=False)
    r = fairness_report(ws, "pilot", proposal)
    g = groups(r, "gender")
    assert g["non-binary"].mentees.hidden == "primary"
    assert g["woman"].mentees.hidden == "secondary"
    assert g["man"].mentees.value == 20 and g["man"].match_rate.value == 1.0
    assert g["woman"].match_rate.value is None and g["woman"].mean_score.value is None
    assert r.overall.mentees.value == 43 and r.overall.match_rate.value == pytest.approx(31 / 43)
    assert not r.warnings  # the women's gap is real but hidden: a warning would publish it
    table = fairness_markdown(r)
    assert "| Gender (self-reported): Woman | hidden | hidden | hidden |" in table


def test_every_group_shown_on_the_demo_is_large_enough_and_hidden_counts_cannot_be_worked_out():
    ws = load_workspace(ROOT)
    seen = 0
    for pid, proposal in sorted(ws.proposals.items()):
        r = fairness_report(ws, pid, proposal)
        k = r.min_group_size
        current = [p for p in proposal.pairs if p.status != PairStatus.ENDED]
        matched = {p.mentee for p in current} | ({p.mentor for p in current} if proposal.format == "peer" else set())
        mentees = matched | {u.mentee for u in proposal.unmatched}
        assert r.overall.mentees.value == len(mentees)
        assert r.overall.match_rate.value == pytest.approx(len(matched) / len(mentees))
        for d in r.dimensions:
            assert d.dimension in DIMENSIONS
            values = [sum(1 for m in mentees if (getattr(ws.participants[m], d.dimension) or "not-given")
                          == (g.group if d.dimension != "level" else int(g.group)) or
                          (g.group == "not-given" and getattr(ws.participants[m], d.dimension) in (None, "")))
                      for g in d.groups]
            assert sum(values) == len(mentees)
            hidden = [g.mentees.hidden for g in d.groups]
            # protected, or a column too small to protect hidden whole (zeros too: then nothing is known non-zero)
            assert counts_protected(values, hidden, k) or all(hidden)
            for g, v in zip(d.groups, values, strict=True):
                if g.mentees.value is not None:
                    seen += 1
                    assert g.mentees.value == v >= k
                if g.match_rate.value is not None:
                    assert g.mentees.value is not None
    assert seen >= 20  # grow's 51 mentees show most departments, levels and age bands


def test_every_reason_the_demo_gives_has_a_category():
    ws = load_workspace(ROOT)
    reasons = [u.reason for p in ws.proposals.values() for u in p.unmatched]
    assert reasons and all(reason_label(x) != OTHER_REASON for x in reasons)
    assert reason_label("every team that fits is full") == "every mentor who fits is full"
    assert reason_label("something new") == OTHER_REASON


def test_the_comment_carries_the_report_of_each_changed_program():
    ws, _ = skewed()
    body = ci_text.comment({"pilot": "1 pair added."}, ws=ws)
    assert body.index("### `pilot`") < body.index("#### Fairness by group") < body.index("</details>")
    assert "Woman: 50% matched, 24 points below" in body
    assert "| All mentees | 46 | 73.9% | 69.7 | 32.4% | 10 no mentor fits the rules; 2 every mentor who fits is full |" \
        in body
    assert "Fairness" not in ci_text.comment({"pilot": None}, ws=ws)  # unchanged proposal: no report


@pytest.mark.slow
def test_mentorkit_ci_comment_on_the_demo_shows_the_report(tmp_path):
    base = tmp_path / "base"  # the base branch before grow had a proposal
    shutil.copytree(ROOT, base, ignore=shutil.ignore_patterns(".*", "node_modules", "site", "scripts", "tests", "bench"))
    (base / "participants" / "matches" / "grow.yaml").unlink()
    result = CliRunner().invoke(main, ["ci", "comment", "--root", str(ROOT), "--base", str(base)])
    assert result.exit_code == 0, result.output
    assert result.output.count("#### Fairness by group") == 1  # only the changed proposal
    assert "| All mentees | 51 | 100% |" in result.output  # grow: every mentee matched
    assert "| Department: Engineering | 12 | 100% |" in result.output


def test_rows_read_the_same_in_any_reader():
    ws, proposal = skewed()
    r = fairness_report(ws, "pilot", proposal)
    table = rows(r)
    assert table[0][:5] == ["All mentees", "46", "73.9%", "69.7", "32.4%"]
    woman = next(x for x in table if x[0] == "Gender (self-reported): Woman")
    assert woman == ["Gender (self-reported): Woman", "20", "50%", "50.0", "100%", "10 no mentor fits the rules"]
    man = next(x for x in table if x[0] == "Gender (self-reported): Man")
    assert man[-1] == "–"  # all matched: the hidden reason column holds nothing of theirs


class NoNames:
    """A roster that knows nobody: the packet then shows pseudonyms (the fairness section has none anyway)."""

    def name(self, code):
        return code


def test_the_review_packet_has_the_same_report():
    from mentorkit.coordinator.review import review_html

    ws, proposal = skewed()
    page, _ = review_html(ws, "pilot", proposal, NoNames())
    section = page[page.index('<h2 id="fairness">'):page.index("not in the private roster")]
    assert '<div class="warning"><p>1 group is matched more than 10 points less often' in section
    assert "<li>Gender (self-reported), Woman: 50% matched, 24 points below the overall 73.9%</li>" in section
    assert ('<th scope="row">Gender (self-reported): Woman</th><td class="number">20</td><td class="number">50%</td>'
            '<td class="number">50.0</td><td class="number">100%</td><td>10 no mentor fits the rules</td>') in section
    assert '<th scope="row">Gender (self-reported): Non-binary</th><td class="number">hidden</td>' in section
    assert "mk-" not in section  # groups only


def test_in_a_peer_program_a_pair_counts_for_both_people():
    people = [replace(person(n, "both", department="eng" if n <= 3 else "sales"), gender="woman" if n % 2 else "man")
              for n in range(1, 13)]
    pairs = [ProposedPair(mentee=people[i].pseudonym, mentor=people[i + 6].pseudonym, score=40 + i) for i in range(5)]
    unmatched = [Unmatched(mentee=people[5].pseudonym, reason="no eligible peer: the program has no peers"),
                 Unmatched(mentee=people[11].pseudonym, reason=FULL)]
    proposal = Proposal(program="pilot", format="peer", pairs=pairs, unmatched=unmatched)
    ws = workspace(people, {"pilot": program("peer")}, {"pilot": proposal})
    r = fairness_report(ws, "pilot", proposal)
    assert r.overall.mentees.value == 12 and r.overall.match_rate.value == pytest.approx(10 / 12)
    assert r.overall.mean_score.value == pytest.approx(sum(40 + i for i in range(5)) * 2 / 10)
    assert r.overall.cross_department.value == pytest.approx(6 / 10)  # pairs 0-2 cross (eng-sales), 3-4 do not
    assert dict((k, c.value) for k, c in r.overall.unmatched) == {
        "no mentor in the program": 1, "every mentor who fits is full": 1}


def test_the_onboarding_agenda_renders_for_every_demo_program_and_the_starter_has_the_same_pieces():
    import datetime as dt

    from mentorkit.model import Milestone
    from mentorkit.site.pages import agenda_page
    from mentorkit.site.values import AgendaUse

    ws = load_workspace(ROOT)
    agenda = ws.agendas["onboarding-conversation"]
    for pid, p in sorted(ws.programs.items()):
        day = p.timeline.start + dt.timedelta(days=1)
        use = AgendaUse(agenda, milestones=[Milestone(id="onboarding", title="Onboarding conversations",
                                                      kind="other", date=day, agenda="onboarding-conversation")])
        page, problems = agenda_page(ws, pid, "onboarding-conversation", use)
        assert not problems, problems
        assert "{{" not in page and p.purpose.split()[0] in page and "30 minutes" in page
    starter = ROOT / "scripts" / "mentorkit" / "starter"
    for rel in ("agendas/onboarding-conversation.md", "docs/handbooks/manager.md", "docs/handbooks/colleagues.md"):
        kit = (ROOT / rel).read_text(encoding="utf-8")
        assert (starter / rel).read_text(encoding="utf-8") == kit, rel
    for handbook in (ROOT / "docs/handbooks/coordinator.md", starter / "docs/handbooks/coordinator.md"):
        text = handbook.read_text(encoding="utf-8")
        assert "Warning signs" in text and "no recent check-in" in text and "low relationship health" in text


def test_the_reminder_points_to_the_warning_signs():
    import datetime as dt

    _, body = ci_text.reminder(load_workspace(ROOT), dt.date(2026, 6, 1))
    needs = body.split("## Pairs needing attention")[1]
    assert "| Program | Mentee | Mentor | Why |" in needs  # the demo has pairs needing attention then
    assert "The coordinator handbook's **Warning signs** checklist says what to look for" in needs
