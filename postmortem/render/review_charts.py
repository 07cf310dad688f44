"""Inline SVG charts for reviews: hand-made, dependency-free and byte-for-byte deterministic."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import escape  # jinja2 has loaded it already; `html` would cost an import

from postmortem.review.model import TrendPoint

WIDTH, HEIGHT = 640, 236
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 60
OWN, VENDOR, NO_DATA = "#3465a4", "#e9a23b", "#eeeeee"
CHAR_WIDTH = 6.2  #: DejaVu Sans at 10 px: the widest digits and capitals, so labels never touch
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def short_label(label: str, previous: str | None) -> tuple[str, str]:
    """An axis label and the line beneath it: `W29` for weeks; `Sep` for months, with the
    year beneath the first month and every January; the first day of a date range."""
    if "-W" in label:
        return f"W{label.split('-W')[-1]}", ""
    year, _, number = label.partition("-")
    if len(label) == 7 and number.isdigit():
        new_year = previous is None or not previous.startswith(year)
        return _MONTHS[int(number) - 1], year if new_year else ""
    return label.split(" to ")[0], ""


def _axis_labels(labels: Sequence[str], slot: float) -> list[str]:
    """X-axis labels that never overlap: upright when they fit, else slanted and thinned."""
    texts = [short_label(t, labels[i - 1] if i else None) for i, t in enumerate(labels)]
    widest = max((len(t) for t, _ in texts), default=0) * CHAR_WIDTH
    upright = widest <= slot * 0.9
    # slanted at 45 degrees a label needs about 1.5 line heights of horizontal room
    every = 1 if upright else max(1, math.ceil(16 / slot))
    parts = []
    for index, (text, below) in enumerate(texts):
        if (len(texts) - 1 - index) % every:  # keep the newest label, thin towards the past
            continue
        x = LEFT + slot * (index + 0.5)
        y = HEIGHT - BOTTOM + 14
        if upright:
            parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(text)}</text>')
            if below:
                parts.append(
                    f'<text x="{x:.1f}" y="{y + 12}" text-anchor="middle">{escape(below)}</text>'
                )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{y}" text-anchor="end" '
                f'transform="rotate(-45 {x:.1f} {y})">{escape(" ".join((text, below)).strip())}'
                "</text>"
            )
    return parts


def _frame(title: str, top: float, unit: str, labels: Sequence[str]) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="10">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="14" font-size="11" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end">{value:g}{unit}</text>'
        )
    parts += _axis_labels(labels, (WIDTH - LEFT - RIGHT) / max(len(labels), 1))
    return parts


def _no_data(parts: list[str], trend: Sequence[TrendPoint], slot: float) -> bool:
    """Grey out buckets before any vendor data; True when there was one."""
    plot_h = HEIGHT - TOP - BOTTOM
    found = False
    for index, point in enumerate(trend):
        if point.vendor_count is None:
            found = True
            x = LEFT + slot * index
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{TOP}" width="{slot - 2:.1f}" height="{plot_h}" '
                f'fill="{NO_DATA}"><title>no vendor data</title></rect>'
            )
    return found


def _legend(parts: list[str], entries: Sequence[tuple[str, str]]) -> None:
    x = LEFT
    for colour, name in entries:
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 3}">{escape(name)}</text>'
        )
        x += 14 + 7 * len(name) + 16


def _entries(no_data: bool) -> list[tuple[str, str]]:
    entries = [(OWN, "yours"), (VENDOR, "vendors")]
    return [*entries, (NO_DATA, "no vendor data yet")] if no_data else entries


def counts_chart(trend: Sequence[TrendPoint], bucket: str = "week") -> str:
    """Stacked bars: your incidents and vendor incidents per bucket."""
    # counts are whole numbers: a multiple of 4 keeps every one of the 4 grid lines whole
    most = max((p.own_count + (p.vendor_count or 0) for p in trend), default=0)
    top = float(max(4, -(-most // 4) * 4))
    parts = _frame(f"Incidents per {bucket}", top, "", [p.label for p in trend])
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(trend), 1)
    grey = _no_data(parts, trend, slot)
    for index, point in enumerate(trend):
        x = LEFT + slot * index + slot * 0.2
        base: float = TOP + plot_h
        for count, colour in ((point.own_count, OWN), (point.vendor_count or 0, VENDOR)):
            height = plot_h * count / top
            base -= height
            if count:
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.6:.1f}" '
                    f'height="{height:.1f}" fill="{colour}"><title>{count}</title></rect>'
                )
    _legend(parts, _entries(grey))
    parts.append("</svg>")
    return "".join(parts)


def durations_chart(trend: Sequence[TrendPoint], bucket: str = "week") -> str:
    """Median (marked dot) and p90 (bar top) of durations per bucket, in minutes."""
    values = [
        s.p90.total_seconds() / 60 for p in trend for s in (p.own, p.vendor) if s.p90 is not None
    ]
    top = _nice_ceiling(max(values, default=0))
    parts = _frame(
        f"Duration per {bucket}: median (dot) and p90 (bar)", top, "m", [p.label for p in trend]
    )
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(trend), 1)
    grey = _no_data(parts, trend, slot)
    radius = max(3.0, min(6.0, slot * 0.12))
    for index, point in enumerate(trend):
        for offset, stats, colour in ((0.2, point.own, OWN), (0.5, point.vendor, VENDOR)):
            if stats.p90 is None or stats.median is None:
                continue
            x = LEFT + slot * index + slot * offset
            p90 = plot_h * stats.p90.total_seconds() / 60 / top
            median_y = TOP + plot_h - plot_h * stats.median.total_seconds() / 60 / top
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - p90:.1f}" width="{slot * 0.3:.1f}" '
                f'height="{p90:.1f}" fill="{colour}" fill-opacity="0.35"/>'
                f'<circle cx="{x + slot * 0.15:.1f}" cy="{median_y:.1f}" r="{radius:.1f}" '
                f'fill="{colour}" stroke="#222" stroke-width="1"/>'
            )
    _legend(parts, _entries(grey))
    parts.append("</svg>")
    return "".join(parts)
