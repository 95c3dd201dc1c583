"""`mentorkit review`: the match proposal as a printable HTML packet with people's real names.

The proposal file and the pull-request comment name people by pseudonym, so a
reviewer would otherwise look each one up in the private roster by hand. This
writes ``review-<program>.html`` to a folder outside the repository (refused
inside it, like the private folder): one self-contained page (inline style, no
script, no font or image from the network) that prints well, holding

- what changed since the last approved state: the proposal's approved (and
  ended) pairs are that state, unless `base` names an earlier proposal file
  (e.g. the one on the main branch, `git show main:participants/matches/P.yaml`);
- every pair with its score, its reasons in words, what the two share and the
  mentee's next-best option;
- the mentees left unmatched, why, and what would match them; the waiting list in sign-up order;
- the mentors with places left, and the proposal's notes.

Every pseudonym in the proposal's words is replaced by the person's name from
the roster; one the roster lacks stays a pseudonym and the packet says so. All
text is HTML-escaped. The same proposal, roster and base give the same bytes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MentorkitError
from ..metrics import fairness_text
from ..metrics.fairness import fairness_report
from ..model import PSEUDONYM_BARE, PairStatus, Proposal, ProposedPair, Workspace
from ..proposals.diff import ProposalDiff, diff_proposals
from ..repo.atomic import write_atomic
from ..repo.layout import proposal_file
from ..repo.load import load_workspace
from ..repo.proposal_files import read_proposal
from ..text.counts import counted
from ..text.dates import weekday_day_month_year
from .messages import mentoring_only, waiting_list
from .people import LANGUAGES, Roster
from .plain import guarantee_in_words
from .pseudonyms import check_outside
from .report import CommandReport

PSEUDONYM = re.compile(rf"\b{PSEUDONYM_BARE}\b")
STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; color: #111; max-width: 60em; margin: 1.5em auto;
       padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #555; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 0.92em; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { border: 1px solid #777; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
thead th { background: #e8e8e8; }
td.number { text-align: right; white-space: nowrap; }
ul.reasons { margin: 0; padding-left: 1.1em; }
p.meta, .muted { color: #444; }
.warning { border-left: 4px solid #8a1c1c; padding: 0.2em 0.8em; background: #fbeeee; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


@dataclass(kw_only=True)
class ReviewReport(CommandReport):
    program: str
    path: Path
    pairs: int = 0
    unmatched: int = 0
    unused: int = 0
    changes: str = ""

    def as_text(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        lines = [f"review packet for {self.program}" + (" (dry run: nothing written)" if self.dry_run else ""),
                 f"  {verb} {self.path}",
                 f"  {counted(self.pairs, 'pair')}, {self.unmatched} unmatched, "
                 f"{counted(self.unused, 'mentor')} with places left",
                 f"  since the approved state: {self.changes}"]
        lines.extend(self.problem_lines("  ", "problem: "))
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "dry_run": self.dry_run, "ok": self.ok, "path": str(self.path),
                "pairs": self.pairs, "unmatched": self.unmatched, "unused": self.unused, "changes": self.changes,
                "problems": [p.to_dict() for p in self.problems], "notes": list(self.notes)}


def approved_state(proposal: Proposal) -> Proposal:
    """The proposal as last approved: its approved and ended pairs only."""
    kept = [p for p in proposal.pairs if PairStatus(p.status) != PairStatus.PROPOSED]
    return proposal.model_copy(update={"pairs": kept, "unmatched": [], "summary": {}})


# --- words -----------------------------------------------------------------------------------------


class _Names:
    """Pseudonyms to names (HTML-escaped), remembering which ones the roster lacked."""

    def __init__(self, roster: Roster):
        self.roster = roster
        self.missing: set[str] = set()

    def __call__(self, code: str) -> str:
        name = self.roster.name(code)
        if name == code:
            self.missing.add(code)
        return html.escape(name)

    def text(self, value: object) -> str:
        """Any value the proposal holds, in words, escaped, its pseudonyms named."""
        return PSEUDONYM.sub(lambda m: self(m.group(0)), html.escape(words(value)))


def words(value: object) -> str:
    """A proposal value as text: lists joined, mappings as "key: value", numbers without trailing zeros."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {words(v)}" for k, v in value.items() if words(v))
    if isinstance(value, (list, tuple, set)):
        return ", ".join(words(v) for v in value if words(v))
    return str(value)


TERM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VOCABULARY_OF = {"skills": "skills", "goals": "goals", "interests": "interests", "department": "departments",
                 "communication_style": "communication_styles"}  # a reason's criterion -> the ids it names
NOT_TERMS = frozenset({"no", "and", "or", "both", "want", "offers", "offer", "through", "the", "related", "skill",
                       "skills", "shared", "share", "interest", "interests", "same", "different", "department",
                       "departments", "goal", "goals", "style", "styles", "speak"})


class _Labels:
    """A reason's vocabulary ids and language codes as the labels people read ("customer-support" -> "Customer
    support", "both speak en and de" -> "both speak English and German"), and a criterion's points out of its
    weight."""

    def __init__(self, ws: Workspace, program_id: str):
        self.weights = ws.program(program_id).matching.weights
        vocabulary = ws.vocabulary
        self.terms = {key: {t.id: t.label for t in (getattr(vocabulary, kind, None) or [])} if vocabulary else {}
                      for key, kind in VOCABULARY_OF.items()}
        self.terms["language"] = LANGUAGES

    def __call__(self, criterion: str, text: str) -> str:
        labels = self.terms.get(criterion)
        if not labels:
            return text
        if criterion == "language":  # only the codes after "speak": "no shared language" stays as it is
            return re.sub(r"(speak )(.*)", lambda m: m.group(1) + TERM.sub(
                lambda t: labels.get(t.group(0), t.group(0)) if t.group(0) not in ("and", "or") else t.group(0),
                m.group(2)), text)
        return TERM.sub(lambda t: t.group(0) if t.group(0) in NOT_TERMS else labels.get(t.group(0), t.group(0)), text)

    def listed(self, criterion: str, value: object) -> str:
        """A list of ids (or any value) in words, each id as its label."""
        labels = self.terms.get(criterion, {})
        if isinstance(value, (list, tuple)):
            return ", ".join(labels.get(str(v), words(v)) for v in value if words(v))
        return words(value)

    def points(self, criterion: str, value: float) -> str:
        weight = getattr(self.weights, criterion, None)
        return f"{value:g} of {weight:g} points" if isinstance(weight, (int, float)) else f"{value:g} points"


def _reasons(pair: ProposedPair, text: Callable[[object], str], labels: _Labels) -> str:
    """The pair's reasons as a list: `reasons` in words when the proposal has them, else the points of `why`."""
    reasons = getattr(pair, "reasons", None)
    items: list[str] = []
    if isinstance(reasons, dict) and reasons:
        items = [f"<strong>{html.escape(str(k).replace('_', ' '))}</strong> "
                 f"({labels.points(k, pair.why.get(k, 0))}): {text(labels(k, words(v)))}"
                 if isinstance(pair.why, dict) and k in pair.why
                 else f"<strong>{html.escape(str(k).replace('_', ' '))}</strong>: {text(labels(k, words(v)))}"
                 for k, v in reasons.items()]
    elif isinstance(reasons, (list, tuple)) and reasons:
        items = [text(r) for r in reasons]
    elif isinstance(pair.why, dict):
        items = [f"{html.escape(str(k).replace('_', ' '))}: {labels.points(k, v)}" for k, v in pair.why.items()
                 if isinstance(v, (int, float)) and v]
    elif isinstance(pair.why, (list, tuple)):
        items = [text(r) for r in pair.why]
    return '<ul class="reasons">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


FIT_CRITERION = {"skills": "skills", "goals": "goals", "interests": "interests", "languages": "language",
                 "communication_style": "communication_style"}  # a `fit` entry -> the criterion whose ids it lists


def _fit(pair: ProposedPair, text: Callable[[object], str], labels: _Labels) -> str:
    fit = getattr(pair, "fit", None)
    if fit is None:
        return ""
    data = fit.model_dump() if hasattr(fit, "model_dump") else dict(fit)
    items = [f"{html.escape(k.replace('_', ' '))}: {text(labels.listed(FIT_CRITERION.get(k, k), v))}"
             for k, v in data.items() if words(v)]
    return '<ul class="reasons">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""


def _table(caption: str, header: list[str], rows: list[list[str]], numbers: frozenset[int] = frozenset()) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = []
    for row in rows:
        cells = [f'<th scope="row">{row[0]}</th>']
        cells += [f'<td class="number">{c}</td>' if i in numbers else f"<td>{c}</td>"
                  for i, c in enumerate(row[1:], start=1)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table>\n<caption>{html.escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(body) + "\n</tbody>\n</table>")


# --- the sections ----------------------------------------------------------------------------------


def _changes(d: ProposalDiff, name: _Names, base_label: str) -> list[str]:
    out = ["<h2 id=\"changes\">What changed since the last approved state</h2>",
           f"<p class=\"meta\">Compared with {html.escape(base_label)}. {html.escape(d.headline())}</p>"]
    rows: list[list[str]] = []
    for c in d.added:
        rows.append([name(c.mentee), "added", f"with {name(c.mentor)} ({c.new_status}, score {words(c.new_score)})"])
    for c in d.removed:
        rows.append([name(c.mentee), "removed", f"no longer with {name(c.mentor)}"])
    for r in d.reassigned:
        rows.append([name(r.mentee), "reassigned", f"{', '.join(name(m) for m in r.old_mentors)} → "
                     f"{', '.join(name(m) for m in r.new_mentors)} (score {words(r.old_score)} → "
                     f"{words(r.new_score)})"])
    for c in d.changed:
        bits = []
        if c.old_status != c.new_status:
            bits.append(f"{c.old_status} → {c.new_status}")
        if c.move:
            bits.append(f"score {words(c.old_score)} → {words(c.new_score)}")
        rows.append([name(c.mentee), "changed", f"with {name(c.mentor)}: {html.escape(', '.join(bits))}"])
    for mentee, reason in d.newly_unmatched:
        rows.append([name(mentee), "without a match", name.text(reason)])
    if rows:
        out.append(_table("Changes", ["Mentee", "Change", "Detail"], rows))
    return out


def _pairs(proposal: Proposal, name: _Names, labels: _Labels) -> list[str]:
    out = ["<h2 id=\"pairs\">Pairs</h2>"]
    if not proposal.pairs:
        return [*out, "<p>The proposal has no pairs.</p>"]
    choice = any(p.rank is not None for p in proposal.pairs)
    header = ["Mentee", "Mentor", "Status", *(["Rank"] if choice else []), "Score", "Why", "What they share",
              "Next best"]
    rows = []
    for p in sorted(proposal.pairs, key=lambda p: (name(p.mentee), p.rank or 0, name(p.mentor))):
        team = getattr(p, "team", None)
        mentor = name(p.mentor) + (f" <span class=\"muted\">(team {html.escape(team)})</span>" if team else "")
        rows.append([name(p.mentee), mentor, html.escape(PairStatus(p.status).value),
                     *([words(p.rank)] if choice else []), f"{p.score:g}", _reasons(p, name.text, labels),
                     _fit(p, name.text, labels), name.text(p.next_best)])
    score_col = 4 if choice else 3
    return [*out, _table(f"{len(proposal.pairs)} pairs", header, rows, frozenset({score_col}))]


def _unmatched(ws: Workspace, proposal: Proposal, name: _Names, mentoring: dict[str, list[str]],
               queue: list[str]) -> list[str]:
    out = ["<h2 id=\"unmatched\">Mentees without a match</h2>"]
    if not proposal.unmatched and not mentoring:
        return [*out, "<p>Everyone who asked for a mentor has one in this proposal.</p>"]
    rows = [[name(u.mentee), name.text(u.reason), name.text(getattr(u, "would_match", None)) or "–"]
            for u in sorted(proposal.unmatched, key=lambda u: name(u.mentee))]
    rows += sorted([[name(code), f"signed up as both mentor and mentee; mentors {', '.join(map(name, mentees))} "
                     "in this proposal and has no mentor", "a mentor with a place left who fits them"]
                    for code, mentees in mentoring.items()])
    out.append(_table(f"{len(rows)} unmatched", ["Mentee", "Why", "What would match them"], rows))
    if mentoring:
        out.append("<p>The `not-matched` e-mails tell each of them why and what happens next.</p>")
    if queue:
        out.append('<h3 id="waiting-list">Waiting list</h3>')
        out.append("<p>Left out only because the mentors who fit them are full, in the order they signed up "
                   "(their not-matched e-mails tell each their place):</p>")
        out.append("<ol>" + "".join(f"<li>{name(code)}{_joined(ws, code)}</li>" for code in queue) + "</ol>")
    return out


def _joined(ws: Workspace, code: str) -> str:
    person = ws.participants.get(code)
    return f", signed up {html.escape(weekday_day_month_year(person.joined))}" if person is not None and person.joined else ""


def _unused(ws: Workspace, program_id: str, proposal: Proposal, name: _Names) -> tuple[list[str], int]:
    out = ["<h2 id=\"unused\">Mentors with places left</h2>"]
    listed = getattr(proposal, "unused", None)
    if listed:
        rows = [[name(u.mentor), str(u.places), name.text(u.reason)] for u in sorted(listed, key=lambda u: name(u.mentor))]
    else:  # a proposal without the list: count places from the participants table
        taken: dict[str, int] = {}
        for p in proposal.pairs:
            if PairStatus(p.status) != PairStatus.ENDED:
                taken[p.mentor] = taken.get(p.mentor, 0) + 1
        rows = [[name(m.pseudonym), str(m.mentor_capacity - taken.get(m.pseudonym, 0)), ""]
                for m in ws.members(program_id)
                if m.can_mentor and m.mentor_capacity > taken.get(m.pseudonym, 0)]
        rows.sort(key=lambda r: r[0])
    if not rows:
        return [*out, "<p>Every mentor place is taken.</p>"], 0
    return [*out, _table(f"{len(rows)} mentors", ["Mentor", "Places left", "Why"], rows, frozenset({1}))], len(rows)


def _fairness(ws: Workspace, program_id: str, proposal: Proposal) -> list[str]:
    """The proposal's fairness report, as in the pull-request comment (groups only, no names)."""
    report = fairness_report(ws, program_id, proposal)
    out = ["<h2 id=\"fairness\">Fairness by group</h2>"]
    lead = html.escape(fairness_text.warnings_lead(report)).replace("`", "")
    if report.warnings:
        items = "".join(f"<li>{html.escape(fairness_text.warning_text(w))}</li>" for w in report.warnings)
        out.append(f"<div class=\"warning\"><p>{lead}</p><ul>{items}</ul></div>")
    else:
        out.append(f"<p>{lead}</p>")
    rows = fairness_text.rows(report)[: 1 if report.too_small else None]
    out.append(_table("Mentees by group", list(fairness_text.HEADER), [[html.escape(c) for c in r] for r in rows],
                      frozenset({1, 2, 3, 4})))
    out.append(f"<p class=\"muted\">{html.escape(fairness_text.suppression_note(report))}</p>")
    return out


def review_html(ws: Workspace, program_id: str, proposal: Proposal, roster: Roster,
                base: Proposal | None = None, base_label: str | None = None) -> tuple[str, ReviewReport]:
    """The packet's HTML and the figures for the report (its path still to be set)."""
    program = ws.program(program_id)
    name = _Names(roster)
    before = base if base is not None else approved_state(proposal)
    label = base_label or ("the pairs approved so far" if base is None else "the earlier proposal")
    d = diff_proposals(before, proposal)
    title = f"{program.title}: match proposal for review"
    summary = proposal.summary
    facts = [f"{words(summary.get(k))} {k.replace('_', ' ')}" for k in ("pairs", "approved", "matched", "unmatched")
             if words(summary.get(k))]
    guarantee = proposal.solver.get("guarantee") if isinstance(proposal.solver, dict) else None
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p class=\"meta\">Program <code>{html.escape(program_id)}</code>, format "
            f"{html.escape(proposal.format.value)}"
            + (f"; {html.escape(', '.join(facts))}" if facts else "") + ".</p>",
            "<p class=\"warning\">This packet holds people's names: keep it private, do not attach it to the "
            "pull request, and delete it after the review.</p>"]
    if guarantee:
        body.append(f"<p class=\"meta\">{html.escape(guarantee_in_words(words(guarantee)))}</p>")
    body += ['<nav aria-label="Sections"><ul><li><a href="#changes">What changed</a></li>'
             '<li><a href="#pairs">Pairs</a></li><li><a href="#unmatched">Mentees without a match</a></li>'
             '<li><a href="#unused">Mentors with places left</a></li></ul></nav>']
    body += _changes(d, name, label)
    body += _pairs(proposal, name, _Labels(ws, program_id))
    body += _unmatched(ws, proposal, name, mentoring_only(ws, program_id), waiting_list(ws, program_id))
    unused_html, unused = _unused(ws, program_id, proposal, name)
    body += unused_html
    body += _fairness(ws, program_id, proposal)
    if proposal.notes:
        body += ["<h2 id=\"notes\">Notes from the matcher</h2>", "<ul>"]
        body += [f"<li>{name.text(n)}</li>" for n in proposal.notes] + ["</ul>"]
    if name.missing:
        body.append(f"<p class=\"warning\">{len(name.missing)} pseudonym{'s are' if len(name.missing) != 1 else ' is'} "
                    "not in the private roster and shown as such: " + html.escape(", ".join(sorted(name.missing)))
                    + ". Check that --private names this program's folder.</p>")
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n</main>\n</body>\n</html>\n")
    report = ReviewReport(program=program_id, path=Path(), pairs=len(proposal.pairs),
                          unmatched=len(proposal.unmatched), unused=unused, changes=d.headline())
    if name.missing:
        report.notes.append(f"{len(name.missing)} people are not in the private roster; the packet shows their "
                            "pseudonyms")
    return page, report


def write_review(root: Path, program_id: str, private_dir: Path, out_dir: Path, *, base: Path | None = None,
                 dry_run: bool = False) -> ReviewReport:
    """Write review-<program>.html to `out_dir` (outside the repository) from the proposal and the roster."""
    root = Path(root).resolve()
    ws = load_workspace(root)
    ws.program(program_id)
    roster = Roster(private_dir, root, ws)
    out = check_outside(out_dir, root, "output folder")
    proposal = ws.proposals.get(program_id)
    if proposal is None:
        raise MentorkitError(f"there is no proposal for {program_id} yet ({proposal_file(program_id)}): "
                             f"run `mentorkit match {program_id}` first")
    earlier = read_proposal(base) if base is not None else None
    page, report = review_html(ws, program_id, proposal, roster, earlier,
                               f"the proposal in {base.name}" if base is not None else None)
    report.path = out / f"review-{program_id}.html"
    report.dry_run = dry_run
    if not dry_run:  # owner-only: it holds names
        write_atomic(report.path, page, private=True)
        report.notes.append("open the packet in a browser (or print it); it holds names, so keep it private")
    return report


__all__ = ["ReviewReport", "approved_state", "review_html", "words", "write_review"]
