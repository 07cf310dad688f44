"""Duration statistics for reviews: medians and percentiles first, the mean only labelled.

Percentiles use linear interpolation between closest ranks (the "inclusive" method of
`statistics.quantiles`, numpy's default), so p50 equals the median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 <= q <= 100) of non-empty `values`, linearly interpolated."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class DurationStats:
    """Distribution of incident durations; all None when there is nothing to measure."""

    count: int
    median: timedelta | None
    p90: timedelta | None
    maximum: timedelta | None
    mean: timedelta | None  #: shown only labelled as the mean: it misleads on skewed data
    total: timedelta


def summarise(durations: Sequence[timedelta]) -> DurationStats:
    """Median, p90, max, mean and total of positive durations.

    Callers exclude zero and negative durations first and report them as data problems;
    this function refuses them so that none is ever averaged in silently.
    """
    if any(d <= timedelta(0) for d in durations):
        raise ValueError("zero or negative durations must be reported, not summarised")
    if not durations:
        return DurationStats(0, None, None, None, None, timedelta(0))
    seconds = [d.total_seconds() for d in durations]
    return DurationStats(
        count=len(seconds),
        median=timedelta(seconds=percentile(seconds, 50)),
        p90=timedelta(seconds=percentile(seconds, 90)),
        maximum=timedelta(seconds=max(seconds)),
        mean=timedelta(seconds=sum(seconds) / len(seconds)),
        total=timedelta(seconds=sum(seconds)),
    )
