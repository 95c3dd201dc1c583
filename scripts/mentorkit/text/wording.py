"""Words for the kit's values, shared by the site and the e-mails (one phrase per value)."""

from __future__ import annotations

CADENCE_PHRASE = {  # program.cadence.every -> how often, in a sentence
    "weekly": "every week",
    "fortnightly": "every two weeks",
    "monthly": "once a month",
    "quarterly": "once a quarter",
    "once": "once",
}
