"""`mentorkit erase EMAIL --private DIR`: a request to erase a person's data (GDPR article 17).

- The person's line leaves the private roster, so nothing on the coordinator's computer names them any more, and
  the private records that name their pseudonym lose those lines (introductions written, meetings booked) or the
  pseudonym (the record of e-mails sent keeps its lines, so nothing is ever sent twice).
- In the repository their pseudonym is replaced everywhere (tables, proposals, program files) by a new, random
  one. The key turns their e-mail address into the old pseudonym only, which no current file holds any more:
  their remaining answers and records (kept so the program's totals stay true) can no longer be linked to them,
  by anyone, with or without the key. The new pseudonym is random on purpose: one derived from the key or the
  old pseudonym could be derived again.
- What this cannot reach is Git history: earlier commits still hold the old pseudonym beside their answers.
  docs/coordinator-tools.md says so plainly, and how the history is rewritten if the request needs it.

All files, private and repository, are validated as they would be, then written together.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MentorkitError
from ..model import PSEUDONYM_HEX_DIGITS, PSEUDONYM_PREFIX
from ..repo.load import load_workspace
from ..repo.rename import renamed
from ..text.counts import counted
from .candidate import validate_candidate
from .intros import SENT_COLUMNS, SENT_FILE
from .pseudonyms import PrivateStore, csv_text, read_private_csv
from .report import CommandReport
from .send import SENT_COLUMNS as MAIL_COLUMNS
from .send import SENT_LOG
from .slots import DIARY_COLUMNS, DIARY_FILE

PRIVATE_RECORDS = ((SENT_FILE, SENT_COLUMNS), (DIARY_FILE, DIARY_COLUMNS), (SENT_LOG, MAIL_COLUMNS))


@dataclass(kw_only=True)
class EraseReport(CommandReport):
    old: str = ""
    new: str = ""
    files: tuple[str, ...] = ()

    def as_text(self) -> str:
        verb = "would replace" if self.dry_run else "replaced"
        lines = [f"erasure: the roster entry of {self.old} {'would be' if self.dry_run else 'was'} removed",
                 f"  {verb} {self.old} with the unlinked {self.new} in {counted(len(self.files), 'file')}"]
        lines += [f"    {f}" for f in self.files]
        lines.extend(self.problem_lines("  ", "problem: "))
        lines.extend(self.note_lines())
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "files": list(self.files), "dry_run": self.dry_run, "ok": self.ok,
                "problems": [p.to_dict() for p in self.problems], "notes": list(self.notes)}


def _without(path: Path, columns: tuple[str, ...], code: str) -> tuple[Path, str, bool] | None:
    """The private record without the lines naming `code`; the record of e-mails sent keeps its lines (so nothing
    is ever sent again) with the pseudonym in the file name blanked out."""
    if not path.is_file():
        return None
    rows = read_private_csv(path, columns)
    if path.name == SENT_LOG:
        kept = [{**r, "file": r["file"].replace(code, "erased")} for r in rows]
    else:
        kept = [r for r in rows if not any(code in v for v in r.values())]
    if kept == rows:
        return None
    return path, csv_text(columns, ([r[c] for c in columns] for r in kept)), True


def erase(root: Path, email: str, private_dir: Path, *, dry_run: bool = False) -> EraseReport:
    """Remove the person with `email` from the roster and unlink their pseudonym in the repository."""
    root = Path(root).resolve()
    ws = load_workspace(root)
    store = PrivateStore(private_dir, root, create=not dry_run)
    code = store.pseudonym_of(email)
    if code not in store:
        raise MentorkitError(f"{email} is not in the private roster of {private_dir}: check the address, and that "
                             "--private names the folder intake used")
    taken = set(ws.participants)
    new = code
    while new in taken or new == code:  # random: nothing can derive it again (see the module's docstring)
        new = PSEUDONYM_PREFIX + secrets.token_hex(PSEUDONYM_HEX_DIGITS // 2)
    files = renamed(root, code, new)
    report = EraseReport(old=code, new=new, files=tuple(sorted(files)), dry_run=dry_run)
    report.extend(validate_candidate(root, files))
    if not report.ok or dry_run:
        return report
    store.forget(code)
    private = [f for name, columns in PRIVATE_RECORDS
               if (f := _without(store.directory / name, columns, code)) is not None]
    store.save(also=[*private, *((root / rel, text, False) for rel, text in files.items())])
    report.notes.append("commit the changed files in a pull request. Git history still holds the old pseudonym "
                        "beside their answers: see 'A request to erase someone's data' in the coordinator tools "
                        "guide for what that means and how to remove it")
    report.notes.append("delete any .eml files or review packets you kept that name them")
    return report


__all__ = ["EraseReport", "erase"]
