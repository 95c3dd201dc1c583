"""JSON Schemas for editors, generated from the pydantic models.

Committed under schemas/ so VS Code (yaml-language-server) validates program
files as the coordinator types; a test fails when they are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from ..model import AgendaMeta, Program, Proposal, Vocabulary
from .atomic import write_atomic

SCHEMAS: dict[str, type[BaseModel]] = {
    "program": Program,
    "agenda": AgendaMeta,
    "vocabulary": Vocabulary,
    "proposal": Proposal,
}


def render(name: str) -> str:
    schema = SCHEMAS[name].model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{name}.schema.json", **schema}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale(root: Path) -> list[str]:
    """Schema files that differ from what the models generate."""
    out = []
    for name in SCHEMAS:
        path = root / "schemas" / f"{name}.schema.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != render(name):
            out.append(path.relative_to(root).as_posix())
    return out


def write_all(root: Path) -> list[str]:
    written = []
    for name in SCHEMAS:
        path = root / "schemas" / f"{name}.schema.json"
        write_atomic(path, render(name))
        written.append(path.relative_to(root).as_posix())
    return written
