"""The forms the kit ships: every question a coordinator recreates in Google or Microsoft Forms, defined once.

Each `Question` has the title the shipped form asks and the other titles
common form tools use for the same question (`also`); the importers
recognise all of them without any mapping (`titles`), and `repo.forms`
writes the forms/*.md files a coordinator copies from. Nothing else lists
question titles: a title added here is on the form and recognised at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["email", "text", "choice", "checkboxes", "date", "number", "scale", "grid"]

# Questions every form has, or that the form tool adds to every export.
IDENTITY_HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "email address", "work email", "work email address", "your email", "your email address",
              "your work email", "your work email address", "business email", "company email", "username"),
    "name": ("name", "full name", "your name", "your full name", "first and last name", "name (first and last)",
             "respondent", "employee name"),
    "ignore": ("id", "start time", "last modified time", "submission id", "response id", "respondent id",
               "ip address", "network id", "submit date (utc)", "start date (utc)", "stage date (utc)"),
}
# The respondent columns Microsoft Forms adds to every export ("anonymous" when the form does not record who
# answered): when the form asks for the same thing itself ("Your work email address"), its own question is read.
TOOL_RESPONDENT_HEADERS = ("email", "name")
SUBMITTED_HEADERS = ("timestamp", "completion time", "submitted at", "submitted on", "submission date",
                     "date submitted", "submission time", "created at")


@dataclass(frozen=True)
class Question:
    field: str  # the field its answers go to ("rating:*" for the skill grid, "ignore" for what is never imported)
    title: str  # as the shipped form asks it
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()  # the answers to offer (choice, checkboxes, scale labels, grid columns)
    vocabulary: str | None = None  # the choices are this list of participants/vocabulary.yaml (its labels)
    help: str = ""  # the question's description on the form
    also: tuple[str, ...] = ()  # other titles recognised for the same field


@dataclass(frozen=True)
class Form:
    id: str  # the file name under forms/ (without .md)
    title: str
    mapping: str  # the key of its mapping in forms/mappings.yaml and a program's intake: settings
    command: str  # how its export comes in
    intro: str  # what the form's description tells the people answering
    questions: tuple[Question, ...]


EMAIL = Question("email", "Your work email address", "email", True,
                 help="Used to find your records; it never reaches the repository or the site.",
                 also=IDENTITY_HEADERS["email"])
SATISFACTION = Question(
    "satisfaction", "How satisfied are you with the program? (1-5)", "scale", True,
    choices=("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
    also=("how satisfied are you with the mentoring program", "satisfaction", "overall satisfaction",
          "how satisfied are you", "how satisfied are you overall"))
NPS = Question(
    "nps", "How likely are you to recommend the program to a colleague? (0-10)", "scale", True,
    choices=tuple(str(i) for i in range(11)), help="0: not at all likely, 10: extremely likely.",
    also=("how likely are you to recommend this program to a colleague",
          "how likely is it that you would recommend the program to a colleague",
          "how likely is it that you would recommend this program to a friend or colleague",
          "likelihood to recommend", "nps", "net promoter score"))
CONFIDENCE = Question(
    "confidence", "How confident do you feel in your role? (1-5)", "scale", True,
    choices=("Not at all confident", "Slightly confident", "Somewhat confident", "Fairly confident",
             "Very confident"),
    also=("how confident are you in your role", "confidence", "how confident do you feel"))
SKILL_GRID = Question(
    "rating:*", "How would you rate your skills today?", "grid", vocabulary="skills",
    choices=("1 Novice", "2 Basic", "3 Intermediate", "4 Advanced", "5 Expert"),
    help="One row per skill; answer the rows that matter to you. The export has one column per row, "
         "such as 'How would you rate your skills today? [Data analysis]'.")

SIGN_UP = Form("sign-up", "Mentoring program sign-up", "sign_up", "mentorkit intake",
               "Sign up as a mentee, a mentor or both. Your answers are used to find you a good match.", (
    EMAIL,
    Question("name", "Your name", "text", True, help="For the introduction e-mail only.",
             also=IDENTITY_HEADERS["name"]),
    Question("role", "How would you like to take part?", "choice", True,
             choices=("I want a mentor", "I want to mentor someone", "Both (mentor and mentee)"),
             also=("role", "i want to join as", "join as", "i would like to join as", "i would like to be a",
                   "mentor or mentee", "would you like to be a mentor or a mentee",
                   "do you want to be a mentor or a mentee", "participate as", "i want to participate as")),
    Question("department", "Which department are you in?", "choice", True, vocabulary="departments",
             also=("department", "your department", "which department do you work in", "business unit",
                   "function")),
    Question("level", "Your career level (1-9)", "number", True, help="1: entry level, 9: executive.",
             also=("level", "career level", "job level", "grade", "your level", "career stage")),
    Question("time_zone", "Which time zone do you work in?", "text", True,
             help="A time zone such as Europe/Berlin, or your city.",
             also=("time zone", "timezone", "your time zone", "which time zone are you in")),
    Question("working_hours", "Your working hours (optional)", "text",
             help="When meetings can be set, in your time zone, e.g. 08:30-16:30. Leave it empty for the "
                  "program's usual working day.",
             also=("working hours", "your working hours", "work hours", "working day", "your working day",
                   "when do you work", "when are you available for meetings")),
    Question("languages", "Which languages can you work in?", "text", True,
             help="Language names in English, separated by commas, e.g. English, German.",
             also=("languages", "language", "language(s)", "which languages do you speak", "languages you speak",
                   "which languages can you mentor in", "working languages")),
    Question("skills_offered", "Which skills can you offer?", "checkboxes", vocabulary="skills",
             help="Mentors: the skills you can help others with.",
             also=("skills you can offer", "skills offered", "skills to offer", "skills i can offer",
                   "what skills can you offer", "which skills could you help others with", "i can help with",
                   "expertise", "which skills can you share")),
    Question("skills_sought", "Which skills do you want to develop?", "checkboxes", vocabulary="skills",
             help="Mentees: the skills you want to work on.",
             also=("which skills would you like to develop", "skills you want to develop", "skills to develop",
                   "skills sought", "skills i want to develop", "what skills do you want to develop",
                   "which skills do you want to learn", "what would you like to learn",
                   "which skills would you like to learn")),
    Question("interests", "What are your interests?", "checkboxes", vocabulary="interests",
             also=("interests", "your interests", "hobbies and interests", "interests outside work")),
    Question("goals", "What are your development goals?", "checkboxes", vocabulary="goals",
             also=("goals", "development goals", "your development goals", "which development goals do you have")),
    Question("communication_style", "How do you like to work together?", "checkboxes",
             vocabulary="communication_styles",
             also=("communication style", "working style", "your communication style",
                   "which communication style suits you")),
    Question("meeting_mode", "How would you like to meet?", "choice", True,
             choices=("Online", "In person", "Either is fine"),
             also=("meeting mode", "how do you prefer to meet", "preferred meeting format", "meeting preference",
                   "meeting format")),
    Question("location", "Which office do you work from?", "choice", vocabulary="locations",
             also=("location", "office", "office location", "where are you based", "which office are you based in")),
    Question("mentor_capacity", "How many mentees can you take on?", "number",
             help="Mentors: 1 to 5. Mentees: leave empty.",
             also=("mentor capacity", "capacity", "how many mentees could you take on",
                   "how many mentees can you mentor", "number of mentees")),
    Question("reports_to", "Your manager's email address", "email",
             help="So that nobody is matched inside their own reporting line.",
             also=("manager's email", "manager email", "line manager email", "line manager's email",
                   "your manager's email", "manager's email address", "email of your manager",
                   "your line manager's email")),
    Question("gender", "Gender (optional)", "choice",
             choices=("Woman", "Man", "Non-binary", "Prefer to self-describe", "Prefer not to say"),
             help="Used only in aggregate, to check the program reaches everyone.",
             also=("your gender", "what is your gender")),
    Question("age_band", "Age range (optional)", "choice",
             choices=("Under 25", "25-34", "35-44", "45-54", "55 or over", "Prefer not to say"),
             help="Used only in aggregate.", also=("age", "age band", "age group", "your age")),
    Question("underrepresented", "Do you identify as a member of an under-represented group? (optional)", "choice",
             choices=("Yes", "No", "Prefer not to say"), help="Used only in aggregate.",
             also=("underrepresented", "under-represented", "under-represented group",
                   "do you identify as a member of an underrepresented group")),
))

CHECK_IN = Form("check-in", "Mentoring check-in", "check_in", "mentorkit import-checkins",
                "One answer per meeting, by the mentee or the mentor: a meeting both report is counted once, and "
                "each person's answer on how the relationship is going is kept.", (
    EMAIL,
    Question("partner_email", "Who did you meet? (your mentee's or mentor's work email)", "email", True,
             help="Tells which of your pairs met, when you mentor more than one person.",
             also=("partner's email", "partner email", "your mentoring partner's email", "email of your partner",
                   "email of your mentoring partner", "your mentor's or mentee's email", "who did you meet with",
                   "your partner's email")),
    Question("date", "Date of the meeting", "date", True,
             also=("meeting date", "when did you meet", "date of meeting", "date", "when was the meeting")),
    Question("minutes", "How long did you meet? (minutes)", "number", True,
             also=("how long was the meeting", "minutes", "duration", "meeting length", "length of the meeting",
                   "how many minutes did you meet")),
    Question("mode", "How did you meet?", "choice", True, choices=("Online", "In person"),
             also=("meeting mode", "mode", "format", "in person or virtual", "where did you meet")),
    Question("health", "How is the relationship going? (1-5)", "scale",
             choices=("Poor", "Fair", "Good", "Very good", "Excellent"),
             help="Only the coordinator sees this, never your partner.",
             also=("how is your mentoring relationship going", "how is the mentoring relationship going",
                   "how is your relationship going", "relationship health", "health", "how well is it going",
                   "how is it going")),
))

PULSE = Form("pulse", "Mentoring pulse survey", "survey", "mentorkit import-survey --survey pulse",
             "Three questions, a few minutes: how the program is going for you.", (EMAIL, SATISFACTION, NPS, CONFIDENCE))
BASELINE = Form("baseline", "Mentoring baseline survey", "survey", "mentorkit import-survey --survey baseline",
                "At the start of the program: where you stand today.", (EMAIL, CONFIDENCE, SKILL_GRID))
FINAL = Form("final", "Mentoring final survey", "survey", "mentorkit import-survey --survey final",
             "At the end of the program: what changed.", (EMAIL, SATISFACTION, NPS, CONFIDENCE, SKILL_GRID))
SURVEY_EXTRA = (  # recognised in survey exports, not asked by the shipped forms (each is one survey)
    Question("survey", "Which survey is this?", "choice", choices=("Baseline", "Pulse", "Final"),
             also=("survey", "survey type", "which survey", "which survey are you answering")),
    Question("date", "Survey date", "date", also=("date",)),
)

GOALS = Form("goals", "Mentoring goals", "goals", "mentorkit import-goals",
             "Mentees: one answer per goal, when you set it with your mentor and at each review.", (
    EMAIL,
    Question("skill", "Which skill is this goal about?", "choice", True, vocabulary="skills",
             also=("skill", "goal skill", "which skill does this goal develop", "goal area", "skill area")),
    Question("ignore", "What is the goal? (optional, never imported)", "text",
             help="In your own words, for you and your mentor: this answer stays in the form."),
    Question("set_on", "When did you set this goal?", "date",
             also=("date set", "set on", "goal set on")),
    Question("due", "When should it be achieved?", "date", True,
             also=("due date", "due", "target date", "by when")),
    Question("status", "How far is this goal?", "choice", True,
             choices=("Open", "Achieved", "Partly achieved", "Not achieved", "Dropped"),
             also=("status", "goal status", "progress", "where does this goal stand")),
    Question("closed_on", "When was it closed?", "date", help="Leave empty while the goal is open.",
             also=("closed on", "date closed", "date achieved", "completed on")),
))

MANAGER_FEEDBACK = Form(
    "manager-feedback", "Mentoring: feedback from managers", "manager_feedback",
    "mentorkit import-manager-feedback",
    "For the managers of the program's participants, near the end of the program: what you see in your team "
    "member's work. Two questions; your own name and address are not recorded.", (
        Question("email", "Your team member's work email address", "email", True,
                 help="The participant you are answering about.",
                 also=("team member's email", "participant's email", "email of your team member",
                       "email of the participant", "participant email")),
        Question("applies", "How often do you see them apply what they learned in mentoring? (1-5)", "scale", True,
                 choices=("Never", "Rarely", "Sometimes", "Often", "Always"),
                 also=("how often do they apply what they learned", "applies what they learned", "applies")),
        Question("effectiveness", "How has their effectiveness in their role changed since the program began? (1-5)",
                 "scale", choices=("Much less effective", "Less effective", "No change", "More effective",
                                   "Much more effective"),
                 also=("effectiveness change", "change in effectiveness", "effectiveness")),
        Question("team_performance", "How have the results of the team they work in changed since the program "
                 "began? (1-5)", "scale",
                 choices=("Much worse", "Worse", "No change", "Better", "Much better"),
                 help="The team's own results (targets, quality, delivery), as you measure them.",
                 also=("team performance", "team results", "change in team performance", "team_performance")),
        Question("ignore", "Anything you would like to add? (optional, never imported)", "text",
                 help="This answer stays in the form."),
    ))

SIGN_UP_EXTRA = (  # recognised in sign-up exports, never asked by the shipped form, never stored
    Question("phone", "Phone number", "text",
             also=("phone", "mobile", "mobile number", "telephone", "your phone number")),
)

OFTEN = ("Never", "Rarely", "Sometimes", "Often", "Always")
FEEDBACK_360 = Form(
    "feedback-360", "Mentoring: 360 feedback from colleagues", "feedback_360", "mentorkit import-360",
    "For three or more colleagues of each participant (peers, people who report to them, their manager), once at "
    "the start of the program and once at the end: how often you see them do four things. Your name and address "
    "are not recorded, and a participant's result is only counted with at least three colleagues' answers.", (
        Question("email", "Your colleague's work email address", "email", True,
                 help="The participant you are answering about.",
                 also=("colleague's email", "participant's email", "email of your colleague",
                       "email of the participant", "participant email", "person rated")),
        Question("relation", "How do you work with them?", "choice", True,
                 choices=("Peer", "They manage me", "I manage them", "Other"),
                 also=("relation", "relationship", "your relationship", "how do you know them")),
        Question("communicates", "They communicate clearly (1-5)", "scale", True, choices=OFTEN,
                 also=("communicates clearly", "communicates")),
        Question("listens", "They listen and ask before deciding (1-5)", "scale", True, choices=OFTEN,
                 also=("listens", "listens and asks")),
        Question("collaborates", "They work well with people outside their own team (1-5)", "scale", True,
                 choices=OFTEN, also=("collaborates", "works across teams")),
        Question("develops_others", "They help others learn and grow (1-5)", "scale", True, choices=OFTEN,
                 also=("develops others", "helps others grow", "develops_others")),
        Question("ignore", "Anything you would like to add? (optional, never imported)", "text",
                 help="This answer stays in the form."),
    ))

FORMS: tuple[Form, ...] = (SIGN_UP, CHECK_IN, PULSE, BASELINE, FINAL, GOALS, MANAGER_FEEDBACK, FEEDBACK_360)
SURVEYS: tuple[Form, ...] = (PULSE, BASELINE, FINAL)


def titles(forms: tuple[Form, ...], extra: tuple[Question, ...] = (),
           submitted: str | None = "submitted") -> dict[str, tuple[str, ...]]:
    """Field -> every title recognised for it in exports of these forms (the form's own title first)."""
    out: dict[str, list[str]] = {name: list(t) for name, t in IDENTITY_HEADERS.items()}
    if submitted:
        out.setdefault(submitted, []).extend(SUBMITTED_HEADERS)
    for q in (*(q for f in forms for q in f.questions), *extra):
        if q.kind == "grid":
            continue  # grid columns are recognised by their '[row]' suffix
        for title in (q.title, *q.also):
            if title not in out.setdefault(q.field, []):
                out[q.field].append(title)
    return {name: tuple(t) for name, t in out.items()}


# The staff needs survey: anonymous, before a program is designed (no e-mail, no name: its answers are only
# ever counted, one question at a time). Each closed question's answers: the code stored -> the label asked.
NEEDS_LEVEL_BANDS = {"early": "Early career (levels 1-3)", "mid": "Mid career (levels 4-6)",
                     "senior": "Senior (levels 7-9)"}
NEEDS_FORMATS = {"one-to-one": "One-to-one with a mentor", "group": "A small group with one mentor",
                 "peer": "With a colleague at my level: mentoring each other",
                 "reverse": "Reverse mentoring: sharing my skills with a senior leader",
                 "flash": "Short one-off conversations on one question"}
NEEDS_HOURS = {"under-1": "Less than an hour a month", "1-2": "1 to 2 hours a month", "3-4": "3 to 4 hours a month",
               "over-4": "More than 4 hours a month"}
NEEDS_WOULD_MENTOR = {"yes": "Yes", "maybe": "Maybe, with some support", "no": "Not now"}
NEEDS_CHOICES = {"level_band": NEEDS_LEVEL_BANDS, "formats": NEEDS_FORMATS, "hours": NEEDS_HOURS,
                 "would_mentor": NEEDS_WOULD_MENTOR}

NEEDS_SURVEY = Form(
    "needs-survey", "Mentoring: what would help you grow?", "needs_survey", "mentorkit import-needs-survey",
    "Before we design a mentoring program: which skills you want to grow and how mentoring could fit your work. "
    "Anonymous: the form does not ask who you are, and only the number of people giving each answer is kept.", (
        Question("department", "Which department are you in?", "choice", True, vocabulary="departments",
                 also=("department", "your department", "which department do you work in", "business unit",
                       "function")),
        Question("level_band", "Where are you in your career?", "choice", True,
                 choices=tuple(NEEDS_LEVEL_BANDS.values()),
                 also=("career stage", "level band", "career level", "seniority", "where are you in your career")),
        Question("skills_wanted", "Which skills would you like to grow?", "checkboxes", True, vocabulary="skills",
                 also=("skills you want to grow", "skills to grow", "which skills do you want to develop",
                       "which skills would you like to develop", "skills wanted", "what would you like to learn")),
        Question("formats", "Which kinds of mentoring would suit you?", "checkboxes", True,
                 choices=tuple(NEEDS_FORMATS.values()),
                 also=("preferred format", "format", "which format would suit you", "preferred mentoring format",
                       "how would you like to be mentored")),
        Question("hours", "How much time could you give to mentoring?", "choice", True,
                 choices=tuple(NEEDS_HOURS.values()),
                 also=("time", "time you could give", "how much time could you spend", "hours per month",
                       "time available")),
        Question("would_mentor", "Would you mentor a colleague?", "choice", True,
                 choices=tuple(NEEDS_WOULD_MENTOR.values()),
                 also=("would you be a mentor", "would you like to mentor someone", "willing to mentor",
                       "would mentor", "would you mentor someone")),
        Question("ignore", "Anything else we should know? (optional, never imported)", "text",
                 help="This answer stays in the form."),
    ))
FORMS = (*FORMS, NEEDS_SURVEY)  # appended: the sign-up and the other forms keep their order
