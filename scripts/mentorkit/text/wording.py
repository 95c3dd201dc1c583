"""Words for the kit's values, shared by the site, the calendars and the e-mails (one phrase per value).

`FORMAT_WORDS` is the one home of wording that depends on a program's format: a
group program's people meet as a group, not as "pairs"; a mosaic mentee meets
their mentors in turn; peers have no mentor or mentee. Pages, `.ics` events and
e-mail subjects take their nouns from here, so a new format is one entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Format

CADENCE_PHRASE = {  # program.cadence.every -> how often, in a sentence
    "weekly": "every week",
    "fortnightly": "every two weeks",
    "monthly": "once a month",
    "quarterly": "once a quarter",
    "once": "once",
}


FORMAT_DESCRIPTION = {
    Format.ONE_TO_ONE: "One mentor and one mentee meet regularly over the whole program.",
    Format.GROUP: "One mentor meets a small group of mentees, who also learn from each other.",
    Format.PEER: "Colleagues at a similar level mentor each other, taking turns in both roles.",
    Format.REVERSE: "A colleague earlier in their career mentors a senior colleague, often in digital skills, "
                    "and learns how the organisation works at the top in return.",
    Format.MOSAIC: "A mentee learns from several mentors, each for a different skill or perspective.",
    Format.FLASH: "Short, focused mentoring: one or a few conversations about one question.",
    Format.TEAM: "A team of mentors with complementary skills mentors one group of mentees together.",
}


@dataclass(frozen=True)
class FormatWords:
    """How one format names the people who meet, for sentences written to a participant."""

    unit: str  # what meets, singular: "pair", "group", "mosaic"
    units: str  # plural, as a sentence's subject: "pairs", "groups"
    partners: str  # who a participant meets, after "with": "your mentor or mentee", "your group"
    formed: str  # the heading of the matching sentence: "How pairs are formed"
    meets: str  # who meets how often, with "{often}" for a CADENCE_PHRASE: "Pairs meet {often}"
    session_note: str  # what a session reminder asks of the reader (calendar events)

    def meet(self, how_often: str) -> str:
        """"Pairs meet once a month" / "Each mentee meets one of their mentors once a month, in turn"."""
        return self.meets.format(often=how_often)


_AGREE = "Agree the exact time with your mentor or mentee."
FORMAT_WORDS: dict[str, FormatWords] = {
    "one-to-one": FormatWords("pair", "pairs", "your mentor or mentee", "How pairs are formed", "Pairs meet {often}",
                              _AGREE),
    "group": FormatWords("group", "groups", "your group", "How groups are formed", "Groups meet {often}",
                         "Your group's mentor proposes the exact time to the group."),
    "peer": FormatWords("peer pair", "peer pairs", "your peer", "How peers are paired", "Peer pairs meet {often}",
                        "Agree the exact time with your peer."),
    "reverse": FormatWords("pair", "pairs", "your mentor or mentee", "How pairs are formed", "Pairs meet {often}",
                           _AGREE + " (In reverse mentoring the mentor is the colleague earlier in their career.)"),
    "mosaic": FormatWords("mosaic", "mosaics", "one of your mentors, in turn", "How mentors are chosen",
                          "Each mentee meets one of their mentors {often}, in turn",
                          "Mentees meet one of their mentors, in turn: agree the exact time with the mentor "
                          "whose turn it is (or, as a mentor, with your mentee)."),
    "flash": FormatWords("pair", "pairs", "your mentor or mentee", "How pairs are formed", "Pairs meet {often}",
                         _AGREE),
    "team": FormatWords("team", "teams", "your mentoring team", "How teams are formed", "Teams meet {often}",
                        "The mentors of your team propose the exact time to the whole group."),
}


def format_words(fmt: str) -> FormatWords:
    """The wording of a format (a `Format` value or its string)."""
    return FORMAT_WORDS[str(fmt)]
