"""What the vendor archive covers: periods before a vendor's first data say "no data"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from postmortem.review.model import Coverage
from postmortem.review.periods import Period


def without_data(coverage: Mapping[str, datetime], period: Period) -> tuple[str, ...]:
    """Vendors the archive holds nothing of for any part of `period`."""
    return tuple(sorted(v for v, since in coverage.items() if since >= period.end))


def describe(coverage: Mapping[str, datetime], period: Period) -> tuple[Coverage, ...]:
    """Each vendor's first data, and whether it covers all, part or none of `period`."""
    return tuple(
        Coverage(
            vendor,
            since,
            "full" if since <= period.start else "none" if since >= period.end else "partial",
        )
        for vendor, since in sorted(coverage.items())
    )


def covered_count(count: int, vendor: str, missing: tuple[str, ...]) -> int | None:
    """`count`, or None ("no data") for a vendor the archive has nothing of yet."""
    return None if vendor in missing else count
