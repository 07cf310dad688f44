"""Render a review as Markdown and as a standalone HTML page."""

from __future__ import annotations

import re

from postmortem.render.review_charts import counts_chart, durations_chart
from postmortem.render.review_env import keep_together, review_environment
from postmortem.review.model import Review


def render_review_markdown(review: Review) -> str:
    """The review as GitHub-flavoured Markdown."""
    return review_environment("md").get_template("review.md.j2").render(review=review)


def render_review_html(review: Review, markdown: str) -> str:
    """A standalone HTML page from the review's Markdown: SVG charts, print CSS, no URLs."""
    from postmortem.render.html import contents, markdown_to_html

    body = keep_together(markdown_to_html(markdown))
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
