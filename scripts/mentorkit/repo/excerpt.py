"""How a value from a file is quoted in a message: short, on one line, every hidden character made visible.

Messages reach terminals, CI annotations and job summaries. A value is never
echoed whole (a 970 KB cell would flood them, and a file's content is not the
message's to publish), and a character that changes how text looks without
being seen (a bidi override, a zero-width space) is shown as its code point.
"""

from __future__ import annotations

import unicodedata

MAX_EXCERPT = 60  # characters of a value quoted in a message


def visible(value: str) -> str:
    """`value` with control, format (bidi, zero-width) and separator characters written as <U+XXXX>."""
    out = []
    for ch in value:
        if ch == " " or (ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Zl", "Zp")):
            out.append(ch)
        else:
            out.append(f"<U+{ord(ch):04X}>")
    return "".join(out)


def excerpt(value: object, limit: int = MAX_EXCERPT) -> str:
    """The value quoted for a message: escaped, and cut to `limit` characters with its full length said."""
    text = str(value)
    if len(text) <= limit:
        return f"'{visible(text)}'"
    return f"'{visible(text[:limit])}…' ({len(text):,} characters)"


# Characters refused in text people read: they reorder or hide what is shown (Trojan Source, CVE-2021-42574).
# ZWJ (U+200D) and ZWNJ (U+200C) stay allowed: emoji sequences and several scripts need them.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def hidden_character(value: str) -> str | None:
    """The first bidi control or invisible character in `value`, as U+XXXX and its name; None when there is none."""
    for ch in value:
        if unicodedata.category(ch) == "Cf" and ch not in _ALLOWED_FORMAT:
            return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'unnamed format character').lower()})"
    return None
