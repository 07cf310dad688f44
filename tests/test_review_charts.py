"""Review charts: axis labels never overlap or leave the chart; no-data buckets are marked."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import pytest

from postmortem.render.review_charts import CHAR_WIDTH, WIDTH, counts_chart, durations_chart
from postmortem.review.model import TrendPoint
from postmortem.review.periods import Period, date_range, iso_week, month
from postmortem.review.stats import summarise

_UPRIGHT = re.compile(r'<text x="([\d.]+)" y="(\d+)" text-anchor="middle">([^<]*)</text>')


def points(labels: list[str], missing: int = 0) -> list[TrendPoint]:
    empty = summarise([])
    return [
        TrendPoint(label, empty, empty, 1, None if i < missing else 2)
        for i, label in enumerate(labels)
    ]


@pytest.mark.parametrize(
    "period",
    [
        iso_week("2023-W36", "UTC"),
        month("2023-09", "UTC"),
        date_range(date(2023, 9, 1), date(2023, 9, 30), "UTC"),
    ],
)
def test_axis_labels_do_not_overlap_or_leave_the_chart(period: Period) -> None:
    labels = [b.label for b in period.buckets()]
    svg = counts_chart(points(labels))
    upright = [(float(x), int(y), t) for x, y, t in _UPRIGHT.findall(svg) if int(y) > 150]
    slanted = re.findall(r'text-anchor="end" transform="rotate\(-45 ([\d.]+)', svg)
    assert len(upright) + len(slanted) >= len(labels) // 2
    rows: dict[int, list[tuple[float, float]]] = {}
    for x, y, text in upright:
        half = len(text) * CHAR_WIDTH / 2
        rows.setdefault(y, []).append((x - half, x + half))
    for spans in rows.values():
        spans.sort()
        assert all(a[1] < b[0] for a, b in pairwise(spans))
        assert spans[0][0] >= 0 and spans[-1][1] <= WIDTH
    xs = sorted(float(x) for x in slanted)
    assert all(b - a >= 16 for a, b in pairwise(xs))


def test_month_labels_name_the_year_once() -> None:
    labels = [b.label for b in month("2023-09", "UTC").buckets()]
    svg = counts_chart(points(labels))
    texts = [t for _, _, t in _UPRIGHT.findall(svg)]
    assert texts.count("2023") == 1 and texts.count("2022") == 1
    assert "Oct" in texts and "Sep" in texts


def test_no_data_buckets_are_greyed_not_zero() -> None:
    labels = [b.label for b in month("2010-03", "UTC").buckets()]
    for chart in (counts_chart, durations_chart):
        svg = chart(points(labels, missing=10), "month")
        assert svg.count("<title>no vendor data</title>") == 10
        assert "no vendor data yet" in svg
    assert "no vendor data" not in counts_chart(points(labels))
