"""Shared building blocks of the models: strict base class, slugs, pseudonyms, formats.

Unknown keys are errors (`extra="forbid"`) so a typo such as `cadance` is caught.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# A pseudonym: the prefix, then 8 lowercase hex digits (the one home of the pattern; the data package's
# descriptor repeats it for frictionless, as data).
PSEUDONYM_PREFIX = "mk-"
PSEUDONYM_HEX_DIGITS = 8
PSEUDONYM_BARE = rf"{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX_DIGITS}}}"  # anywhere in a text
PSEUDONYM_PATTERN = rf"^{PSEUDONYM_BARE}$"  # a whole value

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Pseudonym = Annotated[str, StringConstraints(pattern=PSEUDONYM_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Weight = Annotated[float, Field(ge=0, le=1000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Format(StrEnum):
    ONE_TO_ONE = "one-to-one"
    GROUP = "group"
    PEER = "peer"
    REVERSE = "reverse"
    MOSAIC = "mosaic"
    FLASH = "flash"
    TEAM = "team"


