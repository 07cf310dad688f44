"""What a reader sees of times and durations: one format, dates where the day differs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import report_of

from postmortem.render import render_markdown
from postmortem.render.review_env import review_environment
from postmortem.report.display import duration, local_and_utc

ROOT = Path(__file__).resolve().parent.parent


def test_one_duration_format_everywhere() -> None:
    assert [duration(timedelta(minutes=m)) for m in (27.3, 104, 120, 3000)] == [
        "27 min",
        "1 h 44 min",
        "2 h",
        "2 d 2 h",
    ]
    review = review_environment("md").filters["duration"]
    assert review(timedelta(minutes=27.3)) == "27 min" and review(None) == "n/a"


def test_utc_time_carries_its_date_when_the_day_differs() -> None:
    evening = datetime(2026, 8, 7, 0, 6, tzinfo=UTC)
    assert (
        local_and_utc(evening, "America/New_York") == "2026-08-06 20:06 EDT (2026-08-07 00:06 UTC)"
    )
    morning = datetime(2026, 8, 7, 14, 6, tzinfo=UTC)
    assert local_and_utc(morning, "America/New_York") == "2026-08-07 10:06 EDT (14:06 UTC)"
    assert local_and_utc(morning, "UTC") == "2026-08-07 14:06 UTC"


def test_one_time_column_when_the_zone_is_utc(tmp_path: Path) -> None:
    sample = (ROOT / "samples" / "acme-2026-03-20.yaml").read_text("utf-8")
    path = tmp_path / "acme.yaml"
    path.write_text(sample.replace("timezone: Europe/Berlin", "timezone: UTC"), "utf-8")
    (tmp_path / "evidence").symlink_to(ROOT / "samples" / "evidence")
    text = render_markdown(report_of(path))
    assert "| UTC | UTC |" not in text and "| Milestone | UTC | From |" in text
    assert "| UTC | Event | Source |" in text
    assert "| Times shown in | UTC |" in text
    berlin = render_markdown(report_of(ROOT / "samples" / "acme-2026-03-20.yaml"))
    assert "| Europe/Berlin | UTC | Event | Source |" in berlin
