"""Personal data outside the declared tables: every file of the repository, and every file a pull request's history
added, looked at for what must never be committed.

The declared tables are checked cell by cell (`tables`); this module looks at everything else a coordinator could
save into the repository by mistake: a roster or a form export, the pseudonym key, a private key, an e-mail address
or a phone number in a handbook, an agenda, a proposal's notes, and files too large to review. Organisation
addresses listed under a program's `contacts:` are allowed wherever they appear, as are the reserved example domains
(RFC 2606) that documentation uses.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Set
from pathlib import Path, PurePosixPath

from ..errors import Problem
from ..model import Program
from . import layout
from .pii import EMAIL, PHONE, has_email

# Folders that are not part of what a repository publishes or reviews: tooling, builds, and the coordinator's private
# folder (git-ignored by the starter); and checkouts the workflows make inside the workspace (.mentorkit-base/...).
NOT_THE_REPOSITORY = {".git", ".venv", ".venv-lock", "node_modules", "site", "build", "dist", "__pycache__",
                      ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "private", "mentoring-private"}
# The kit's own code, tests and benchmarks: only in the kit's repository, and full of example data on purpose.
KIT_CODE = {"scripts", "tests", "bench"}
SKIPPED = NOT_THE_REPOSITORY | KIT_CODE  # what the privacy scan leaves out
TEXT_SUFFIXES = {".md", ".markdown", ".yaml", ".yml", ".csv", ".tsv", ".txt", ".json", ".html", ".htm", ".ics",
                 ".eml", ".toml", ".cfg", ".ini", ".xml"}
KEY_NAMES = re.compile(r"(?i)(\.(key|pem|p12|pfx|gpg|asc|kdbx)|^id_(rsa|dsa|ecdsa|ed25519))$")
SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods", ".numbers", ".vcf"}
# Column titles of a roster or of a form export (Google Forms, Microsoft Forms): names and contact details.
PERSONAL_COLUMNS = {"name", "full name", "first name", "last name", "surname", "given name", "family name",
                    "email", "e-mail", "email address", "e-mail address", "phone", "phone number", "mobile",
                    "telephone", "responder", "respondent"}
DATA_FOLDERS = (layout.PROGRAMS, layout.AGENDAS, layout.PARTICIPANTS, layout.MATCHES, layout.TEMPLATES, layout.DOCS,
                layout.FORMS, layout.SCHEMAS)
MAX_FILE_BYTES = 20 * 1024 * 1024  # any file: a repository for review, not for storage
MAX_TEXT_BYTES = 2 * 1024 * 1024  # a text file a person reviews (a handbook page, an agenda)
EXAMPLE_DOMAIN = re.compile(r"(?i)@(?:[\w-]+\.)*(example\.(com|org|net)|[\w-]+\.(test|example|invalid|localhost))$")
CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ", "||||||| ")
DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}")


def repository_files(root: Path, skipped: Set[str] = NOT_THE_REPOSITORY) -> Iterator[str]:
    """Every file a commit could take in, as a POSIX path relative to `root`, in a fixed order, leaving out the
    top-level folders named in `skipped`.

    In a git checkout that is what git itself would add: tracked files and untracked ones that no .gitignore rule
    excludes (the private folder, builds and virtual environments are ignored there). Elsewhere, the folders
    that are never part of a repository are skipped by name.
    """
    def kept(top: str) -> bool:
        return top not in skipped and not top.startswith((".mentorkit-", ".venv")) and not top.endswith(".egg-info")

    if (root / ".git").exists():
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                capture_output=True, check=False)
        if listed.returncode == 0:
            names = sorted({name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name})
            yield from (name for name in names if kept(PurePosixPath(name).parts[0])
                        and ((root / name).is_file() or (root / name).is_symlink()))
            return
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if kept(d) and d not in NOT_THE_REPOSITORY)
        for name in sorted(names):
            yield (Path(folder, name).relative_to(root)).as_posix()


def _found_phone(line: str) -> bool:
    for match in PHONE.finditer(line):
        digits = sum(ch.isdigit() for ch in match.group())
        if 9 <= digits <= 15 and not DATE_OR_TIME.search(match.group()):
            return True
    return False


def _personal_header(text: str, rel: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if rel.endswith(".tsv") or first.count("\t") > first.count(",") else ","
    if first.count(";") > first.count(delimiter):
        delimiter = ";"
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
    except csv.Error:  # a cell over the csv module's limit (128 KB): the titles are still the text between delimiters
        header = first.split(delimiter)
    return any(cell.strip().strip('"').lower() in PERSONAL_COLUMNS for cell in header)


def size_problem(rel: str, size: int) -> Problem | None:
    """A file too large to review: any file over 20 MB, a text file over 2 MB but a proposal (the kit writes it,
    about 1 KB a pair, and its reader caps it by the participant table)."""
    path = PurePosixPath(rel)
    text = path.suffix.lower() in TEXT_SUFFIXES and not (str(path.parent) == layout.MATCHES and path.suffix == ".yaml")
    limit = MAX_TEXT_BYTES if text else MAX_FILE_BYTES
    if size <= limit:
        return None
    return Problem(rel, "file-too-large", f"the file is {size:,} bytes, over the {limit:,} bytes a reviewed "
                   "repository holds", hint="split it, or keep it outside the repository")


def scan_file(rel: str, raw: bytes, allowed: Iterable[str] = ()) -> list[Problem]:
    """What in one file (its bytes, its path) must not be in the repository; the same for a file of the history."""
    suffix = PurePosixPath(rel).suffix.lower()
    if (refused := _whole_file_problem(rel, suffix, len(raw))) is not None:
        return [refused]
    if suffix not in TEXT_SUFFIXES or b"\0" in raw[:8192]:
        return []
    text = raw.decode("utf-8", errors="replace")
    if suffix in (".csv", ".tsv") and _personal_header(text, rel):
        return [Problem(rel, "private-file", "the first row names people's names or contact details: a roster or "
                        "a form export", row=1, hint="move it to the private folder; `mentorkit intake` turns a "
                        "sign-up export into pseudonymized rows")]
    # Whole-text searches first: a line's match is a match in the whole text too (a line break satisfies the
    # patterns' edges), so a text without one needs no line-by-line look (most files).
    emails_here = has_email(text)
    phones_here = PHONE.search(text) is not None
    if not (emails_here or phones_here or any(marker in text for marker in CONFLICT_MARKERS)):
        return []
    return _line_problems(rel, text, emails_here, phones_here, {a.lower() for a in allowed})


def _whole_file_problem(rel: str, suffix: str, size: int) -> Problem | None:
    """A file refused whatever it holds: a key file, a spreadsheet or contact card, a file too large."""
    name = PurePosixPath(rel).name
    if name == "mentorkit.key" or KEY_NAMES.search(name):
        return Problem(rel, "private-file", "this looks like a key file (the pseudonym key, or a private key)",
                       hint="delete it from the repository (and its history); keys belong in the private folder")
    if suffix in SPREADSHEETS:
        return Problem(rel, "private-file", "a spreadsheet or contact card: form exports and rosters hold names",
                       hint="keep it in the private folder; if it holds no personal data, save it as CSV for review")
    return size_problem(rel, size)


def _line_problems(rel: str, text: str, emails_here: bool, phones_here: bool, allowed_emails: set[str]) -> list[Problem]:
    """Line by line: merge conflict markers, e-mail addresses (but the allowed ones and examples), phone numbers;
    at most the first 20."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(CONFLICT_MARKERS):
            problems.append(Problem(rel, "merge-conflict", "the file still holds the markers of a merge conflict",
                                    line=number, hint="keep the right lines between <<<<<<< and >>>>>>>, then delete "
                                    "the three marker lines (or resolve it in GitHub's conflict editor)"))
            break
        found = EMAIL.finditer(line) if emails_here and "@" in line else ()  # no '@', no address: not searched
        emails = [m.group().strip("<>()[]{}'\",;:.`*_").lower() for m in found]
        emails = [e.removeprefix("mailto:") for e in emails]
        if any(e not in allowed_emails and not EXAMPLE_DOMAIN.search(e) for e in emails):
            problems.append(Problem(rel, "pii-email", "this line holds an e-mail address; the repository holds "
                                    "pseudonyms only", line=number, hint="remove it; list the organisation's own "
                                    "addresses under a program's contacts:, where they are allowed"))
        elif phones_here and _found_phone(line):
            problems.append(Problem(rel, "pii-phone", "this line holds what looks like a phone number",
                                    line=number, hint="remove it: contact details belong in the private roster"))
        if len(problems) >= 20:  # a whole roster pasted in: the first lines say enough
            break
    return problems


def scan_repository(root: Path, declared: Iterable[str], allowed: Iterable[str] = ()) -> list[Problem]:
    """Every file of the repository but the declared tables (checked cell by cell), scanned with `scan_file`;
    and the data folders, which must be folders of their own (the kit writes into them), not links."""
    root, declared, allowed = Path(root), set(declared), list(allowed)
    problems = [Problem(folder, "linked-folder", "this folder is a link; the kit reads and writes the files in it, so "
                        "it must be a real folder of the repository", hint="replace the link with the folder itself")
                for folder in DATA_FOLDERS if (root / folder).is_symlink()]
    for rel in repository_files(root, SKIPPED):
        path = root / rel
        if rel in declared or path.is_symlink():  # links are refused where they are read
            continue
        try:
            if (too_large := size_problem(rel, path.stat().st_size)) is not None:
                problems.append(too_large)
                continue
            raw = path.read_bytes()
        except OSError:
            continue  # unreadable files are reported by the reader that needs them
        problems += scan_file(rel, raw, allowed)
    return problems


def contact_addresses(programs: Iterable[Program]) -> set[str]:
    """The e-mail addresses the programs list in `contacts:` (the organisation's own): allowed anywhere."""
    return {m.group().removeprefix("mailto:").strip("<>()").lower()
            for program in programs for contact in program.contacts for m in EMAIL.finditer(contact.how)}

