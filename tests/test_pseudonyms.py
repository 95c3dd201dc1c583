"""Keyed pseudonyms, the private folder's location, key and roster."""

import csv
import hashlib
import hmac
import os
import re
import stat

import pytest

from mentorkit.coordinator.pseudonyms import (
    KEY_FILE,
    ROSTER_FILE,
    PrivateStore,
    check_outside,
    check_private_dir,
    escape_cell,
    normalise_identifier,
    pseudonym,
    unescape_cell,
)
from mentorkit.errors import PrivateDataError, PseudonymCollision, UnsafePath
from mentorkit.model import PSEUDONYM_PATTERN

KEY = bytes(range(32))


def test_pseudonym_is_hmac_sha256_of_the_normalised_identifier():
    expected = "mk-" + hmac.new(KEY, b"ada.l@example.org", hashlib.sha256).hexdigest()[:8]
    assert pseudonym(KEY, "ada.l@example.org") == expected
    assert pseudonym(KEY, "  Ada.L@Example.ORG \n") == expected
    assert re.match(PSEUDONYM_PATTERN, expected)


def test_another_key_gives_another_pseudonym():
    other = bytes(reversed(range(32)))
    assert pseudonym(KEY, "ada.l@example.org") != pseudonym(other, "ada.l@example.org")


def test_normalisation_is_nfc_trim_lower():
    assert normalise_identifier(" Ze\u0301lia@EXAMPLE.org ") == "z\u00e9lia@example.org"


def test_empty_identifier_and_short_key_are_refused():
    with pytest.raises(ValueError):
        pseudonym(KEY, "   ")
    with pytest.raises(PrivateDataError):
        pseudonym(b"short", "a@example.org")


# --- where the private folder may be ---


def test_private_folder_inside_the_workspace_is_refused(tmp_path):
    root = tmp_path / "repo"
    (root / "program").mkdir(parents=True)
    with pytest.raises(UnsafePath, match="inside the repository"):
        check_private_dir(root / "private", root)
    with pytest.raises(UnsafePath):
        check_private_dir(root, root)
    assert check_private_dir(tmp_path / "private", root) == (tmp_path / "private").resolve()


def test_private_folder_inside_the_git_work_tree_is_refused(tmp_path):
    git_root = tmp_path / "repo"
    (git_root / ".git").mkdir(parents=True)
    workspace = git_root / "mentoring"
    workspace.mkdir()
    with pytest.raises(UnsafePath):
        check_private_dir(git_root / "secrets", workspace)  # outside the workspace, inside the Git repository


def test_a_symlink_into_the_repository_is_refused(tmp_path):
    root = tmp_path / "repo"
    (root / "keys").mkdir(parents=True)
    link = tmp_path / "innocent-looking"
    link.symlink_to(root / "keys")
    with pytest.raises(UnsafePath):
        check_private_dir(link, root)
    with pytest.raises(UnsafePath, match="output folder"):
        check_outside(link / "sub", root, "output folder")


def test_relative_paths_are_resolved(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    with pytest.raises(UnsafePath):
        check_private_dir("private", root)
    with pytest.raises(UnsafePath):
        check_private_dir("../repo/./x", root)


# --- key ---


def test_key_is_created_on_save_with_owner_only_permissions(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    store = PrivateStore(private, root)
    code = store.enrol("ada@example.org", "Ada L")
    assert not private.exists(), "nothing is written before save()"
    store.save()
    key = (private / KEY_FILE).read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    if os.name == "posix":
        assert stat.S_IMODE((private / KEY_FILE).stat().st_mode) == 0o600
        assert stat.S_IMODE((private / ROSTER_FILE).stat().st_mode) == 0o600
    assert key not in repr(store)
    again = PrivateStore(private, root)
    assert again.pseudonym_of("ADA@example.org") == code
    assert again.lookup(code).name == "Ada L"


def test_a_dry_run_store_writes_nothing(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    store = PrivateStore(private, root, create=False)
    store.enrol("ada@example.org", "Ada")
    assert store.provisional
    with pytest.raises(PrivateDataError):
        store.save()
    assert not private.exists()


def test_an_existing_key_is_never_replaced(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    private.mkdir()
    (private / KEY_FILE).write_text("ab" * 32 + "\n")
    store = PrivateStore(private, root)
    assert store.pseudonym_of("x@example.org") == pseudonym(bytes.fromhex("ab" * 32), "x@example.org")
    store.enrol("x@example.org", "X")
    store.save()
    assert (private / KEY_FILE).read_text() == "ab" * 32 + "\n"


def test_a_broken_key_is_reported_without_showing_it(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    private.mkdir()
    (private / KEY_FILE).write_text("not-a-key-SECRETVALUE")
    with pytest.raises(PrivateDataError) as exc:
        PrivateStore(private, root).pseudonym_of("x@example.org")
    assert "SECRETVALUE" not in str(exc.value)


def test_a_roster_without_its_key_is_refused(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    private.mkdir()
    (private / ROSTER_FILE).write_text("pseudonym,name,email\nmk-12345678,Ada,ada@example.org\n")
    with pytest.raises(PrivateDataError, match=r"no mentorkit\.key"):
        PrivateStore(private, root).pseudonym_of("new@example.org")


# --- roster ---


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "'quoted", "\tTab", "plain"])
def test_escaping_is_reversible(value):
    escaped = escape_cell(value)
    if value != "plain":
        assert escaped.startswith("'")
    assert unescape_cell(escaped) == value


def test_roster_cells_a_spreadsheet_would_run_are_escaped(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    store = PrivateStore(private, root)
    code = store.enrol("eve@example.org", '=HYPERLINK("http://evil.example","Eve")')
    store.save()
    with open(private / ROSTER_FILE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["name"].startswith("'=")
    assert PrivateStore(private, root).lookup(code).name == '=HYPERLINK("http://evil.example","Eve")'


def test_names_lose_line_breaks_and_control_characters(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    store = PrivateStore(tmp_path / "private", root)
    code = store.enrol("x@example.org", "Ada\r\nBcc: spam@example.org\x00")
    assert store.lookup(code).name == "Ada Bcc: spam@example.org"


def test_a_collision_in_the_roster_fails_clearly(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    private.mkdir()
    (private / KEY_FILE).write_text("cd" * 32 + "\n")
    first, second = colliding_addresses(bytes.fromhex("cd" * 32))  # a real collision: the key fits the roster
    code = pseudonym(bytes.fromhex("cd" * 32), first)
    (private / ROSTER_FILE).write_text(f"pseudonym,name,email\n{code},Someone Else,{first}\n")
    with pytest.raises(PseudonymCollision, match=code):
        PrivateStore(private, root).pseudonym_of(second)


def colliding_addresses(key: bytes) -> tuple[str, str]:
    """Two addresses with one 8-digit pseudonym, by a birthday search (about 80,000 tries)."""
    seen: dict[str, str] = {}
    for n in range(2_000_000):
        address = f"p{n}@example.org"
        code = pseudonym(key, address)
        if code in seen:
            return seen[code], address
        seen[code] = address
    raise AssertionError("no collision found")


def test_a_roster_with_two_addresses_for_one_pseudonym_is_refused(tmp_path):
    root, private = tmp_path / "repo", tmp_path / "private"
    root.mkdir()
    private.mkdir()
    (private / KEY_FILE).write_text("cd" * 32 + "\n")
    (private / ROSTER_FILE).write_text("pseudonym,name,email\nmk-00000001,A,a@example.org\nmk-00000001,B,b@example.org\n")
    with pytest.raises(PseudonymCollision):
        PrivateStore(private, root)
