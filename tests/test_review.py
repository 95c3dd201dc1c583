"""`mentorkit review`: a sign-up export through intake and match to a packet with names, none in the repository."""

from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.review import write_review
from mentorkit.errors import PrivateDataError, UnsafePath
from mentorkit.matching import match
from mentorkit.repo.load import load_workspace
from mentorkit.repo.proposal_files import save_proposal
from test_intake import DAY, EXPORTS, code, identifying_values, intake, key_of, leaks, make_repo

NAMES = ("Zofia Kowalczyk-Brennan", "Tobiah Quennell-Marsh", "Ines Marchetti-Olsen")


def matched(tmp_path):
    """A repository whose pilot sign-ups came through intake and were matched by the real matcher."""
    root, private, out = make_repo(tmp_path)
    assert intake(root, EXPORTS / "google-forms-signup.csv", "pilot", private, today=DAY).ok
    save_proposal(root, match(load_workspace(root), "pilot", None).proposal)
    return root, private, out


class Page(HTMLParser):
    """What the packet is made of, read with the standard library's HTML parser."""

    def __init__(self):
        super().__init__()
        self.tags, self.th_scopes, self.text, self.lang, self.stack = [], [], [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "th":
            self.th_scopes.append(attrs.get("scope"))

    def handle_data(self, data):
        self.text.append(data)


def read_page(path):
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_the_packet_names_people_and_the_repository_does_not(tmp_path):
    root, private, out = matched(tmp_path)
    report = write_review(root, "pilot", private, out)
    assert report.ok and report.path == out.resolve() / "review-pilot.html"
    text = report.path.read_text(encoding="utf-8")
    for name in NAMES:
        assert name in text
    proposal = (root / "participants" / "matches" / "pilot.yaml").read_text()
    for email in ("zofia.kowalczyk@example.com", "tobiah.qm@example.com", "ines.mo@example.com"):
        assert code(private, email) in proposal and code(private, email) not in text, "names instead of pseudonyms"
    assert leaks(root, identifying_values("google-forms-signup.csv")) == []
    assert leaks(root, {key_of(private).hex()}) == []
    assert report.path.stat().st_mode & 0o077 == 0, "owner-only, like the roster"


def test_the_packet_has_every_section_with_reasons_and_alternatives(tmp_path):
    root, private, out = matched(tmp_path)
    page = read_page(write_review(root, "pilot", private, out).path)
    headings = [t for t, _ in page.tags if t in ("h1", "h2")]
    assert headings[0] == "h1" and headings.count("h1") == 1
    words = " ".join(" ".join(page.text).split())
    for section in ("What changed since the last approved state", "Pairs", "Mentees without a match",
                    "Mentors with places left"):
        assert section in words
    proposal = load_workspace(root).proposals["pilot"]
    tobiah = next(p for p in proposal.pairs if p.mentee == code(private, "tobiah.qm@example.com"))
    assert tobiah.reasons["skills"] == "offers sql" and tobiah.reasons["language"] == "both speak en"
    for shown in ("skills (40 of 40 points): offers SQL", "language (5 of 5 points): both speak English",
                  "different departments (Finance, Engineering)", "languages: English"):
        assert shown in words, "reasons and what they share with labels, points out of the criterion's weight"
    assert " sql" not in words and "speak en " not in words
    assert "mentor: " in words and "Next best" in words
    assert len(proposal.unused) and "Places left" in words


def test_the_packet_is_accessible_printable_and_self_contained(tmp_path):
    root, private, out = matched(tmp_path)
    path = write_review(root, "pilot", private, out).path
    page = read_page(path)
    text = path.read_text(encoding="utf-8")
    assert page.lang == "en"
    assert page.th_scopes and set(page.th_scopes) <= {"col", "row"}, "every header cell says what it heads"
    assert sum(1 for t, _ in page.tags if t == "caption") == sum(1 for t, _ in page.tags if t == "table")
    assert "@media print" in text
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe")], "nothing fetched, nothing run"
    assert "http://" not in text and "https://" not in text and "@import" not in text


def test_what_changed_since_an_earlier_proposal_names_people(tmp_path):
    root, private, out = matched(tmp_path)
    current = (root / "participants" / "matches" / "pilot.yaml").read_text()
    tobiah, ines = code(private, "tobiah.qm@example.com"), code(private, "ines.mo@example.com")
    zofia = code(private, "zofia.kowalczyk@example.com")
    earlier = tmp_path / "main-pilot.yaml"
    earlier.write_text(f"program: pilot\nformat: one-to-one\npairs:\n"
                       f"  - {{mentee: {tobiah}, mentor: {zofia}, status: approved, score: 40}}\n")
    assert f"mentee: {tobiah}\n  mentor: {ines}" in current
    page = read_page(write_review(root, "pilot", private, out, base=earlier).path)
    words = " ".join(" ".join(page.text).split())
    assert "reassigned Zofia Kowalczyk-Brennan → Ines Marchetti-Olsen" in words


def test_the_approved_state_is_the_default_base(tmp_path):
    root, private, out = matched(tmp_path)
    assert CliRunner().invoke(main, ["approve", "pilot", "--root", str(root)]).exit_code == 0
    report = write_review(root, "pilot", private, out)
    assert report.changes == "No pairs changed."


def test_output_is_deterministic(tmp_path):
    root, private, out = matched(tmp_path)
    first = write_review(root, "pilot", private, out).path.read_bytes()
    assert write_review(root, "pilot", private, out).path.read_bytes() == first


def test_refused_inside_the_repository_and_without_a_roster(tmp_path):
    root, private, out = matched(tmp_path)
    with pytest.raises(UnsafePath, match="output folder"):
        write_review(root, "pilot", private, root / "review")
    with pytest.raises(PrivateDataError, match=r"no roster\.csv"):
        write_review(root, "pilot", tmp_path / "empty", out)
    assert not (root / "review").exists()


def test_cli_review(tmp_path):
    root, private, out = matched(tmp_path)
    runner = CliRunner()
    inside = runner.invoke(main, ["review", "pilot", "--private", str(private), "--out", str(root / "x"),
                                  "--root", str(root)])
    assert inside.exit_code == 1 and "inside the repository" in inside.output and "Traceback" not in inside.output
    result = runner.invoke(main, ["review", "pilot", "--private", str(private), "--out", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "review-pilot.html" in result.output and "Zofia" not in result.output


def twenty_person_export(path):
    """A sign-up export of the shape real ones have: 6 mentors (one everybody suits), 14 mentees, ties."""
    header = ("Timestamp,Email address,Name,I want to join as,Department,Level,Time zone,"
              "Which languages do you speak?,Which skills can you offer?,Which skills do you want to develop?,"
              "How would you like to meet?,How many mentees can you take on?\n")
    rows = []
    mentors = [("Aurelio Pankhurst", 7, "Europe/London", "Data analysis, SQL", 2),
               ("Benedikta Oyelaran", 6, "Europe/Berlin", "SQL", 1),
               ("Cassius Vanterpool", 6, "Asia/Kolkata", "SQL", 2),
               ("Delphine Marchbanks", 5, "Europe/London", "Data analysis", 1),
               ("Evander Quilliam", 6, "America/New_York", "SQL", 1),
               ("Fenella Ashcombe", 2, "Europe/London", "SQL", 2)]  # level 2: too junior for every mentee
    for n, (name, level, zone, offers, places) in enumerate(mentors):
        rows.append(f"2025/12/01 10:{n:02d}:00 AM GMT+1,quillon{n}.farrowdale@example.com,{name},Mentor,Engineering,"
                    f"{level},{zone},English,\"{offers}\",,Online,{places}")
    for n in range(14):
        seeks = "SQL" if n % 3 else "Data analysis"
        zone = ("Europe/London", "Asia/Kolkata", "Europe/Berlin")[n % 3]
        rows.append(f"2025/12/02 9:{n:02d}:00 AM GMT+1,ottoline{n}.brackenbury@example.com,"
                    f"Ottoline{chr(65 + n)} Brackenbury,Mentee,Finance,2,{zone},English,,{seeks},Online,")
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    names = [m[0] for m in mentors] + [f"Ottoline{chr(65 + n)} Brackenbury" for n in range(14)]
    return path, names


def test_a_twenty_person_sign_up_through_intake_match_and_review(tmp_path):
    root, private, out = make_repo(tmp_path)
    export, names = twenty_person_export(tmp_path / "sign-up.csv")
    assert intake(root, export, "pilot", private, today=DAY).ok
    save_proposal(root, match(load_workspace(root), "pilot", None).proposal)
    proposal = load_workspace(root).proposals["pilot"]
    mentees = {code(private, f"ottoline{n}.brackenbury@example.com") for n in range(14)}
    mentors = {code(private, f"quillon{n}.farrowdale@example.com") for n in range(6)}
    ours = [p for p in proposal.pairs if p.mentee in mentees]
    assert ours and {p.mentor for p in ours} <= mentors | {p.mentor for p in proposal.pairs if p.mentor not in mentors}
    assert all(p.fit and (p.fit.skills or p.fit.related_skills) for p in ours), "every pair shares a sought skill"
    left = [u for u in proposal.unmatched if u.mentee in mentees]
    assert len(ours) + len(left) == 14 and left and all(u.reason for u in left)
    fenella = code(private, "quillon5.farrowdale@example.com")
    assert fenella in {u.mentor for u in proposal.unused}, "the mentor too junior for every mentee has places left"
    assert fenella not in {p.mentor for p in proposal.pairs}
    text = write_review(root, "pilot", private, out).path.read_text(encoding="utf-8")
    for name in names:
        assert name in text, name
    addresses = {f"ottoline{n}.brackenbury@example.com" for n in range(14)} | {
        f"quillon{n}.farrowdale@example.com" for n in range(6)}
    assert leaks(root, set(names) | addresses) == []
