"""How `postmortem collect` prints incidents: JSON, paste-ready YAML timeline, or a table.

Times are always UTC, written `YYYY-MM-DDTHH:MM:SSZ`. Every formatter returns text that
ends in a newline and depends only on its input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import yaml

from postmortem.model import Collected, Update, VendorIncident
from postmortem.report.display import duration


def incidents_json(collected: Collected) -> str:
    """`{"incidents": [...]}` with the fields the README documents, in that order."""
    payload: dict[str, Any] = {"incidents": [_incident_record(i) for i in collected.incidents]}
    if collected.article is not None:
        article = collected.article
        payload["article"] = {
            "url": article.url,
            "title": article.title,
            "site": article.site,
            "author": article.author,
            "published": article.published.isoformat() if article.published else None,
        }
        payload["reported"] = [
            {"at": _iso(r.at), "phrase": r.phrase, "sentence": r.sentence}
            for r in collected.reported
        ]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def timeline_yaml(collected: Collected) -> str:
    """A `timeline:` list of at/text entries, ready to paste into an incident file."""
    lines = ["timeline:"]
    for incident in collected.incidents:
        kind = "scheduled maintenance" if incident.scheduled else "incident"
        lines.append(
            f"  # {kind} {incident.id}: {_one_line(incident.title)} {incident.url}".rstrip()
        )
        entries = [{"at": _iso(u.at), "text": _update_line(u)} for u in incident.updates]
        if entries:
            dumped = yaml.dump(
                entries, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=4096
            )
            lines.extend(f"  {line}".rstrip() for line in dumped.splitlines())
    if collected.reported:
        title = collected.article.title if collected.article else None
        lines.append(f"  # times reported in the article {_one_line(title or '')}".rstrip())
        entries = [
            {"at": _iso(r.at), "text": f"Reported: {r.sentence}"} for r in collected.reported
        ]
        dumped = yaml.dump(
            entries, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=4096
        )
        lines.extend(f"  {line}".rstrip() for line in dumped.splitlines())
    return "\n".join(lines) + "\n"


def incidents_table(collected: Collected) -> str:
    """A plain fixed-width table, one incident per row, clean in files and pipes."""
    header = ("STARTED (UTC)", "RESOLVED (UTC)", "DURATION", "STATUS", "IMPACT", "ID", "TITLE")
    rows = [header, *(_table_row(i) for i in collected.incidents)]
    widths = [max(len(row[col]) for row in rows) for col in range(len(header) - 1)]
    text = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    text += [f"{_short(r.at)}  reported: {_one_line(r.sentence)}" for r in collected.reported]
    count = len(collected.incidents)
    text.append(f"{count} incident{'' if count == 1 else 's'}")
    return "\n".join(line.rstrip() for line in text) + "\n"


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks so pasted paragraphs stay readable."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockDumper.add_representer(str, _represent_text)


FORMATTERS: dict[str, Callable[[Collected], str]] = {
    "json": incidents_json,
    "yaml": timeline_yaml,
    "table": incidents_table,
}


def _incident_record(incident: VendorIncident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "title": incident.title,
        "url": incident.url,
        "status": incident.status,
        "impact": incident.impact,
        "started_at": _iso(incident.started_at),
        "resolved_at": _iso(incident.resolved_at),
        "components": list(incident.components),
        "updates": [
            {"at": _iso(u.at), "status": u.status, "text": u.text} for u in incident.updates
        ],
    }


def _table_row(incident: VendorIncident) -> tuple[str, ...]:
    started, resolved = incident.started_at, incident.resolved_at
    title = _one_line(incident.title)
    return (
        _short(started),
        "ongoing" if resolved is None else _short(resolved),
        duration(resolved - started) if started and resolved else "-",
        incident.status,
        incident.impact or "-",
        incident.id,
        f"[maintenance] {title}" if incident.scheduled else title,
    )


def _update_line(update: Update) -> str:
    word = (update.raw_status or update.status).replace("_", " ")
    word = word[:1].upper() + word[1:]
    return f"{word} - {update.text}" if update.text else word


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _short(moment: datetime | None) -> str:
    return "-" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _one_line(text: str) -> str:
    return " ".join(text.split())
