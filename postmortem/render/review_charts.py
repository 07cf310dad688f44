"""Inline SVG charts for reviews: hand-made, dependency-free and byte-for-byte deterministic."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import escape  # jinja2 has loaded it already; `html` would cost an import

from postmortem.review.model import TrendPoint

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 24, 44
OWN, VENDOR = "#3465a4", "#e9a23b"


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
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for index, label in enumerate(labels):
        x = LEFT + slot * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
            f"{escape(label.split('-W')[-1] if '-W' in label else label)}</text>"
        )
    return parts


def _legend(parts: list[str], entries: Sequence[tuple[str, str]]) -> None:
    x = LEFT
    for colour, name in entries:
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 7}">{escape(name)}</text>'
        )
        x += 14 + 7 * len(name) + 16


def counts_chart(trend: Sequence[TrendPoint], bucket: str = "week") -> str:
    """Stacked bars: your incidents and vendor incidents per period."""
    # counts are whole numbers: a multiple of 4 keeps every one of the 4 grid lines whole
    most = max((p.own_count + p.vendor_count for p in trend), default=0)
    top = float(max(4, -(-most // 4) * 4))
    parts = _frame(f"Incidents per {bucket}", top, "", [p.label for p in trend])
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(trend), 1)
    for index, point in enumerate(trend):
        x = LEFT + slot * index + slot * 0.2
        base: float = TOP + plot_h
        for count, colour in ((point.own_count, OWN), (point.vendor_count, VENDOR)):
            height = plot_h * count / top
            base -= height
            if count:
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.6:.1f}" '
                    f'height="{height:.1f}" fill="{colour}"><title>{count}</title></rect>'
                )
    _legend(parts, ((OWN, "yours"), (VENDOR, "vendors")))
    parts.append("</svg>")
    return "".join(parts)


def durations_chart(trend: Sequence[TrendPoint], bucket: str = "week") -> str:
    """Median (dot) and p90 (bar top) of durations per period, in minutes."""
    values = [
        s.p90.total_seconds() / 60 for p in trend for s in (p.own, p.vendor) if s.p90 is not None
    ]
    top = _nice_ceiling(max(values, default=0))
    parts = _frame(
        f"Duration per {bucket}: median (dot) and p90 (bar)", top, "m", [p.label for p in trend]
    )
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(trend), 1)
    for index, point in enumerate(trend):
        for offset, stats, colour in ((0.25, point.own, OWN), (0.55, point.vendor, VENDOR)):
            if stats.p90 is None or stats.median is None:
                continue
            x = LEFT + slot * index + slot * offset
            p90 = plot_h * stats.p90.total_seconds() / 60 / top
            median_y = TOP + plot_h - plot_h * stats.median.total_seconds() / 60 / top
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - p90:.1f}" width="{slot * 0.2:.1f}" '
                f'height="{p90:.1f}" fill="{colour}" fill-opacity="0.35"/>'
                f'<circle cx="{x + slot * 0.1:.1f}" cy="{median_y:.1f}" r="3" fill="{colour}"/>'
            )
    _legend(parts, ((OWN, "yours"), (VENDOR, "vendors")))
    parts.append("</svg>")
    return "".join(parts)
