"""Reading one answer of a form export: dates, numbers, choices, vocabulary terms, languages, time zones, working
hours, e-mails.

Every parser takes the cell's text (and the column's rule from the program's
`intake:` mapping, whose ``values:`` translate a form's own wording first) and
returns the value as the repository stores it, or raises `CellError` saying
what is wrong and how to fix it. Nothing here knows rows or files: the callers
(`intake`, `imports`) turn a `CellError` into a Problem naming the export's row
and column.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable

from ..model import FormColumn, Term
from ..repo.layout import VOCABULARY
from ..repo.pii import EMAIL


def normalise_answer(text: str) -> str:
    """An answer as compared: case, spacing, typographic quotes and dashes, a final '.' do not matter."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s+", " ", text.lower()).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    return text.rstrip(" .")


def translation(value: str, rule: FormColumn) -> str | None:
    """What the column's ``values:`` store for this answer (compared as `normalise_answer` does), if it names it."""
    normal = normalise_answer(value)
    return next((stored for answer, stored in rule.values.items() if normalise_answer(answer) == normal), None)


class CellError(ValueError):
    """One answer cannot be read for its field; caught and reported with the export's row and column."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def shown(value: str) -> str:
    """An answer as quoted in a message: one line, at most 40 characters."""
    value = " ".join(value.split())
    return value if len(value) <= 40 else value[:37] + "..."


_DATE = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:$|[ T,])")


def date_order(values: Iterable[str], configured: str) -> tuple[str | None, str | None]:
    """(order, problem) for a column of dates: ymd, dmy or mdy, guessed from values where `configured` is auto."""
    if configured != "auto":
        return configured, None
    dmy = mdy = False
    numeric = False
    for value in values:
        m = _DATE.match(value)
        if not m or len(m.group(1)) == 4:
            continue
        numeric = True
        sep = value.strip()[len(m.group(1))]
        if sep == ".":
            dmy = True
            continue
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12:
            dmy = True
        elif second > 12:
            mdy = True
    if dmy and mdy:
        return None, "the column mixes day/month and month/day dates"
    if dmy:
        return "dmy", None
    if mdy:
        return "mdy", None
    if numeric:
        return None, "dates such as 03/04/2026 could be 3 April or 4 March"
    return "ymd", None


def parse_date(value: str, order: str | None) -> dt.date:
    text = value.strip()
    m = _DATE.match(text)
    if not m:
        raise CellError(f"'{shown(value)}' is not a date", "write dates as YYYY-MM-DD")
    a, b, c = m.group(1), m.group(2), m.group(3)
    try:
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        else:
            year = int(c) + (2000 if len(c) <= 2 else 0)
            if order == "mdy":
                month, day = int(a), int(b)
            elif order == "dmy" or text[len(a)] == ".":
                day, month = int(a), int(b)
            else:
                raise CellError(f"'{shown(value)}' could be read two ways (day/month or month/day)",
                                "set date_order: dmy or mdy in forms/mappings.yaml (or the program file's intake:)")
        return dt.date(year, month, day)
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"'{shown(value)}' is not a valid date", "write dates as YYYY-MM-DD") from None


def parse_int(value: str, low: int, high: int, what: str = "number") -> int:
    numbers = re.findall(r"(?<![\d.])\d+(?![\d.])", value)
    if len(numbers) != 1 or re.search(r"\d[.,]\d", value):
        raise CellError(f"'{shown(value)}' is not a whole {what}", f"answer with a whole number from {low} to {high}")
    number = int(numbers[0])
    if not low <= number <= high:
        raise CellError(f"{number} is out of range", f"answer with a whole number from {low} to {high}")
    return number


def parse_minutes(value: str) -> int:
    """A meeting's length in minutes: '45', '45 min', '1.5 hours', '1 h 30', '1:30'."""
    text = normalise_answer(value)
    m = re.fullmatch(r"(\d+)\s*(?:m|min|mins|minutes?)?", text)
    if m:
        minutes = int(m.group(1))
    elif m := re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hours?)", text):
        minutes = round(float(m.group(1).replace(",", ".")) * 60)
    elif ((m := re.fullmatch(r"(\d+)\s*(?:h|hr|hrs|hours?)\s*(\d+)\s*(?:m|min|mins|minutes?)?", text))
          or (m := re.fullmatch(r"(\d+):(\d{2})", text))):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    else:
        raise CellError(f"'{shown(value)}' is not a length of time", "answer in minutes, e.g. 45 or 1 hour")
    if not 0 <= minutes <= 600:
        raise CellError(f"{minutes} minutes is out of range", "a meeting lasts 0 to 600 minutes")
    return minutes


_CLOCK = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_HOURS = re.compile(rf"{_CLOCK}\s*(?:-|to|until|till)\s*{_CLOCK}")
HOURS_HINT = "answer with the start and end of your working day, e.g. 09:00-17:00, or leave it empty"


def _clock(hour: str, minute: str | None, half: str | None, value: str) -> dt.time:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            raise CellError(f"'{shown(value)}' has {h} {half}, which is not a time", HOURS_HINT)
        h = h % 12 + (12 if half.startswith("p") else 0)
    if h == 24 and m == 0:
        h, m = 23, 59  # "until 24:00": the day's last minute (the repository writes times within one day)
    if h > 23 or m > 59:
        raise CellError(f"'{shown(value)}' is not a time of day", HOURS_HINT)
    return dt.time(h, m)


def parse_working_hours(value: str) -> str:
    """A person's working day as the repository stores it, 'HH:MM-HH:MM': '9:00-17:00', '09:00 – 17:30', '9-17',
    '8.30 to 16.30', '9am-5pm'. The end must come after the start (a day past midnight is not supported)."""
    text = normalise_answer(value)
    m = _HOURS.fullmatch(text)
    if not m:
        raise CellError(f"'{shown(value)}' is not a working day from a start to an end time", HOURS_HINT)
    start = _clock(m.group(1), m.group(2), m.group(3), value)
    end = _clock(m.group(4), m.group(5), m.group(6), value)
    if end <= start:
        raise CellError(f"the working day '{shown(value)}' does not end after it starts",
                        "write the start first, e.g. 08:30-16:30 (a working day that runs past midnight is not "
                        "supported: leave the answer empty)")
    return f"{start:%H:%M}-{end:%H:%M}"


CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "role": {
        "mentor": ("mentor", "a mentor", "as a mentor", "i want to mentor", "i want to be a mentor", "i'd like to mentor",
                   "i would like to mentor", "mentor someone", "be a mentor", "i want to mentor someone"),
        "mentee": ("mentee", "a mentee", "as a mentee", "i want a mentor", "i want to be mentored", "i'd like a mentor",
                   "i would like a mentor", "find a mentor", "be mentored", "be a mentee", "i want to find a mentor"),
        "both": ("both", "mentor and mentee", "both mentor and mentee", "both (mentor and mentee)", "mentor & mentee",
                 "both mentor & mentee", "mentee and mentor"),
    },
    "meeting_mode": {
        "virtual": ("virtual", "virtually", "online", "remote", "remotely", "video", "video call", "teams", "zoom"),
        "in-person": ("in-person", "in person", "face-to-face", "face to face", "on-site", "on site", "onsite",
                      "in the office", "office"),
        "either": ("either", "both", "no preference", "hybrid", "any", "either is fine", "either works",
                   "i don't mind", "don't mind"),
    },
    "mode": {
        "virtual": ("virtual", "virtually", "online", "remote", "remotely", "video", "video call", "phone",
                    "phone call", "teams", "zoom"),
        "in-person": ("in-person", "in person", "face-to-face", "face to face", "on-site", "on site", "onsite",
                      "in the office", "office"),
    },
    "gender": {
        "woman": ("woman", "female", "f", "women"),
        "man": ("man", "male", "m", "men"),
        "non-binary": ("non-binary", "nonbinary", "non binary", "genderqueer"),
        "self-described": ("self-described", "self described", "prefer to self-describe", "prefer to self describe",
                           "other", "i prefer to self-describe"),
        "prefer-not-to-say": ("prefer not to say", "prefer-not-to-say", "rather not say", "i'd rather not say",
                              "i prefer not to say", "decline to state"),
    },
    "age_band": {
        "under-25": ("under-25", "under 25", "<25", "18-24", "16-24", "below 25", "younger than 25", "24 or under"),
        "25-34": ("25-34", "25 to 34"),
        "35-44": ("35-44", "35 to 44"),
        "45-54": ("45-54", "45 to 54"),
        "55-plus": ("55-plus", "55+", "55 plus", "55 or over", "55 and over", "over 55", "55 or older", "55-64",
                    "65+", "65 or over", "65 and over"),
        "prefer-not-to-say": ("prefer not to say", "prefer-not-to-say", "rather not say", "i prefer not to say"),
    },
    "underrepresented": {
        "yes": ("yes", "y", "true"),
        "no": ("no", "n", "false"),
        "prefer-not-to-say": ("prefer not to say", "prefer-not-to-say", "rather not say", "i prefer not to say"),
    },
}

LANGUAGES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr",
    "spanish": "es", "español": "es", "espanol": "es", "portuguese": "pt", "português": "pt", "italian": "it",
    "italiano": "it", "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl", "swedish": "sv",
    "danish": "da", "norwegian": "no", "finnish": "fi", "czech": "cs", "slovak": "sk", "hungarian": "hu",
    "romanian": "ro", "bulgarian": "bg", "greek": "el", "turkish": "tr", "russian": "ru", "ukrainian": "uk",
    "arabic": "ar", "hebrew": "he", "hindi": "hi", "urdu": "ur", "bengali": "bn", "chinese": "zh", "mandarin": "zh",
    "japanese": "ja", "korean": "ko", "vietnamese": "vi", "thai": "th", "indonesian": "id", "malay": "ms",
    "tagalog": "tl", "filipino": "tl", "swahili": "sw", "croatian": "hr", "serbian": "sr", "slovenian": "sl",
    "estonian": "et", "latvian": "lv", "lithuanian": "lt", "irish": "ga", "welsh": "cy", "catalan": "ca",
    "basque": "eu", "galician": "gl", "persian": "fa", "farsi": "fa", "tamil": "ta", "punjabi": "pa",
    "afrikaans": "af", "icelandic": "is", "albanian": "sq", "macedonian": "mk", "bosnian": "bs",
}


def choose(value: str, name: str, rule: FormColumn) -> str:
    """An answer to one of the closed choices of `name` (the rule's `values` first)."""
    stored = translation(value, rule)
    if stored is not None:
        return stored
    normal = normalise_answer(value)
    options = CHOICES[name]
    for stored, answers in options.items():
        if normal == stored or normal in answers:
            return stored
    if name == "gender" and normal.startswith("other:"):
        return "self-described"  # the free text after 'Other:' is never kept
    raise CellError(f"'{shown(value)}' is not one of the choices for {name.replace('_', ' ')}",
                    f"use one of {', '.join(options)}, or translate this answer under 'values:' in the program's "
                    "intake settings")


def split_multi(value: str) -> tuple[list[str], str]:
    """The pieces of a multi-select cell and the separator: line breaks or ';' (when present), else ','."""
    for sep in ("\n", ";"):
        if sep in value:
            return [p.strip() for p in value.replace("\r\n", "\n").split(sep)], sep
    return [p.strip() for p in value.split(",")], ","


def _term_key(text: str) -> str:
    return re.sub(r"\s*([,;/&])\s*", r"\1", normalise_answer(text))


class Terms:
    """A vocabulary list: ids and labels, matched ignoring case and spacing."""

    def __init__(self, terms: Iterable[Term], what: str):
        terms = list(terms)
        self.what = what
        self.ids = [t.id for t in terms]
        self.index: dict[str, str] = {}
        for t in terms:
            for text in (t.id, t.label, t.id.replace("-", " ")):
                self.index.setdefault(_term_key(text), t.id)

    def one(self, value: str, rule: FormColumn) -> str:
        key = _term_key(value)
        for answer, stored in rule.values.items():
            if _term_key(answer) == key:
                if stored not in self.ids:
                    raise CellError(f"the mapping translates '{shown(value)}' to '{stored}', which is not in the "
                                    f"{self.what} of vocabulary.yaml")
                return stored
        if key in self.index:
            return self.index[key]
        hint = (f"use one of the {self.what} listed in {VOCABULARY} (label or id)" if self.ids
                else f"the vocabulary has no {self.what} yet: add them to {VOCABULARY}")
        raise CellError(f"'{shown(value)}' is not in the {self.what} of the vocabulary", hint)

    def many(self, value: str, rule: FormColumn) -> list[str]:
        """Ids for a multi-select cell; a label that contains the separator is put back together."""
        pieces, sep = split_multi(value)
        out: list[str] = []
        i = 0
        while i < len(pieces):
            if not pieces[i]:
                i += 1
                continue
            for j in range(len(pieces), i, -1):  # the longest run of pieces that is one label
                try:
                    term = self.one(sep.join(pieces[i:j]), rule)
                except CellError:
                    if j == i + 1:
                        raise
                    continue
                if term not in out:
                    out.append(term)
                i = j
                break
        return out


def parse_languages(value: str, rule: FormColumn) -> list[str]:
    pieces, _ = split_multi(value)
    codes: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        unbracketed = re.sub(r"\(.*?\)", "", piece)
        code = translation(unbracketed, rule)
        if code is None:
            normal = normalise_answer(unbracketed)
            code = LANGUAGES.get(normal) or (normal if re.fullmatch(r"[a-z]{2}", normal) else None)
        if code is None:
            raise CellError(f"'{shown(piece)}' is not a language mentorkit knows",
                            "answer with a language name in English or a two-letter code, or translate it under "
                            "'values:' in forms/mappings.yaml (or the program file's intake:)")
        if code not in codes:
            codes.append(code)
    return codes


@functools.cache
def _zones() -> tuple[frozenset[str], dict[str, str]]:
    """IANA zone names, and zones by their city where the city names one zone only (scanning tzdata is slow)."""
    zones = frozenset(zoneinfo.available_timezones())
    by_city: dict[str, list[str]] = {}
    for zone in zones:
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            by_city.setdefault(zone.rsplit("/", 1)[1].lower(), []).append(zone)
    return zones, {city: z[0] for city, z in by_city.items() if len(z) == 1}


def parse_time_zone(value: str, rule: FormColumn) -> str:
    stored = translation(value, rule)
    if stored is not None:
        return stored
    text = value.strip()
    zones, by_city = _zones()
    if text in zones:
        return text
    tokens: list[str] = re.findall(r"[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+", text)
    for token in tokens:
        if token in zones:
            return token
    city = re.sub(r"\(.*?\)", "", text).strip().lower().replace(" ", "_")
    if city in by_city:
        return by_city[city]
    raise CellError(f"'{shown(value)}' is not a time zone", "answer with a time zone name such as Europe/Berlin "
                                                              "or a city such as Berlin")


def slug(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def parse_email(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not EMAIL.fullmatch(text) or any(ch.isspace() for ch in text):
        raise CellError("this is not an e-mail address", "every row needs the person's work e-mail address")
    return text
