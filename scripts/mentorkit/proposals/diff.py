"""The differences between two proposals: what `mentorkit diff` and the pull-request comment show.

For each pair that is new, reassigned or changed, the diff shows why (the pair's
`reasons`, with the points of each criterion) and the mentee's next-best option;
then every mentee left without a match (why, and what would match them) and the
mentors with places left.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import PairStatus, Proposal, ProposedPair, Unmatched, UnusedPlaces
from ..text.counts import counted


@dataclass(frozen=True)
class PairChange:
    mentee: str
    mentor: str
    old_status: str | None
    new_status: str | None
    old_score: float | None
    new_score: float | None

    @property
    def move(self) -> float | None:
        if self.old_score is None or self.new_score is None:
            return None
        return round(self.new_score - self.old_score, 2)


@dataclass(frozen=True)
class Reassignment:
    mentee: str
    old_mentors: tuple[str, ...]
    new_mentors: tuple[str, ...]
    old_score: float
    new_score: float


@dataclass
class ProposalDiff:
    program: str
    added: list[PairChange] = field(default_factory=list)  # a mentee matched who was not before
    removed: list[PairChange] = field(default_factory=list)  # a mentee no longer matched
    reassigned: list[Reassignment] = field(default_factory=list)  # same mentee, other mentor(s)
    changed: list[PairChange] = field(default_factory=list)  # same pair, other status or score
    newly_unmatched: list[tuple[str, str]] = field(default_factory=list)
    figures: list[tuple[str, object, object]] = field(default_factory=list)  # (summary figure, old, new)
    pairs: dict[tuple[str, str], ProposedPair] = field(default_factory=dict)  # the new proposal's pairs
    unmatched: list[Unmatched] = field(default_factory=list)  # everyone without a match in the new proposal
    unused: list[UnusedPlaces] = field(default_factory=list)  # mentors with places left in the new proposal

    def why(self, mentee: str, mentor: str) -> str:
        """The pair's reasons with their points, and the next-best option, in one line ("" if not known)."""
        p = self.pairs.get((mentee, mentor))
        return pair_why(p) if p is not None else ""

    def _why_of(self, mentee: str, mentors: tuple[str, ...]) -> str:
        return " / ".join(w for m in mentors if (w := self.why(mentee, m)))

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.reassigned or self.changed or self.newly_unmatched)

    def headline(self) -> str:
        parts: list[str] = []
        for n, word in ((len(self.added), "added"), (len(self.removed), "removed"),
                        (len(self.reassigned), "reassigned"), (len(self.changed), "changed")):
            if n:
                parts.append(f"{counted(n, 'pair')} {word}" if not parts else f"{n} {word}")
        if not parts:
            return "No pairs changed."
        return ", ".join(parts) + "."

    def _figure_lines(self) -> list[str]:
        out = []
        for name, old, new in self.figures:
            if old == new:
                continue
            delta = ""
            if isinstance(old, (int, float)) and isinstance(new, (int, float)):
                d = round(new - old, 4)
                delta = f" ({'+' if d > 0 else ''}{d:g})"
            out.append(f"{name.replace('_', ' ')}: {_show(old)} → {_show(new)}{delta}")
        return out

    def to_text(self) -> str:
        lines = [f"Proposal for {self.program}: {self.headline()}"]
        lines += ["  " + f for f in self._figure_lines()]

        def why(text: str) -> None:
            if text:
                lines.append(f"    why: {text}")

        for title, items in (("Added", self.added), ("Removed", self.removed)):
            if items:
                lines.append(f"{title}:")
                for c in items:
                    lines.append(f"  {c.mentee} with {c.mentor} "
                                 f"({_show(c.new_score if title == 'Added' else c.old_score)})")
                    if title == "Added":
                        why(self.why(c.mentee, c.mentor))
        if self.reassigned:
            lines.append("Reassigned:")
            for r in self.reassigned:
                lines.append(f"  {r.mentee}: {', '.join(r.old_mentors)} → {', '.join(r.new_mentors)} "
                             f"(score {_show(r.old_score)} → {_show(r.new_score)})")
                why(self._why_of(r.mentee, r.new_mentors))
        if self.changed:
            lines.append("Changed:")
            for c in self.changed:
                lines.append(f"  {c.mentee} with {c.mentor}: {_change(c)}")
                why(self.why(c.mentee, c.mentor))
        if self.unmatched:
            lines.append("Without a match:")
            new = {m for m, _ in self.newly_unmatched}
            for u in self.unmatched:
                lines.append(f"  {u.mentee}{' (new)' if u.mentee in new else ''}: {u.reason}")
                if u.would_match:
                    lines.append(f"    would match: {u.would_match}")
        if self.unused:
            lines.append("Mentors with places left:")
            lines += [f"  {u.mentor} ({counted(u.places, 'place')}): {u.reason}" for u in self.unused]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """For the pull-request comment: counts in words, then tables."""
        out = [f"**{self.headline()}**"]
        figures = self._figure_lines()
        if figures:
            out += ["", "; ".join(f[0].upper() + f[1:] for f in figures[:1]) + ("; " + "; ".join(figures[1:])
                                                                                 if figures[1:] else "") + "."]
        return "\n".join(out + self._pair_tables() + self._unplaced_tables()) + "\n"

    def _pair_tables(self) -> list[str]:
        """The Markdown tables of added, removed, reassigned and changed pairs (none for an empty list)."""
        out: list[str] = []
        if self.added:
            out += ["", "Added pairs:", "", "| Mentee | Mentor | Status | Score | Why |", "|---|---|---|---:|---|"]
            out += [f"| `{c.mentee}` | `{c.mentor}` | {c.new_status} | {_show(c.new_score)} | "
                    f"{_cell(self.why(c.mentee, c.mentor))} |" for c in self.added]
        if self.removed:
            out += ["", "Removed pairs:", "", "| Mentee | Mentor | Status | Score |", "|---|---|---|---:|"]
            out += [f"| `{c.mentee}` | `{c.mentor}` | {c.old_status} | {_show(c.old_score)} |" for c in self.removed]
        if self.reassigned:
            out += ["", "Reassigned mentees:", "", "| Mentee | Before | After | Score | Why |",
                    "|---|---|---|---:|---|"]
            out += [f"| `{r.mentee}` | {', '.join(f'`{m}`' for m in r.old_mentors)} | "
                    f"{', '.join(f'`{m}`' for m in r.new_mentors)} | {_show(r.old_score)} → {_show(r.new_score)} | "
                    f"{_cell(self._why_of(r.mentee, r.new_mentors))} |" for r in self.reassigned]
        if self.changed:
            out += ["", "Changed pairs:", "", "| Mentee | Mentor | Change | Why |", "|---|---|---|---|"]
            out += [f"| `{c.mentee}` | `{c.mentor}` | {_change(c)} | {_cell(self.why(c.mentee, c.mentor))} |"
                    for c in self.changed]
        return out

    def _unplaced_tables(self) -> list[str]:
        """The Markdown tables of mentees without a match and mentors with places left."""
        out: list[str] = []
        if self.unmatched:
            new = {m for m, _ in self.newly_unmatched}
            out += ["", "Without a match:", "", "| Mentee | Since | Reason | What would match them |",
                    "|---|---|---|---|"]
            out += [f"| `{u.mentee}` | {'this change' if u.mentee in new else 'before'} | {_cell(u.reason)} | "
                    f"{_cell(u.would_match or '–')} |" for u in self.unmatched]
        if self.unused:
            out += ["", "Mentors with places left:", "", "| Mentor | Places | Why |", "|---|---:|---|"]
            out += [f"| `{u.mentor}` | {u.places} | {_cell(u.reason)} |" for u in self.unused]
        return out


def pair_why(p: ProposedPair) -> str:
    """A pair's reasons with their points ("skills 30: offers sql; ..."), then its next-best option."""
    bits = [f"{name.replace('_', ' ')} {_points(p.why[name])}: {text}" if name in p.why else f"{name}: {text}"
            for name, text in p.reasons.items() if p.why.get(name, 1) > 0 or name == "skills"]
    nb = p.next_best
    if nb:
        other = nb.get("mentor") or nb.get("peer")
        booked = ", fully booked" if nb.get("fully_booked") else ""
        bits.append(f"next best: {other} ({_show(nb.get('score'))}{booked})")
    return "; ".join(bits)


def _points(x: float) -> str:
    return f"{x:g}"


def _cell(text: str) -> str:
    """Text for a table cell: no pipes or line breaks."""
    return text.replace("|", "/").replace("\n", " ")


def _show(x: object) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.2f}" if abs(x) >= 1 or x == 0 else f"{x:g}"
    return str(x)


def _change(c: PairChange) -> str:
    bits = []
    if c.old_status != c.new_status:
        bits.append(f"{c.old_status} → {c.new_status}")
    if c.move:
        bits.append(f"score {_show(c.old_score)} → {_show(c.new_score)} ({'+' if c.move > 0 else ''}{c.move:.2f})")
    return ", ".join(bits)


def _active(p: ProposedPair) -> bool:
    return PairStatus(p.status) != PairStatus.ENDED


def diff_proposals(old: Proposal | None, new: Proposal) -> ProposalDiff:
    """What changed from `old` to `new` (None: everything in `new` is added)."""
    d = ProposalDiff(program=new.program)
    old_pairs = {(p.mentee, p.mentor): p for p in (old.pairs if old else [])}
    new_pairs = {(p.mentee, p.mentor): p for p in new.pairs}
    if not new.summary.get("suggestions_per_mentee"):  # in choice mode suggestions change as a list, pair by pair
        d.reassigned = _reassignments(_active_by_mentee(old_pairs), _active_by_mentee(new_pairs))
    _pair_changes(d, old_pairs, new_pairs, {r.mentee for r in d.reassigned})
    was_unmatched = {u.mentee for u in (old.unmatched if old else [])}
    d.newly_unmatched = [(u.mentee, u.reason) for u in new.unmatched if u.mentee not in was_unmatched]
    d.unmatched = list(new.unmatched)
    d.unused = list(new.unused)
    d.pairs = new_pairs
    old_summary = old.summary if old else {}
    for name in ("matched", "unmatched", "total_score", "mean_score", "lowest_score"):
        if name in new.summary or name in old_summary:
            d.figures.append((name, _number(old_summary.get(name)), _number(new.summary.get(name))))
    return d


_Pairs = dict[tuple[str, str], ProposedPair]  # (mentee, mentor) -> the pair


def _active_by_mentee(pairs: _Pairs) -> dict[str, list[ProposedPair]]:
    """Each mentee's pairs that have not ended."""
    by_mentee: dict[str, list[ProposedPair]] = {}
    for p in pairs.values():
        if _active(p):
            by_mentee.setdefault(p.mentee, []).append(p)
    return by_mentee


def _reassignments(old_by_mentee: dict[str, list[ProposedPair]],
                   new_by_mentee: dict[str, list[ProposedPair]]) -> list[Reassignment]:
    """The mentees in both proposals whose mentors are all new, by mentee."""
    reassigned = []
    for mentee in sorted(set(old_by_mentee) & set(new_by_mentee)):
        before = sorted(p.mentor for p in old_by_mentee[mentee])
        after = sorted(p.mentor for p in new_by_mentee[mentee])
        if not set(before) & set(after):
            reassigned.append(Reassignment(mentee, tuple(before), tuple(after),
                                           round(sum(p.score for p in old_by_mentee[mentee]), 2),
                                           round(sum(p.score for p in new_by_mentee[mentee]), 2)))
    return reassigned


def _pair_changes(d: ProposalDiff, old_pairs: _Pairs, new_pairs: _Pairs, reassigned: set[str]) -> None:
    """The pairs added, removed and changed (status, score or rank) into `d`, a reassigned mentee's left out."""
    for key in sorted(set(old_pairs) | set(new_pairs)):
        o, n = old_pairs.get(key), new_pairs.get(key)
        if key[0] in reassigned:
            continue
        if o is None and n is not None and _active(n):
            d.added.append(PairChange(key[0], key[1], None, _status(n), None, n.score))
        elif n is None and o is not None and _active(o):
            d.removed.append(PairChange(key[0], key[1], _status(o), None, o.score, None))
        elif o is not None and n is not None and (o.status != n.status or round(o.score - n.score, 2) != 0
                                                  or o.rank != n.rank):
            d.changed.append(PairChange(key[0], key[1], _status(o), _status(n), o.score, n.score))


def _number(x: object) -> object:
    """Summary figures read back from a file may be strings (the strict reader types nothing): make them numbers."""
    if isinstance(x, str):
        for kind in (int, float):
            try:
                return kind(x)
            except ValueError:
                pass
    return x


def _status(p: ProposedPair) -> str:
    return PairStatus(p.status).value
