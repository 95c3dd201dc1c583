"""An export's bytes as text: the encodings form tools and Excel save CSV in, told apart, or named by `--encoding`.

Google Forms and Microsoft Forms download UTF-8 (Microsoft's with a byte-order
mark); Excel saves "Unicode text" as UTF-16 and plain "CSV" in the computer's
Windows code page: Windows-1252 in Western Europe and the Americas,
Windows-1250 in Central Europe (Polish, Czech, Slovak, Hungarian, Slovenian,
Croatian, Romanian). Valid UTF-8 is never misread: a file that decodes as UTF-8
is UTF-8. Between the two code pages the bytes tell only sometimes: Polish 'ł'
is '³' in Windows-1252 and Czech 'ť' is no character at all, so a reading that
puts symbols inside words is the wrong one; but Czech 'č' and French 'è' are
the same byte, and a file whose only differing letters are such is not
guessed at: it is refused, showing a word in both readings and naming the
`--encoding` that settles it. A name in the roster is then never mojibake.
"""

from __future__ import annotations

import codecs
import unicodedata

from ..errors import ExportError, Problem

WESTERN, CENTRAL = "cp1252", "cp1250"  # Excel's "CSV" on Western and on Central-European Windows
NAMES = {
    "utf-8": "UTF-8 text",
    "utf-16": "UTF-16 text (Excel's 'Unicode text')",
    WESTERN: "Windows-1252 text (Excel's 'CSV')",
    CENTRAL: "Windows-1250 text (Central-European Excel's 'CSV')",
    "iso8859-1": "Latin-1 (ISO 8859-1) text",
    "iso8859-2": "Latin-2 (ISO 8859-2) text",
}
ONE_LETTER_WORDS = frozenset("àèÀÈ")  # French, Portuguese 'à', Italian 'è': letters where the code pages differ
HINT = ("save or download the export as 'CSV UTF-8', or name its encoding with --encoding "
        "(utf-8, utf-16, cp1252, cp1250, latin-1, ...)")


def describe(encoding: str) -> str:
    """The encoding in words, as the import's report says how the file was read."""
    return NAMES.get(encoding, encoding)


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an export's bytes: as `encoding` says, else as detected; `ExportError` when unreadable."""
    if encoding:
        return _decode_as(raw, name, encoding)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        try:
            codec = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16_order(raw)
            return raw.decode(codec).lstrip("\ufeff"), "utf-16"
        except UnicodeDecodeError:
            raise ExportError([Problem(name, "encoding", "the file looks like UTF-16 text but is not valid UTF-16",
                                       hint=HINT)]) from None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        return _code_page(raw, name, exc.start)


def _decode_as(raw: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ExportError([Problem(name, "encoding", f"there is no text encoding called '{encoding}'",
                                   hint="use utf-8, utf-16, cp1252 (Western Excel), cp1250 (Central-European Excel) "
                                        "or latin-1")]) from None
    family = "utf-16" if codec.startswith("utf-16") else codec
    try:
        text = raw.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ExportError([Problem(name, "encoding", f"the file is not {describe(family)} (byte 0x{raw[exc.start]:02x} "
                                                     f"on line {line})", line=line,
                                   hint="leave out --encoding to let mentorkit tell, or name another one")]) from None
    return text.lstrip("\ufeff"), family


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of a Latin-script header is zero."""
    head = raw[:400]
    return len(head) >= 4 and len(raw) % 2 == 0 and head.count(0) * 3 >= len(head)


def _utf16_order(raw: bytes) -> str:
    head = raw[:400]
    return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"


def _code_page(raw: bytes, name: str, bad_utf8: int) -> tuple[str, str]:
    """The text in whichever Windows code page reads it as words; refused when both do and they differ."""
    readings: dict[str, str] = {}
    for codec in (WESTERN, CENTRAL):
        try:
            readings[codec] = raw.decode(codec)
        except UnicodeDecodeError:
            continue
    if not readings:
        line = raw[:bad_utf8].count(b"\n") + 1
        raise ExportError([Problem(name, "encoding",
                                   f"the file is neither UTF-8 nor Windows-1252 nor Windows-1250 (byte 0x{raw[bad_utf8]:02x} on "
                                   f"line {line})", line=line, hint=HINT)])
    if len(readings) == 1 or readings[WESTERN] == readings[CENTRAL]:
        codec = next(iter(readings))
        return readings[codec], codec
    differ = [i for i, (a, b) in enumerate(zip(readings[WESTERN], readings[CENTRAL], strict=True)) if a != b]
    odd = {codec: sum(_misread(text, i) for i in differ) for codec, text in readings.items()}
    if odd[WESTERN] != odd[CENTRAL]:
        codec = min(readings, key=lambda c: odd[c])
        return readings[codec], codec
    line, western, central = _word_at(readings[WESTERN], readings[CENTRAL], differ[0])
    raise ExportError([Problem(
        name, "encoding",
        f"the file is not UTF-8, and it reads as words both in Windows-1252 and in Windows-1250, so mentorkit cannot "
        f"tell which: line {line} has '{western}' in the first and '{central}' in the second", line=line,
        hint=f"run the command again with --encoding {WESTERN} if '{western}' is right (Western Europe, the Americas), "
             f"or --encoding {CENTRAL} if '{central}' is (Central Europe); or save the export as 'CSV UTF-8'")])


def _misread(text: str, i: int) -> bool:
    """Whether the character at `i`, where the two code pages differ, reads as a misread byte in `text`.

    A symbol inside a word ('Wroc³aw', '£ukasz', 'mo¿e'; punctuation only between two
    letters, since Spanish '¿Qué' opens a word with it), a small letter right before
    a capital ('żQué'), or a letter standing alone that is no word ('ŕ' where French
    has 'à').
    """
    ch = text[i]
    before = i > 0 and text[i - 1].isalpha()
    after = i + 1 < len(text) and text[i + 1].isalpha()
    kind = unicodedata.category(ch)[0]
    if kind == "L":
        if ch.islower() and after and text[i + 1].isupper():
            return True
        return not before and not after and ch not in ONE_LETTER_WORDS
    if kind in "MZC":
        return False
    return (before and after) if kind == "P" else (before or after)


def _word_at(western: str, central: str, at: int) -> tuple[int, str, str]:
    """(line, the word around position `at` in one reading, the same word in the other)."""
    start = at
    while start and (western[start - 1].isalpha() or central[start - 1].isalpha()):
        start -= 1
    end = at + 1
    while end < len(western) and (western[end].isalpha() or central[end].isalpha()):
        end += 1
    return western.count("\n", 0, at) + 1, western[start:end], central[start:end]
