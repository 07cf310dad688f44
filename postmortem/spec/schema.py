"""The incident file's JSON Schema, for editors (yaml-language-server validates draft-07)."""

from __future__ import annotations

import json
from typing import Any

from postmortem.spec.incident import Incident

SCHEMA_FILE = "incident.schema.json"


def incident_schema() -> dict[str, Any]:
    """The JSON Schema of the incident file, draft-07 style (`definitions`, no tuples)."""
    schema = Incident.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    for model in (schema, *definitions.values()):
        model["properties"] = {k: _draft7(k, v) for k, v in model["properties"].items()}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **schema,
        "definitions": definitions,
    }


def schema_json() -> str:
    """The schema as stable, indented JSON text ending in a newline."""
    return json.dumps(incident_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _draft7(name: str, prop: dict[str, Any]) -> dict[str, Any]:
    """Draft-07 ignores keywords beside `$ref`, so the ref moves into `allOf` to keep help."""
    prop = dict(prop)
    prop.setdefault("title", name.replace("_", " ").capitalize())
    if "$ref" in prop:
        prop["allOf"] = [{"$ref": prop.pop("$ref")}]
    return prop
