"""`postmortem schema` and `postmortem init`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from postmortem.commands import cli
from postmortem.spec.schema import incident_schema, schema_json

ROOT = Path(__file__).resolve().parent.parent


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "incident.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "incident.schema.json is stale: run `make golden`"


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == incident_schema()


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = list(schema["properties"].items())
    for definition in schema["definitions"].values():
        found += list(definition["properties"].items())
    return found


def test_schema_is_draft7_with_help_for_every_field() -> None:
    schema = incident_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "prefixItems" not in text
    assert "$defs" not in text
    missing = [
        name for name, prop in _properties(schema) if not {"title", "description"} <= set(prop)
    ]
    assert missing == []


def test_init_writes_a_valid_file_and_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"])
    assert result.output.splitlines() == ["wrote incident.yaml", "wrote incident.schema.json"]
    assert result.exit_code == 0
    first = Path("incident.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=incident.schema.json"
    assert Path("incident.schema.json").read_text(encoding="utf-8") == schema_json()
    checked = CliRunner().invoke(cli, ["validate", "incident.yaml"])
    assert checked.output == "incident.yaml: ok\n"
    assert checked.exit_code == 0


def test_init_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text("id: X\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", "mine.yaml"])
    assert result.output == "Error: mine.yaml: already exists; use --force to overwrite it\n"
    assert result.exit_code == 1
    assert Path("mine.yaml").read_text(encoding="utf-8") == "id: X\n"
    forced = CliRunner().invoke(cli, ["init", "mine.yaml", "--force"])
    assert forced.exit_code == 0
    assert "wrote mine.yaml" in forced.output


def test_init_keeps_an_existing_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("incident.schema.json").write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", "new.yaml"])
    assert result.output == "wrote new.yaml\n"
    assert Path("incident.schema.json").read_text(encoding="utf-8") == "{}\n"
