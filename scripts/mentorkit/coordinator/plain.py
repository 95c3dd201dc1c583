"""The proposal's words, retold to the people they are about: participants (not-matched e-mails) and managers.

`matching.reasons` writes the proposal's reasons for the coordinator: rule names, counts, points, pseudonyms.
A participant is told only what they can understand and act on, and a manager reading the review packet gets
the solver's guarantee as one sentence. This module keys off the phrases `matching.reasons` writes (a reason it
does not recognise gets a general sentence, never the coordinator's words).
"""

from __future__ import annotations

# --- the same reasons, told to the person they are about ------------------------------------------------------

# (what the proposal's reason or hint contains, why in the participant's words, what would help). First match wins.
# The proposal speaks to the coordinator (rule names, counts, points); a participant is told only what they can
# understand and act on: no rule names, no counts, no scores, no one else's identity.
_FOR_PARTICIPANT_HINTS: tuple[tuple[str, str, str], ...] = (
    ("in this program offers", "no {who} in this round offers the skills you want to develop",
     "a {who} who offers them joining the program"),
    ("hours of", "the {who}s who offer what you are looking for work in time zones too far from yours to share "
                 "enough of a working day", "a {who} nearer your time zone joining the program"),
    ("time zone is unknown", "we could not read a time zone from your sign-up",
     "telling us your time zone (reply to this e-mail)"),
    ("career-stage gap", "the {who}s who offer what you are looking for are at a career stage too close to yours, "
                         "or earlier than yours, for this program", "a {who} at a later career stage joining"),
    ("level gap", "the {who}s who offer what you are looking for are at a career stage too close to yours "
                  "for this program", "a {who} at a later career stage joining"),
    ("speak", "the {who}s who offer what you are looking for do not share a language with you",
     "a {who} who speaks your language joining"),
    ("lower minimum score", "no {who} was a close enough fit this time", ""),
    ("none of the skills sought", "no {who} in this round offers the skills you want to develop",
     "a {who} who offers them joining the program"),
)
_FOR_PARTICIPANT: tuple[tuple[str, str, str], ...] = (
    ("the program has no", "no {who}s have signed up to the program yet", "{who}s signing up"),
    ("fully booked", "the {who}s who fit you best have no places left in this round",
     "a place opening with a {who} who fits you: you are on the waiting list, and we will propose you as soon as "
     "one does"),
    ("one mentee per team", "each {who} who fits you already mentors someone from your team, and the program "
                            "gives each {who} people from different teams",
     "a {who} who fits you taking on one more person, or a new {who} joining"),
    ("cross-department rule", "the program keeps most pairs across departments, and the {who}s with a place "
                              "left who fit you work in your department", "a {who} from another department joining"),
    ("needed to match as many", "each {who} who fits you was needed by someone who had no other {who}",
     "a place opening with a {who} who fits you: you are on the waiting list, and we will propose you as soon as "
     "one does"),
    ("no team:", "the program's mentor teams are not set up yet", ""),
    ("every team that fits is full", "the mentor teams that fit you have no places left in this round",
     "a place opening in a team that fits you: you are on the waiting list"),
    ("no team fits", "none of the program's mentor teams fits what you are looking for", ""),
)


WAITING = ("fully booked", "needed to match as many", "every team that fits is full", "one mentee per team")


def waiting(reason: str) -> bool:
    """Whether a person without a match waits only for a place: a mentor who fits them exists, but is full."""
    return any(needle in reason for needle in WAITING)


def for_participant(reason: str, would_match: str | None, who: str = "mentor") -> tuple[str, str]:
    """Why a person has no match, and what would help, in their own words (see `unmatched_reason`)."""
    if "fits the program rules" in reason and not reason.startswith("no team"):
        for needle, why, helps in _FOR_PARTICIPANT_HINTS:
            if needle in (would_match or ""):
                return why.format(who=who), helps.format(who=who)
        return f"none of the {who}s who signed up is a close enough fit for a good pair with you", ""
    for needle, why, helps in _FOR_PARTICIPANT:
        if needle in reason:
            return why.format(who=who), helps.format(who=who)
    return f"we could not find a {who} who fits you in this round", ""


def guarantee_in_words(guarantee: str) -> str:
    """The proposal's guarantee (`capacity_guarantee`, `small_guarantee`) as one sentence a manager understands;
    the proof itself stays in the proposal file."""
    if guarantee.startswith("proven optimal"):
        return ("No other choice of pairs matches more people, or fits them better under the program's rules: "
                "the kit checked every possible pair (the proof is in the proposal file).")
    return ("These are the best pairs among each person's most promising options; with this many people the kit "
            "did not check every possible pair (the details are in the proposal file).")
