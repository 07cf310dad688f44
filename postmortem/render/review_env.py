"""Jinja environment and filters for review reports."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from postmortem.render.environment import new_environment
from postmortem.render.filters import capped, cut_note, md_escape, md_url
from postmortem.report.display import duration

TEMPLATES = Path(__file__).parent / "templates" / "review"


def format_lag(value: timedelta | None) -> str:
    """A signed gap: `+12 min` after, a minus sign before; "n/a" when unknown."""
    if value is None:
        return "n/a"
    if value < timedelta(0):
        return "\u2212" + duration(-value)
    return "+" + duration(value)


def format_when(value: datetime | None, zone: str) -> str:
    """A UTC instant shown in the review's zone, with the zone's abbreviation."""
    if value is None:
        return "ongoing"
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def format_percent(value: float | None) -> str:
    """Availability with enough digits to tell 99.9 % from 99.99 %; "no data" for None."""
    return "no data" if value is None else f"{value * 100:.3f} %"


def format_share(value: float | None) -> str:
    """A share of an error budget, `37 %` (over 100 % when missed); "no data" for None."""
    return "no data" if value is None else f"{value * 100:.0f} %"


def format_count(value: int | None) -> str:
    """A count, or "no data" where the archive holds nothing yet (never a made-up 0)."""
    return "no data" if value is None else str(value)


#: a week, a date with optional time and zone, or a duration: text a table cell must not split
_UNBREAKABLE = re.compile(
    r"\d{4}-W\d{2}"
    r"|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?: [A-Z][A-Z0-9+-]*)?)?"
    r"|\d+(?:\.\d+)? (?:d|h|min)(?: \d+ (?:h|min))?"
)
_TEXT = re.compile(r">([^<>]+)<")


def keep_together(html: str) -> str:
    """Wrap weeks, dates and durations in no-wrap spans so no cell breaks inside one."""

    def spans(text: re.Match[str]) -> str:
        inner = _UNBREAKABLE.sub(lambda m: f'<span class="nw">{m[0]}</span>', text[1])
        return f">{inner}<"

    return _TEXT.sub(spans, html)


def review_environment(kind: str) -> jinja2.Environment:
    """An environment for `md` or `html` review templates; HTML is always autoescaped."""
    # Markdown is escaped by the `md` filter instead of autoescaping.
    env = new_environment(jinja2.FileSystemLoader(TEMPLATES), autoescape=kind == "html")
    env.filters.update(
        duration=partial(duration, missing="n/a"),
        when=format_when,
        percent=format_percent,
        count=format_count,
        lag=format_lag,
        share=format_share,
        md=md_escape,
        md_url=md_url,
        capped=capped,
        cut_note=cut_note,
    )
    return env
