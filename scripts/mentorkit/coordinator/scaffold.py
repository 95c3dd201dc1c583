"""`mentorkit init`: a new program file that validates on its first run.

The coordinator answers a few questions (or gives them as options): the
program's id, title, format, dates, cadence and session length, and
optionally its purpose, audience and a contact. The rest is filled with
sensible, editable defaults, a program worth publishing as it stands: twelve
months (what development programs run), one SMART-ER goal, a kickoff, a
goal-setting workshop two weeks in, a mid-program check-in and a
celebration (linked to the agendas that exist in agendas/), a session
rotation over the kit's agendas (the first meeting, then career and
problem-solving conversations in turn; reverse programs use the reverse
mentoring session), a survey schedule (baseline at the start, a pulse every
quarter, the final survey at the end) and the default matching rules. Every
section carries a comment saying what it is for.

A pilot (`--pilot`) is the small first cohort, 20 to 50 people, that tries
the program out before the full launch: three months instead of twelve, a
`pilot:` block with the cap on participants (validate, and so intake, refuse
more) and the planned launch, a "pilot review" milestone a week before the end
to decide what to change, the final survey closing before it, and goals framed
as what the pilot must teach.

Before anything is written, the new file is validated together with the rest
of the repository; a problem in it stops `init` (it would be a bug here).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from ..errors import MentorkitError
from ..model import CADENCES, SCHEMA_VERSION, Format, Program
from ..model.dates import add_months
from ..repo.atomic import write_atomic
from ..repo.layout import AGENDAS, PARTICIPANTS, PROGRAMS, program_file
from ..repo.sources import Source
from ..repo.strict_yaml import parse_yaml
from .candidate import validate_candidate

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_MONTHS = 12
PILOT_MONTHS = 3  # long enough for three monthly sessions and a review; short enough to launch within the year
PILOT_MAX_PARTICIPANTS = 30  # the middle of the 20-50 that pilots take
# The regular sessions' agendas: the first meeting once, then the others in turn (calendar.session_agendas).
SESSION_PLAN = ("first-meeting", "career-development", "problem-solving")
REVERSE_PLAN = ("first-meeting", "reverse-mentoring-session", "problem-solving")

FORMAT_PURPOSE = {
    Format.ONE_TO_ONE: "Pair colleagues with an experienced mentor from another part of the business, so that they "
                       "build the skills and the network their next career step needs.",
    Format.GROUP: "Bring small groups of colleagues together with one mentor, so that they learn from the mentor "
                  "and from each other.",
    Format.PEER: "Pair colleagues at a similar level to mentor each other, sharing what each knows best.",
    Format.REVERSE: "Pair senior leaders with colleagues earlier in their careers who mentor them in digital skills "
                    "and new ways of working.",
    Format.MOSAIC: "Give each mentee several mentors, each for a different skill or perspective.",
    Format.FLASH: "Offer short, focused mentoring conversations on one question at a time.",
    Format.TEAM: "Bring a team of mentors with complementary skills together with one group of mentees.",
}


@dataclass
class Question:
    name: str
    prompt: str
    help: str
    required: bool = True
    choices: tuple[str, ...] = ()


# What `mentorkit init` asks, in order, when an answer was not given as an option.
QUESTIONS = (
    Question("program_id", "Program id", "the file name: lowercase words joined by '-', e.g. grow-2027"),
    Question("title", "Title", "shown on the site, e.g. Grow: one-to-one mentoring"),
    Question("format", "Format", "how people are paired", choices=tuple(f.value for f in Format)),
    Question("start", "First day (YYYY-MM-DD)", "the kickoff"),
    Question("end", "Last day (YYYY-MM-DD)", "the celebration"),
    Question("cadence", "How often pairs meet", "the regular sessions", choices=CADENCES),
    Question("session_minutes", "Minutes per session", "10 to 480"),
    Question("purpose", "Purpose (one or two sentences; Enter for a suggestion)", "why the program exists",
             required=False),
    Question("audience", "Audience (Enter for a suggestion)", "who can join", required=False),
    Question("contact", "How to reach the coordinator (a channel or team mailbox page; Enter to skip)",
             "never a personal name or e-mail address", required=False),
)


@dataclass
class ProgramAnswers:
    program_id: str
    title: str
    format: str = "one-to-one"
    start: dt.date | None = None
    end: dt.date | None = None
    cadence: str = "monthly"
    session_minutes: int = 60
    purpose: str | None = None
    audience: str | None = None
    contact: str | None = None
    enrolment_opens: dt.date | None = None
    enrolment_closes: dt.date | None = None
    eligible_population: int | None = None
    pilot: bool = False
    max_participants: int | None = None  # a pilot's cap (default PILOT_MAX_PARTICIPANTS)


def _monday_from(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def suggestions(today: dt.date, program_id: str | None = None, start: dt.date | None = None, *,
                pilot: bool = False) -> dict[str, object]:
    """Default answers: a twelve-month program (three for a pilot) starting on a Monday at least four weeks from
    `today` (or on `start`, when the coordinator has chosen the first day: then the last day follows from it).

    Twelve months, the short end of the 12-18 that development programs run: shorter feels rushed.
    """
    if start is None:
        start = _monday_from(today + dt.timedelta(days=28))
    end = add_months(start, PILOT_MONTHS if pilot else DEFAULT_MONTHS) - dt.timedelta(days=3)
    while end.weekday() >= 5 or (end.month, end.day) >= (12, 20) or (end.month, end.day) <= (1, 6):
        end -= dt.timedelta(days=1)  # a working day, and no celebration in the year-end holidays
    kind = " mentoring program" if not pilot else " mentoring" if "pilot" in (program_id or "") else " mentoring pilot"
    title = program_id.replace("-", " ").strip().capitalize() + kind if program_id else None
    return {"title": title, "format": "one-to-one", "start": start, "end": end, "cadence": "monthly",
            "session_minutes": 60}


@dataclass
class InitResult:
    path: Path
    text: str
    written: bool
    notes: list[str] = field(default_factory=list)


def check_answers(answers: ProgramAnswers) -> list[str]:
    """What is wrong with the answers, in the coordinator's words (empty when they are usable)."""
    errors = []
    if not SLUG.match(answers.program_id or "") or len(answers.program_id) > 60:
        errors.append(f"the program id '{answers.program_id}' must be lowercase letters, digits and '-' "
                      "(starting with a letter or digit, at most 60 characters), e.g. grow-2027")
    if not (answers.title or "").strip() or len(answers.title) > 120:
        errors.append("the title must be 1 to 120 characters")
    if answers.format not in {f.value for f in Format}:
        errors.append(f"the format must be one of {', '.join(f.value for f in Format)}")
    if answers.cadence not in CADENCES:
        errors.append(f"the cadence must be one of {', '.join(CADENCES)}")
    if not 10 <= int(answers.session_minutes) <= 480:
        errors.append("a session lasts 10 to 480 minutes")
    errors += _date_errors(answers)
    if answers.max_participants is not None and not answers.pilot:
        errors.append("a participant cap is a pilot's setting: add --pilot, or leave out --max-participants")
    if answers.max_participants is not None and not 2 <= answers.max_participants <= 500:
        errors.append("a pilot takes 2 to 500 participants (20 to 50 is usual)")
    if answers.contact and ("@" in answers.contact):
        errors.append("the contact must not be an e-mail address: name a channel, a portal or a team page "
                      "(personal addresses never go into the repository)")
    return errors


def _date_errors(answers: ProgramAnswers) -> list[str]:
    """The program's days and its enrolment window, in order."""
    errors = []
    if answers.start is None or answers.end is None:
        errors.append("the program needs a first and a last day")
    elif answers.end <= answers.start:
        errors.append(f"the last day ({answers.end}) must come after the first ({answers.start})")
    if answers.enrolment_closes and answers.start and answers.enrolment_closes > answers.start:
        errors.append("enrolment must close on or before the first day")
    if answers.enrolment_opens and answers.enrolment_closes and answers.enrolment_opens > answers.enrolment_closes:
        errors.append("enrolment must open before it closes")
    return errors


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


def _working_day(d: dt.date, last: dt.date) -> dt.date:
    while d.weekday() >= 5 and d < last:
        d += dt.timedelta(days=1)
    return d


def _pilot_review(start: dt.date, end: dt.date) -> dt.date:
    """A pilot's review: a week before the end (a working day), so its decisions reach the launch plans."""
    day = max(start + dt.timedelta(days=1), end - dt.timedelta(days=7))
    while day.weekday() >= 5 and day > start:
        day -= dt.timedelta(days=1)
    return day


def _milestones(start: dt.date, end: dt.date, agendas: set[str], pilot: bool = False
                ) -> tuple[list[str], dt.date | None]:
    """The starter's events: kickoff, goal-setting workshop and mid-program check-in (when there is room), a pilot's
    review, celebration."""
    def block(mid: str, title: str, kind: str, day: dt.date, minutes: int, agenda: str) -> str:
        link = f"\n    agenda: {agenda}" if agenda in agendas else ""
        shown = _q(title) if ":" in title else title  # a colon and space would start a YAML mapping
        return (f"  - id: {mid}\n    title: {shown}\n    kind: {kind}\n    date: {day.isoformat()}\n"
                f"    minutes: {minutes}{link}")

    out = [block("kickoff", "Kickoff for mentors and mentees", "kickoff", start, 60, "kickoff")]
    middle = None
    if (end - start).days >= 42:
        workshop = _working_day(start + dt.timedelta(days=14), end)
        out.append(block("goal-setting", "Goal-setting workshop", "goal-setting", workshop, 90, "goal-setting-workshop"))
        middle = _working_day(start + (end - start) / 2, end)
        out.append(block("mid-program-check-in", "Mid-program check-in", "check-in", middle, 60, "mid-program-check-in"))
    if pilot:
        out.append(block("pilot-review", "Pilot review: decide what to change before the launch", "other",
                         _pilot_review(start, end), 90, "pilot-review"))
    out.append(block("celebration", "Celebration and close", "celebration", end, 60, "celebration"))
    return out, middle


def _surveys(start: dt.date, end: dt.date, middle: dt.date | None, pilot: bool = False) -> str:
    """Baseline at the start, a pulse every quarter (and at the mid-point check-in), the final survey at the end;
    a pilot's final survey closes before its review, which reads it."""
    if pilot:
        pulse = ("\n  - survey: pulse         # how the relationships are going, at the mid-point\n"
                 "    at: mid-program-check-in\n    open_days: 14") if middle else ""
        return ("  - survey: baseline      # goals and confidence before the first session\n    at: start\n"
                f"    open_days: 14{pulse}\n"
                "  - survey: final         # what the pilot review reads: it closes four days before\n"
                "    at: pilot-review\n    offset_days: -14\n    open_days: 10")
    rounds = ["  - survey: baseline      # goals and confidence before the first session\n    at: start\n"
              "    open_days: 14"]
    days = (end - start).days
    for offset in range(91, days - 45, 91):  # a quarter apart, none in the last six weeks (the final survey's)
        if middle and abs((start + dt.timedelta(days=offset) - middle).days) < 30:
            rounds.append("  - survey: pulse         # how the relationship is going, at the mid-point\n"
                          "    at: mid-program-check-in\n    open_days: 14")
        elif offset <= 365:
            rounds.append(f"  - survey: pulse\n    at: start\n    offset_days: {offset}\n    open_days: 14")
        else:  # offsets stop at a year: count back from the end instead
            rounds.append(f"  - survey: pulse\n    at: end\n    offset_days: {offset - days}\n    open_days: 14")
    rounds.append("  - survey: final         # outcomes against the baseline\n    at: end\n    offset_days: -7\n"
                  "    open_days: 21")
    return "\n".join(rounds)


PILOT_PURPOSE = "A pilot with a small first cohort, to learn what to change before the full launch. "


def _goals(end: dt.date, review: list[str]) -> str:
    return f"""  - id: pairs-complete
    statement: "Most pairs keep meeting until the end of the program."
    metric: completion_rate
    target: 0.8             # 80% of pairs complete
    achievable: "Pairs that meet in the first month usually complete; the kickoff and first-meeting agenda help them start."
    relevant: "A mentoring relationship needs time to make a difference."
    due: {end.isoformat()}
    review_on: [{", ".join(review)}]
    readjust: "If fewer pairs are active at a review, the coordinator contacts every pair that has not met for six weeks.\""""


def _pilot_goals(start: dt.date, end: dt.date, review: list[str]) -> str:
    """A pilot's goals are what it must teach before the launch: whether pairs keep meeting, and what people say."""
    due = _pilot_review(start, end).isoformat()
    return f"""  - id: learn-if-pairs-meet
    statement: "Learn whether pairs keep meeting: most pilot pairs still meet regularly at the pilot review."
    metric: active_pair_share
    target: 0.8             # 80% of pairs meeting regularly
    achievable: "A small cohort lets the coordinator follow every pair that has not met for a month."
    relevant: "The full launch needs a rhythm of meetings that works; the pilot is where to find it."
    due: {due}
    review_on: [{", ".join(review)}]
    readjust: "If fewer pairs meet, the pilot review changes the cadence, the matching or the first-meeting support."
  - id: learn-from-participants
    statement: "Learn from everyone in the pilot: most participants answer the final survey before the pilot review."
    metric: survey_response_rate
    target: 0.7             # 70% of participants answer
    achievable: "Participants of a pilot know their answers shape the program; a reminder goes out while the survey is open."
    relevant: "The pilot review decides what to change from what participants say."
    due: {due}
    review_on: [{", ".join(review)}]
    readjust: "If few answer, the coordinator asks for short conversations instead before the review.\""""


def _pilot_block(a: ProgramAnswers, end: dt.date) -> str:
    if not a.pilot:
        return ""
    launch = _monday_from(end + dt.timedelta(days=28))
    cap = a.max_participants or PILOT_MAX_PARTICIPANTS
    return f"""# A pilot: the small first cohort (20 to 50 people) that tries the program out
# before the full launch. `mentorkit validate`, and so intake, refuse more
# enrolled participants than max_participants. `launch` is the full program's
# planned first day, after the pilot review; then run `mentorkit init` for it.
pilot:
  max_participants: {cap}
  launch: {launch.isoformat()}

"""


def render_program(answers: ProgramAnswers, agendas: set[str]) -> str:
    """The program file's text, with a comment on every section."""
    a = answers
    fmt = Format(a.format)
    start, end = a.start, a.end
    if start is None or end is None:
        raise MentorkitError("the program needs a first and a last day")
    purpose = a.purpose or (PILOT_PURPOSE if a.pilot else "") + FORMAT_PURPOSE[fmt]
    audience = a.audience or "Colleagues who want to grow in their role and can commit to the sessions below."
    milestones, middle = _milestones(start, end, agendas, a.pilot)
    review = [middle.isoformat()] if middle else []
    plan_for = REVERSE_PLAN if fmt == Format.REVERSE else SESSION_PLAN
    session_plan = [name for name in plan_for if name in agendas]
    enrolment = ""
    if a.enrolment_opens:
        enrolment += f"\n  enrolment_opens: {a.enrolment_opens.isoformat()}"
    if a.enrolment_closes:
        enrolment += f"\n  enrolment_closes: {a.enrolment_closes.isoformat()}"
    eligible = (f"\n# How many people could have joined; used for the participation rate.\n"
                f"eligible_population: {a.eligible_population}\n" if a.eligible_population else
                "\n# How many people could have joined; used for the participation rate.\n"
                "# eligible_population: 200\n")
    contacts = (f"contacts:\n  - role: Program coordinator\n    how: {_q(a.contact)}\n" if a.contact else
                "contacts: []\n# contacts:\n#   - role: Program coordinator\n"
                "#     how: Post in the #mentoring channel\n")
    plan = ("session_plan:\n" + "".join(f"  - {name}\n" for name in session_plan)) if session_plan else \
        "session_plan: []\n"
    return f"""# yaml-language-server: $schema=../schemas/program.schema.json
#
# {" ".join(a.title.split())}: written by `mentorkit init`. Edit anything below.
#
# Tips: dates are YYYY-MM-DD; indent with spaces, never tabs; text after '#'
# is a comment. Never put a person's name or e-mail address in this file.
# Run `mentorkit validate` after editing: it points to the line of any mistake.

# The program-file schema this file is written for; `mentorkit upgrade` raises it.
schema_version: {SCHEMA_VERSION}

title: {_q(a.title)}

# Why the program exists, in a sentence or two. Shown on the program's page.
purpose: {_q(purpose)}

# Who can join. Shown on the sign-up page and in the handbooks.
audience: {_q(audience)}

# one-to-one | group | peer | reverse | mosaic | flash
format: {fmt.value}
{eligible}
timeline:{enrolment}
  start: {start.isoformat()}
  end: {end.isoformat()}

# How often pairs meet and for how long; reminders go out this many days before.
cadence:
  every: {a.cadence}            # weekly | fortnightly | monthly | quarterly | once
  session_minutes: {int(a.session_minutes)}
  reminder_days_before: 3

# SMART-ER goals: Specific, Measurable, Achievable, Relevant, Time-bound,
# Evaluated (review_on) and Readjusted. `metric` is one of the measures
# mentorkit computes (see the coordinator handbook); targets are fractions.
goals:
{_pilot_goals(start, end, review) if a.pilot else _goals(end, review)}

# Program-wide events. `agenda` names a file in agendas/ (without .md); every
# date must fall between the timeline's start and end. Add a skills module,
# a networking event or a capstone the same way (kind: module, networking, capstone).
milestones:
{chr(10).join(milestones)}

# The agendas of the regular sessions: the first one once, then the others in
# turn for every later session. Any file in agendas/ (without .md) can be listed.
{plan}
{_pilot_block(a, end)}# When each survey (forms/) is sent: `at` is start, end or a milestone id,
# `offset_days` moves it (negative: before), `open_days` is how long it stays
# open. The calendar, the Remind issue and the response rate follow these.
surveys:
{_surveys(start, end, middle, a.pilot)}

# Days without sessions besides weekends: public holidays by country (ISO code)
# and region, and closing days. Sessions due on one move to the next working day.
# holidays:
#   country: DE
#   subdivision: BE
#   dates: [2027-12-24]

# Who to contact, by role. Never a personal name or e-mail address.
{contacts}
# Matching rules and weights: the defaults suit most programs. The kit's
# matching guide lists every option (weights, department, level_gap, ...).
matching:
  mode: assign
  fairness_warning_points: 10   # the proposal's fairness report warns when a group is matched more than 10 points less often
"""


def init_program(root: Path, answers: ProgramAnswers, *, force: bool = False, dry_run: bool = False) -> InitResult:
    """Write program/<id>.yaml (refusing to overwrite unless `force`) after checking it validates."""
    errors = check_answers(answers)
    if errors:
        raise MentorkitError("; ".join(errors))
    root = Path(root).resolve()
    if not any(Source(root).is_dir(folder) for folder in (PROGRAMS, PARTICIPANTS)):
        raise MentorkitError(f"{root} is not a program repository (it has no program/ or participants/ folder): "
                             "to start one, run `mentorkit new FOLDER`; to add a program to yours, run "
                             "`mentorkit init` inside it")
    rel = program_file(answers.program_id)
    path = root / rel
    if path.exists() and not force:
        raise MentorkitError(f"{rel} already exists; choose another id, or use --force to replace it")
    agendas = {PurePosixPath(rel).stem for rel in Source(root).files(AGENDAS, "*.md")}
    text = render_program(answers, agendas)
    doc, problems = parse_yaml(text, rel)
    if problems or doc is None:
        raise MentorkitError(f"the new program file would not be valid YAML: {problems[0].message}")
    try:
        Program.model_validate(doc.data)
    except ValidationError as exc:
        raise MentorkitError(f"the new program file would not validate: {exc.errors()[0]['msg']}") from None
    own = [p for p in validate_candidate(root, {rel: text}) if p.file == rel]
    if own:
        raise MentorkitError("the new program file would not validate: "
                             + "; ".join(p.one_line() for p in own))
    result = InitResult(path, text, written=False)
    missing = {"kickoff", "first-meeting", "celebration"} - agendas
    if missing:
        result.notes.append("no agenda linked for: " + ", ".join(sorted(missing))
                            + " (add them to agendas/ and name them in the file)")
    if not dry_run:
        write_atomic(path, text)
        result.written = True
    return result
