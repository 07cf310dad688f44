"""Typed records as JSON: UTC ISO-8601 times, dates as YYYY-MM-DD, durations in seconds."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples and time values turned into JSON-ready data, recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def to_json(value: Any) -> str:
    """Stable, pretty JSON with a trailing newline: the same record gives the same bytes."""
    return json.dumps(to_plain(value), indent=2, ensure_ascii=False) + "\n"
