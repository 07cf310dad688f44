"""Timeline charts: a Mermaid gantt block for Markdown and an inline SVG for HTML and PDF.

The SVG is drawn by hand: no dependency, no external resource, identical bytes every time.
Both charts span the incident's windows with a small margin, not every late update, and
neither gives a window that is still open an end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import escape  # jinja2 has loaded it already; `html` would cost an import

from postmortem.model import Report, Window
from postmortem.render.digest import component_groups
from postmortem.render.filters import is_utc

WIDTH = 680
LABEL_W = 170
LANE_H = 22
TOP = 34
#: DejaVu Sans at 9 px averages under 5.6 px a character; labels are measured with it
CHAR_W = 5.6
LABEL_CHARS = int((LABEL_W - 12) / CHAR_W)
Scale = Callable[[datetime], float]
COLOURS = {
    "incident": "#5b7db1",
    "customer impact": "#c0504d",
    "major_outage": "#c0504d",
    "full_outage": "#c0504d",
    "partial_outage": "#e08a3c",
    "degraded_performance": "#e9c46a",
    "under_maintenance": "#8a8a8a",
}


@dataclass(frozen=True, slots=True)
class Lane:
    """One bar: its label, the full text behind an abbreviated label, and its window."""

    label: str
    full: str
    window: Window


def _lanes(report: Report) -> list[Lane]:
    lanes = [
        Lane(w.label.capitalize(), w.label.capitalize(), w)
        for w in (report.incident_window, report.impact_window)
        if w is not None
    ]
    for group in component_groups(report.component_windows):
        state = (group.window.state or "affected").replace("_", " ")
        full = f"{', '.join(group.names)}: {state}"
        label = group.names[0] if len(group.names) == 1 else f"{len(group.names)} components"
        lanes.append(Lane(label, full, group.window))
    return lanes


def _span(report: Report) -> tuple[datetime, datetime] | None:
    """The windows and milestones with a margin; an open window runs to the last update."""
    lanes = [lane.window for lane in _lanes(report)]
    times = [w.start for w in lanes] + [w.end for w in lanes if w.end]
    times += [m.at for m in report.milestones]
    if any(w.end is None for w in lanes):
        times += [r.at for r in report.timeline]
    if not times:
        return None
    start, end = min(times), max(times)
    pad = max((end - start) / 20, timedelta(minutes=5))
    return start - pad, end + pad


def _mermaid_label(text: str) -> str:
    return re.sub(r"[^\w .()/+-]", " ", text).strip() or "window"


def gantt(report: Report) -> str:
    """A Mermaid gantt block (GitHub and GitLab render it); times in UTC.

    A gantt bar needs an end: a window still open is drawn as a marker where it began.
    """
    lanes = _lanes(report)
    if not lanes:
        return ""
    fmt = "%Y-%m-%dT%H:%M"
    lines = ["```mermaid", "gantt", f"    title {_mermaid_label(report.id)} (times in UTC)"]
    lines += ["    dateFormat YYYY-MM-DDTHH:mm", "    axisFormat %H:%M", "    section Windows"]
    for lane in lanes:
        window = lane.window
        label = _mermaid_label(lane.full.replace(": ", " - ") if window.component else window.label)
        if window.end is None:
            lines.append(f"    {label} (still open) :milestone, {window.start:{fmt}}, 0m")
            continue
        tag = "crit, " if window.state in ("major_outage", "full_outage") else ""
        lines.append(f"    {label} :{tag}{window.start:{fmt}}, {window.end:{fmt}}")
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


def abbreviate(text: str, chars: int) -> str:
    """`text` cut to `chars` characters with "…" (the full text is in the tables)."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _marker_labels(
    marks: list[tuple[float, str]], left: float, right: float
) -> list[tuple[float, float, int, str]]:
    """(marker x, label x, row, text): each label on the first row where it overlaps none.

    Labels are centred on their marker but kept inside [left, right], so none is cut.
    """
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for px, text in marks:
        half = len(text) * CHAR_W / 2
        centre = min(max(px, left + half), right - half)
        extent = (centre - half - 4, centre + half + 4)
        row = next(
            (
                i
                for i, taken in enumerate(rows)
                if all(extent[1] < a or extent[0] > b for a, b in taken)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append(extent)
        placed.append((px, centre, row, text))
    return placed


def timeline_svg(report: Report) -> str:
    """Lanes for the incident, the customer impact and the components, plus milestones."""
    span = _span(report)
    lanes = _lanes(report)
    if span is None or not lanes:
        return ""
    start, end = span
    plot_w = WIDTH - LABEL_W - 10
    zone = ZoneInfo(report.timezone)
    two_zones = not is_utc(report.timezone)

    def x(at: datetime) -> float:
        return LABEL_W + plot_w * (at - start) / (end - start)

    marks = _milestone_marks(report, zone, x)
    labels = _marker_labels(marks, LABEL_W, WIDTH - 2)
    label_rows = max((row for *_, row, _ in labels), default=-1) + 1
    bottom = TOP + LANE_H * len(lanes)
    height = bottom + 14 + 12 * label_rows + 8
    title = _alt_text(report, lanes, zone)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pm-chart" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" font-family="DejaVu Sans, sans-serif" font-size="9"'
        f' role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for tick in _ticks(start, end):
        px = x(tick)
        if px > WIDTH - 28:
            continue  # its label would be cut off at the edge
        local = tick.astimezone(zone)
        parts.append(
            f'<line x1="{px:.1f}" y1="{TOP - 6}" x2="{px:.1f}" y2="{bottom}" stroke="#e3e3e3"/>'
            f'<text x="{px:.1f}" y="{TOP - 18 if two_zones else TOP - 9}" text-anchor="middle">'
            f"{local:%H:%M} {escape(local.tzname() or '')}</text>"
        )
        if two_zones:
            parts.append(
                f'<text x="{px:.1f}" y="{TOP - 8}" text-anchor="middle" fill="#777">'
                f"{tick:%H:%M} UTC</text>"
            )
    for index, lane in enumerate(lanes):
        parts.append(_bar(lane, TOP + index * LANE_H, x, end))
    for px, centre, row, text in labels:
        y = bottom + 14 + 12 * row
        parts.append(
            f'<line x1="{px:.1f}" y1="{TOP}" x2="{px:.1f}" y2="{bottom}" stroke="#222"'
            ' stroke-dasharray="2,2"/>'
            f'<path d="M{px - 4:.1f},{bottom + 1} L{px + 4:.1f},{bottom + 1}'
            f' L{px:.1f},{bottom + 7} Z" fill="#222"/>'
            f'<text x="{centre:.1f}" y="{y}" text-anchor="middle">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _alt_text(report: Report, lanes: list[Lane], zone: ZoneInfo) -> str:
    """What the chart shows, in words: the alt text of the figure in a tagged PDF."""

    def at(moment: datetime) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M %Z}"

    windows = [
        f"{lane.full} from {at(lane.window.start)}"
        + (f" to {at(lane.window.end)}" if lane.window.end else ", still open")
        for lane in lanes
    ]
    marks = [f"{m.name} {at(m.at)}" for m in report.milestones]
    text = f"Timeline chart of {report.id}. Windows: {'; '.join(windows)}."
    return f"{text} Milestones: {', '.join(marks)}." if marks else text


def _milestone_marks(report: Report, zone: ZoneInfo, x: Scale) -> list[tuple[float, str]]:
    """One mark per distinct milestone time, naming every milestone at that time."""
    at_time: dict[datetime, list[str]] = {}
    for m in report.milestones:
        at_time.setdefault(m.at, []).append(m.name)
    return [
        (x(at), f"{', '.join(names).capitalize()} {at.astimezone(zone):%H:%M}")
        for at, names in sorted(at_time.items())
    ]


def _bar(lane: Lane, y: int, x: Scale, end: datetime) -> str:
    window = lane.window
    colour = COLOURS.get(window.state or window.label, "#7f9cc9")
    left = x(window.start)
    right = x(window.end or end)
    open_note = " (ongoing)" if window.end is None else ""
    label = abbreviate(lane.label, LABEL_CHARS - len(open_note)) + open_note
    tail = (
        ""
        if window.end
        else f'<path d="M{right:.1f},{y + 4} L{right + 6:.1f},{y + LANE_H / 2} L{right:.1f},'
        f'{y + LANE_H - 4} Z" fill="{colour}"/>'
    )
    return (
        f'<text x="{LABEL_W - 6}" y="{y + 14}" text-anchor="end">{escape(label)}'
        f"<title>{escape(lane.full)}</title></text>"
        f'<rect x="{left:.1f}" y="{y + 4}" width="{max(right - left, 1.5):.1f}"'
        f' height="{LANE_H - 8}" fill="{colour}" rx="2"><title>{escape(lane.full)}</title></rect>'
        + tail
    )
