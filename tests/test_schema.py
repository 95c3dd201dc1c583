"""The committed JSON Schemas match the pydantic models, and the demo files point editors at them."""

import json

from conftest import REPO
from mentorkit.repo import schemas as schema


def test_committed_schemas_are_current():
    assert schema.stale(REPO) == [], "run `mentorkit schema` and commit schemas/"


def test_stale_schema_is_detected(tmp_path):
    schema.write_all(tmp_path)
    path = tmp_path / "schemas" / "program.schema.json"
    data = json.loads(path.read_text())
    data["properties"].pop("cadence")
    path.write_text(json.dumps(data))
    assert schema.stale(tmp_path) == ["schemas/program.schema.json"]


def test_schema_knows_every_program_key():
    data = json.loads(schema.render("program"))
    assert {"timeline", "cadence", "goals", "milestones", "matching", "roi", "reports"} <= set(data["properties"])
    assert data["additionalProperties"] is False


def test_demo_yaml_files_declare_their_schema():
    for path in sorted((REPO / "program").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/program.schema.json", path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file()
    vocab = (REPO / "participants" / "vocabulary.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert vocab == "# yaml-language-server: $schema=../schemas/vocabulary.schema.json"
