"""What the GitHub workflows write for people, and the few GitHub calls that deliver it.

The workflows in `.github/workflows/` only wire steps together; every decision
is made here or elsewhere in the library, behind `mentorkit ci ...` commands.

Text (pure functions of library objects: no clock, no network, no environment):

- `summary`: the job summary of the pull-request check: the validation result,
  what changed in programs and participants, the match proposals and the
  headline measures;
- `comment`: the pull-request comment about the match proposal. It starts with
  `MARKER`, so the workflow finds and edits its one comment instead of adding a
  new one on every push; a fork's pull request gets the same text in the job
  summary;
- `reminder`: the coordinator's monthly issue: next milestones and the pairs
  that need attention, by pseudonym only; no body means "close the issue";
- `proposal_pull_request`: title and body of the pull request opened when a
  coordinator runs the proposal by hand.

Proposal diffs arrive as Markdown already rendered per program (by
`mentorkit.proposals`), so this module does not depend on how diffs are built.

Delivery (kept apart so the text stays pure and testable):

- `CiContext`: what the run is about, read from the Actions environment and
  event payload;
- `GitHub`: a minimal REST client over an injectable transport (urllib by
  default; tests pass a fake, so the test suite never touches the network);
- `upsert_comment`, `upsert_issue`, `open_pull_request`, `dispatch_workflow`;
- `commit_proposals`, `push_branch`: git, with the token passed through the
  environment (never on a command line, never written to `.git/config`);
- `publish_proposal`: the propose workflow's one step with side effects.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import MentorkitError, Report
from ..metrics.attention import attention as pair_attention
from ..metrics.context import build as metrics_context
from ..model import PairStatus, Program, Proposal, Workspace

MARKER = "<!-- mentorkit:match-proposal -->"
REMINDER_MARKER = "<!-- mentorkit:reminder -->"
REMINDER_TITLE = "Mentoring reminders: what needs attention"

BOT_LOGIN = "github-actions[bot]"
BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

MATCHES_DIR = "participants/matches"
CHECK_WORKFLOW = "check.yml"

HORIZON_DAYS = 45  # the reminder runs monthly: look a little further than the next run
MAX_PROBLEMS = 50  # rows of the validation table in the job summary
MAX_NAMES = 10  # pseudonyms listed in one sentence before "and N more"
MAX_COMMENT_CHARS = 60_000  # GitHub refuses comments over 65,536 characters
MAX_SUMMARY_CHARS = 900_000  # and job summaries over 1 MiB per step

TABLE_WORDS = {
    "checkins": ("check-in", "check-ins"),
    "survey_responses": ("survey response", "survey responses"),
    "skill_ratings": ("skill rating", "skill ratings"),
    "goals": ("goal record", "goal records"),
    "outcomes": ("outcome", "outcomes"),
}


# --------------------------------------------------------------------------
# Markdown helpers
# --------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """Text safe inside a Markdown table cell (one line, no pipes, no HTML)."""
    text = " ".join(str(value).split())
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("&", "&amp;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _code(value: Any) -> str:
    text = " ".join(str(value).split()).replace("`", "'")
    return f"`{text}`"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _names(items: Iterable[str], limit: int = MAX_NAMES) -> str:
    items = list(items)
    shown = ", ".join(_code(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _date(d: dt.date) -> str:
    return f"{d.isoformat()} ({d.strftime('%a')})"


def _table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _block(markdown: str) -> str:
    return markdown.strip("\n")


def _headline(markdown: str) -> str:
    """The first paragraph of a rendered diff: its summary sentence."""
    return _block(markdown).split("\n\n", 1)[0]


def _shorten(diffs: dict[str, str], room: int, where: str) -> dict[str, str]:
    """Diffs cut to their headlines when all of them would not fit in `room` characters."""
    if sum(len(md) for md in diffs.values()) <= room:
        return diffs
    note = f"\n\n_The full list is too long for this page: see {where}._"
    return {pid: (_headline(md) + note)[: max(room // max(len(diffs), 1), 200)] for pid, md in diffs.items()}


# --------------------------------------------------------------------------
# What changed between two workspaces
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What a pull request changes in programs, agendas and participant tables (pseudonyms only)."""

    programs_added: tuple[str, ...] = ()
    programs_removed: tuple[str, ...] = ()
    programs_edited: dict[str, tuple[str, ...]] = field(default_factory=dict)  # program -> settings changed
    joined: dict[str, tuple[str, ...]] = field(default_factory=dict)  # program -> pseudonyms now enrolled
    left: dict[str, tuple[str, ...]] = field(default_factory=dict)  # program -> pseudonyms no longer enrolled
    updated: tuple[str, ...] = ()  # pseudonyms whose participant row changed otherwise
    records: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (rows added, rows removed)
    agendas_added: tuple[str, ...] = ()
    agendas_removed: tuple[str, ...] = ()
    agendas_edited: tuple[str, ...] = ()
    vocabulary_edited: bool = False
    proposals: tuple[str, ...] = ()  # programs whose match proposal file changed

    @property
    def empty(self) -> bool:
        return not any((self.programs_added, self.programs_removed, self.programs_edited, self.joined, self.left,
                        self.updated, self.records, self.agendas_added, self.agendas_removed, self.agendas_edited,
                        self.vocabulary_edited, self.proposals))


def _dump(model) -> Any:
    return model.model_dump(mode="json") if model is not None else None


def changed_proposals(old: Workspace | None, new: Workspace) -> list[str]:
    """Programs whose `participants/matches/<program>.yaml` differs (added, removed or edited), sorted."""
    before = old.proposals if old else {}
    ids = set(before) | set(new.proposals)
    return sorted(pid for pid in ids if _dump(before.get(pid)) != _dump(new.proposals.get(pid)))


def changes(old: Workspace, new: Workspace) -> Changes:
    """Compare the workspace of a pull request's base with its head."""
    added = tuple(sorted(set(new.programs) - set(old.programs)))
    removed = tuple(sorted(set(old.programs) - set(new.programs)))
    edited: dict[str, tuple[str, ...]] = {}
    for pid in sorted(set(old.programs) & set(new.programs)):
        a, b = _dump(old.programs[pid]), _dump(new.programs[pid])
        keys = tuple(k for k in Program.model_fields if a.get(k) != b.get(k))
        if keys:
            edited[pid] = keys

    def enrolment(ws: Workspace) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for p in ws.participants.values():
            for pid in p.programs:
                out.setdefault(pid, set()).add(p.pseudonym)
        return out

    before, after = enrolment(old), enrolment(new)
    joined = {pid: tuple(sorted(after.get(pid, set()) - before.get(pid, set())))
              for pid in sorted(set(before) | set(after))}
    left = {pid: tuple(sorted(before.get(pid, set()) - after.get(pid, set())))
            for pid in sorted(set(before) | set(after))}
    updated = []
    for pseudonym in sorted(set(old.participants) & set(new.participants)):
        a, b = old.participants[pseudonym], new.participants[pseudonym]
        if replace(a, programs=()) != replace(b, programs=()):  # enrolment changes are told as joined / left
            updated.append(pseudonym)

    records = {}
    for table in TABLE_WORDS:
        a, b = Counter(getattr(old, table)), Counter(getattr(new, table))
        plus, minus = sum((b - a).values()), sum((a - b).values())
        if plus or minus:
            records[table] = (plus, minus)

    agendas_edited = tuple(sorted(aid for aid in set(old.agendas) & set(new.agendas)
                                  if old.agendas[aid] != new.agendas[aid]))
    return Changes(
        programs_added=added, programs_removed=removed, programs_edited=edited,
        joined={k: v for k, v in joined.items() if v}, left={k: v for k, v in left.items() if v},
        updated=tuple(updated), records=records,
        agendas_added=tuple(sorted(set(new.agendas) - set(old.agendas))),
        agendas_removed=tuple(sorted(set(old.agendas) - set(new.agendas))),
        agendas_edited=agendas_edited,
        vocabulary_edited=_dump(old.vocabulary) != _dump(new.vocabulary),
        proposals=tuple(changed_proposals(old, new)),
    )


def changes_markdown(ch: Changes) -> str:
    """The "What changed" list, in words."""
    if ch.empty:
        return "Nothing changed in the programs, agendas, participant tables or match proposals."
    lines = []
    parts = []
    if ch.programs_added:
        parts.append("new " + _names(ch.programs_added))
    if ch.programs_removed:
        parts.append("removed " + _names(ch.programs_removed))
    for pid, keys in ch.programs_edited.items():
        parts.append(f"edited {_code(pid)} ({', '.join(keys)})")
    if parts:
        lines.append("- **Programs:** " + "; ".join(parts) + ".")
    for pid in sorted(set(ch.joined) | set(ch.left)):
        said = []
        if ch.joined.get(pid):
            said.append(f"{len(ch.joined[pid])} joined ({_names(ch.joined[pid])})")
        if ch.left.get(pid):
            said.append(f"{len(ch.left[pid])} left ({_names(ch.left[pid])})")
        lines.append(f"- **Participants in {_code(pid)}:** " + "; ".join(said) + ".")
    if ch.updated:
        lines.append(f"- **Participant rows edited:** {_plural(len(ch.updated), 'person', 'people')} "
                     f"({_names(ch.updated)}).")
    said = []
    for table, (plus, minus) in ch.records.items():
        one, many = TABLE_WORDS[table]
        if plus:
            said.append(f"{_plural(plus, one, many)} added")
        if minus:
            said.append(f"{_plural(minus, one, many)} removed")
    if said:
        lines.append("- **Records:** " + "; ".join(said) + ".")
    parts = []
    if ch.agendas_added:
        parts.append("new " + _names(ch.agendas_added))
    if ch.agendas_removed:
        parts.append("removed " + _names(ch.agendas_removed))
    if ch.agendas_edited:
        parts.append("edited " + _names(ch.agendas_edited))
    if parts:
        lines.append("- **Agendas:** " + "; ".join(parts) + ".")
    if ch.vocabulary_edited:
        lines.append("- **Vocabulary** (skills, interests, goals, departments, locations) edited.")
    if ch.proposals:
        lines.append("- **Match proposals:** " + _names(ch.proposals) + " (see below).")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# The pull-request check's job summary
# --------------------------------------------------------------------------


def validation_markdown(report: Report, limit: int = MAX_PROBLEMS) -> str:
    if report.ok:
        return "### ✅ Validation: no problems\n\nEvery program, agenda and participant file is valid."
    problems = report.sorted()
    files = len({p.file for p in problems})
    out = [f"### ❌ Validation: {_plural(len(problems), 'problem')} in {_plural(files, 'file')}", "",
           "Each problem is also shown on its line in the pull request's **Files changed** tab. "
           "Fix them on the same branch: the checks run again by themselves.", ""]
    out.append(_table(["Where", "Problem", "How to fix"],
                      ([p.where, f"{p.message} [{p.code}]", p.hint or ""] for p in problems[:limit])))
    if len(problems) > limit:
        out += ["", f"…and {len(problems) - limit} more: run `mentorkit validate` or open the job log "
                    "for the full list."]
    return "\n".join(out)


def _status_counts(proposal: Proposal) -> dict[str, int]:
    counts = Counter(str(p.status) for p in proposal.pairs)
    return {s.value: counts.get(s.value, 0) for s in PairStatus}


def proposals_markdown(ws: Workspace, diffs: Mapping[str, str | None], room: int = MAX_SUMMARY_CHARS) -> str:
    """A table of every program's proposal, then each changed proposal's diff (rendered by `mentorkit.proposals`)."""
    out = []
    if ws.proposals:
        rows = []
        for pid in sorted(ws.proposals):
            prop = ws.proposals[pid]
            counts = _status_counts(prop)
            rows.append([pid, len(prop.pairs), counts["proposed"], counts["approved"], counts["ended"],
                         len(prop.unmatched)])
        out.append(_table(["Program", "Pairs", "Proposed", "Approved", "Ended", "Mentees without a mentor"], rows))
    else:
        out.append("No program has a match proposal yet. The **Propose matches** workflow writes one when a pull "
                   "request changes `program/` or `participants/`.")
    changed = {pid: md for pid, md in sorted(diffs.items()) if md and md.strip()}
    if changed:
        changed = _shorten(changed, room, "the proposal files in the pull request's **Files changed** tab")
        for pid, md in changed.items():
            out += ["", f"#### Changes to the proposal for {_code(pid)}", "", _block(md)]
    else:
        out += ["", "This pull request does not change any match proposal."]
    return "\n".join(out)


def summary(ws: Workspace, report: Report, proposal_diffs: Mapping[str, str | None] | None = None,
            metrics: str | None = None, *, base: Workspace | None = None, run_url: str | None = None) -> str:
    """The job summary of the pull-request check, as Markdown.

    `ws` and `report` come from `read_workspace` (the workspace may be partial
    when the report has problems); `base` is the workspace of the pull
    request's base, if there is one to compare with; `proposal_diffs` maps a
    program id to the Markdown diff of its proposal (base -> head); `metrics`
    is the headline measures as Markdown, or None when they could not be
    computed.
    """
    out = ["## Mentoring program check", "", validation_markdown(report), "", "### What changed", ""]
    out.append(changes_markdown(changes(base, ws)) if base is not None
               else "There is no base to compare with (this run is not about a pull request).")
    room = MAX_SUMMARY_CHARS - sum(len(x) for x in out) - len(metrics or "")
    out += ["", "### Match proposals", "", proposals_markdown(ws, proposal_diffs or {}, room)]
    out += ["", "### Headline measures", ""]
    if metrics and metrics.strip():
        out.append(_block(metrics))
    elif not report.ok:
        out.append("Not computed: the measures are computed only from valid files. Fix the problems above first.")
    else:
        out.append("No measures to show yet.")
    if run_url:
        out += ["", f"<sub>Written by `mentorkit ci summary` in [this run]({run_url}).</sub>"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# The pull-request comment about the match proposal
# --------------------------------------------------------------------------


def comment(diffs: Mapping[str, str | None], *, titles: Mapping[str, str] | None = None,
            run_url: str | None = None) -> str:
    """The match-proposal comment: MARKER, then each changed program's diff in words.

    `diffs` maps a program id to its rendered Markdown diff (pairs added,
    removed, changed); programs whose value is None or blank are unchanged.
    The same text goes to the job summary for a pull request from a fork.
    """
    titles = titles or {}
    changed = {pid: md for pid, md in sorted(diffs.items()) if md and md.strip()}
    out = [MARKER, "## Match proposal", ""]
    if not changed:
        out.append("This pull request does not change any match proposal: merging it changes no pairs.")
    else:
        changed = _shorten(changed, MAX_COMMENT_CHARS - 2_000 - 100 * len(changed),
                           "the job summary of the run, or the **Files changed** tab")
        files = ", ".join(_code(f"{MATCHES_DIR}/{pid}.yaml") for pid in changed)
        out.append(f"This pull request changes the match proposal in {files}. To approve pairs, set their "
                   "`status: proposed` to `status: approved` (or run `mentorkit approve PROGRAM`) and merge: "
                   "approved pairs are kept on every later run. Review it line by line in the **Files changed** tab; comment on any pair you are unsure about, "
                   "or lock and forbid pairs in the program file and push again for a new proposal.")
        for pid, md in changed.items():
            heading = f"{titles[pid]} ({_code(pid)})" if pid in titles else _code(pid)
            out += ["", f"### {heading}", "", _block(md)]
    out += ["", "<sub>Pseudonyms only: look the people up in the private roster. This comment is updated in place "
                "on every push" + (f"; [latest run]({run_url})" if run_url else "") + ".</sub>"]
    return "\n".join(out) + "\n"


def proposal_pull_request(program: str | None, into: str, run_url: str | None = None) -> tuple[str, str]:
    """Title and body of the pull request opened when the proposal is run by hand."""
    which = f"the {_code(program)} program" if program else "every program"
    title = f"Match proposal for {program}" if program else "Match proposals for every program"
    body = (f"The **Propose matches** workflow ran `mentorkit match` for {which} on {_code(into)}"
            + (f" ([run]({run_url}))" if run_url else "") + ".\n\n"
            "Review the proposal in the **Files changed** tab; the comment below summarises it in words. "
            "**To approve pairs, set their status to `approved` (or run `mentorkit approve PROGRAM`) on this branch, "
            "then merge.** Close it without merging to reject it.\n\n"
            "This branch belongs to the workflow: running it again replaces the branch's content.\n")
    return title, body


# --------------------------------------------------------------------------
# The coordinator's reminder issue
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    date: dt.date
    program: str
    what: str


@dataclass(frozen=True)
class Attention:
    program: str
    mentee: str
    mentor: str | None  # None: the mentee has no mentor
    why: str


def upcoming(ws: Workspace, as_of: dt.date, horizon_days: int = HORIZON_DAYS) -> list[Upcoming]:
    """Milestones, timeline dates and goal reviews from `as_of` to `as_of + horizon_days`, by date."""
    until = as_of + dt.timedelta(days=horizon_days)
    items: list[tuple[dt.date, str, int, str]] = []
    for pid, p in ws.programs.items():
        tl = p.timeline
        dated = [(tl.enrolment_opens, "Enrolment opens"),
                 (tl.enrolment_closes, "Enrolment closes: propose matches for the new participants"),
                 (tl.start, "Program starts"), (tl.end, "Program ends: final survey and results")]
        dated += [(m.date, m.title + (f" ({m.minutes} min)" if m.minutes else "")) for m in p.milestones]
        for g in p.goals:
            dated += [(d, f"Review goal {_code(g.id)}: compare {g.metric.value} with its target {g.target:g}")
                      for d in g.review_on if d != g.due]
            dated.append((g.due, f"Goal {_code(g.id)} is due: {g.metric.value} target {g.target:g}"))
        for order, (d, what) in enumerate(dated):
            if d is not None and as_of <= d <= until:
                items.append((d, pid, order, what))
    return [Upcoming(d, pid, what) for d, pid, _, what in sorted(items)]


def attention(ws: Workspace, as_of: dt.date) -> list[Attention]:
    """What the coordinator should follow up on `as_of`, for every program that has not ended.

    Pairs come from the metrics' one definition of "needs attention"
    (`mentorkit.metrics.attention`: quiet for 1.5 cadence intervals, low
    satisfaction or relationship health, goals overdue), evaluated on `as_of`
    rather than on the latest record, so a program whose check-ins stopped
    arriving shows up too. Added here: mentees the proposal left without a
    mentor, and programs that have started without a proposal.
    """
    out: list[Attention] = []
    for pid in sorted(ws.programs):
        p = ws.programs[pid]
        if as_of > p.timeline.end:
            continue
        proposal = ws.proposals.get(pid)
        if proposal is None and p.timeline.start <= as_of and any(m.can_be_mentee for m in ws.members(pid)):
            out.append(Attention(pid, "", None, "the program has started but has no match proposal: "
                                                "run the Propose matches workflow"))
        ctx = replace(metrics_context(ws, pid), as_of=as_of)
        for item in pair_attention(ctx):
            out.append(Attention(pid, item.mentee, item.mentor, "; ".join(item.details)))
        for u in proposal.unmatched if proposal else ():
            out.append(Attention(pid, u.mentee, None, f"no mentor yet: {u.reason}"))
    return out


def reminder(ws: Workspace, as_of: dt.date, *, horizon_days: int = HORIZON_DAYS) -> tuple[str, str | None]:
    """Title and body of the reminder issue; a body of None means nothing is left: close the issue."""
    coming = upcoming(ws, as_of, horizon_days)
    needs = attention(ws, as_of)
    if not coming and not needs:
        return REMINDER_TITLE, None
    out = [REMINDER_MARKER,
           f"Status on **{as_of.isoformat()}**. The **Remind** workflow updates this issue every month and closes "
           "it when nothing is left to follow up.", ""]
    out += [f"## Coming up in the next {horizon_days} days", ""]
    out.append(_table(["Date", "Program", "What"], ([_date(u.date), u.program, u.what] for u in coming))
               if coming else "Nothing is scheduled.")
    out += ["", "## Pairs needing attention", ""]
    if needs:
        out += ["Pseudonyms only: look the people up in the private roster. A missing check-in is a question, "
                "not a verdict: ask each person separately and kindly, and offer a new rhythm or a new match.", ""]
        out.append(_table(["Program", "Mentee", "Mentor", "Why"],
                          ([a.program, a.mentee or "–", a.mentor or "–", a.why] for a in needs)))
    else:
        out.append("None: every current pair meets at its program's rhythm and reports no difficulty.")
    out += ["", "<sub>Check-ins count once they are merged into `participants/checkins.csv`.</sub>"]
    return REMINDER_TITLE, "\n".join(out) + "\n"


# --------------------------------------------------------------------------
# The workflow run
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CiContext:
    """What a workflow run is about: the event, the repository, the pull request or the input."""

    event: str
    repository: str
    server_url: str = "https://github.com"
    api_url: str = "https://api.github.com"
    run_id: str | None = None
    sha: str | None = None
    ref_name: str | None = None
    pr_number: int | None = None
    head_ref: str | None = None
    head_repository: str | None = None
    base_sha: str | None = None
    program: str | None = None  # the workflow_dispatch input

    @property
    def is_pull_request(self) -> bool:
        return self.pr_number is not None

    @property
    def is_fork(self) -> bool:
        """A pull request from another repository: its token is read-only and nothing may be written back."""
        return self.is_pull_request and self.head_repository != self.repository

    @property
    def run_url(self) -> str | None:
        if not (self.repository and self.run_id):
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def remote_url(self) -> str:
        return f"{self.server_url}/{self.repository}.git"

    @classmethod
    def from_event(cls, event: str, payload: Mapping[str, Any], environ: Mapping[str, str]) -> CiContext:
        pr = payload.get("pull_request") or {}
        inputs = payload.get("inputs") or {}
        head = pr.get("head") or {}
        return cls(
            event=event,
            repository=environ.get("GITHUB_REPOSITORY", ""),
            server_url=environ.get("GITHUB_SERVER_URL") or "https://github.com",
            api_url=environ.get("GITHUB_API_URL") or "https://api.github.com",
            run_id=environ.get("GITHUB_RUN_ID") or None,
            sha=environ.get("GITHUB_SHA") or None,
            ref_name=environ.get("GITHUB_REF_NAME") or None,
            pr_number=pr.get("number") if pr else None,
            head_ref=head.get("ref"),
            head_repository=(head.get("repo") or {}).get("full_name"),
            base_sha=(pr.get("base") or {}).get("sha"),
            program=(inputs.get("program") or "").strip() or None,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CiContext:
        environ = os.environ if environ is None else environ
        payload: dict = {}
        path = environ.get("GITHUB_EVENT_PATH")
        if path and Path(path).is_file():
            payload = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_event(environ.get("GITHUB_EVENT_NAME", ""), payload, environ)


# --------------------------------------------------------------------------
# GitHub REST calls
# --------------------------------------------------------------------------

Transport = Callable[[str, str, Mapping[str, str], bytes | None], tuple[int, Mapping[str, str], bytes]]


class GitHubError(MentorkitError):
    """A GitHub API call failed; the message says what to check."""


def urllib_transport(method: str, url: str, headers: Mapping[str, str], data: bytes | None):
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers or {}), exc.read()


class GitHub:
    """The handful of REST calls the workflows need, with the run's GITHUB_TOKEN."""

    def __init__(self, repository: str, token: str, api_url: str = "https://api.github.com",
                 transport: Transport = urllib_transport):
        if not repository or "/" not in repository:
            raise GitHubError("GITHUB_REPOSITORY is not set: this command runs inside a GitHub Actions workflow")
        if not token:
            raise GitHubError("GITHUB_TOKEN is not set: pass it to the step "
                              "with `env: GITHUB_TOKEN: ${{ github.token }}`")
        self.repository = repository
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.transport = transport

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, transport: Transport = urllib_transport) -> GitHub:
        environ = os.environ if environ is None else environ
        return cls(environ.get("GITHUB_REPOSITORY", ""), environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN", ""),
                   environ.get("GITHUB_API_URL") or "https://api.github.com", transport)

    def call(self, method: str, path: str, body: Any = None, query: Mapping[str, Any] | None = None) -> Any:
        url = self.api_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self._token}",
                   "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "mentorkit"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        status, _, raw = self.transport(method, url, headers, data)
        if status >= 400:
            try:
                message = json.loads(raw or b"{}").get("message", "")
            except ValueError:
                message = ""
            hint = ""
            if status == 403 and "create or approve pull requests" in message:
                hint = (" Allow it in the repository's Settings > Actions > General > Workflow permissions: "
                        "'Allow GitHub Actions to create and approve pull requests'.")
            elif status in (401, 403):
                hint = " Check the `permissions:` of this job in its workflow file."
            raise GitHubError(f"GitHub refused {method} {path} ({status} {message}).{hint}")
        return json.loads(raw) if raw else None

    def pages(self, path: str, query: Mapping[str, Any] | None = None, limit: int = 50) -> Iterator[dict]:
        for page in range(1, limit + 1):
            items = self.call("GET", path, query={**(query or {}), "per_page": 100, "page": page}) or []
            yield from items
            if len(items) < 100:
                return


def upsert_comment(gh: GitHub, number: int, body: str, *, marker: str = MARKER,
                   author: str = BOT_LOGIN) -> tuple[str, int]:
    """Create the one marked comment on a pull request, or edit it in place.

    Returns ("created" | "updated" | "unchanged", comment id). Only the bot's own
    comment that starts with the marker is edited, never a person's.
    """
    if not body.startswith(marker):
        raise ValueError("the comment body must start with its marker")
    for item in gh.pages(f"/repos/{gh.repository}/issues/{number}/comments"):
        if (item.get("user") or {}).get("login") == author and (item.get("body") or "").startswith(marker):
            if item.get("body") == body:
                return "unchanged", item["id"]
            gh.call("PATCH", f"/repos/{gh.repository}/issues/comments/{item['id']}", {"body": body})
            return "updated", item["id"]
    created = gh.call("POST", f"/repos/{gh.repository}/issues/{number}/comments", {"body": body})
    return "created", created["id"]


CLOSING_NOTE = ("Nothing is left to follow up, so this reminder is closed. The next monthly run opens a new one "
                "when a milestone comes up or a pair needs attention.")


def upsert_issue(gh: GitHub, title: str, body: str | None, *, marker: str = REMINDER_MARKER,
                 author: str = BOT_LOGIN, closing_note: str = CLOSING_NOTE) -> tuple[str, int | None]:
    """Open, update or close the one marked issue: ("opened" | "updated" | "unchanged" | "closed" | "none", number)."""
    if body is not None and not body.startswith(marker):
        raise ValueError("the issue body must start with its marker")
    existing = None
    for item in gh.pages(f"/repos/{gh.repository}/issues", {"state": "open"}):
        if ("pull_request" not in item and (item.get("user") or {}).get("login") == author
                and (item.get("body") or "").startswith(marker)):
            existing = item
            break
    if body is None:
        if existing is None:
            return "none", None
        number = existing["number"]
        gh.call("POST", f"/repos/{gh.repository}/issues/{number}/comments", {"body": closing_note})
        gh.call("PATCH", f"/repos/{gh.repository}/issues/{number}", {"state": "closed", "state_reason": "completed"})
        return "closed", number
    if existing is None:
        created = gh.call("POST", f"/repos/{gh.repository}/issues", {"title": title, "body": body})
        return "opened", created["number"]
    if existing.get("title") == title and existing.get("body") == body:
        return "unchanged", existing["number"]
    gh.call("PATCH", f"/repos/{gh.repository}/issues/{existing['number']}", {"title": title, "body": body})
    return "updated", existing["number"]


def open_pull_request(gh: GitHub, head: str, base: str, title: str, body: str) -> tuple[str, int]:
    """The open pull request from `head` into `base`, created if there is none: ("existing" | "opened", number)."""
    owner = gh.repository.split("/")[0]
    found = gh.call("GET", f"/repos/{gh.repository}/pulls", query={"state": "open", "head": f"{owner}:{head}",
                                                                    "base": base}) or []
    if found:
        return "existing", found[0]["number"]
    created = gh.call("POST", f"/repos/{gh.repository}/pulls", {"title": title, "head": head, "base": base,
                                                                 "body": body})
    return "opened", created["number"]


def dispatch_workflow(gh: GitHub, workflow: str, ref: str, inputs: Mapping[str, str] | None = None) -> None:
    """Start a workflow on a branch (pushes made with GITHUB_TOKEN start no workflow by themselves)."""
    gh.call("POST", f"/repos/{gh.repository}/actions/workflows/{workflow}/dispatches",
            {"ref": ref, "inputs": dict(inputs or {})})


# --------------------------------------------------------------------------
# git
# --------------------------------------------------------------------------


class GitError(MentorkitError):
    pass


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None, check: bool = True,
         secret: str | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=root, env={**os.environ, **(env or {})}, capture_output=True,
                            text=True, check=False)
    if check and result.returncode != 0:
        message = (result.stderr or result.stdout).strip()
        if secret:
            message = message.replace(secret, "***")
        raise GitError(f"git {args[0]} failed: {message}")
    return result


def commit_proposals(root: Path, message: str, paths: Iterable[str] = (MATCHES_DIR,)) -> str | None:
    """Commit the proposal files as the Actions bot; the new commit's id, or None when nothing changed."""
    root = Path(root)
    tracked = _git(root, "ls-files", "--", *paths).stdout.strip()
    present = [p for p in paths if (root / p).exists()]
    if not present and not tracked:
        return None
    _git(root, "add", "--all", "--", *paths)
    if _git(root, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        return None
    who = {"GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
           "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL}
    _git(root, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths, env=who)
    return _git(root, "rev-parse", "HEAD").stdout.strip()


def _auth_env(remote_url: str, token: str | None) -> dict[str, str]:
    """The token as an HTTP header, passed to git through the environment (never argv, never .git/config)."""
    if not token or not remote_url.startswith(("https://", "http://")):
        return {}
    scheme, rest = remote_url.split("://", 1)
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"http.{scheme}://{rest.split('/', 1)[0]}/.extraheader",
            "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}", "GIT_TERMINAL_PROMPT": "0"}


def push_branch(root: Path, remote_url: str, branch: str, token: str | None = None, *, force: bool = False,
                expect: str | None = None) -> bool:
    """Push HEAD to `branch`; False when the branch is no longer at `expect` (moved on or deleted meanwhile).

    With `expect` (the commit the run started from), the push goes through only
    if the branch still points there: a newer push wins, and a branch merged
    and deleted in the meantime is not brought back. `force` replaces the
    branch whatever it holds (the workflow's own branch).
    """
    if force:
        mode = ["--force"]
    elif expect:
        mode = [f"--force-with-lease=refs/heads/{branch}:{expect}"]
    else:
        mode = []
    args = ["push", "--quiet", *mode, remote_url, f"HEAD:refs/heads/{branch}"]
    result = _git(Path(root), *args, env=_auth_env(remote_url, token), check=False, secret=token)
    if result.returncode == 0:
        return True
    err = result.stderr or ""
    if not force and ("[rejected]" in err or "non-fast-forward" in err or "fetch first" in err or "stale info" in err):
        return False
    raise GitError("git push failed: " + (err.replace(token, "***") if token else err).strip())


# --------------------------------------------------------------------------
# The propose workflow's step with side effects
# --------------------------------------------------------------------------


def proposal_branch(program: str | None) -> str:
    return f"mentorkit/match-{program or 'all'}"


def publish_proposal(ctx: CiContext, gh: GitHub, root: Path, comment_body: str, *, token: str | None = None,
                     remote_url: str | None = None, recheck: str | None = CHECK_WORKFLOW) -> list[str]:
    """Deliver a freshly computed proposal for review; returns what was done, one sentence per line.

    - Pull request from this repository: commit the proposal files to the pull
      request's branch (if they changed), update the one marked comment, and
      start the Check workflow on the new commit.
    - Started by hand (workflow_dispatch): commit to the workflow's branch
      `mentorkit/match-<program>` on top of the branch it ran on, open (or
      reuse) a pull request into that branch, comment, start the Check.
    - Pull request from a fork: refused; its text belongs in the job summary.
    """
    remote = remote_url or ctx.remote_url
    done: list[str] = []
    message = ("Update the match proposal\n\nWritten by `mentorkit match`"
               + (f" in {ctx.run_url}" if ctx.run_url else ""))
    if ctx.is_fork:
        raise MentorkitError("a pull request from a fork cannot be written to: its proposal belongs in the job summary")
    if ctx.is_pull_request:
        if not ctx.head_ref:
            raise MentorkitError("the event has no pull request branch")
        start = _git(root, "rev-parse", "HEAD").stdout.strip()
        sha = commit_proposals(root, message)
        if sha:
            if not push_branch(root, remote, ctx.head_ref, token, expect=start):
                return [f"The branch {ctx.head_ref} moved on (or was deleted) while the proposal was computed; "
                        "nothing was pushed: the run for the newer commit proposes instead."]
            done.append(f"Committed the proposal to {ctx.head_ref} ({sha[:7]}).")
        else:
            done.append(f"The proposal on {ctx.head_ref} is up to date: nothing to commit.")
        action, _ = upsert_comment(gh, ctx.pr_number, comment_body)
        done.append(f"Pull request #{ctx.pr_number}: comment {action}.")
        if sha and recheck:
            dispatch_workflow(gh, recheck, ctx.head_ref, {"base": ctx.base_sha or ""})
            done.append(f"Started {recheck} on {ctx.head_ref} for the new commit.")
        return done
    if ctx.event == "workflow_dispatch":
        if not ctx.ref_name:
            raise MentorkitError("the run has no branch (GITHUB_REF_NAME is empty)")
        sha = commit_proposals(root, message)
        if not sha:
            return [f"The proposal on {ctx.ref_name} is up to date: no pull request needed."]
        branch = proposal_branch(ctx.program)
        push_branch(root, remote, branch, token, force=True)
        done.append(f"Pushed the proposal to {branch} ({sha[:7]}).")
        title, body = proposal_pull_request(ctx.program, ctx.ref_name, ctx.run_url)
        action, number = open_pull_request(gh, branch, ctx.ref_name, title, body)
        done.append(f"Pull request #{number} ({action}) into {ctx.ref_name}.")
        action, _ = upsert_comment(gh, number, comment_body)
        done.append(f"Pull request #{number}: comment {action}.")
        if recheck:
            dispatch_workflow(gh, recheck, branch, {"base": ctx.sha or ""})
            done.append(f"Started {recheck} on {branch}.")
        return done
    raise MentorkitError(f"nothing to publish for a '{ctx.event or 'local'}' run: "
                         "this command runs in the Propose matches workflow")
