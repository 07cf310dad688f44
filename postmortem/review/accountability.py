"""Vendor accountability: for your incidents a vendor incident overlapped, how promptly the
vendor posted and resolved, and how its stated impact window compares with its feed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from postmortem.model import Window
from postmortem.report.windows import overlap
from postmortem.review.model import Overlap, ReviewedIncident, VendorAccount
from postmortem.review.stats import percentile

#: a vendor's first post later than this after your detection is listed as late
LATE_POST = timedelta(minutes=15)
_OPEN = datetime.max.replace(tzinfo=UTC)


def _detected(own: ReviewedIncident) -> datetime:
    at = {m.name: m.at for m in own.milestones}
    return at.get("detected", own.started_at)


def _pair(own: ReviewedIncident, vendor: ReviewedIncident, shared: timedelta) -> Overlap:
    detected = _detected(own)
    post = vendor.first_post
    stated = vendor.started_at if post is not None and vendor.started_at < post else None
    lag = None if post is None else post - detected
    return Overlap(
        own_id=own.id,
        own_title=own.title,
        vendor=vendor.source,
        vendor_id=vendor.id,
        vendor_title=vendor.title,
        vendor_link=vendor.link,
        overlap=shared,
        detected=detected,
        first_post=post,
        posting_lag=lag,
        to_resolution=None
        if post is None or vendor.resolved_at is None
        else vendor.resolved_at - post,
        stated_start=stated,
        stated_end=vendor.resolved_at,
        backdated=None if stated is None or post is None else post - stated,
        late=lag is not None and lag > LATE_POST,
    )


def find_overlaps(
    own: Sequence[ReviewedIncident], vendors: Sequence[ReviewedIncident]
) -> tuple[Overlap, ...]:
    """Each vendor incident whose window overlaps one of your incidents, with its lags."""
    found = []
    for mine in own:
        end = mine.resolved_at or _OPEN
        for other in vendors:
            shared = overlap(
                Window("vendor", other.started_at, other.resolved_at), mine.started_at, end
            )
            if shared > timedelta(0):
                found.append(_pair(mine, other, shared))
    return tuple(found)


def vendor_accounts(overlaps: Sequence[Overlap]) -> tuple[VendorAccount, ...]:
    """Per vendor: your incidents it overlapped, median posting lag, count of late posts."""
    by_vendor: dict[str, list[Overlap]] = defaultdict(list)
    for item in overlaps:
        by_vendor[item.vendor].append(item)
    accounts = []
    for vendor, items in sorted(by_vendor.items()):
        lags = [i.posting_lag.total_seconds() for i in items if i.posting_lag is not None]
        accounts.append(
            VendorAccount(
                vendor=vendor,
                overlapped=len({i.own_id for i in items}),
                median_posting_lag=timedelta(seconds=percentile(lags, 50)) if lags else None,
                late_posts=sum(i.late for i in items),
            )
        )
    return tuple(accounts)
