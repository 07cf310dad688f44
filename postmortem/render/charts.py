"""Timeline charts: a Mermaid gantt block for Markdown and an inline SVG for HTML and PDF.

The SVG is drawn by hand: no dependency, no external resource, identical bytes every time.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import escape  # jinja2 has loaded it already; `html` would cost an import

from postmortem.model import Report, Window

WIDTH = 680
LABEL_W = 150
LANE_H = 22
TOP = 34
COLOURS = {
    "incident": "#5b7db1",
    "customer impact": "#c0504d",
    "major_outage": "#c0504d",
    "full_outage": "#c0504d",
    "partial_outage": "#e08a3c",
    "degraded_performance": "#e9c46a",
    "under_maintenance": "#8a8a8a",
}


def _lanes(report: Report) -> list[Window]:
    lanes = [w for w in (report.incident_window, report.impact_window) if w is not None]
    return lanes + list(report.component_windows)


def _span(report: Report) -> tuple[datetime, datetime] | None:
    times = [w.start for w in _lanes(report)] + [w.end for w in _lanes(report) if w.end]
    times += [m.at for m in report.milestones] + [r.at for r in report.timeline]
    if not times:
        return None
    start, end = min(times), max(times)
    pad = max((end - start) / 20, timedelta(minutes=5))
    return start - pad, end + pad


def _mermaid_label(text: str) -> str:
    return re.sub(r"[^\w .()/+-]", " ", text).strip() or "window"


def gantt(report: Report) -> str:
    """A Mermaid gantt block (GitHub and GitLab render it); times in UTC."""
    span = _span(report)
    lanes = _lanes(report)
    if span is None or not lanes:
        return ""
    fmt = "%Y-%m-%dT%H:%M"
    lines = ["```mermaid", "gantt", f"    title {_mermaid_label(report.id)} (times in UTC)"]
    lines += ["    dateFormat YYYY-MM-DDTHH:mm", "    axisFormat %H:%M", "    section Windows"]
    for window in lanes:
        end = window.end or span[1]
        tag = "crit, " if window.state in ("major_outage", "full_outage") else ""
        label = _mermaid_label(
            f"{window.component} - {window.state or 'affected'}".replace("_", " ")
            if window.component
            else window.label
        )
        lines.append(f"    {label} :{tag}{window.start:{fmt}}, {end:{fmt}}")
    if report.milestones:
        lines.append("    section Milestones")
        for m in report.milestones:
            lines.append(f"    {m.name.capitalize()} :milestone, {m.at:{fmt}}, 0m")
    lines.append("```")
    return "\n".join(lines)


def _ticks(start: datetime, end: datetime) -> list[datetime]:
    length = end - start
    for step_min in (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080):
        step = timedelta(minutes=step_min)
        if length / step <= 8:
            break
    first = start.replace(second=0, microsecond=0, minute=0)
    ticks = []
    at = first
    while at <= end:
        if at >= start:
            ticks.append(at)
        at += step
    return ticks


def timeline_svg(report: Report) -> str:
    """Lanes for the incident, the customer impact and each component, plus milestones."""
    span = _span(report)
    lanes = _lanes(report)
    if span is None or not lanes:
        return ""
    start, end = span
    plot_w = WIDTH - LABEL_W - 10
    height = TOP + LANE_H * len(lanes) + 44

    def x(at: datetime) -> float:
        return LABEL_W + plot_w * (at - start) / (end - start)

    zone = ZoneInfo(report.timezone)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pm-chart" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="9"'
        ' role="img" aria-label="Incident timeline chart">'
    ]
    for tick in _ticks(start, end):
        px = x(tick)
        if px > WIDTH - 28:
            continue  # its label would be cut off at the edge
        local = tick.astimezone(zone)
        parts.append(
            f'<line x1="{px:.1f}" y1="{TOP - 6}" x2="{px:.1f}" y2="{height - 30}"'
            ' stroke="#e3e3e3"/>'
            f'<text x="{px:.1f}" y="{TOP - 18}" text-anchor="middle">{local:%H:%M} '
            f"{escape(local.tzname() or '')}</text>"
            f'<text x="{px:.1f}" y="{TOP - 8}" text-anchor="middle" fill="#777">{tick:%H:%M} UTC'
            "</text>"
        )
    for index, window in enumerate(lanes):
        y = TOP + index * LANE_H
        label = window.component or window.label
        colour = COLOURS.get(window.state or window.label, "#7f9cc9")
        right = x(window.end or end)
        open_note = "" if window.end else " (ongoing)"
        left = x(window.start)
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end">'
            f"{escape(label[:28])}{open_note}</text>"
            f'<rect x="{left:.1f}" y="{y + 4}" width="{max(right - left, 1.5):.1f}"'
            f' height="{LANE_H - 8}" fill="{colour}" rx="2"><title>{escape(label)}</title></rect>'
        )
    bottom = TOP + LANE_H * len(lanes)
    for m in report.milestones:
        px = x(m.at)
        parts.append(
            f'<line x1="{px:.1f}" y1="{TOP}" x2="{px:.1f}" y2="{bottom}" stroke="#222"'
            ' stroke-dasharray="2,2"/>'
            f'<path d="M{px - 4:.1f},{bottom + 2} L{px + 4:.1f},{bottom + 2}'
            f' L{px:.1f},{bottom + 9} Z"'
            ' fill="#222"/>'
        )
    names = ", ".join(f"{m.name} {m.at.astimezone(zone):%H:%M}" for m in report.milestones)
    if names:
        parts.append(
            f'<text x="{LABEL_W}" y="{bottom + 22}">Milestones ({escape(report.timezone)}): '
            f"{escape(names)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
