"""AWS Service Health Dashboard: the current feed (`aws_health`), the legacy JSON and RSS.

Legacy JSON events carry an epoch `date` (the first update) and an HTML description whose
updates are stamped in Pacific time only ("12:53 PM PDT", sometimes "Sep 12, 1:14 AM PDT").
Each stamp is placed on the day of the event's epoch in US/Pacific, moving to the next day
when a time runs backwards. In the RSS feeds each item is one update; consecutive items of
one service and region make one incident, closed by a "[RESOLVED]" or "operating normally".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_tz
from typing import Any
from zoneinfo import ZoneInfo

from postmortem.collectors.aws_health import current_events
from postmortem.collectors.entries import read_entries
from postmortem.collectors.payload import load_json, parse_json
from postmortem.collectors.text.html import html_to_text
from postmortem.collectors.text.months import month_number
from postmortem.errors import CollectError
from postmortem.limits import checked_utc
from postmortem.model import Collected, Snapshot, Status, Update, VendorIncident

PACIFIC = ZoneInfo("America/Los_Angeles")
_OFFSETS = {"PDT": -7, "PST": -8, "UTC": 0, "GMT": 0}
_STAMP = re.compile(
    r"<span[^>]*>\s*(?:(?P<mon>[A-Z][a-z]{2})\s+(?P<day>\d{1,2}),\s*)?"
    r"(?P<h>\d{1,2}):(?P<m>\d{2})\s*(?P<half>AM|PM)\s+(?P<zone>PDT|PST)\s*</span>",
)
_RSS_STATES: tuple[tuple[str, Status], ...] = (
    ("service is operating normally", "resolved"),
    ("informational message", "update"),
    ("service disruption", "investigating"),
    ("performance issues", "investigating"),
)
_DASHBOARD = "https://health.aws.amazon.com/health/status"


def collect(snapshot: Snapshot) -> Collected:
    """Incidents from the current or legacy dashboard JSON or a status RSS feed, by the bytes."""
    # UTF-16 (the current feed's encoding) puts NUL bytes and a byte-order mark before `[`
    if not snapshot.body.strip():
        raise CollectError(f"{snapshot.url}: empty response; expected AWS Health JSON or RSS")
    head = snapshot.body[:512].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xfe\xff \t\r\n")
    if head.startswith((b"{", b"[")):
        data = load_json(snapshot, "AWS Health JSON")
        if isinstance(data, list):
            return current_events(data, snapshot.url)
        incidents, skipped = read_legacy(snapshot)
        return Collected(incidents=incidents, warnings=skipped + zone_mismatches(incidents))
    try:
        incidents, warnings = rss_incidents(snapshot)
    except CollectError as exc:
        raise CollectError(
            f"{exc} (expected AWS dashboard JSON with archive/current lists, "
            "or an AWS status RSS feed)"
        ) from None
    return Collected(incidents=incidents, warnings=warnings)


def zone_mismatches(incidents: tuple[VendorIncident, ...]) -> tuple[str, ...]:
    """Stamps whose PDT/PST label disagrees with America/Los_Angeles on that day."""
    return tuple(
        f"{incident.id}: update at {update.at:%Y-%m-%d %H:%MZ} is labelled {update.raw_status}, "
        f"but Pacific time was {update.at.astimezone(PACIFIC).tzname()} then; kept as labelled"
        for incident in incidents
        for update in incident.updates
        if update.raw_status in ("PDT", "PST")
        and update.at.astimezone(PACIFIC).tzname() != update.raw_status
    )


# --- legacy JSON ----------------------------------------------------------------------------


def legacy_incidents(snapshot: Snapshot) -> tuple[VendorIncident, ...]:
    """Events of a `{archive: [...], current: [...]}` dashboard dump."""
    return read_legacy(snapshot)[0]


def read_legacy(snapshot: Snapshot) -> tuple[tuple[VendorIncident, ...], tuple[str, ...]]:
    """Readable events of a dashboard dump, and a warning for each event that was skipped."""
    try:
        data = parse_json(snapshot.body, snapshot.url, "AWS dashboard JSON")
        events = [*(data.get("archive") or []), *(data.get("current") or [])]
    except (ValueError, AttributeError, TypeError, UnicodeDecodeError) as exc:
        raise CollectError(
            f"{snapshot.url}: not AWS dashboard JSON (expected archive/current lists): {exc}"
        ) from None
    incidents, warnings = read_entries(
        events, _legacy_event, url=snapshot.url, noun="AWS event", shape="an event object"
    )
    return tuple(incidents), warnings


def _legacy_event(event: dict[str, Any]) -> VendorIncident:
    first = checked_utc(datetime.fromtimestamp(int(event["date"]), tz=UTC))
    description = str(event.get("description") or "")
    # without any stamped line the whole description is one update, at the epoch
    updates = _legacy_updates(description, first) or [
        Update(first, "investigating", "epoch", html_to_text(description))
    ]
    summary = str(event.get("summary") or event.get("service_name") or "")
    resolved = summary.upper().startswith("[RESOLVED]")
    if resolved and updates:
        last = updates[-1]
        updates[-1] = Update(last.at, "resolved", last.raw_status, last.text)
    service = str(event.get("service") or "")
    return VendorIncident(
        id=f"{service}-{event['date']}",
        title=re.sub(r"^\[RESOLVED\]\s*", "", summary).strip() or service,
        url=_DASHBOARD,
        status="resolved" if resolved else (updates[-1].status if updates else "investigating"),
        impact=None,
        started_at=updates[0].at if updates else first,
        resolved_at=updates[-1].at if resolved and updates else None,
        components=(str(event.get("service_name") or service),),
        updates=tuple(updates),
    )


def _legacy_updates(description: str, first: datetime) -> list[Update]:
    day = first.astimezone(PACIFIC).date()
    stamps = list(_STAMP.finditer(description))
    updates: list[Update] = []
    previous: datetime | None = None
    for index, stamp in enumerate(stamps):
        end = stamps[index + 1].start() if index + 1 < len(stamps) else len(description)
        text = html_to_text(description[stamp.end() : end])
        month = month_number(stamp["mon"] or "")
        if month is not None:
            day = _dated(day, month, int(stamp["day"]))
        at = _pacific(day, stamp)
        if previous is not None and at < previous and not stamp["mon"]:
            day += timedelta(days=1)
            at = _pacific(day, stamp)
        previous = at
        status: Status = "investigating" if index == 0 else "update"
        updates.append(Update(at, status, stamp["zone"], text))
    return updates


def _dated(anchor: date, month: int, day: int) -> date:
    candidate = date(anchor.year, month, day)
    return (
        candidate.replace(year=anchor.year + 1)
        if candidate < anchor - timedelta(days=180)
        else candidate
    )


def _pacific(day: date, stamp: re.Match[str]) -> datetime:
    hour = int(stamp["h"]) % 12 + (12 if stamp["half"] == "PM" else 0)
    offset = timezone(timedelta(hours=_OFFSETS[stamp["zone"]]))
    return datetime.combine(day, time(hour, int(stamp["m"])), tzinfo=offset).astimezone(UTC)


# --- RSS --------------------------------------------------------------------------------------


def rss_incidents(snapshot: Snapshot) -> tuple[tuple[VendorIncident, ...], tuple[str, ...]]:
    """Per-update RSS items grouped into incidents per service and region, and warnings."""
    from postmortem.collectors.feeds import parse_feed

    parsed = parse_feed(snapshot.body, content_type=snapshot.content_type, location=snapshot.url)
    items = [item for item in map(_rss_update, parsed.entries) if item is not None]
    if parsed.entries and not items:
        raise CollectError(f"{snapshot.url}: no RSS item has a readable date or guid epoch")
    warnings = list(parsed.warnings)
    if len(items) < len(parsed.entries):
        skipped = len(parsed.entries) - len(items)
        warnings.append(f"{snapshot.url}: {skipped} item(s) without a readable date left out")
    incidents: list[VendorIncident] = []
    open_items: dict[str, list[tuple[str, Update]]] = {}
    for key, subject, update in sorted(items, key=lambda item: item[2].at):
        open_items.setdefault(key, []).append((subject, update))
        if update.status == "resolved":
            incidents.append(_rss_incident(key, open_items.pop(key)))
    incidents += [_rss_incident(key, members) for key, members in open_items.items()]
    incidents.sort(key=lambda i: (i.updates[0].at, i.id))
    return tuple(incidents), tuple(warnings)


def _rss_update(entry: Any) -> tuple[str, str, Update] | None:
    title = " ".join(str(entry.get("title", "")).split())
    lowered = title.lower()
    known = next(((prefix, s) for prefix, s in _RSS_STATES if lowered.startswith(prefix)), None)
    status: Status = known[1] if known else "update"
    # only a known state is a prefix: "Errors: EC2" without one is all subject
    state, _, rest = title.partition(":") if known and ":" in title else ("", "", title)
    if "[resolved]" in lowered:
        status = "resolved"
    guid = str(entry.get("id") or entry.get("guid") or "")
    # guid "…#ec2-ap-northeast-1_1642200240": service and region, then the epoch
    service, _, epoch = guid.rsplit("#", 1)[-1].rpartition("_")
    at = rss_time(entry) or _epoch(epoch)
    if at is None:
        return None
    text = html_to_text(str(entry.get("summary") or entry.get("description") or ""))
    subject = re.sub(r"^\s*\[RESOLVED\]\s*", "", rest, flags=re.IGNORECASE).strip()
    # one service can have several incidents at once: the subject tells them apart
    key = f"{service or 'aws'}|{subject.lower()}"
    return key, subject, Update(at, status, state.strip() or "Update", text or title)


def _epoch(text: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(text), tz=UTC) if text.isdigit() else None
    except (OverflowError, OSError, ValueError):
        return None


def rss_time(entry: Any) -> datetime | None:
    """An item's pubDate; AWS writes zone abbreviations (PST, PDT) feedparser may not know."""
    raw = str(entry.get("published") or entry.get("updated") or "")
    found = re.search(r"\b(PST|PDT)\s*$", raw)
    parsed = parsedate_tz(re.sub(r"\b(PST|PDT)\s*$", "+0000", raw))
    if parsed is None:
        return None
    try:
        stamp = datetime(*parsed[:6], tzinfo=UTC) - timedelta(seconds=parsed[9] or 0)
    except (ValueError, OverflowError):
        return None
    return stamp - timedelta(hours=_OFFSETS[found[1]]) if found else stamp


def _rss_incident(key: str, members: list[tuple[str, Update]]) -> VendorIncident:
    service = key.split("|", 1)[0]
    updates = tuple(update for _, update in members)
    closed = updates[-1].status == "resolved"
    return VendorIncident(
        id=f"{service}-{int(updates[0].at.timestamp())}",
        title=members[0][0] or service,
        url=_DASHBOARD,
        status=updates[-1].status,
        impact=None,
        started_at=updates[0].at,
        resolved_at=updates[-1].at if closed else None,
        components=(service,),
        updates=updates,
    )
