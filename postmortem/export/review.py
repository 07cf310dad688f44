"""Write a review as Markdown, HTML, JSON and PDF."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem.render.review_charts import counts_chart, durations_chart
from postmortem.render.review_env import keep_together, review_environment
from postmortem.review.model import Review
from postmortem.storage.serialize import to_json

if TYPE_CHECKING:
    from postmortem.export.pdf import RenderPdf


def render_review_markdown(review: Review) -> str:
    """The review as GitHub-flavoured Markdown."""
    return review_environment("md").get_template("review.md.j2").render(review=review)


def render_review_html(review: Review) -> str:
    """A standalone HTML page: the Markdown body, SVG charts and print CSS, no external URLs."""
    from postmortem.render.html import contents, markdown_to_html

    body = keep_together(markdown_to_html(render_review_markdown(review)))
    bucket = review.period.bucket_name
    charts = counts_chart(review.trend, bucket) + durations_chart(review.trend, bucket)
    body = re.sub(
        r'(<h2 id="trend">Trend</h2>)', rf'\1\n<div class="charts">{charts}</div>', body, count=1
    )
    head, marker, rest = body.partition("<h2 ")
    return (
        review_environment("html")
        .get_template("review.html.j2")
        .render(review=review, head=head, rest=marker + rest, toc=contents(body))
    )


def review_json(review: Review) -> str:
    """The review model as JSON: UTC ISO-8601 times, durations in seconds."""
    return to_json(review)


def write_review(
    review: Review, out_dir: Path, formats: Sequence[str], *, pdf: RenderPdf | None = None
) -> tuple[Path, ...]:
    """Write the requested formats as `review-<period>.<ext>`; each file atomically.

    `pdf` renders the PDF (default: `render_pdf`, in this process).
    """
    from postmortem.storage.atomic import write_atomic

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
                _write_pdf(review, html, target, pdf)
        written.append(target)
    return tuple(written)


def _write_pdf(review: Review, html: str, target: Path, pdf: RenderPdf | None) -> None:
    from postmortem.export.pdf import Attachment, render_pdf
    from postmortem.storage.atomic import write_atomic

    attachment = Attachment("review.json", review_json(review).encode(), "The review as JSON")
    data = (pdf or render_pdf)(html, created=review.period.last, attachments=[attachment])
    write_atomic(target, data)
