"""Collected results kept beside the snapshots they came from.

A rebuild from the same snapshot gives the same events, so parsing it again (and importing
feedparser, lxml or trafilatura to do so) is wasted work. Entries are keyed by the
snapshot's hash, the collector kind and a hash of the collectors' own code, so a changed
collector never serves an old result.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from postmortem.errors import ExportError
from postmortem.model import (
    Article,
    Collected,
    ComponentChange,
    ReportedTime,
    Update,
    VendorIncident,
)
from postmortem.storage.atomic import write_atomic
from postmortem.storage.serialize import to_json

_PACKAGE = Path(__file__).resolve().parents[2]


@cache
def code_version() -> str:
    """A short hash of the collector and model sources."""
    digest = hashlib.sha256()
    for path in sorted([*(_PACKAGE / "collectors").rglob("*.py"), _PACKAGE / "model.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _path(folder: Path, kind: str, sha256: str) -> Path:
    return folder / "collected" / f"{kind}-{sha256}-{code_version()}.json"


def load_collected(folder: Path, kind: str, sha256: str) -> Collected | None:
    """The cached result for this snapshot and collector, if there is a readable one."""
    try:
        data = json.loads(_path(folder, kind, sha256).read_text(encoding="utf-8"))
        return _collected(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_collected(folder: Path, kind: str, sha256: str, collected: Collected) -> None:
    """Keep a result; a cache that cannot be written is simply not used."""
    with contextlib.suppress(ExportError):
        write_atomic(_path(folder, kind, sha256), to_json(collected).encode())


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _update(data: dict[str, Any]) -> Update:
    return Update(
        at=datetime.fromisoformat(data["at"]),
        status=data["status"],
        raw_status=data["raw_status"],
        text=data["text"],
        components=tuple(ComponentChange(**c) for c in data["components"]),
    )


def _incident(data: dict[str, Any]) -> VendorIncident:
    return VendorIncident(
        id=data["id"],
        title=data["title"],
        url=data["url"],
        status=data["status"],
        impact=data["impact"],
        started_at=_time(data["started_at"]),
        resolved_at=_time(data["resolved_at"]),
        components=tuple(data["components"]),
        updates=tuple(_update(u) for u in data["updates"]),
        scheduled=data["scheduled"],
        aliases=tuple(data["aliases"]),
    )


def _collected(data: dict[str, Any]) -> Collected:
    article = data["article"]
    return Collected(
        incidents=tuple(_incident(i) for i in data["incidents"]),
        article=None
        if article is None
        else Article(
            url=article["url"],
            title=article["title"],
            site=article["site"],
            author=article["author"],
            published=None
            if article["published"] is None
            else date.fromisoformat(article["published"]),
            text=article["text"],
        ),
        reported=tuple(
            ReportedTime(datetime.fromisoformat(r["at"]), r["sentence"], r["phrase"])
            for r in data["reported"]
        ),
        page_zone=data["page_zone"],
        warnings=tuple(data["warnings"]),
    )
