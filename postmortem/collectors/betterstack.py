"""Better Stack status pages: `/index.json`, a JSON:API document.

The page's `status_reports` relationship names its reports; reports, their
`status_updates` and the `status_page_resource`s they affect are looked up in `included`
by type and id. A reference whose object is not included (pages trim what they send) is
left out with one warning. Maintenance reports are kept apart as scheduled; update
messages are Markdown and read as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from postmortem.collectors.entries import read_entries
from postmortem.collectors.payload import ident, load_json, malformed, objects, text, utc_time
from postmortem.collectors.text.html import body_text, tidy_text
from postmortem.collectors.text.markdown import markdown_text
from postmortem.model import (
    Collected,
    ComponentChange,
    Impact,
    Snapshot,
    Status,
    Update,
    VendorIncident,
)

_WHAT = "Better Stack index.json"
_IMPACTS: dict[str, Impact] = {"maintenance": "none", "degraded": "minor", "downtime": "major"}
_ORDER: tuple[Impact, ...] = ("none", "minor", "major", "critical")


@dataclass(frozen=True, slots=True)
class _Page:
    url: str
    included: dict[tuple[str, str], dict[str, Any]]

    def find(self, kind: str, code: Any) -> dict[str, Any] | None:
        return self.included.get((kind, text(code)))

    def resource(self, code: Any) -> str:
        found = self.find("status_page_resource", code)
        name = text(_attributes(found).get("public_name")).strip() if found else ""
        return name or f"resource {text(code)}"


def collect(snapshot: Snapshot) -> Collected:
    """Status reports with their updates; maintenances marked scheduled."""
    data = load_json(snapshot, _WHAT)
    with malformed(snapshot, _WHAT):
        page_object = data.get("data") if isinstance(data, dict) else None
        if not isinstance(page_object, dict) or text(page_object.get("type")) != "status_page":
            raise ValueError("expected `data` of type status_page")
        included = {(text(o.get("type")), text(o.get("id"))): o for o in objects(data, "included")}
        page = _Page(_page_url(page_object.get("attributes") or {}), included)
        wanted = _references(page_object, "status_reports")
    reports = [found for ref in wanted if (found := page.find("status_report", ref)) is not None]
    incidents, skipped = read_entries(
        reports, partial(_incident, page=page), url=snapshot.url, noun="status report",
        shape="a report object",
    )  # fmt: skip
    warnings = list(skipped)
    if len(reports) < len(wanted):
        warnings.append(
            f"{snapshot.url}: {len(wanted) - len(reports)} status report(s) referenced but not "
            "included in the payload; left out"
        )
    unknown = [
        i.id for i in incidents if i.resolved_at and i.resolved_at == i.started_at and not i.updates
    ]
    if unknown:
        warnings.append(
            f"{snapshot.url}: report(s) {', '.join(unknown)} are resolved, but neither their end "
            "nor their updates are in the payload: closed at their start, the last time known"
        )
    return Collected(incidents=tuple(incidents), warnings=tuple(warnings))


def _incident(report: dict[str, Any], *, page: _Page) -> VendorIncident:
    code = ident(report)
    attributes = _attributes(report)
    scheduled = text(attributes.get("report_type")) == "maintenance"
    resolved = text(attributes.get("aggregate_state")) == "resolved"
    opening: Status = "in_progress" if scheduled else "investigating"
    closing: Status = "completed" if scheduled else "resolved"
    updates = _updates(report, page, opening)
    if resolved and updates:
        last = updates[-1]
        updates[-1] = Update(last.at, closing, last.raw_status, last.text, last.components)
    affected = [*_changes(attributes, page), *(c for u in updates for c in u.components)]
    ends = utc_time(attributes.get("ends_at"), field="ends_at")
    started = utc_time(attributes.get("starts_at"), field="starts_at")
    return VendorIncident(
        id=code,
        title=tidy_text(text(attributes.get("title"))) or f"Better Stack report {code}",
        url=page.url,
        status=updates[-1].status if updates else (closing if resolved else opening),
        impact="none" if scheduled else _worst(c.new for c in affected),
        started_at=started,
        resolved_at=(ends or (updates[-1].at if updates else started)) if resolved else None,
        components=tuple(dict.fromkeys(c.name for c in affected)),
        updates=tuple(updates),
        scheduled=scheduled,
    )


def _updates(report: dict[str, Any], page: _Page, opening: Status) -> list[Update]:
    found = (page.find("status_update", ref) for ref in _references(report, "status_updates"))
    read = (_update(item, page) for item in found if item is not None)
    updates = sorted((u for u in read if u is not None), key=lambda u: u.at)
    if updates and updates[0].status == "update":
        first = updates[0]
        updates[0] = Update(first.at, opening, first.raw_status, first.text, first.components)
    return updates


def _update(item: dict[str, Any], page: _Page) -> Update | None:
    attributes = _attributes(item)
    at = utc_time(attributes.get("published_at"), field="published_at")
    if at is None:
        return None
    changes = tuple(_changes(attributes, page))
    words = sorted({c.new for c in changes})
    status: Status = "resolved" if words == ["resolved"] else "update"
    message = body_text(markdown_text(text(attributes.get("message"))))
    return Update(at, status, ", ".join(words), message, changes)


def _changes(attributes: dict[str, Any], page: _Page) -> list[ComponentChange]:
    return [
        ComponentChange(
            page.resource(a.get("status_page_resource_id")), None, text(a.get("status"))
        )
        for a in objects(attributes, "affected_resources")
        if text(a.get("status"))
    ]


def _worst(words: Any) -> Impact | None:
    found = [_IMPACTS[w] for w in words if w in _IMPACTS]
    return max(found, key=_ORDER.index) if found else None


def _references(resource: dict[str, Any], name: str) -> list[str]:
    relationships = resource.get("relationships") or {}
    return [text(ref.get("id")) for ref in objects(relationships.get(name) or {}, "data")]


def _attributes(resource: dict[str, Any]) -> dict[str, Any]:
    attributes = resource.get("attributes")
    if not isinstance(attributes, dict):
        raise TypeError(
            f"{text(resource.get('type'))} {text(resource.get('id'))} has no attributes"
        )
    return attributes


def _page_url(attributes: dict[str, Any]) -> str:
    domain = text(attributes.get("custom_domain")).strip()
    subdomain = text(attributes.get("subdomain")).strip()
    host = domain or (f"{subdomain}.betteruptime.com" if subdomain else "")
    return f"https://{host}" if host else ""
