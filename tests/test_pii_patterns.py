"""The privacy patterns are written for speed (the scan reads every file of the repository at every load); these
tests hold them to the plain patterns they replace, so a faster pattern can never find less."""

from __future__ import annotations

import random
import re

import pytest

from mentorkit.repo.pii import EMAIL, PHONE, has_email

# The phone pattern as it reads most simply: its first character, looked behind from before it.
PLAIN_PHONE = re.compile(r"(?<![\w.=<>~!-])\+?\(?\d(?:[\s().-]{0,3}\d){8,14}(?![\w-])")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", [
    "+49 30 1234 5678", "(030) 123-45678", "+(49) 30 123456", "call 030.1234.5678 today", "x+49301234567",
    "1+49 30 1234 5678", "=+49301234567", "v1.2.3456789012", "a-123456789", "123456789-", "123456789a",
    "12345678", "1234567890123456789", "+ 49 30 1234 5678", "((030) 1234 5678", "\n+49 30\n1234 5678\n",
    "types-PyYAML==6.0.12.20261113", "Phone=+4930123456789", "2026-01-05 2026-02-02", "+++123456789",
])
def test_the_phone_pattern_finds_what_the_plain_one_finds(text):
    assert _spans(PHONE, text) == _spans(PLAIN_PHONE, text)


def test_the_phone_pattern_agrees_with_the_plain_one_on_random_text():
    rnd = random.Random(27)
    alphabet = "0123456789" * 3 + " +()-.=<>~!_a\n\t"
    found = 0
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        expected = _spans(PLAIN_PHONE, text)
        assert _spans(PHONE, text) == expected, text
        found += bool(expected)
    assert found > 500  # the random texts do hold phone numbers, so agreeing is not agreeing on nothing


@pytest.mark.parametrize(("text", "expected"), [
    ("ana.silva@acme.io", True), ("write to <jo@acme.io>.", True), ("no address here", False),
    ("an @ alone", False), ("a@b", False), ("", False),
])
def test_has_email_is_the_email_search(text, expected):
    assert has_email(text) is expected is (EMAIL.search(text) is not None)
