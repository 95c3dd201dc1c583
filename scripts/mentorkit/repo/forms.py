"""The forms/ folder: the kit's question sets as Markdown, for a coordinator to recreate in Google or Microsoft Forms.

Written by `mentorkit forms` (and by `mentorkit new`) from the one catalogue,
`model.questions`, with the choices that come from the repository's
vocabulary (departments, skills, ...) filled in; a test fails when the
committed files are stale. The importers recognise every title written here
without any mapping; forms/mappings.yaml (read by `load`) is for an
organisation whose forms word their questions differently.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Vocabulary
from ..model.questions import FORMS, Form, Question
from . import layout
from .atomic import write_atomic

HEADER = ("<!-- Written by `mentorkit forms` from the kit's questions and participants/vocabulary.yaml. "
          "Do not edit: run `mentorkit forms` after changing the vocabulary. -->\n")

KINDS = {  # how to make the question in Google Forms / in Microsoft Forms
    "email": ("Short answer, response validation: Text, Email", "Text"),
    "text": ("Short answer", "Text"),
    "choice": ("Multiple choice (or Dropdown)", "Choice"),
    "checkboxes": ("Checkboxes", "Choice, Multiple answers on"),
    "date": ("Date", "Date"),
    "number": ("Short answer, response validation: Number", "Text, Restrict to numbers"),
    "scale": ("Linear scale", "Rating, Symbol: Number"),
    "grid": ("Multiple choice grid", "Likert"),
}


def _choices(q: Question, vocabulary: Vocabulary | None) -> list[str]:
    if q.vocabulary is None:
        return list(q.choices)
    terms = getattr(vocabulary, q.vocabulary, None) or []
    return [t.label for t in terms]


def _listed(what: str, answers: list[str], empty: str = "") -> list[str]:
    """The answers one per line, as copied into the form: no separator that an answer could itself contain."""
    if not answers:
        return [f"- {what}: {empty}"]
    return [f"- {what}:", *(f"    - {answer}" for answer in answers)]


def _question(number: int, q: Question, vocabulary: Vocabulary | None) -> list[str]:
    google, microsoft = KINDS[q.kind]
    lines = [f"### {number}. {q.title}", "",
             f"- Google Forms: {google}; Microsoft Forms: {microsoft}",
             f"- Required: {'yes' if q.required else 'no'}"]
    if q.help:
        lines.append(f"- Description: {q.help}")
    answers = _choices(q, vocabulary)
    source = f" (the {q.vocabulary.replace('_', ' ')} of participants/vocabulary.yaml)" if q.vocabulary else ""
    if q.kind == "scale":
        low = 0 if q.field == "nps" else 1
        ends = f"{low} to {low + len(answers) - 1}"
        labels = "" if q.field == "nps" else f", labels: {low} {answers[0]}, {low + len(answers) - 1} {answers[-1]}"
        lines.append(f"- Scale: {ends}{labels} (the export may hold the number or the label)")
    elif q.kind == "grid":
        lines.extend(_listed(f"Rows{source}", answers, "none yet: add skills to the vocabulary"))
        lines.extend(_listed("Columns", list(q.choices)))
    elif answers or q.vocabulary:
        lines.extend(_listed(f"Answers{source}", answers, "none yet: add them to the vocabulary"))
    goes = "never imported: the answer stays in the form" if q.field == "ignore" else (
        "one skill rating per row (skill_ratings.csv)" if q.kind == "grid" else f"`{q.field}`")
    lines.append(f"- Imported as: {goes}")
    return [*lines, ""]


# What a form's page says about its export beside the titles; the default: the timestamp dates each answer.
EXPORT_NOTE = {
    "needs-survey": "Keep the form anonymous: do not collect e-mail addresses or names (Google Forms: "
                    "'Collect email addresses' off; Microsoft Forms: 'Anyone can respond', without 'Record name'). "
                    "The import keeps only how many people gave each answer, never one person's answers, and "
                    "refuses fewer answers than the program's reports.min_group_size.",
}


def render(form: Form, vocabulary: Vocabulary | None) -> str:
    """One form as Markdown: its description and its questions, in order."""
    note = EXPORT_NOTE.get(form.id, "The form tool's timestamp column is read as the date of the answer.")
    lines = [f"# {form.title}", "",
             f"Form description: {form.intro}", "",
             f"Recreate the questions below with exactly these titles; import the form's CSV export with "
             f"`{form.command}`. {note} A question "
             f"worded differently in your forms is mapped once, under `{form.mapping}:` in "
             f"[mappings.yaml](mappings.md).", ""]
    for number, q in enumerate(form.questions, start=1):
        lines.extend(_question(number, q, vocabulary))
    return HEADER + "\n".join(lines).rstrip("\n") + "\n"


def render_index() -> str:
    """forms/README.md: which form is which, and how the shared mappings work."""
    rows = "\n".join(f"| [{f.title}]({f.id}.md) | `{f.command}` | `{f.mapping}` |" for f in FORMS)
    return HEADER + f"""# Forms

The question sets of the program's forms. Recreate each in Google Forms or
Microsoft Forms with the titles as written: the imports then read their CSV
exports with no setting at all.

| Form | Import its export with | Mapping key |
| --- | --- | --- |
{rows}

If your organisation's forms word a question differently, say so once for
every program in `{layout.FORM_MAPPINGS}` (see [mappings](mappings.md)).
"""


def render_mappings_help() -> str:
    """forms/mappings.md: the shared mapping file, explained."""
    return HEADER + f"""# Mappings: your own question titles

`{layout.FORM_MAPPINGS}` is optional. It tells the imports how to read forms
whose questions are worded differently from the kit's forms, once for every
program. Each key is a form (`sign_up`, `check_in`, `survey`, `goals`,
`outcomes`, `manager_feedback`, `needs_survey`) with the same settings as a program file's `intake:` section:

```yaml
check_in:
  columns:
    "Whom did you meet today?": partner_email
    "Length (min)": minutes
survey:
  date_order: dmy
  columns:
    "Rate SQL": rating:sql
```

A program file's `intake:` section still works; it is laid over this file for
that program (its columns, defaults and settings win).
"""


def expected(vocabulary: Vocabulary | None) -> dict[str, str]:
    """Every generated file of forms/, by repository path."""
    files = {f"{layout.FORMS}/{f.id}.md": render(f, vocabulary) for f in FORMS}
    files[f"{layout.FORMS}/README.md"] = render_index()
    files[f"{layout.FORMS}/mappings.md"] = render_mappings_help()
    return files


def stale(root: Path, vocabulary: Vocabulary | None) -> list[str]:
    """Generated files of forms/ that are missing or differ from what the catalogue and vocabulary give."""
    return [rel for rel, text in expected(vocabulary).items()
            if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text]


def write_all(root: Path, vocabulary: Vocabulary | None) -> list[str]:
    written = []
    for rel, text in expected(vocabulary).items():
        write_atomic(root / rel, text)
        written.append(rel)
    return written
