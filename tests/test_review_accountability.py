"""Vendor accountability on a fixture worked out by hand (times UTC, 20 March 2026).

Your INC-1: started 10:00, detected 10:05, resolved 12:00.
Acme a1: states its impact began 09:50; first post 10:20; resolved 11:30.
    posting lag 10:20 - 10:05 = +15 min (not late: late means more than 15 min)
    to resolution 11:30 - 10:20 = 70 min; backdated by 10:20 - 09:50 = 30 min
Acme a2: first post 11:00 (its stated start); resolved 13:00.
    posting lag 11:00 - 10:05 = +55 min (late); to resolution 120 min; not backdated
Beta b1: first post 10:04; resolved 10:34.
    posting lag 10:04 - 10:05 = -1 min (Beta posted first); to resolution 30 min
Beta b2: 12:30 to 13:00, after INC-1 ended: no overlap.
Per vendor: Acme overlapped 1 incident, median lag (15 + 55) / 2 = 35 min, 1 late post;
Beta overlapped 1, median lag -1 min, no late post.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postmortem.model import Update, VendorIncident
from postmortem.render.review import render_review_markdown
from postmortem.review.assemble import build_review
from postmortem.review.periods import iso_week
from tests.test_review_build import own


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 20, hour, minute, tzinfo=UTC)


def vendor(id_: str, stated: datetime, posts: list[datetime]) -> VendorIncident:
    updates = tuple(
        Update(t, "resolved" if t == posts[-1] else "investigating", "", f"Post {n}.")
        for n, t in enumerate(posts)
    )
    return VendorIncident(
        id_, f"Incident {id_}", "", "resolved", "major", stated, posts[-1], ("API",), updates
    )


def test_lags_and_late_posts_match_the_hand_computation() -> None:
    times = {"started": "10:00", "detected": "10:05", "resolved": "12:00"}
    milestones = {k: f"2026-03-20T{v}:00Z" for k, v in times.items()}
    mine = own("INC-1", milestones["started"], milestones["resolved"], milestones=milestones)
    vendors = [
        ("Acme", vendor("a1", at(9, 50), [at(10, 20), at(11), at(11, 30)])),
        ("Acme", vendor("a2", at(11), [at(11), at(13)])),
        ("Beta", vendor("b1", at(10, 4), [at(10, 4), at(10, 34)])),
        ("Beta", vendor("b2", at(12, 30), [at(12, 30), at(13)])),
    ]
    review = build_review([mine], vendors, iso_week("2026-W12", "UTC"))
    minutes = timedelta(minutes=1)
    rows = {
        o.vendor_id: (
            o.posting_lag and o.posting_lag / minutes,
            o.to_resolution and o.to_resolution / minutes,
            o.backdated and o.backdated / minutes,
            o.stated_start,
            o.late,
        )
        for o in review.overlaps
    }
    assert rows == {
        "a1": (15, 70, 30, at(9, 50), False),
        "a2": (55, 120, None, None, True),
        "b1": (-1, 30, None, None, False),
    }
    accounts = [
        (a.vendor, a.overlapped, a.median_posting_lag, a.late_posts) for a in review.accounts
    ]
    assert accounts == [
        ("Acme", 1, timedelta(minutes=35), 1),
        ("Beta", 1, timedelta(minutes=-1), 0),
    ]
    markdown = render_review_markdown(review)
    assert "posting lag** = the vendor's first post \N{MINUS SIGN} your detection" in markdown
    assert "| Acme | 1 | +35 min | 1 |" in markdown
    assert "| Beta | 1 | \N{MINUS SIGN}1 min | 0 |" in markdown
    assert "- Acme posted 55 min after your detection of INC-1" in markdown
