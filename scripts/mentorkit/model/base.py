"""Shared building blocks of the models: strict base class, slugs, pseudonyms, formats.

Unknown keys are errors (`extra="forbid"`) so a typo such as `cadance` is caught.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Pseudonym = Annotated[str, StringConstraints(pattern=r"^mk-[0-9a-f]{8}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Weight = Annotated[float, Field(ge=0, le=1000)]

PSEUDONYM_PATTERN = r"^mk-[0-9a-f]{8}$"


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


