"""What the GitHub workflows write for people, as Markdown: pure functions of library objects.

No clock, no network, no environment, no files: the caller passes the day,
the run's address and the rendered proposal diffs, so every text is tested
on fixture workspaces alone.

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
`mentorkit.proposals`, see `changes.proposal_diffs`), so this module does not
depend on how diffs are built. Table cells are literal text: what they quote
comes from a pull request and must not turn into markup.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from ..errors import Report
from ..metrics.fairness import fairness_reports
from ..metrics.fairness_text import fairness_markdown
from ..model import PairStatus, Proposal, Workspace
from ..repo import layout
from ..text.counts import counted
from ..text.markdown import code, table
from .changes import Changes, changes
from .reminders import HORIZON_DAYS, attention, upcoming

MARKER = "<!-- mentorkit:match-proposal -->"
REMINDER_MARKER = "<!-- mentorkit:reminder -->"
REMINDER_TITLE = "Mentoring reminders: what needs attention"
CLOSING_NOTE = ("Nothing is left to follow up, so this reminder is closed. The next monthly run opens a new one "
                "when a milestone comes up or a pair needs attention.")

MAX_PROBLEMS = 50  # rows of the validation table in the job summary
MAX_NAMES = 10  # pseudonyms listed in one sentence before "and N more"
GITHUB_COMMENT_LIMIT = 65_536  # GitHub refuses a comment longer than this many characters
MAX_COMMENT_CHARS = 60_000  # what the kit writes in one, leaving room under GitHub's limit for the notes it adds
MAX_SUMMARY_CHARS = 900_000  # and job summaries over 1 MiB per step

TABLE_WORDS = {  # one word for each of changes.RECORD_TABLES
    "checkins": ("check-in", "check-ins"),
    "survey_responses": ("survey response", "survey responses"),
    "skill_ratings": ("skill rating", "skill ratings"),
    "goals": ("goal record", "goal records"),
    "outcomes": ("outcome", "outcomes"),
    "manager_feedback": ("manager's answer", "managers' answers"),
    "feedback_360": ("360 feedback answer", "360 feedback answers"),
    "needs_survey": ("needs survey count", "needs survey counts"),
}


# --------------------------------------------------------------------------
# Wording
# --------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Iterable[object]]) -> str:
    return table(header, rows, literal=True)


def _names(items: Iterable[str], limit: int = MAX_NAMES) -> str:
    items = list(items)
    shown = ", ".join(code(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _date(d: dt.date) -> str:
    return f"{d.isoformat()} ({d.strftime('%a')})"


def _block(markdown: str) -> str:
    return markdown.strip("\n")


def _headline(markdown: str) -> str:
    """The first paragraph of a rendered diff: its summary sentence."""
    return _block(markdown).split("\n\n", 1)[0]


def _changed(diffs: Mapping[str, str | None]) -> dict[str, str]:
    """The diffs that say something, by program id."""
    return {pid: md for pid, md in sorted(diffs.items()) if md and md.strip()}


def _size(text: str) -> int:
    """What a limit counts: UTF-8 bytes, never fewer than characters (arrows and dashes take three)."""
    return len(text.encode("utf-8"))


def _cut(md: str, room: int, where: str) -> str:
    """`md` cut at a line boundary to fit `room` bytes, with a note saying how much is left out and where it is."""
    lines = _block(md).split("\n")
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + _size(line) + 1 > room - 300:  # leave room for the note
            break
        kept.append(line)
        used += _size(line) + 1
    if not kept:  # not even the first line fits: the headline, cut
        kept = [_headline(md)[: max(room - 300, 80)]]
    left = len(lines) - len(kept)
    while kept and not kept[-1].strip():
        kept.pop()
    note = (f"_The full list is too long for this page: {counted(left, 'more line')} "
            f"{'is' if left == 1 else 'are'} left out here (GitHub's limit is {GITHUB_COMMENT_LIMIT:,} characters); "
            f"see {where}._")
    return "\n".join(kept) + "\n\n" + note


def _shorten(diffs: dict[str, str], room: int, where: str) -> dict[str, str]:
    """Diffs that fit in `room` bytes together: the short ones whole, the others cut to an equal share each."""
    if sum(_size(md) for md in diffs.values()) <= room:
        return diffs
    out = dict(diffs)
    pending = sorted(diffs, key=lambda pid: (_size(diffs[pid]), pid))
    left = room
    while pending:
        share = left // len(pending)
        pid = pending[0]
        if _size(diffs[pid]) <= share:  # short diffs are shown whole, and leave their unused share to the others
            left -= _size(diffs[pid])
            pending.pop(0)
            continue
        for pid in pending:
            out[pid] = _cut(diffs[pid], max(share, 400), where)
        break
    return out


def _listing(label: str, added: Sequence[str], removed: Sequence[str], edited: Sequence[str]) -> list[str]:
    """One bullet "- **Label:** new ...; removed ...; edited ...", or none when nothing changed."""
    parts = [f"{word} {_names(ids)}" for word, ids in (("new", added), ("removed", removed), ("edited", edited)) if ids]
    return [f"- **{label}:** " + "; ".join(parts) + "."] if parts else []


# --------------------------------------------------------------------------
# The pull-request check's job summary
# --------------------------------------------------------------------------


def changes_markdown(ch: Changes) -> str:
    """The "What changed" list, in words."""
    if ch.empty:
        return "Nothing changed in the programs, agendas, participant tables or match proposals."
    parts = [f"new {_names(ch.programs_added)}"] if ch.programs_added else []
    parts += [f"removed {_names(ch.programs_removed)}"] if ch.programs_removed else []
    parts += [f"edited {code(pid)} ({', '.join(keys)})" for pid, keys in ch.programs_edited.items()]
    lines = ["- **Programs:** " + "; ".join(parts) + "."] if parts else []
    for pid in sorted(set(ch.joined) | set(ch.left)):
        said = [f"{len(people)} {verb} ({_names(people)})"
                for verb, people in (("joined", ch.joined.get(pid)), ("left", ch.left.get(pid))) if people]
        lines.append(f"- **Participants in {code(pid)}:** " + "; ".join(said) + ".")
    if ch.updated:
        lines.append(f"- **Participant rows edited:** {counted(len(ch.updated), 'person', 'people')} "
                     f"({_names(ch.updated)}).")
    said = []
    for name, (plus, minus) in ch.records.items():
        one, many = TABLE_WORDS[name]
        said += [f"{counted(n, one, many)} {verb}" for verb, n in (("added", plus), ("removed", minus)) if n]
    if said:
        lines.append("- **Records:** " + "; ".join(said) + ".")
    lines += _listing("Agendas", ch.agendas_added, ch.agendas_removed, ch.agendas_edited)
    if ch.vocabulary_edited:
        lines.append("- **Vocabulary** (skills, interests, goals, departments, locations) edited.")
    if ch.proposals:
        lines.append("- **Match proposals:** " + _names(ch.proposals) + " (see below).")
    return "\n".join(lines)


def validation_markdown(report: Report, limit: int = MAX_PROBLEMS) -> str:
    if report.ok:
        return "### ✅ Validation: no problems\n\nEvery program, agenda and participant file is valid."
    problems = report.sorted()
    files = len({p.file for p in problems})
    out = [f"### ❌ Validation: {counted(len(problems), 'problem')} in {counted(files, 'file')}", "",
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
                   f"request changes `{layout.PROGRAMS}/` or `{layout.PARTICIPANTS}/`.")
    changed = _changed(diffs)
    if changed:
        changed = _shorten(changed, room, "the proposal files in the pull request's **Files changed** tab")
        for pid, md in changed.items():
            out += ["", f"#### Changes to the proposal for {code(pid)}", "", _block(md)]
    else:
        out += ["", "This pull request does not change any match proposal."]
    return "\n".join(out)


def code_changes_markdown(paths: Sequence[str]) -> str:
    """A warning naming the files a pull request changes that run code or decide what is installed; "" if none."""
    if not paths:
        return ""
    return ("> [!WARNING]\n> **This pull request changes files that run code or decide what is installed**, not "
            f"only program data: {_names(paths)}. Have the person who maintains the repository "
            "review them line by line before merging; nothing here checks what they do.")


def summary(ws: Workspace, report: Report, proposal_diffs: Mapping[str, str | None] | None = None,
            metrics: str | None = None, *, base: Workspace | None = None, run_url: str | None = None,
            code_changes: Sequence[str] = ()) -> str:
    """The job summary of the pull-request check, as Markdown.

    `ws` and `report` come from `read_workspace` (the workspace may be partial
    when the report has problems); `base` is the workspace of the pull
    request's base, if there is one to compare with; `proposal_diffs` maps a
    program id to the Markdown diff of its proposal (base -> head); `metrics`
    is the headline measures as Markdown, or None when they could not be
    computed.
    """
    out = ["## Mentoring program check", ""]
    if code_changes:
        out += [code_changes_markdown(code_changes), ""]
    out += [validation_markdown(report), "", "### What changed", ""]
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
# The pull-request comment and the pull request opened by hand
# --------------------------------------------------------------------------


def comment(diffs: Mapping[str, str | None], *, titles: Mapping[str, str] | None = None,
            run_url: str | None = None, code_changes: Sequence[str] = (), ws: Workspace | None = None) -> str:
    """The match-proposal comment: MARKER, then each changed program's diff in words.

    `diffs` maps a program id to its rendered Markdown diff (pairs added,
    removed, changed); programs whose value is None or blank are unchanged.
    With `ws` (the pull request's workspace), each changed program's
    fairness report follows its diff. The same text goes to the job summary
    for a pull request from a fork.
    """
    titles = titles or {}
    changed = _changed(diffs)
    fairness = {pid: fairness_markdown(r) for pid, r in fairness_reports(ws, list(changed)).items()} if ws else {}
    out = [MARKER, "## Match proposal", ""]
    if code_changes:
        out += [code_changes_markdown(code_changes), ""]
    if not changed:
        out.append("This pull request does not change any match proposal: merging it changes no pairs.")
    else:
        changed = _shorten(changed, MAX_COMMENT_CHARS - 2_000 - 100 * len(changed) - _size("".join(fairness.values())),
                           "the job summary of the run, or the **Files changed** tab")
        files = ", ".join(code(layout.proposal_file(pid)) for pid in changed)
        out.append(f"This pull request changes the match proposal in {files}. To approve pairs, set their "
                   "`status: proposed` to `status: approved` (or run `mentorkit approve PROGRAM`) and merge: "
                   "approved pairs are kept on every later run. Review it line by line in the **Files changed** "
                   "tab; comment on any pair you are unsure about, "
                   "or lock and forbid pairs in the program file and push again for a new proposal.")
        for pid, md in changed.items():
            heading = f"{titles[pid]} ({code(pid)})" if pid in titles else code(pid)
            out += ["", f"### {heading}", "", _block(md)]
            if pid in fairness:
                out += ["", fairness[pid]]
    out += ["", "<sub>Pseudonyms only: look the people up in the private roster. This comment is updated in place "
                "on every push" + (f"; [latest run]({run_url})" if run_url else "") + ".</sub>"]
    return "\n".join(out) + "\n"


def proposal_pull_request(program: str | None, into: str, run_url: str | None = None) -> tuple[str, str]:
    """Title and body of the pull request opened when the proposal is run by hand."""
    which = f"the {code(program)} program" if program else "every program"
    title = f"Match proposal for {program}" if program else "Match proposals for every program"
    body = (f"The **Propose matches** workflow ran `mentorkit match` for {which} on {code(into)}"
            + (f" ([run]({run_url}))" if run_url else "") + ".\n\n"
            "Review the proposal in the **Files changed** tab; the comment below summarises it in words. "
            "**To approve pairs, set their status to `approved` (or run `mentorkit approve PROGRAM`) on this branch, "
            "then merge.** Close it without merging to reject it.\n\n"
            "This branch belongs to the workflow: running it again replaces the branch's content.\n")
    return title, body


# --------------------------------------------------------------------------
# The coordinator's reminder issue
# --------------------------------------------------------------------------


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
                "not a verdict: ask each person separately and kindly, and offer a new rhythm or a new match. "
                "The coordinator handbook's **Warning signs** checklist says what to look for behind each reason.", ""]
        out.append(_table(["Program", "Mentee", "Mentor", "Why"],
                          ([a.program, a.mentee or "–", a.mentor or "–", a.why] for a in needs)))
    else:
        out.append("None: every current pair meets at its program's rhythm and reports no difficulty.")
    out += ["", f"<sub>Check-ins count once they are merged into `{layout.table_file('checkins.csv')}`.</sub>"]
    return REMINDER_TITLE, "\n".join(out) + "\n"
