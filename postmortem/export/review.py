"""Write a review as Markdown, HTML, JSON and PDF."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from postmortem.render.review_charts import counts_chart, durations_chart
from postmortem.render.review_env import review_environment
from postmortem.review_model import Review

FORMATS = ("md", "html", "json", "pdf")


def render_review_markdown(review: Review) -> str:
    """The review as GitHub-flavoured Markdown."""
    return review_environment("md").get_template("review.md.j2").render(review=review)


def render_review_html(review: Review) -> str:
    """A standalone HTML page: the Markdown body, SVG charts and print CSS, no external URLs."""
    from markdown_it import MarkdownIt

    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(render_review_markdown(review))
    )
    charts = counts_chart(review.trend) + durations_chart(review.trend)
    body = body.replace("<h2>Trend</h2>", f'<h2>Trend</h2>\n<div class="charts">{charts}</div>', 1)
    return (
        review_environment("html").get_template("review.html.j2").render(review=review, body=body)
    )


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def review_json(review: Review) -> str:
    """The review model as JSON: UTC ISO-8601 times, durations in seconds."""
    return json.dumps(_plain(review), indent=2, ensure_ascii=False) + "\n"


def write_review(review: Review, out_dir: Path, formats: Sequence[str]) -> tuple[Path, ...]:
    """Write the requested formats as `review-<period>.<ext>`; each file atomically."""
    from postmortem.export.atomic import write_atomic

    stem = "review-" + review.period.label.replace(" to ", "_")
    written = []
    html = None
    for fmt in formats:
        target = out_dir / f"{stem}.{fmt}"
        if fmt == "md":
            write_atomic(target, render_review_markdown(review).encode())
        elif fmt == "json":
            write_atomic(target, review_json(review).encode())
        elif fmt in {"html", "pdf"}:
            html = html or render_review_html(review)
            if fmt == "html":
                write_atomic(target, html.encode())
            else:
                _write_pdf(review, html, target)
        written.append(target)
    return tuple(written)


def _write_pdf(review: Review, html: str, target: Path) -> None:
    from postmortem.export.pdf import Attachment, PdfMeta, write_pdf

    meta = PdfMeta(
        title=f"{review.title}: {review.period.label}",
        authors=(),
        keywords=("reliability review", review.period.label),
        subject=f"Incidents from {review.period.first} to {review.period.last}",
        created=review.period.last,
    )
    attachment = Attachment("review.json", review_json(review).encode(), "The review as JSON")
    write_pdf(html, target, meta=meta, attachments=[attachment])
