"""Source kinds, in a module cheap enough for the command line to import at start-up."""

from __future__ import annotations

from typing import Literal, get_args

SourceKind = Literal[
    "statuspage",
    "incidentio",
    "gcp",
    "aws",
    "slack",
    "heroku",
    "statusio",
    "instatus",
    "betterstack",
    "cachet",
    "upptime",
    "uptimekuma",
    "rss",
    "article",
]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)

#: One address each kind reads, for the schema and the README.
KIND_EXAMPLES: dict[str, str] = {
    "statuspage": "https://www.githubstatus.com/history.atom",
    "incidentio": "https://status.openai.com/api/v2/summary.json",
    "gcp": "https://status.cloud.google.com/incidents.json",
    "aws": "https://health.aws.amazon.com/public/currentevents",
    "slack": "https://slack-status.com/api/v2.0.0/history",
    "heroku": "https://status.heroku.com/api/v4/current-status",
    "statusio": "https://api.status.io/1.0/status/5b36dc6502d06804c08349f7",
    "instatus": "https://status.perplexity.com/summary.json",
    "betterstack": "https://status.betterstack.com/index.json",
    "cachet": "https://demo.cachethq.io/api/v1/incidents",
    "upptime": "https://raw.githubusercontent.com/manticoresoftware/upptime/HEAD/history/summary.json",
    "uptimekuma": "https://status.example.org/api/status-page/heartbeat/main",
    "rss": "https://azure.status.microsoft/en-us/status/feed/",
    "article": "https://www.example.com/news/outage-report",
}
