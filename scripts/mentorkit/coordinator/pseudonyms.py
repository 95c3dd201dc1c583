"""Keyed pseudonyms and the private folder (key, roster, record of introductions).

A pseudonym is ``mk-`` followed by the first 8 hex digits of
HMAC-SHA256(key, normalised identifier). The identifier is the work e-mail
address, normalised by Unicode NFC, trimming and lower-casing, so
``" Ada.L@Example.org"`` and ``"ada.l@example.org"`` are the same person.
The same key gives the same pseudonym in every program and cohort; another
key gives unrelated pseudonyms; without the key a pseudonym cannot be
reversed or recomputed from a guessed address.

The private folder holds everything that identifies people, and nothing of
it ever enters the repository:

- ``mentorkit.key``: 32 random bytes as hex, written (mode 0600, never over an
  existing key) by the first command that saves anything; a run that fails or
  a dry run leaves no key behind. It is never printed, logged or put in an
  exception message.
- ``roster.csv``: ``pseudonym,name,email``. A value that a spreadsheet would
  run as a formula (starting with ``= + - @``, tab or CR) and a value that
  starts with ``'`` are written with a leading ``'``, which reading removes
  again, so the escape is reversible.
- ``intros-sent.csv``: the pairs already introduced by `mentorkit intros`.
- ``mentorkit.pending``: only while a save is under way (see `repo.atomic.write_together`): the key, the
  roster and the repository's tables are replaced together, and a save cut short by a crash is completed
  by the next command that opens the folder.

A key is checked against the roster before use: the roster maps each address
to its pseudonym, so a different key (one from another program, a test key) is
refused instead of giving everyone a second pseudonym.

The folder must lie outside the repository: `check_private_dir` refuses a
path inside the workspace root or inside the Git work tree that holds it
(symbolic links are resolved first).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import PrivateDataError, PseudonymCollision, UnsafePath
from ..model import PSEUDONYM_HEX_DIGITS, PSEUDONYM_PREFIX
from ..repo.atomic import finish_pending, private_folder, write_together

KEY_FILE = "mentorkit.key"
PENDING_FILE = "mentorkit.pending"  # the journal of a save under way
ROSTER_FILE = "roster.csv"
ROSTER_COLUMNS = ("pseudonym", "name", "email")
_KEY_TEXT = re.compile(r"^[0-9a-f]{64}$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- pseudonyms -------------------------------------------------------------


def normalise_identifier(value: str) -> str:
    """The form of an identifier that is hashed: NFC, trimmed, lower-case."""
    return unicodedata.normalize("NFC", value).strip().lower()


def pseudonym(key: bytes, identifier: str) -> str:
    """``mk-`` + the first 8 hex digits of HMAC-SHA256(key, normalised identifier)."""
    if not isinstance(key, bytes) or len(key) < 16:
        raise PrivateDataError("the pseudonym key must be at least 16 bytes")
    normal = normalise_identifier(identifier)
    if not normal:
        raise ValueError("an empty identifier has no pseudonym")
    digest = hmac.new(key, normal.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_DIGITS]


# --- where the private folder may be ----------------------------------------


def repository_roots(root: Path) -> list[Path]:
    """The workspace root and the Git work tree holding it (the nearest parent with a .git), resolved."""
    root = Path(root).resolve()
    roots = [root]
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            if candidate not in roots:
                roots.append(candidate)
            break
    return roots


def inside_repository(path: Path, root: Path) -> bool:
    """True when `path` (symlinks resolved) is the repository or inside it."""
    resolved = Path(path).expanduser().resolve()
    return any(resolved == r or resolved.is_relative_to(r) for r in repository_roots(root))


def check_outside(path: Path, root: Path, what: str) -> Path:
    """The resolved `path`, or `UnsafePath` when it lies inside the repository."""
    resolved = Path(path).expanduser().resolve()
    if inside_repository(resolved, root):
        raise UnsafePath(
            f"the {what} {path} is inside the repository; everything in it could end up in a commit. "
            f"Choose a folder outside {repository_roots(root)[-1]}, for example in your home folder "
            f"or on a restricted network share")
    return resolved


def check_private_dir(path: Path, root: Path) -> Path:
    return check_outside(path, root, "private folder")


# --- formula escaping for private CSV files ---------------------------------


def escape_cell(value: str) -> str:
    """Prefix a value a spreadsheet would run as a formula (or one starting with ') with a single quote."""
    if value and (value.startswith(_FORMULA_START) or value.startswith("'")):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A private CSV file's text, every cell escaped (`escape_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell(str(v)) for v in row])
    return out.getvalue()


def read_private_csv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a private CSV file the kit wrote (escapes removed); checks the header."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PrivateDataError(f"{path} is not UTF-8 text") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return []
    if tuple(h.strip() for h in header) != columns:
        raise PrivateDataError(f"{path} does not have the expected header {','.join(columns)}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            raise PrivateDataError(f"{path}, row {number}: expected {len(columns)} cells, found {len(cells)}")
        rows.append({c: unescape_cell(v) for c, v in zip(columns, cells, strict=True)})
    return rows


# --- the private folder -----------------------------------------------------


@dataclass(frozen=True)
class RosterEntry:
    pseudonym: str
    name: str
    email: str


def _clean(value: str) -> str:
    """One line of text: no control characters (they would break e-mail headers and CSV cells)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())


class PrivateStore:
    """The key and roster of one private folder.

    Nothing is written until `save()`; `create=False` (a dry run) never
    creates the folder or the key: a missing key is replaced by a throwaway
    one, and `provisional` says that the pseudonyms shown are not final.
    """

    def __init__(self, directory: Path, root: Path, *, create: bool = True):
        self.directory = check_private_dir(directory, root)
        self.create = create
        self.warnings: list[str] = []
        self.provisional = False
        self._key: bytes | None = None
        self._roster: dict[str, RosterEntry] = {}
        self._by_email: dict[str, str] = {}
        self._dirty = False
        self._key_is_new = False
        if create:
            finish_pending(self.directory / PENDING_FILE)  # a save a crash cut short: complete it first
        elif (self.directory / PENDING_FILE).exists():
            raise PrivateDataError(f"{self.directory} holds a save that was cut short; run the command without "
                                   "--dry-run to complete it first")
        roster = self.directory / ROSTER_FILE
        if roster.is_file():
            for row in read_private_csv(roster, ROSTER_COLUMNS):
                entry = RosterEntry(row["pseudonym"].strip(), row["name"], row["email"].strip())
                self._add(entry, where=f"{roster}")

    def __repr__(self) -> str:  # never show the key
        return f"PrivateStore({str(self.directory)!r}, {len(self._roster)} people)"

    # key

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = self._load_key()
        return self._key

    def _load_key(self) -> bytes:
        path = self.directory / KEY_FILE
        if path.is_file():
            text = path.read_text(encoding="ascii", errors="replace").strip()
            if not _KEY_TEXT.match(text):
                raise PrivateDataError(f"{path} is not a mentorkit key (64 hex digits expected); "
                                       "restore it from your backup: without it the pseudonyms cannot be recomputed")
            if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                self.warnings.append(f"{path} can be read by other users; restrict it with: chmod 600 {path}")
            key = bytes.fromhex(text)
            self._check_fits_roster(key, path)
            return key
        if self._roster:
            raise PrivateDataError(f"{self.directory} has a roster but no {KEY_FILE}; restore the key from your backup "
                                   "(a new key would give everyone a new pseudonym)")
        # a new key lives in memory until save(): a run that fails or a dry run leaves nothing behind
        self.provisional = not self.create
        self._key_is_new = self.create
        return secrets.token_bytes(32)

    def _check_fits_roster(self, key: bytes, path: Path) -> None:
        """Refuse a key under which the roster's addresses would get other pseudonyms: it is not this roster's key."""
        wrong = [e for e in self._roster.values() if pseudonym(key, e.email) != e.pseudonym]
        if wrong:
            raise PrivateDataError(
                f"{path} is not the key the roster was made with: {len(wrong)} of {len(self._roster)} people in "
                f"{ROSTER_FILE} would get new pseudonyms (e.g. {wrong[0].pseudonym}), so they would be added a "
                "second time. Nothing was written. Restore the key from the backup you made when it was created "
                "(the right key gives every roster entry its own pseudonym back); if you keep several private "
                "folders, check that --private names this program's folder")

    @property
    def key_created(self) -> bool:
        return self._key_is_new

    # roster

    def _add(self, entry: RosterEntry, where: str) -> None:
        normal = normalise_identifier(entry.email)
        known = self._roster.get(entry.pseudonym)
        if known is not None and normalise_identifier(known.email) != normal:
            raise PseudonymCollision(
                f"{where}: two different e-mail addresses have the pseudonym {entry.pseudonym}. "
                "This is a rare coincidence of the 8-digit pseudonyms; nothing was written. "
                "Ask the maintainers to widen the pseudonyms, or import one of the two people separately")
        self._roster[entry.pseudonym] = entry
        self._by_email[normal] = entry.pseudonym

    def pseudonym_of(self, email: str) -> str:
        """The pseudonym for an identifier (not added to the roster)."""
        code = pseudonym(self.key, email)
        known = self._roster.get(code)
        if known is not None and normalise_identifier(known.email) != normalise_identifier(email):
            raise PseudonymCollision(
                f"two different e-mail addresses have the pseudonym {code}. This is a rare coincidence of the "
                "8-digit pseudonyms; nothing was written. Ask the maintainers to widen the pseudonyms")
        return code

    def enrol(self, email: str, name: str = "", where: str = "") -> str:
        """The person's pseudonym; adds them to the roster (or updates their name) in memory."""
        code = self.pseudonym_of(email)
        name = _clean(name)
        email = _clean(email)
        known = self._roster.get(code)
        if known is None or (name and name != known.name) or email != known.email:
            self._add(RosterEntry(code, name or (known.name if known else ""), email), where or "the export")
            self._dirty = True
        return code

    def forget(self, code: str) -> None:
        """Remove a person from the roster (erasure); saved by the next `save()`."""
        entry = self._roster.pop(code, None)
        if entry is not None:
            self._by_email.pop(normalise_identifier(entry.email), None)
            self._dirty = True

    def lookup(self, code: str) -> RosterEntry | None:
        return self._roster.get(code)

    def __contains__(self, code: str) -> bool:
        return code in self._roster

    def __len__(self) -> int:
        return len(self._roster)

    @property
    def changed(self) -> bool:
        return self._dirty

    def save(self, also: Iterable[tuple[Path, str, bool]] = ()) -> list[Path]:
        """Write a new key (mode 0600, never over one), the roster if it changed, and `also`, all or nothing.

        `also` are the repository files that depend on the key and roster (the participants table), as
        (path, text, private). Returns the private files written.
        """
        if self.provisional:
            raise PrivateDataError("a dry run never saves the key or the roster")
        private: list[tuple[Path, str, bool]] = []
        if self._key_is_new and self._key is not None:
            path = self.directory / KEY_FILE
            if path.exists():
                raise PrivateDataError(f"{path} appeared while mentorkit was running; run the command again")
            private.append((path, self._key.hex() + "\n", True))
        if self._dirty:
            rows = [(e.pseudonym, e.name, e.email) for _, e in sorted(self._roster.items())]
            private.append((self.directory / ROSTER_FILE, csv_text(ROSTER_COLUMNS, rows), True))
        files = private + list(also)  # private first: a table never refers to a pseudonym the roster lacks
        if not files:
            return []
        private_folder(self.directory)
        write_together(files, self.directory / PENDING_FILE)
        self._dirty = False
        return [path for path, _, _ in private]
