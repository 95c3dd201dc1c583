"""Checks that keep identities and executable content out of the repository."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# Nine or more digits, optionally grouped by spaces, dots, dashes or brackets: a phone number.
PHONE = re.compile(r"(?<![\w-])\+?\(?\d(?:[\s().-]*\d){8,}(?![\w-])")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_problem(value: str) -> tuple[str, str, str] | None:
    """(code, message, hint) when a raw cell looks like personal data or a spreadsheet formula."""
    if not value:
        return None
    if EMAIL.search(value):
        return ("pii-email", "the value looks like an e-mail address; the repository holds pseudonyms only",
                "replace it with the person's pseudonym (mentorkit intake does this for form exports)")
    if not ISO_DATE.match(value) and PHONE.search(value):
        return ("pii-phone", "the value looks like a phone number; the repository holds pseudonyms only",
                "remove it: contact details belong in the private roster, outside the repository")
    if value.startswith(FORMULA_START):
        return ("formula-injection",
                f"the value {value[:40]!r} starts with '{value[0]}', which a spreadsheet would run as a formula",
                "remove the leading character; no field in these tables starts with it")
    return None
