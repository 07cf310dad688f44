"""Jinja environment and filters for review reports."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from postmortem.render.environment import new_environment
from postmortem.render.filters import capped, cut_note, md_escape, md_url

TEMPLATES = Path(__file__).parent / "templates" / "review"


def format_duration(value: timedelta | None) -> str:
    """`1 h 47 min`, `35.7 min`, `2 d 3 h`; "n/a" when there is nothing to show."""
    if value is None:
        return "n/a"
    minutes = value.total_seconds() / 60
    if minutes < 60:
        return f"{minutes:.1f} min"
    hours, rest = divmod(round(minutes), 60)
    if hours < 48:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def format_when(value: datetime | None, zone: str) -> str:
    """A UTC instant shown in the review's zone, with the zone's abbreviation."""
    if value is None:
        return "ongoing"
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def format_percent(value: float) -> str:
    """Availability with enough digits to tell 99.9 % from 99.99 %."""
    return f"{value * 100:.3f} %"


def review_environment(kind: str) -> jinja2.Environment:
    """An environment for `md` or `html` review templates; HTML is always autoescaped."""
    # Markdown is escaped by the `md` filter instead of autoescaping.
    env = new_environment(jinja2.FileSystemLoader(TEMPLATES), autoescape=kind == "html")
    env.filters.update(
        duration=format_duration,
        when=format_when,
        percent=format_percent,
        md=md_escape,
        md_url=md_url,
        capped=capped,
        cut_note=cut_note,
    )
    return env
