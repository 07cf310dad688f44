"""Upptime (GitHub-hosted monitoring): `history/summary.json` and `history/<site>.yml`.

Upptime keeps only each site's state at its last check, not its past spells: a site that
is down (or degraded) now is one open incident, first seen at that check (`lastUpdated`
in a site's file, the fetch time for the summary, which states no time). Sites that are
up give no incidents, so an all-up summary is "no incidents". The summary's minutes down
per day are quoted in the incident's text. Badge JSON (`api/<site>/*.json`) holds only a
percentage and is refused with a pointer to the files that name incidents.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from postmortem.collectors.entries import read_entries
from postmortem.collectors.payload import load_json, malformed, text, utc_time
from postmortem.errors import CollectError
from postmortem.model import Collected, Impact, Snapshot, Update, VendorIncident

_WHAT = "Upptime summary JSON"
_IMPACTS: dict[str, Impact] = {"degraded": "minor", "down": "major"}
_LINE = re.compile(r"^(?P<key>[A-Za-z]\w*):[ \t]*(?P<value>.*?)[ \t]*$")
_MAX_YAML = 64 * 1024


def collect(snapshot: Snapshot) -> Collected:
    """Open incidents for the sites that are down in a summary or a site's history file."""
    if snapshot.body.lstrip()[:1] in (b"[", b"{"):
        return _summary(snapshot)
    fields = _site_fields(snapshot)
    with malformed(snapshot, "Upptime history file"):
        seen = utc_time(fields.get("lastUpdated"), field="lastUpdated")
        incident = _site(fields, seen=seen)
    return Collected(incidents=(incident,) if incident else ())


def _site_fields(snapshot: Snapshot) -> dict[str, Any]:
    """The flat `key: value` lines of a `history/<site>.yml` (no nesting, anchors or tags)."""
    if len(snapshot.body) > _MAX_YAML:
        raise CollectError(
            f"{snapshot.url}: larger than {_MAX_YAML} bytes; not an Upptime history file"
        )
    fields: dict[str, Any] = {}
    for number, line in enumerate(snapshot.body.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _LINE.match(line)
        if found is None:
            raise CollectError(
                f"{snapshot.url}: line {number} is not `key: value`; not an Upptime history file"
            )
        fields[found["key"]] = found["value"].strip("'\"")
    if "status" not in fields or "url" not in fields:
        raise CollectError(f"{snapshot.url}: not an Upptime history file (no `url` and `status`)")
    fields.setdefault("slug", PurePosixPath(urlsplit(snapshot.url).path).stem)
    return fields


def _summary(snapshot: Snapshot) -> Collected:
    data = load_json(snapshot, _WHAT)
    if isinstance(data, dict) and "schemaVersion" in data:
        badge = f"{text(data.get('label'))}: {text(data.get('message'))}"
        raise CollectError(
            f"{snapshot.url}: an Upptime badge ({badge}), not a history; "
            "read history/summary.json or history/<site>.yml"
        )
    with malformed(snapshot, _WHAT):
        if not isinstance(data, list):
            raise ValueError("expected a list of sites")
    found, warnings = read_entries(
        data, partial(_site, seen=snapshot.fetched_at), url=snapshot.url, noun="site",
        shape="a site object",
    )  # fmt: skip
    return Collected(incidents=tuple(i for i in found if i is not None), warnings=warnings)


def _site(site: dict[str, Any], *, seen: datetime | None) -> VendorIncident | None:
    state = text(site["status"]).lower()
    if state == "up":
        return None
    if state not in _IMPACTS:
        raise ValueError(f"status {state!r} is not up, down or degraded")
    slug = text(site.get("slug")) or text(site.get("name"))
    name = text(site.get("name")) or slug
    url = text(site.get("url"))
    said = f"{name} ({url}) is {state}" if url else f"{name} is {state}"
    if text(site.get("code")):
        said += f": HTTP {text(site['code'])} after {text(site.get('responseTime'))} ms"
    if text(site.get("uptimeDay")):
        said += f"; uptime over 24 h {text(site['uptimeDay'])}"
    days = site.get("dailyMinutesDown")
    if isinstance(days, dict) and days:
        listed = ", ".join(f"{day} {text(minutes)}" for day, minutes in sorted(days.items())[-7:])
        said += f"; minutes down per day: {listed}"
    return VendorIncident(
        id=f"{slug}-{state}",
        title=f"{name} {state}",
        url=url,
        status="investigating",
        impact=_IMPACTS[state],
        started_at=seen,
        resolved_at=None,
        components=(name,),
        updates=(Update(seen, "investigating", state, said),) if seen else (),
    )
