"""Personal data outside the declared tables: validate sees the whole repository.

Each attack saves into a valid repository what a coordinator could commit by mistake (or a pull request on
purpose); validate must refuse it with the file, the line where there is one, and a stable code, and keep
refusing nothing that the kit itself writes or documents.
"""

from __future__ import annotations

import pytest

from conftest import REPO, make_workspace
from mentorkit.repo.exposure import scan_file
from mentorkit.repo.load import read_workspace


def _found(root):
    return {(p.file, p.line, p.code) for p in read_workspace(root)[1].problems}


@pytest.mark.parametrize(("rel", "text", "expected"), [
    ("docs/roster.csv", "Name,Email,Pseudonym\nAna Silva,ana.silva@acme.io,mk-0000000c\n",
     {("docs/roster.csv", None, "private-file")}),
    ("participants/signups.csv", "Timestamp,Email address,Your name\n2026/01/05 10:00:00,a@b.io,Ana\n",
     {("participants/signups.csv", None, "private-file")}),
    ("participants/ms-export.csv", "ID;Start time;Completion time;Email;Name\n1;1/5/26;1/5/26;a@b.io;Ana\n",
     {("participants/ms-export.csv", None, "private-file")}),
    ("mentorkit.key", "9f" * 32 + "\n", {("mentorkit.key", None, "private-file")}),
    ("private.pem", "-----BEGIN PRIVATE KEY-----\n", {("private.pem", None, "private-file")}),
    ("docs/signups.xlsx", "PK\x03\x04", {("docs/signups.xlsx", None, "private-file")}),
    ("agendas/extra.md", "---\ntitle: Extra\nkind: session\nsummary: More.\n---\nAsk ana.silva@acme.io for a room.\n",
     {("agendas/extra.md", 6, "pii-email")}),
    ("docs/faq.md", "# FAQ\n\nCall the coordinator on +49 30 1234 5678.\n", {("docs/faq.md", 3, "pii-phone")}),
    ("docs/faq.md", "# FAQ\n\nCall (030) 123-45678 any time.\n", {("docs/faq.md", 3, "pii-phone")}),
])
def test_personal_data_anywhere_is_refused(tmp_path, rel, text, expected):
    root = make_workspace(tmp_path / "ws")
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    found = _found(root)
    assert {f for f in found if f[0] == rel} == expected, found


def test_a_proposal_note_with_an_address_is_refused(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "participants" / "matches").mkdir(parents=True)
    (root / "participants" / "matches" / "pilot.yaml").write_text(
        "program: pilot\nformat: one-to-one\npairs: []\nunmatched: []\nnotes:\n- ask jo@acme.io\n", encoding="utf-8")
    assert ("participants/matches/pilot.yaml", 6, "pii-email") in _found(root)


def test_the_organisations_contact_addresses_are_allowed_everywhere(tmp_path):
    root = make_workspace(tmp_path / "ws")
    program = root / "program" / "pilot.yaml"
    program.write_text(program.read_text(encoding="utf-8")
                       + "contacts:\n  - role: Program team\n    how: mentoring@acme.io\n", encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "faq.md").write_text("Write to <mentoring@acme.io> or see the example me@example.org.\n",
                                          encoding="utf-8")
    assert _found(root) == set()
    (root / "docs" / "faq.md").write_text("Write to mentoring@acme.io or to ana@acme.io.\n", encoding="utf-8")
    assert _found(root) == {("docs/faq.md", 1, "pii-email")}


def test_a_huge_page_is_refused_unread(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "docs").mkdir(exist_ok=True)
    with (root / "docs" / "huge.md").open("wb") as handle:
        handle.truncate(3 * 1024 * 1024)  # sparse: 3 MB of NUL, never read whole
    assert _found(root) == {("docs/huge.md", None, "file-too-large")}


@pytest.mark.parametrize("line", [
    "Sessions on 2026-01-05 2026-02-02 2026-03-02, 09:00-17:00.",  # dates and times are not phone numbers
    "Version 1.2.3, 45 minutes, 12 sessions of 60 minutes each, 2027.",
    "--hash=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "Pseudonyms look like mk-96af6c6d; scores like 72.5.",
    "types-pyyaml==6.0.12.20261113 \\",  # a pinned release whose version holds a date
    'lint = ["types-PyYAML==6.0.12.20261113", "tzdata>=2025.2.20250101"]',
])
def test_ordinary_text_is_not_taken_for_personal_data(line):
    assert scan_file("docs/page.md", line.encode()) == []


def test_the_kit_repository_and_its_demo_pass():
    assert read_workspace(REPO)[1].ok


def test_a_merge_conflict_says_so(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "faq.md").write_text("# FAQ\n<<<<<<< HEAD\nOne.\n=======\nTwo.\n>>>>>>> branch\n")
    assert _found(root) == {("docs/faq.md", 2, "merge-conflict")}


def test_the_proposals_folder_as_a_link_inside_the_repository_is_refused(tmp_path):
    root = make_workspace(tmp_path / "ws")
    (root / "docs" / "elsewhere").mkdir(parents=True)
    (root / "participants" / "matches").symlink_to(root / "docs" / "elsewhere")
    assert ("participants/matches", None, "linked-folder") in _found(root)


def test_in_a_git_checkout_what_git_ignores_is_not_the_repositorys(tmp_path):
    import subprocess

    root = make_workspace(tmp_path / "ws")
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    (root / ".gitignore").write_text("/private/\n.venv*/\n")
    for rel in ("private/roster.csv", ".venv-lock/cacert.pem", "docs/roster.csv"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("Name,Email\nAna,ana@acme.io\n")
    assert {f for f in _found(root)} == {("docs/roster.csv", None, "private-file")}  # untracked, not ignored: found
