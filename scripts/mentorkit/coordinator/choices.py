"""`mentorkit import-choices`: mentees' answers to the suggestions e-mail become approved pairs.

The answers come as a CSV export (a form, or a sheet the coordinator filled in
from the replies), read like every other export (`exports.read_export`: refused
inside the repository, any common encoding and delimiter). Its columns:

- the mentee's work e-mail address (any title the sign-up form accepts, such as
  "Email address");
- one or more choice columns: a title holding "choice" ("First choice", "Second
  choice", ...), in the order of the columns. Each answer is a letter of the
  suggestions e-mail (``A``, ``Mentor B``, ``b``).

The letters are those of `messages.suggestions_by_mentee`: the proposal's
suggestions for that mentee by rank. Rows are taken in the export's order
(first come, first served): a mentee gets their first choice whose mentor has a
place left (mentor_capacity minus the pairs already approved), else the next
choice. A row that cannot be used (unknown address, no suggestions, a letter
that is not one of theirs, every choice fully booked) is a problem naming its
row and column; the other rows are used. The chosen pairs are approved through
`proposals.approval.approve` and the proposal file is written once, whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import MentorkitError, PrivateDataError, Problem
from ..model import PairStatus, Proposal, ProposedPair, Workspace
from ..model.questions import IDENTITY_HEADERS
from ..proposals.approval import approve
from ..repo.layout import proposal_file
from ..repo.load import load_workspace
from ..repo.proposal_files import save_proposal
from .exports import normalise_header, read_export, shape_problems
from .messages import LETTERS, suggestions_by_mentee
from .pseudonyms import KEY_FILE, PrivateStore, check_outside
from .report import Change, ImportReport

LETTER = re.compile(r"^(?:mentor\s+)?([a-j])\.?$", re.IGNORECASE)


def _columns(header: list[str], name: str) -> tuple[int, list[int]]:
    keys = [normalise_header(h) for h in header]
    email = next((i for i, k in enumerate(keys) if k in IDENTITY_HEADERS["email"]), None)
    choices = [i for i, k in enumerate(keys) if "choice" in k]
    if email is None or not choices:
        missing = ("an e-mail address column (e.g. 'Email address')" if email is None else "") + \
                  (" and " if email is None and not choices else "") + \
                  ("a choice column (e.g. 'First choice')" if not choices else "")
        raise MentorkitError(f"{name}: the export has no {missing}; its columns are: {', '.join(header)}")
    return email, choices


def import_choices(root: Path, export_path: Path, program_id: str, private_dir: Path, *,
                   dry_run: bool = False, encoding: str | None = None) -> ImportReport:
    """Approve each answering mentee's chosen suggestion; write the proposal file (unless a dry run)."""
    root = Path(root).resolve()
    ws, proposal, store = _sources(root, export_path, program_id, private_dir)
    export = read_export(export_path, root, encoding)
    report = ImportReport(kind="choices", export=export.name, dry_run=dry_run, all_or_nothing=False)
    email_col, choice_cols = _columns(export.header, export.name)
    rows, problems = shape_problems(export)
    report.extend(problems)
    suggestions = suggestions_by_mentee(proposal.pairs)
    taken: dict[str, int] = {}  # mentor -> their approved pairs
    for p in proposal.pairs:
        if PairStatus(p.status) == PairStatus.APPROVED:
            taken[p.mentor] = taken.get(p.mentor, 0) + 1
    chosen: list[tuple[str, str]] = []
    decided: set[str] = {p.mentee for p in proposal.pairs if PairStatus(p.status) == PairStatus.APPROVED}

    def reject(number: int, column: int, message: str, code: str = "invalid-answer", hint: str | None = None) -> None:
        report.add(Problem(export.name, code, message, row=number, field=export.header[column], hint=hint))

    for number, cells in rows:
        address = cells[email_col].strip()
        mentee = store.pseudonym_of(address) if address else None
        if mentee is None or mentee not in suggestions:
            reject(number, email_col, "this address has no suggestions in the proposal" if address else
                   "the row has no e-mail address", "unknown-person",
                   "check the address against the one the suggestions e-mail went to")
            continue
        if mentee in decided:
            report.unchanged.append(Change(number, mentee, "already has an approved mentor"))
            continue
        wanted = _wanted(number, cells, choice_cols, suggestions[mentee], reject)
        if not wanted:
            if not any(cells[c].strip() for c in choice_cols):
                reject(number, choice_cols[0], "the row has no choice", "missing-value")
            continue
        if (taken_place := _first_free(ws, wanted, taken)) is not None:
            mentor, n = taken_place
            chosen.append((mentee, mentor))
            decided.add(mentee)
            report.added.append(Change(number, f"{mentee}:{mentor}", f"choice {n}"))
        else:
            reject(number, wanted[0][0], "every mentor this mentee chose is fully booked", "mentor-full",
                   "send them the suggestions again after the next match, or approve a pair by hand")
    if chosen and not dry_run:
        new, _ = approve(proposal, chosen)
        rel, _ = save_proposal(root, new)
        report.written.append(rel)
    if chosen:
        report.notes.append("next: commit the proposal file, then `mentorkit intros` introduces the approved pairs")
    return report


def _sources(root: Path, export_path: Path, program_id: str,
             private_dir: Path) -> tuple[Workspace, Proposal, PrivateStore]:
    """The workspace, the program's proposal and the private folder with its key; a clear error when the
    program does not match by choice, has no proposal yet, or the folder holds no key."""
    check_outside(export_path, root, "export")  # before the repository is read: it would count the export too
    ws = load_workspace(root)
    program = ws.program(program_id)
    if program.matching.mode != "choice":
        raise MentorkitError(f"{program_id} matches in assign mode: choices are for matching.mode: choice")
    proposal = ws.proposals.get(program_id)
    if proposal is None:
        raise MentorkitError(f"there is no proposal for {program_id} yet ({proposal_file(program_id)}): "
                             f"run `mentorkit match {program_id}` first")
    store = PrivateStore(private_dir, root, create=False)
    if not (store.directory / KEY_FILE).is_file():
        raise PrivateDataError(f"there is no {KEY_FILE} in {store.directory}: use the private folder that "
                               "`mentorkit intake` used for this program's participants")
    return ws, proposal, store


def _first_free(ws: Workspace, wanted: list[tuple[int, str, int]], taken: dict[str, int]) -> tuple[str, int] | None:
    """The first chosen mentor with a free place, taken (counted in `taken`), and the choice's number; None when
    every one is fully booked."""
    for _col, mentor, n in wanted:
        capacity = ws.participants[mentor].mentor_capacity if mentor in ws.participants else 0
        if taken.get(mentor, 0) < capacity:
            taken[mentor] = taken.get(mentor, 0) + 1
            return mentor, n
    return None


def _wanted(number: int, cells: list[str], choice_cols: list[int], mine: list[ProposedPair],
            reject: Callable[..., None]) -> list[tuple[int, str, int]]:
    """The mentors a row chose, in its order of preference: (column, mentor, choice number); a letter that is
    not one of the mentee's suggestions is rejected."""
    wanted: list[tuple[int, str, int]] = []
    for n, col in enumerate(choice_cols, start=1):
        answer = cells[col].strip()
        if not answer:
            continue
        m = LETTER.match(answer)
        index = LETTERS.index(m.group(1).upper()) if m else -1
        if index < 0 or index >= len(mine):
            reject(number, col, f"'{answer}' is not one of this mentee's letters "
                   f"({', '.join(LETTERS[:len(mine)])})", hint="write the letter of a mentor in their e-mail")
            continue
        wanted.append((col, mine[index].mentor, n))
    return wanted


__all__ = ["import_choices"]
