"""What a pull request changes: its base workspace compared with its head (pure: no files, no clock).

`changes` tells programs, enrolment, participant rows, records, agendas and
the vocabulary apart, by pseudonym only; `changed_proposals` and
`proposal_diffs` say which programs' match proposals differ and how, in the
words of `mentorkit.proposals`. `mentorkit.ci.text` writes them for people.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import Program, Workspace
from ..proposals.diff import diff_proposals
from ..text.markdown import code

# Workspace attributes: every table of the data package but the participants (whose changes are joined/left)
RECORD_TABLES = ("checkins", "survey_responses", "skill_ratings", "goals", "outcomes", "manager_feedback",
                 "feedback_360", "needs_survey")


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


def _dump(model: Any) -> Any:
    """A pydantic model as plain data, so two files compare by content (None stays None)."""
    return model.model_dump(mode="json") if model is not None else None


def _enrolment(ws: Workspace) -> dict[str, set[str]]:
    """Program -> the pseudonyms enrolled in it."""
    out: dict[str, set[str]] = {}
    for p in ws.participants.values():
        for pid in p.programs:
            out.setdefault(pid, set()).add(p.pseudonym)
    return out


def _added(after: set[str], before: set[str]) -> tuple[str, ...]:
    return tuple(sorted(after - before))


def _edited_programs(old: Workspace, new: Workspace) -> dict[str, tuple[str, ...]]:
    """Program -> the settings (top-level keys of its file) that differ."""
    edited: dict[str, tuple[str, ...]] = {}
    for pid in sorted(set(old.programs) & set(new.programs)):
        a, b = _dump(old.programs[pid]), _dump(new.programs[pid])
        keys = tuple(k for k in Program.model_fields if a.get(k) != b.get(k))
        if keys:
            edited[pid] = keys
    return edited


def _edited_rows(old: Workspace, new: Workspace) -> tuple[str, ...]:
    """Pseudonyms whose participant row changed other than in enrolment (told as joined / left)."""
    return tuple(pseudonym for pseudonym in sorted(set(old.participants) & set(new.participants))
                 if replace(old.participants[pseudonym], programs=()) != replace(new.participants[pseudonym], programs=()))


def _record_counts(old: Workspace, new: Workspace) -> dict[str, tuple[int, int]]:
    """Table -> (rows added, rows removed), for the tables with any."""
    records = {}
    for table in RECORD_TABLES:
        a, b = Counter(getattr(old, table)), Counter(getattr(new, table))
        plus, minus = sum((b - a).values()), sum((a - b).values())
        if plus or minus:
            records[table] = (plus, minus)
    return records


def changes(old: Workspace, new: Workspace) -> Changes:
    """Compare the workspace of a pull request's base with its head."""
    before, after = _enrolment(old), _enrolment(new)
    programs = sorted(set(before) | set(after))
    joined = {pid: _added(after.get(pid, set()), before.get(pid, set())) for pid in programs}
    left = {pid: _added(before.get(pid, set()), after.get(pid, set())) for pid in programs}
    return Changes(
        programs_added=_added(set(new.programs), set(old.programs)),
        programs_removed=_added(set(old.programs), set(new.programs)),
        programs_edited=_edited_programs(old, new),
        joined={k: v for k, v in joined.items() if v}, left={k: v for k, v in left.items() if v},
        updated=_edited_rows(old, new),
        records=_record_counts(old, new),
        agendas_added=_added(set(new.agendas), set(old.agendas)),
        agendas_removed=_added(set(old.agendas), set(new.agendas)),
        agendas_edited=tuple(sorted(aid for aid in set(old.agendas) & set(new.agendas)
                                    if old.agendas[aid] != new.agendas[aid])),
        vocabulary_edited=_dump(old.vocabulary) != _dump(new.vocabulary),
        proposals=tuple(changed_proposals(old, new)),
    )


def changed_proposals(old: Workspace | None, new: Workspace) -> list[str]:
    """Programs whose proposal file differs (added, removed or edited), sorted."""
    before = old.proposals if old else {}
    ids = set(before) | set(new.proposals)
    return sorted(pid for pid in ids if _dump(before.get(pid)) != _dump(new.proposals.get(pid)))


def proposal_diffs(old: Workspace | None, new: Workspace) -> dict[str, str]:
    """Program id -> Markdown diff (base -> head) of each proposal that changed; nothing without a base."""
    if old is None:
        return {}
    diffs = {}
    for pid in changed_proposals(old, new):
        before, after = old.proposals.get(pid), new.proposals.get(pid)
        diffs[pid] = (diff_proposals(before, after).to_markdown() if after is not None
                      else f"The proposal for {code(pid)} was removed.\n")
    return diffs
