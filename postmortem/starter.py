"""`postmortem init`: a commented, valid starter incident file and its JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

from postmortem.errors import IncidentFileError
from postmortem.export.atomic import write_atomic
from postmortem.incident import Incident

SCHEMA_FILE = "incident.schema.json"

STARTER = """\
# yaml-language-server: $schema=./incident.schema.json
# A post-mortem for postmortem (https://example.invalid is a placeholder: use your own).
# Build it with: postmortem build {name}
# Times: write them with Z or an offset, or as local times in `timezone` below.

id: INC-2026-0001            # letters, digits, . _ - ; used in file names
title: Checkout API errors while the payment vendor was degraded
severity: SEV2               # SEV1 (worst) .. SEV5
status: draft                # draft | in-review | published
timezone: Europe/Berlin      # IANA zone used to display times; stored as UTC
owner: Alex Example
authors: [Alex Example]
components: [checkout-api]   # your services that were affected

milestones:                  # any subset; must not go backwards in time
  started: 2026-03-20T03:58:00     # local time in `timezone` (CET here)
  detected: 2026-03-20T04:06:00
  acknowledged: 2026-03-20T04:11:00
  mitigated: 2026-03-20T04:40:00
  resolved: 2026-03-20T05:55:00

impact:                      # when customers were affected (may differ from the above)
  start: 2026-03-20T03:58:00
  end: 2026-03-20T05:50:00
  metrics: {{failed_requests: 1200, support_tickets: 9}}

timeline:                    # your own entries; vendor updates are collected from sources
  - at: 2026-03-20T04:06:00
    text: Error-rate alert fired for the checkout API
    milestone: detected
    star: true

sources: []                  # status feeds and articles, e.g.
#  - name: Vendor status
#    kind: statuspage         # statuspage | incidentio | gcp | aws | rss | article
#    url: https://status.example.com/history.atom

sections:                    # Markdown; leave one out to get a cited draft from the sources
  summary: |
    Checkout requests failed for about two hours while our payment vendor was degraded.

action_items:
  - title: Retry payment authorisation with a second provider
    owner: Alex Example
    due: 2026-04-03
    priority: P1             # P0..P3
    kind: prevent            # mitigate | prevent | process
    status: open             # open | done | wontfix
"""


def schema_text() -> str:
    """The incident file's JSON Schema (draft-07 compatible), as pretty JSON."""
    schema = Incident.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "postmortem incident file"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_starter(path: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Write a starter incident file (and the schema next to it, when absent)."""
    if path.is_dir():
        path = path / "incident.yaml"
    if path.exists() and not force:
        raise IncidentFileError(f"{path}: already exists; pick another name or pass --force")
    write_atomic(path, STARTER.format(name=path.name).encode())
    written = [path]
    schema = path.parent / SCHEMA_FILE
    if not schema.exists():
        write_atomic(schema, schema_text().encode())
        written.append(schema)
    return tuple(written)
