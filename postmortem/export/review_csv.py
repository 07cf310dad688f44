"""A review as two spreadsheets: its incident list and its per-component figures.

RFC 4180 CSV (comma-separated, CRLF line ends, quotes only where needed, UTF-8), times in
UTC ISO 8601 with a `Z`, durations in minutes. Text from status feeds is strangers' text:
a cell a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from postmortem.review.model import Review

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _minutes(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 60:.2f}"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def incidents_csv(review: Review) -> bytes:
    """One row per incident that started in the period, yours and your vendors'."""
    header = (
        "whose", "source", "id", "title", "severity", "status", "started_utc",
        "resolved_utc", "duration_min", "components", "link",
    )  # fmt: skip
    rows = (
        (
            "yours" if i.origin == "own" else "vendor",
            _text(i.source),
            _text(i.id),
            _text(i.title),
            _text(i.severity),
            _text(i.status),
            _when(i.started_at),
            _when(i.resolved_at),
            _minutes(i.duration),
            _text("; ".join(i.components)),
            _text(i.link or ""),
        )
        for i in review.incidents
    )
    return _table(header, rows)


def components_csv(review: Review) -> bytes:
    """One row per component: impact, downtime, availability and, with a target, its budget."""
    header = (
        "period_start_utc", "period_end_utc", "whose", "component", "impact_min",
        "down_min", "availability", "slo_target_percent", "error_budget_min", "budget_used",
    )  # fmt: skip
    targets = {(s.source, s.component): s for s in review.slos}
    keys = [(c.source, c.component) for c in review.components]
    keys += [k for k in targets if k not in keys]
    figures = {(c.source, c.component): c for c in review.components}
    period = (_when(review.period.start), _when(review.period.end))
    rows = []
    for source, component in keys:
        figure, slo = figures.get((source, component)), targets.get((source, component))
        availability = figure.availability if figure else slo.availability if slo else None
        rows.append(
            (
                *period,
                "yours" if source == "own" else _text(source),
                _text(component),
                _minutes(figure.impact if figure else timedelta(0)),
                _minutes(figure.downtime if figure else timedelta(0)),
                "" if availability is None else f"{availability:.6f}",
                "" if slo is None else f"{slo.target:g}",
                "" if slo is None else _minutes(slo.budget),
                "" if slo is None or slo.used is None else f"{slo.used:.4f}",
            )
        )
    return _table(header, rows)
