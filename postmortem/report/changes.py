"""What changed since the previous build: read from its JSON report, compared with this one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from postmortem.model import Report
from postmortem.storage.serialize import to_plain


def previous_report(path: Path) -> dict[str, Any] | None:
    """The JSON report a previous build left at `path`, if it is readable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "timeline" in data else None


def diff_reports(previous: dict[str, Any], report: Report) -> tuple[str, ...]:
    """Human sentences for new timeline rows, moved milestones, edited sections, new sources."""
    current = to_plain(report)
    changes: list[str] = []
    old_rows = {(r.get("at"), r.get("text")) for r in previous.get("timeline", [])}
    new_rows = [r for r in current["timeline"] if (r["at"], r["text"]) not in old_rows]
    if new_rows:
        changes.append(f"{len(new_rows)} new timeline entr{'y' if len(new_rows) == 1 else 'ies'}")
    old_milestones = {m.get("name"): m.get("at") for m in previous.get("milestones", [])}
    for milestone in current["milestones"]:
        before = old_milestones.get(milestone["name"])
        if before is None:
            changes.append(f"milestone {milestone['name']} is now known ({milestone['at']})")
        elif before != milestone["at"]:
            changes.append(
                f"milestone {milestone['name']} moved from {before} to {milestone['at']}"
            )
    old_sections = {s.get("key"): s for s in previous.get("sections", [])}
    for section in current["sections"]:
        before = old_sections.get(section["key"], {})
        if before.get("markdown") != section["markdown"]:
            changes.append(f"section {section['title']} was edited")
        elif before.get("draft") != section["draft"] and not section["markdown"]:
            changes.append(f"the draft of {section['title']} changed")
    old_sources = {s.get("location") for s in previous.get("sources", [])}
    for source in current["sources"]:
        if source["location"] not in old_sources:
            changes.append(f"new source [{source['number']}]: {source['name']}")
    return tuple(changes)
