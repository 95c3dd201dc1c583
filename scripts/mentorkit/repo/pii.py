"""Checks that keep identities and executable content out of the repository."""

from __future__ import annotations

import re

# Bounded as the standards bound them (a local part of 64 characters, a domain of 255, a phone number of 15 digits),
# so that a search of a 1 MB line without spaces takes linear time, not quadratic.
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,63}")
# Nine to fifteen digits, optionally grouped by spaces, dots, dashes or brackets: a phone number.
# Not after '=', '<', '>', '~', '!' or '.': a dependency pin or a version ("types-PyYAML==6.0.12.20261113",
# "pkg>=2024.10.1") is not a phone number.
PHONE = re.compile(r"(?<![\w.=<>~!-])\+?\(?\d(?:[\s().-]{0,3}\d){8,14}(?![\w-])")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_problem(value: str) -> tuple[str, str, str] | None:
    """(code, message, hint) when a raw cell looks like personal data or a spreadsheet formula."""
    if not value:
        return None
    if "@" in value and EMAIL.search(value):  # the test first: a search of a text without '@' is slow
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
